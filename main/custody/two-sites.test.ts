import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { assertRan, ferry, jsonOf, type RunResult, tempDir } from '../testing/cli.js';

describe("both sites' story on one page (#16 item 7)", () => {
  let work: string;
  let siteA: string;
  let siteB: string;
  let bundleDir: string;
  let bundle: string;
  let kitB: string;

  before(async () => {
    work = await tempDir('two-sites');
    siteA = path.join(work, 'site-a');
    siteB = path.join(work, 'site-b');
    bundleDir = path.join(work, 'usb', 'b1');
    kitB = path.join(work, 'kit-b');
    await fs.writeFile(path.join(work, 'runbook.md'), '# Runbook\n');
    const exported = await ferry(siteA, ['export', '--out', bundleDir, '--file', path.join(work, 'runbook.md'), '--json']);
    assertRan(exported, 'export');
    bundle = jsonOf(exported).result.bundleDigest;
    assertRan(
      await ferry(siteA, ['media', 'verify', bundleDir, '--media-id', 'USB-7', '--label', 'Ops USB', '--type', 'usb', '--seal', 'S-7']),
      'read back at A',
    );
    assertRan(await ferry(siteA, ['keys', 'export-public', path.join(work, 'a.pub.pem')]), 'key');
    assertRan(await ferry(siteB, ['keys', 'trust', path.join(work, 'a.pub.pem')]), 'trust');
    assertRan(
      await ferry(siteB, [
        'media',
        'handoff',
        bundle,
        '--from',
        'Carol',
        '--to',
        'Dave',
        '--place',
        'Site B gate',
        '--seal-intact',
        'yes',
        '--media-id',
        'USB-7',
      ]),
      'arrival at B',
    );
    assertRan(await ferry(siteB, ['import', bundleDir, '--to-dir', path.join(work, 'restored')]), 'import at B');
    assertRan(
      await ferry(siteB, ['media', 'dispose', bundle, '--media-id', 'USB-7', '--action', 'destroyed', '--method', 'shredded at site B']),
      'destroyed at B',
    );
    assertRan(await ferry(siteB, ['ledger', 'export', '--out', kitB]), 'kit of B');
  });
  after(() => fs.rm(work, { recursive: true, force: true }));

  test("site A's flags: the disc site B destroyed is dispositioned once B's kit is loaded", async () => {
    const notDisposed = (r: RunResult) =>
      jsonOf(r).result.flags.filter((f: { kind: string; media?: string }) => f.kind === 'media-not-dispositioned' && f.media === 'USB-7');
    assert.equal(notDisposed(await ferry(siteA, ['ledger', 'flags', '--json'])).length, 1, 'alone, site A does not know');
    const compared = await ferry(siteA, ['ledger', 'flags', '--with', kitB, '--json']);
    assertRan(compared, 'flags --with');
    assert.equal(notDisposed(compared).length, 0, "site B's disposition settles it");
    assert.equal(jsonOf(compared).result.counts['media-not-dispositioned'] ?? 0, 0);
  });

  test("site A's chain of custody joins site B's arrival, verification, import and disposition, in the order they happened", async () => {
    const alone = jsonOf(await ferry(siteA, ['ledger', 'report', bundle, '--json'])).result;
    assert.equal(alone.steps.filter((s: { origin: string }) => s.origin === 'other-site').length, 0);
    const joined = jsonOf(await ferry(siteA, ['ledger', 'report', bundle, '--with', kitB, '--json'])).result;
    const other = joined.steps.filter((s: { origin: string }) => s.origin === 'other-site');
    assert.deepEqual(
      other.map((s: { type: string }) => s.type),
      ['custody.handoff', 'import.started', 'import.verified', 'import.completed', 'media.disposition'],
    );
    const times = joined.steps.map((s: { time: string }) => s.time);
    assert.deepEqual(times, [...times].sort(), 'one story, in time order');
    assert.ok(other[0].details.some(([label, value]: [string, string]) => label === 'Recorded in' && /another site's ledger .* line \d+/.test(value)));
    const disc = joined.media.find((m: { id: string }) => m.id === 'USB-7');
    assert.equal(disc.disposition, 'destroyed (shredded at site B)');
    assert.equal(disc.verified, 'ok', "site A's own read-back stays");
    assert.equal(joined.flags.filter((f: { kind: string }) => f.kind === 'media-not-dispositioned').length, 0);
    const text = (await ferry(siteA, ['ledger', 'report', bundle, '--with', kitB])).stdout;
    assert.match(text, /other site line +\d+ .* media\.disposition/);
  });
});
