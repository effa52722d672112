import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { EVENT_TYPE_LIST, eventTypeLabel } from '../../shared/ledger-event-labels.js';
import { EVENT_TYPES, eventOfType, parseLedgerEvent } from '../../shared/ledger-events.js';

const envelope = { time: '2025-01-02T03:04:05.000Z', ledgerId: 'c0ffee00-0000-4000-8000-000000000000', host: 'h', osUser: 'u', operator: { name: 'Alice' } };

describe('ledger events: one typed list for the engine and the wizard', () => {
  test('lines in the shapes earlier versions wrote still parse, extra fields kept', () => {
    // Before approvals: export.requested had no request fingerprint and no approvalRequired.
    const requested = parseLedgerEvent({ ...envelope, type: 'export.requested', job: 'j', out: '/o', name: 'n', volumeSize: 1024, artifacts: [] });
    assert.equal(requested.ok, true, JSON.stringify(requested));
    // Earlier imports recorded the exporter's carried lines as a count, and volumes without sizes.
    const verified = parseLedgerEvent({
      ...envelope,
      type: 'import.verified',
      job: 'j',
      dir: '/d',
      bundle: 'sha256:ab',
      name: 'n',
      signer: { fingerprint: 'SHA256:x', signatureValid: true, trusted: true },
      volumes: [{ file: 'n.tar.000', sha256: 'ab', result: 'ok' }],
      exporter: { checkpoint: 'c', checkpointSignature: 's', checkpointValid: true, ledgerId: null, lines: 3, previousBundle: null },
      someFutureField: { kept: true },
    });
    assert.ok(verified.ok, JSON.stringify(verified));
    assert.deepEqual((verified.event as unknown as Record<string, unknown>).someFutureField, { kept: true });
  });

  test('a line that does not parse is reported, not thrown', () => {
    const unknown = parseLedgerEvent({ ...envelope, type: 'test.note', note: 'x' });
    assert.deepEqual(unknown, { ok: false, problem: 'event type "test.note" is not one this version of Ferry writes' });
    const wrongField = parseLedgerEvent({ ...envelope, type: 'settings.changed', twoPersonRule: 'yes' });
    assert.equal(wrongField.ok, false);
    assert.match(wrongField.ok ? '' : wrongField.problem, /^settings\.changed field twoPersonRule: /);
    assert.equal(parseLedgerEvent(null).ok, false);
    assert.equal(parseLedgerEvent({ type: 'ledger.created' }).ok, false, 'the envelope is required');
  });

  test('eventOfType narrows to one type', () => {
    const event = { ...envelope, type: 'settings.changed', twoPersonRule: true };
    assert.equal(eventOfType(event, 'settings.changed')?.twoPersonRule, true);
    assert.equal(eventOfType(event, 'key.created'), undefined);
  });

  test("the wizard's list of types is the union's, each with a label; others are spelled out", () => {
    assert.deepEqual(EVENT_TYPE_LIST, EVENT_TYPES);
    assert.equal(new Set(EVENT_TYPES).size, EVENT_TYPES.length);
    assert.equal(eventTypeLabel('export.withdrawn'), 'Export withdrawn');
    assert.equal(eventTypeLabel('test.note'), 'Test note');
    assert.equal(eventTypeLabel('toString'), 'ToString', 'not a label from the object prototype');
  });
});
