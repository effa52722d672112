import { randomUUID } from 'node:crypto';
import type { RuleRequestInfo, SignAs } from '../../shared/rpc.js';
import type { Engine } from '../engine.js';
import { personIn } from '../ledger/event-fields.js';
import type { Ledger } from '../ledger/ledger.js';
import { activePeople, sameName, signDecision } from '../people/people.js';
import { FerryError } from '../util/errors.js';

/**
 * Whether the two-person rule is on: the ledger's word (the last settings.changed that set it), not
 * a settings file anyone could edit.
 */
export function ruleInLedger(ledger: Ledger): boolean {
  let on = false;
  for (const { event } of ledger.events({ type: 'settings.changed' })) if (typeof event.twoPersonRule === 'boolean') on = event.twoPersonRule;
  return on;
}

/** Every request to change the rule, oldest first, with its decision. */
export function ruleRequests(ledger: Ledger): RuleRequestInfo[] {
  const requests = new Map<string, RuleRequestInfo>();
  const entries = [
    ...ledger.events({ type: 'rule.change.requested' }),
    ...ledger.events({ type: 'rule.change.rejected' }),
    ...ledger.events({ type: 'settings.changed' }),
  ].sort((a, b) => a.seq - b.seq);
  for (const { seq, event } of entries) {
    const id = typeof event.request === 'string' ? event.request : undefined;
    if (!id) continue;
    if (event.type === 'rule.change.requested') {
      requests.set(id, {
        id,
        seq,
        requestedAt: String(event.time),
        requester: personIn(event.operator),
        twoPersonRule: event.twoPersonRule === true,
        status: 'pending',
      });
      continue;
    }
    const request = requests.get(id);
    if (!request || request.status !== 'pending') continue;
    request.status = event.type === 'settings.changed' ? 'approved' : 'rejected';
    request.decidedBy = personIn(event.operator);
    request.decidedAt = String(event.time);
    if (typeof event.reason === 'string') request.reason = event.reason;
  }
  return [...requests.values()];
}

function pendingRequest(ledger: Ledger, enabled: boolean): RuleRequestInfo | undefined {
  return ruleRequests(ledger).find((r) => r.status === 'pending' && r.twoPersonRule === enabled);
}

/**
 * Turns the rule on, signed by `as` (two people must be enrolled, or nobody could approve); or,
 * while it is on, asks for it to be turned off: a request the same call by a second enrolled person
 * approves. Turning it off while it is off, or on while it is on, changes nothing.
 */
export async function changeTwoPersonRule(engine: Engine, enabled: boolean, as: SignAs): Promise<{ enabled: boolean; request?: RuleRequestInfo }> {
  const on = ruleInLedger(engine.ledger);
  if (on === enabled) return { enabled: on };
  if (enabled) {
    const people = activePeople(engine.ledger);
    if (people.length < 2) {
      throw new FerryError(
        'REFUSED',
        `The two-person rule needs two enrolled people, and ${people.length === 0 ? 'nobody is' : `only ${people[0]!.name} is`} enrolled: enrol ${people.length === 0 ? 'two people' : 'a second person'} first (People).`,
        { field: 'people' },
      );
    }
    const { person, signed } = await signDecision(engine, as, 'rule.on', { rule: 'two-person', enabled: true });
    engine.ledger.append('settings.changed', { twoPersonRule: true, ...signed }, person);
    return { enabled: true };
  }
  const waiting = pendingRequest(engine.ledger, false);
  if (waiting && !sameName(waiting.requester.name, as.name)) {
    const request = await decideRuleChange(engine, waiting.id, 'approve', as);
    return { enabled: ruleInLedger(engine.ledger), request };
  }
  if (waiting) return { enabled: true, request: waiting };
  const id = randomUUID();
  const { person, signed } = await signDecision(engine, as, 'rule.off.request', { rule: 'two-person', enabled: false, request: id });
  engine.ledger.append('rule.change.requested', { request: id, twoPersonRule: false, ...signed }, person);
  return { enabled: true, request: pendingRequest(engine.ledger, false)! };
}

/** A second enrolled person approves (settings.changed, carrying out the request) or rejects a rule change; the requester may only reject (withdraw) it. */
export async function decideRuleChange(engine: Engine, id: string, decision: 'approve' | 'reject', as: SignAs, reason?: string): Promise<RuleRequestInfo> {
  const request = ruleRequests(engine.ledger).find((r) => r.id === id);
  if (!request) throw new FerryError('NOT_FOUND', `No request ${id} to change the two-person rule in this ledger. See ferry approval list.`, { approval: id });
  if (request.status !== 'pending')
    throw new FerryError('APPROVAL', `Request ${id} is already ${request.status}; a decision is recorded once.`, { approval: id });
  if (decision === 'approve' && sameName(as.name, request.requester.name)) {
    throw new FerryError('REFUSED', `${as.name.trim()} asked for this change and cannot also approve it: a second enrolled person approves it.`, {
      approval: id,
      field: 'approver',
    });
  }
  if (decision === 'reject' && !reason?.trim()) throw new FerryError('USAGE', 'Say why the change is rejected (--reason TEXT).', { field: 'reason' });
  const subject = { rule: 'two-person', enabled: request.twoPersonRule, request: id };
  if (decision === 'approve') {
    const { person, signed } = await signDecision(engine, as, request.twoPersonRule ? 'rule.on' : 'rule.off', subject);
    engine.ledger.append('settings.changed', { twoPersonRule: request.twoPersonRule, request: id, requester: request.requester, ...signed }, person);
  } else {
    const { person, signed } = await signDecision(engine, as, 'rule.change.reject', subject, reason!.trim());
    engine.ledger.append('rule.change.rejected', { request: id, requester: request.requester, reason: reason!.trim(), ...signed }, person);
  }
  return ruleRequests(engine.ledger).find((r) => r.id === id)!;
}
