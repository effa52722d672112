import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
/** The package root, from main/ (sources) or dist/main/ (built). */
const ROOTS = ['..', '../..'].map((up) => path.resolve(path.dirname(fileURLToPath(import.meta.url)), up));

function findVersion(): string {
  for (const candidate of ['../package.json', '../../package.json']) {
    try {
      const pkg = require(candidate) as { name?: string; version?: string };
      if (pkg.name === 'ferry' && pkg.version) return pkg.version;
    } catch {
      // try the next layout (sources vs dist/)
    }
  }
  return '0.0.0';
}

export const FERRY_VERSION = findVersion();

function readText(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8').trim();
  } catch {
    return undefined;
  }
}

/** The commit a checkout's HEAD names, read from .git without running git. */
function gitHead(root: string): string | undefined {
  const head = readText(path.join(root, '.git', 'HEAD'));
  if (!head) return undefined;
  if (/^[0-9a-f]{40}$/.test(head)) return head;
  const ref = /^ref: (refs\/\S+)$/.exec(head)?.[1];
  if (!ref) return undefined;
  const loose = readText(path.join(root, '.git', ref));
  if (loose) return loose;
  const packed = readText(path.join(root, '.git', 'packed-refs'));
  return packed
    ?.split('\n')
    .find((line) => line.endsWith(` ${ref}`))
    ?.slice(0, 40);
}

/**
 * The commit Ferry was built from: build-info.json beside package.json in the CLI tarball (npm run
 * dist:cli writes it), else a checkout's HEAD; "unknown" when neither says.
 */
export function ferryCommit(): string {
  for (const root of ROOTS) {
    const info = readText(path.join(root, 'build-info.json'));
    if (info) {
      try {
        const commit = (JSON.parse(info) as { commit?: unknown }).commit;
        if (typeof commit === 'string' && commit) return commit;
      } catch {
        // a damaged file says nothing
      }
    }
  }
  for (const root of ROOTS) {
    const head = gitHead(root);
    if (head) return head;
  }
  return 'unknown';
}
