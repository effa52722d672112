import { eventOfType } from '../../shared/ledger-events.js';
import type { Person, SignAs } from '../../shared/rpc.js';
import { sameName, signDecision } from '../people/people.js';
import type { Engine } from '../engine.js';
import { lineHash } from '../ledger/chain.js';
import { FerryError } from '../util/errors.js';
import { resolveBundleIn, resolveHandoffBundle } from './ledger-view.js';

export const DISPOSITIONS = ['returned', 'retained', 'sanitized', 'destroyed'] as const;
export type Disposition = (typeof DISPOSITIONS)[number];

export interface HandoffInput {
  bundle: string;
  from: Person;
  to: Person;
  place: string;
  sealIntact: boolean;
  seal?: string | undefined;
  media?: string[] | undefined;
  notes?: string | undefined;
  acceptedBy?: SignAs | undefined;
}

function person(p: Person, field: string): Person {
  const name = p.name?.trim();
  if (!name) throw new FerryError('USAGE', `Name the person (${field}).`, { field });
  return { name, ...(p.role?.trim() ? { role: p.role.trim() } : {}) };
}

function required(value: string | undefined, field: string, what: string): string {
  const v = value?.trim();
  if (!v) throw new FerryError('USAGE', `Give ${what} (${field}).`, { field });
  return v;
}

/**
 * custody.handoff: the bundle's media passed from one person to another, at a place, seal intact or
 * not. `arrival`: this ledger does not know the bundle yet (a receiving gate, before the import).
 */
export async function recordHandoff(engine: Engine, input: HandoffInput): Promise<{ seq: number; bundle: string; arrival: boolean }> {
  const { bundle, known } = resolveHandoffBundle(engine.ledger, input.bundle);
  const from = person(input.from, 'from');
  let to = person(input.to, 'to');
  if (from.name.toLowerCase() === to.name.toLowerCase())
    throw new FerryError('USAGE', `A handoff is between two people; "from" and "to" are both ${from.name}.`, { field: 'to' });
  const fields = {
    bundle,
    from,
    place: required(input.place, 'place', 'the place of the handoff'),
    sealIntact: input.sealIntact,
    ...(input.seal?.trim() ? { seal: input.seal.trim() } : {}),
    media: (input.media ?? []).map((m) => m.trim()).filter(Boolean),
    notes: input.notes?.trim() ?? '',
  };
  let signed = {};
  if (input.acceptedBy) {
    if (!sameName(input.acceptedBy.name, to.name))
      throw new FerryError('USAGE', `The handoff is to ${to.name}, so ${to.name} accepts it, not ${input.acceptedBy.name.trim()}.`, { field: 'acceptedBy' });
    const accepted = await signDecision(engine, input.acceptedBy, 'custody.accept', { ...fields, to: { name: to.name } });
    to = accepted.person;
    signed = accepted.signed;
  }
  const { seq } = engine.ledger.append('custody.handoff', { ...fields, to, ...signed });
  return { seq, bundle, arrival: !known };
}

export interface DispositionInput {
  bundle: string;
  media: string;
  action: Disposition;
  method: string;
  verifiedBy?: Person | undefined;
  notes?: string | undefined;
  witness?: SignAs | undefined;
}

/** media.disposition: what became of a medium afterwards; the operator is who did it. */
export async function recordDisposition(engine: Engine, input: DispositionInput): Promise<{ seq: number; bundle: string }> {
  const bundle = resolveBundleIn(engine.ledger, input.bundle);
  if (!DISPOSITIONS.includes(input.action)) throw new FerryError('USAGE', `The disposition is one of ${DISPOSITIONS.join(', ')}.`, { field: 'action' });
  if (input.witness && input.verifiedBy && !sameName(input.witness.name, input.verifiedBy.name))
    throw new FerryError('USAGE', `The witness named is ${input.verifiedBy.name}, so ${input.verifiedBy.name} signs, not ${input.witness.name.trim()}.`, {
      field: 'witness',
    });
  let verifiedBy = input.verifiedBy ? person(input.verifiedBy, 'verifiedBy') : input.witness ? person({ name: input.witness.name }, 'witness') : undefined;
  if (verifiedBy && verifiedBy.name.toLowerCase() === engine.operator.name.toLowerCase()) {
    throw new FerryError(
      'USAGE',
      `${verifiedBy.name} is recording this disposition and cannot also be its witness; name someone else (verified by), or leave it out.`,
      { field: 'verifiedBy' },
    );
  }
  const fields = {
    bundle,
    medium: { id: required(input.media, 'media', "the medium's id") },
    action: input.action,
    method: required(input.method, 'method', 'how it was done (e.g. "NIST 800-88 purge", "handed to the courier", "shredded")'),
    notes: input.notes?.trim() ?? '',
  };
  let signed = {};
  if (input.witness) {
    const witnessed = await signDecision(engine, input.witness, 'media.disposition.witness', fields);
    verifiedBy = witnessed.person;
    signed = witnessed.signed;
  }
  const { seq } = engine.ledger.append('media.disposition', { ...fields, ...(verifiedBy ? { verifiedBy } : {}), ...signed });
  return { seq, bundle };
}

export interface ReviewInput {
  from?: number | undefined;
  to?: number | undefined;
  result: 'no-findings' | 'findings';
  notes?: string | undefined;
  /** The reviewer, who signs the review with their passphrase. */
  as: SignAs;
}

/**
 * review.signed: the reviewer (an enrolled person, who signs it) reviewed lines from..to. Defaults to everything since the previous
 * review. The chain is verified first; the head of line `to` pins exactly what was reviewed.
 */
export async function recordReview(engine: Engine, input: ReviewInput): Promise<{ seq: number; from: number; to: number; head: string; chainOk: boolean }> {
  if (input.result !== 'no-findings' && input.result !== 'findings')
    throw new FerryError('USAGE', "A review's result is no-findings or findings.", { field: 'result' });
  if (input.result === 'findings' && !input.notes?.trim()) throw new FerryError('USAGE', 'Describe the findings (--notes TEXT).', { field: 'notes' });
  const chain = await engine.ledger.verify({ derivedTables: false }); // a review is of the lines
  const lastReviewed = engine.ledger
    .events({ type: 'review.signed' })
    .reduce((max, { event }) => Math.max(max, eventOfType(event, 'review.signed')?.range.to ?? 0), 0);
  const from = input.from ?? Math.min(lastReviewed + 1, chain.count);
  const to = input.to ?? chain.count;
  if (!Number.isSafeInteger(from) || !Number.isSafeInteger(to) || from < 1 || to < from || to > chain.count) {
    throw new FerryError('USAGE', `Review a range of lines within 1-${chain.count}, from before to (got ${from}-${to}).`, { field: 'from' });
  }
  const last = [...engine.ledger.lines({ from: to, to })][0];
  if (last === undefined) throw new FerryError('INTEGRITY', `Ledger line ${to} is missing. Run ferry ledger verify.`, { seq: to });
  const head = lineHash(last);
  const fields = { range: { from, to }, head, result: input.result, notes: input.notes?.trim() ?? '', chainOk: chain.ok };
  const { person: reviewer, signed } = await signDecision(engine, input.as, 'review.sign', fields);
  const { seq } = engine.ledger.append('review.signed', { ...fields, ...(chain.ok ? {} : { problems: chain.problems.slice(0, 20) }), ...signed }, reviewer);
  return { seq, from, to, head, chainOk: chain.ok };
}
