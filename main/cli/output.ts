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
  /** Writes what line() still holds (main() does, when the command ends). */
  flush(): void;
}

/** Lines held before they are written at once. */
const FLUSH_AT = 64 * 1024;

/**
 * Lines are written together, once per turn of the event loop (or every 64 KiB): a listing of
 * 20,000 rows makes a few dozen writes, not 20,000, while a long job's progress still shows at once.
 */
export function makeOutput(json: boolean, stdout: NodeJS.WritableStream = process.stdout): Output {
  let held = '';
  let scheduled = false;
  const flush = () => {
    if (held === '') return;
    const text = held;
    held = '';
    stdout.write(text);
  };
  return {
    json,
    line: (text = '') => {
      if (json) return;
      held += `${terminalSafe(text)}\n`;
      if (held.length >= FLUSH_AT) flush();
      else if (!scheduled) {
        scheduled = true;
        setImmediate(() => {
          scheduled = false;
          flush();
        });
      }
    },
    result: (value) => {
      if (json) stdout.write(`${JSON.stringify(value, null, 2)}\n`);
    },
    flush,
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
  const attached = typeof a.attachment === 'string' ? `${a.attachment} of ${String(a.subject)}` : undefined;
  const facts = [installer, attached, a.family, a.parameters, a.quantization, a.licensePresent ? 'licence' : undefined, ...platforms]
    .filter(Boolean)
    .join(', ');
  return `${a.kind}  ${a.ref}  ${formatBytes(a.contentSize)}  ${a.digest}${facts ? `  (${facts})` : ''}`;
}
