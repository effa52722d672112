import { exitCodeFor } from '../../shared/errors.js';
import { toEnvelope } from '../util/errors.js';
import { FERRY_VERSION } from '../version.js';
import type { Command } from './command.js';
import { exportCommand } from './commands/export.js';
import { importCommand } from './commands/import.js';
import { inspectCommand } from './commands/inspect.js';
import { keysCommand } from './commands/keys.js';
import { ledgerCommand } from './commands/ledger.js';
import { ollamaCommand } from './commands/ollama.js';
import { serveCommand } from './commands/serve.js';
import { verifyCommand } from './commands/verify.js';
import { makeOutput } from './output.js';

const COMMANDS: readonly Command[] = [exportCommand, inspectCommand, verifyCommand, importCommand, keysCommand, ollamaCommand, ledgerCommand, serveCommand];

function overview(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return `Ferry ${FERRY_VERSION}: carry AI models and container images across an air gap.

Usage: ferry <command> [options]     (ferry <command> --help for its options)

${COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`).join('\n')}

Global options: --json (machine-readable result), --operator NAME, --role ROLE.
Data folder: FERRY_HOME (ledger, site key, trusted keys).
Exit codes: 0 ok, 1 failed, 2 usage, 3 verification refused (integrity, signature or trust).
`;
}

/** Runs one CLI invocation and returns its exit code; never calls process.exit. */
export async function main(argv: string[]): Promise<number> {
  const json = argv.includes('--json');
  const out = makeOutput(json);
  const [name, ...args] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(overview());
    return name ? 0 : 2;
  }
  if (name === '--version' || name === 'version') {
    process.stdout.write(`${FERRY_VERSION}\n`);
    return 0;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    process.stderr.write(`ferry: unknown command "${name}".\n\n${overview()}`);
    return 2;
  }
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write(`${command.usage}\n`);
    return 0;
  }
  const controller = new AbortController();
  const stop = () => controller.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    return await command.run(args, { out, signal: controller.signal });
  } catch (err) {
    const envelope = toEnvelope(err);
    if (json) process.stdout.write(`${JSON.stringify({ ok: false, error: envelope }, null, 2)}\n`);
    process.stderr.write(`ferry ${name}: ${envelope.message}\n`);
    if (envelope.code === 'INTERNAL' && process.env.FERRY_DEBUG) process.stderr.write(`${(err as Error).stack}\n`);
    return exitCodeFor(envelope.code);
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
}
