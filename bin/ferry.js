#!/usr/bin/env node
// The `ferry` command. The engine is TypeScript compiled to dist/ by `npm run build` (run by npm install).
import { existsSync } from 'node:fs';

const entry = new URL('../dist/main/cli/main.js', import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write('ferry: the engine is not built yet. Run `npm install` (or `npm run build`) in the Ferry checkout.\n');
  process.exit(1);
}
// `ferry ledger show | head`: a reader that goes away is not an error worth a stack trace.
process.stdout.on('error', (err) => {
  if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw err;
});
const { main } = await import(entry.href);
process.exitCode = await main(process.argv.slice(2));
