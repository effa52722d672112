import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { StoredEvent } from '../ledger/ledger.js';
import { describeEvent } from './describe.js';

const envelope = { time: '2026-12-04T10:00:00.000Z', ledgerId: 'l-1', host: 'staging', osUser: 'alice', operator: { name: 'Alice', role: 'engineer' } };
const event = (fields: Record<string, unknown>) => ({ ...envelope, ...fields }) as StoredEvent;

test('an event is read with its type: summary, outcome, media and stage come from its parsed fields', () => {
  const handoff = describeEvent(
    event({
      type: 'custody.handoff',
      bundle: 'sha256:' + 'a'.repeat(64),
      from: { name: 'Alice' },
      to: { name: 'Bob', role: 'courier' },
      place: 'Gate 3',
      sealIntact: false,
      media: ['USB-1', 'USB-2'],
      notes: '',
    }),
  );
  assert.deepEqual(handoff, { summary: 'Alice → Bob (courier) at Gate 3, seal NOT intact', outcome: 'failed', media: ['USB-1', 'USB-2'], stage: 'custody' });
  const failed = describeEvent(
    event({ type: 'ledger.export.failed', out: '/media/kit', count: 3, head: 'ab', error: { code: 'NO_SPACE', message: 'No room on /media/kit.' } }),
  );
  assert.equal(failed.summary, 'No room on /media/kit.');
  assert.equal(failed.outcome, 'failed');
  const kept = describeEvent(event({ type: 'export.failed', job: 'j-1', volumesKept: 3, error: { code: 'IO', message: 'EIO: i/o error, write.' } }));
  assert.equal(kept.summary, 'EIO: i/o error, write. (3 volumes kept; the same export goes on from them)');
});

test('a line that does not parse says so, claims no outcome or media, and keeps its stage', () => {
  const view = describeEvent(event({ type: 'media.verified', bundle: 'sha256:' + 'b'.repeat(64), result: 'ok', medium: 'USB-1' }));
  assert.match(view.summary, /^media\.verified \(not understood: media\.verified field/);
  assert.equal(view.outcome, undefined);
  assert.deepEqual(view.media, []);
  assert.equal(view.stage, 'media');
  assert.match(describeEvent(event({ type: 'made.up' })).summary, /^made\.up \(not understood: event type "made\.up"/);
});
