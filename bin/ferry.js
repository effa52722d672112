#!/usr/bin/env node
// The `ferry` command. The engine is TypeScript compiled to dist/ by `npm run build` (run by npm install).
import { existsSync } from 'node:fs';
import module from 'node:module';
import os from 'node:os';
import path from 'node:path';

const entry = new URL('../dist/main/cli/main.js', import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write('ferry: the engine is not built yet. Run `npm install` (or `npm run build`) in the Ferry checkout.\n');
  process.exit(1);
}
// V8 keeps the compiled engine between runs (a tenth of a command's start), in this user's own cache
// folder rather than the shared temporary one. NODE_DISABLE_COMPILE_CACHE=1 turns it off.
try {
  const cacheHome = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  module.enableCompileCache?.(path.join(cacheHome, 'ferry', 'node-compile-cache'));
} catch {
  // A read-only home only costs the time.
}
// `ferry ledger show | head`: a reader that goes away is not an error worth a stack trace.
process.stdout.on('error', (err) => {
  if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw err;
});
const { main } = await import(entry.href);
process.exitCode = await main(process.argv.slice(2));
