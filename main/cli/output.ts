import type { BundleArtifact } from '../../shared/bundle.js';
import { formatBytes } from '../../shared/sizes.js';
import { terminalSafe } from '../util/terminal-text.js';

/** Where commands write: human text, or one JSON document with --json. */
export interface Output {
  json: boolean;
  /** One line of human text, control characters shown escaped (terminalSafe); ignored in --json mode. */
  line(text?: string): void;
  /** The machine-readable result; printed only in --json mode. */
  result(value: unknown): void;
}

export function makeOutput(json: boolean, stdout: NodeJS.WritableStream = process.stdout): Output {
  return {
    json,
    line: (text = '') => {
      if (!json) stdout.write(`${terminalSafe(text)}\n`);
    },
    result: (value) => {
      if (json) stdout.write(`${JSON.stringify(value, null, 2)}\n`);
    },
  };
}

export function table(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, col) => Math.max(...rows.map((r) => (r[col] ?? '').length)));
  return rows.map((r) =>
    r
      .map((cell, col) => (col === r.length - 1 ? cell : cell.padEnd(widths[col]!)))
      .join('  ')
      .trimEnd(),
  );
}

/** One artifact on one line: kind, reference, size, digest, then what else is known (family, platforms, …). */
export function artifactLine(a: BundleArtifact): string {
  const platforms = Array.isArray(a.platforms) ? (a.platforms as string[]) : [];
  const installer = typeof a.installer === 'string' ? `Ferry installer (${a.installer})` : undefined;
  const facts = [installer, a.family, a.parameters, a.quantization, a.licensePresent ? 'licence' : undefined, ...platforms].filter(Boolean).join(', ');
  return `${a.kind}  ${a.ref}  ${formatBytes(a.contentSize)}  ${a.digest}${facts ? `  (${facts})` : ''}`;
}
