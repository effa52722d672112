import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import { after, test } from 'node:test';
import { Ledger, ledgerPath } from '../ledger/ledger.js';
import { tempDir } from '../testing/cli.js';
import { appendUntyped } from '../testing/ledger.js';
import { attentionItems } from './attention.js';

const dirs: string[] = [];
after(() => Promise.all(dirs.map((d) => fs.rm(d, { recursive: true, force: true }))));

const A = `sha256:${'a'.repeat(64)}`;
const B = `sha256:${'b'.repeat(64)}`;
const DAY = 24 * 3600 * 1000;

test('Home asks for a disposition only once it is due, groups nothing it should not, and a dismissal is recorded and honoured', async () => {
  const dir = await tempDir('attention');
  dirs.push(dir);
  const ledger = Ledger.open(ledgerPath(dir), { operator: { name: 'Bo Guard' } });
  try {
    const medium = (id: string) => ({ id });
    appendUntyped(ledger, 'media.written', { bundle: A, name: 'alpha', medium: medium('DVD-1'), volumes: [], dir: '/o' });
    appendUntyped(ledger, 'media.written', { bundle: B, name: 'beta', medium: medium('USB-9'), volumes: [], dir: '/o' });
    const now = Date.now();
    const query = { limit: 30, dueAfterDays: 14 };
    assert.deepEqual(attentionItems(ledger, query, now).items, [], 'media just written are in transit, not due');

    // The import of beta is recorded here: its medium is due now; alpha's becomes due after 14 days.
    appendUntyped(ledger, 'import.verified', {
      job: 'ji',
      dir: '/in',
      bundle: B,
      name: 'beta',
      signer: { fingerprint: 'S' },
      volumes: [],
      exporter: { checkpoint: 'c', checkpointSignature: 's', checkpointValid: true, ledgerId: null, lines: [], previousBundle: null },
    });
    assert.deepEqual(
      attentionItems(ledger, query, now).items.map((i) => `${i.kind} ${i.media} ${i.bundleName}`),
      ['disposition-due USB-9 beta'],
    );
    const later = attentionItems(ledger, query, now + 15 * DAY);
    assert.deepEqual(
      later.items.map((i) => i.media),
      ['USB-9', 'DVD-1'],
    );
    assert.equal(later.total, 2);
    assert.equal(attentionItems(ledger, { limit: 1, dueAfterDays: 14 }, now + 15 * DAY).total, 2, 'the total counts beyond the page');

    // A failed read-back is asked for at once; a later good one clears it.
    appendUntyped(ledger, 'media.verified', { bundle: A, name: 'alpha', medium: medium('DVD-2'), dir: '/m', volumes: [], elsewhere: [], result: 'failed' });
    assert.deepEqual(
      attentionItems(ledger, query, now).items.map((i) => `${i.kind} ${i.media}`),
      ['media-failed DVD-2', 'disposition-due USB-9'],
    );

    // Dismissed by a person: recorded in the ledger, and gone from Home (the flag itself stays).
    const { seq } = ledger.append('attention.dismissed', { item: 'disposition-due', bundle: B, media: 'USB-9', title: 'USB-9 of beta' });
    assert.deepEqual(
      attentionItems(ledger, query, now).items.map((i) => i.media),
      ['DVD-2'],
    );
    const recorded = ledger.events({ type: 'attention.dismissed' });
    assert.equal(recorded.length, 1);
    assert.equal(recorded[0]!.seq, seq);
    assert.equal((recorded[0]!.event.operator as { name: string }).name, 'Bo Guard');
    assert.ok(
      ledger.bundleState.flagsOf(B).some((f) => f.kind === 'media-not-dispositioned'),
      'the Flags tab still shows it',
    );

    appendUntyped(ledger, 'media.verified', { bundle: A, name: 'alpha', medium: medium('DVD-2'), dir: '/m', volumes: [], elsewhere: [], result: 'ok' });
    assert.deepEqual(attentionItems(ledger, query, now).items, [], 'a good read-back makes the failed one good');
    assert.equal((await ledger.verify()).ok, true, 'the dismissals are part of the derived state verify checks');
  } finally {
    ledger.close();
  }
});
