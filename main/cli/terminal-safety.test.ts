import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { canonicalJson } from '../util/canonical-json.js';
import { ferry, tempDir, type RunResult } from '../testing/cli.js';
import { craftBundle, ollamaParts, testSiteKey, type CraftedBundle } from '../testing/crafted-bundle.js';

/** An operator name that would clear the screen and print a line of its own if obeyed. */
const HOSTILE = 'Mallory\u001b[2J\nFORGED: Verified\u009b31m\r';
const SHOWN = 'Mallory\\e[2J\\nFORGED: Verified\\u{9b}31m\\r';

function assertInert(result: RunResult, what: string): void {
  for (const [stream, text] of [
    ['stdout', result.stdout],
    ['stderr', result.stderr],
  ] as const) {
    // eslint-disable-next-line no-control-regex -- the test looks for raw control characters
    assert.ok(!/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/.test(text), `${what} ${stream} holds a raw control character: ${JSON.stringify(text)}`);
    assert.ok(!text.split('\n').some((line) => line.startsWith('FORGED')), `${what} ${stream} has a forged line: ${JSON.stringify(text)}`);
  }
}

describe('strings from a bundle reach the terminal with their control characters escaped', () => {
  let work: string;
  let home: string;
  let pub: string;
  let crafted: CraftedBundle;

  before(async () => {
    work = await tempDir('terminal');
    home = path.join(work, 'home');
    const key = testSiteKey();
    pub = path.join(work, 'site.pub.pem');
    await fs.writeFile(pub, key.publicKeyPem);
    const inputs = await ollamaParts(path.join(work, 'source'), [{ name: 'acme/tiny:1', modelBytes: 100_000 }]);
    const requested = canonicalJson({
      type: 'export.requested',
      time: new Date().toISOString(),
      job: 'j',
      operator: { name: HOSTILE, role: HOSTILE },
      host: HOSTILE,
    });
    crafted = await craftBundle({
      dir: path.join(work, 'bundle'),
      signer: key,
      volumeSize: 1024 * 1024,
      inputs,
      editIndex: (index) => {
        index.createdBy = { operator: HOSTILE, host: HOSTILE, ferryVersion: HOSTILE };
        index.ledger.lines = [`1\t${'0'.repeat(64)}\t${requested}`];
      },
    });
  });
  after(async () => {
    await fs.rm(work, { recursive: true, force: true });
  });

  test('ferry inspect (unsigned data) shows the operator escaped, on its own line', async () => {
    const result = await ferry(home, ['inspect', crafted.dir]);
    assert.equal(result.code, 0, result.stderr);
    assertInert(result, 'inspect');
    assert.ok(result.stdout.includes(`by ${SHOWN} on ${SHOWN}`), result.stdout);
  });

  test('ferry verify, ferry import and ferry ledger report print nothing raw', async () => {
    const verified = await ferry(home, ['verify', crafted.dir, '--trust', pub]);
    assert.equal(verified.code, 0, verified.stderr);
    assertInert(verified, 'verify');
    const imported = await ferry(home, ['import', crafted.dir, '--trust', pub, '--to-ollama-store', path.join(work, 'store')]);
    assert.equal(imported.code, 0, imported.stderr);
    assertInert(imported, 'import');
    const report = await ferry(home, ['ledger', 'report', crafted.bundleDigest]);
    assert.equal(report.code, 0, report.stderr);
    assertInert(report, 'ledger report');
    assert.ok(report.stdout.includes(SHOWN), `the exporter's operator is shown, escaped: ${report.stdout}`);
    const json = await ferry(home, ['ledger', 'report', crafted.bundleDigest, '--json']);
    assert.equal(json.code, 0, json.stderr);
    assert.ok(JSON.stringify(JSON.parse(json.stdout)).includes(JSON.stringify(HOSTILE).slice(1, -1)), '--json keeps the exact string');
  });
});
