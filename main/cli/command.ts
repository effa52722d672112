import type { Output } from './output.js';

export interface CommandContext {
  out: Output;
  signal: AbortSignal;
}

export interface Command {
  name: string;
  usage: string;
  /** Returns the exit code for a run that did not throw (0, or 3 for a refused verification). */
  run(args: string[], ctx: CommandContext): Promise<number>;
}
