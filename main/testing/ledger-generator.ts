import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import type { EventFields, EventType } from '../../shared/ledger-events.js';
import { canonicalJson } from '../util/canonical-json.js';
import { formatLine, lineHash } from '../ledger/chain.js';
import { buildEvent, Ledger, ledgerPath, type Person } from '../ledger/ledger.js';

/**
 * Grows a site's ledger to years of use, fast: `transfers` times the events of one export, its
 * media read back, and a handoff (7 events each: 20,000 transfers are 140,001 lines with
 * ledger.created), twenty transfers a working day back from `end`. Every line is chained and
 * every event is valid for its type, exactly as Ferry writes them; only the fsync per append is
 * skipped (the lines go in in one transaction), and the index tables are derived from the lines
 * when the ledger is opened at the end, as for lines any other tool wrote. For the tests and
 * `bench:ledger`.
 */
export interface GeneratedLedger {
  file: string;
  ledgerId: string;
  count: number;
  /** The bundle digest of every transfer, oldest first. */
  bundles: string[];
  /** The people the generator names (operators, receivers, approvers). */
  people: string[];
}

const PEOPLE: Person[] = [
  { name: 'Ana Field', role: 'field engineer' },
  { name: 'Bo Guard', role: 'security officer' },
  { name: 'Cy Courier', role: 'courier' },
  { name: 'Di Admin', role: 'administrator' },
];
const PER_DAY = 20;
const DAY_MS = 24 * 3600 * 1000;

const hex = (seed: string) => createHash('sha256').update(seed).digest('hex');

/** The events of transfer `i`, in the order a site records them. */
function transferEvents(i: number): { type: EventType; fields: Record<string, unknown>; person: Person }[] {
  const job = `job-${i}`;
  const name = `bundle-${i}`;
  const bundle = `sha256:${hex(`bundle ${i}`)}`;
  const dir = `/media/out/${name}`;
  const size = 4_700_000_000 + (i % 97) * 1_000_003;
  const artifacts = [{ kind: 'ollama-model', ref: `registry.ollama.ai/library/model-${i % 50}:latest`, digest: `sha256:${hex(`manifest ${i}`)}`, size }];
  const volumes = [{ file: `${name}.tar.001`, size, sha256: hex(`volume ${i}`) }];
  const medium = { id: `DVD-${String(i).padStart(6, '0')}`, label: name, type: 'dvd', seal: `SEAL-${i}` };
  const [engineer, officer, courier] = [PEOPLE[0]!, PEOPLE[1]!, PEOPLE[2]!];
  return [
    { type: 'export.requested', fields: { job, out: dir, name, volumeSize: size, artifacts }, person: engineer },
    { type: 'export.started', fields: { job, tarSize: size }, person: engineer },
    { type: 'export.completed', fields: { job, bundle, name, dir, artifacts, volumes }, person: engineer },
    // count and head are filled in as the line is written; the signature is a stand-in (no site key here).
    { type: 'checkpoint', fields: { count: 0, head: '', signature: Buffer.from(hex(`sig ${i}`), 'hex').toString('base64'), job }, person: engineer },
    { type: 'media.written', fields: { bundle, name, medium, volumes: [volumes[0]!.file], dir }, person: officer },
    {
      type: 'media.verified',
      fields: { bundle, name, medium, dir, volumes: [{ file: volumes[0]!.file, sha256: volumes[0]!.sha256, result: 'ok' }], elsewhere: [], result: 'ok' },
      person: officer,
    },
    {
      type: 'custody.handoff',
      fields: { bundle, from: officer, to: courier, place: 'loading dock', sealIntact: true, seal: medium.seal, media: [medium.id], notes: '' },
      person: officer,
    },
  ];
}

export function generateLedger(home: string, opts: { transfers: number; end?: Date }): GeneratedLedger {
  const file = ledgerPath(home);
  const opened = Ledger.open(file, { operator: PEOPLE[0]! });
  const ledgerId = opened.ledgerId;
  opened.close();
  const db = new Database(file);
  const bundles: string[] = [];
  let seq = 0;
  try {
    db.pragma('synchronous = OFF');
    const last = db.prepare<[], { seq: number; raw: Buffer }>('SELECT seq, CAST(line AS BLOB) AS raw FROM entries ORDER BY seq DESC LIMIT 1').get()!;
    const insert = db.prepare<[number, string]>('INSERT INTO entries(seq, line) VALUES (?, ?)');
    const days = Math.ceil(opts.transfers / PER_DAY);
    const start = (opts.end ?? new Date()).getTime() - days * DAY_MS * (7 / 5);
    seq = last.seq;
    let prev = lineHash(last.raw);
    db.transaction(() => {
      for (let i = 0; i < opts.transfers; i++) {
        // Working days only: five of every seven, twenty transfers each, a few minutes apart.
        const day = Math.floor(i / PER_DAY);
        const at = start + (Math.floor(day / 5) * 7 + (day % 5)) * DAY_MS + 8 * 3600 * 1000 + (i % PER_DAY) * 20 * 60 * 1000;
        const events = transferEvents(i);
        for (const [k, e] of events.entries()) {
          const fields = e.type === 'checkpoint' ? { ...e.fields, count: seq, head: prev } : e.fields;
          const event = buildEvent(e.type, fields as EventFields<EventType>, ledgerId, e.person, 'ferry', new Date(at + k * 1000));
          seq += 1;
          const line = formatLine(seq, prev, canonicalJson(event));
          insert.run(seq, line);
          prev = lineHash(line);
        }
        bundles.push(events[2]!.fields.bundle as string);
      }
    })();
  } finally {
    db.close();
  }
  // Opening derives the index tables from the lines just written, as for any lines written without Ferry.
  Ledger.open(file, { operator: PEOPLE[0]! }).close();
  return { file, ledgerId, count: seq, bundles, people: PEOPLE.map((p) => p.name) };
}
