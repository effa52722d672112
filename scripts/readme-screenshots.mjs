#!/usr/bin/env node
// Copies the screenshots the README shows from the e2e suite's output (test-results/screenshots,
// written by `npm run test:e2e`) into docs/screenshots, so the README's pictures are the suite's.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const from = path.join(repo, 'test-results', 'screenshots');
const to = path.join(repo, 'docs', 'screenshots');

export const README_SCREENSHOTS = [
  '01-home-light',
  '02-export-what-to-carry',
  '21-export-images-resolved',
  '41-export-approval',
  '42-export-media-verified',
  '04-export-done',
  '06-import-verified',
  '25-import-push-running',
  '24-import-registry-done',
  '37-import-discs-complete',
  '43-handoff',
  '44-chain-of-custody-export-side',
  '45-transfer-form',
  '09-ledger',
  '24b-import-transfer-attestations',
  '52-settings-diagnostics',
];

const missing = README_SCREENSHOTS.filter((name) => !fs.existsSync(path.join(from, `${name}.png`)));
if (missing.length > 0) {
  console.error(`Run npm run test:e2e first: ${missing.map((n) => `${n}.png`).join(', ')} missing from ${from}.`);
  process.exit(1);
}
fs.mkdirSync(to, { recursive: true });
for (const name of README_SCREENSHOTS) fs.copyFileSync(path.join(from, `${name}.png`), path.join(to, `${name}.png`));
console.log(`Copied ${README_SCREENSHOTS.length} screenshots into ${path.relative(repo, to)}/.`);
