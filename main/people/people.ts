import fs from 'node:fs/promises';
import path from 'node:path';
import type { Person, PersonRecord, SignAs } from '../../shared/rpc.js';
import type { Engine } from '../engine.js';
import { personIn } from '../ledger/event-fields.js';
import type { Ledger } from '../ledger/ledger.js';
import { writeFileAtomic } from '../util/atomic.js';
import { FerryError } from '../util/errors.js';
import { restrictToOwner } from '../util/home.js';
import { assertPassphrase, createPersonalKey, signStatement, unsealPersonalKey } from './personal-key.js';

/** The fields a signed event carries (shared/ledger-events.ts, Signed). */
export interface SignedFields {
  statement: Record<string, unknown>;
  signature: string;
  signer: string;
}

export const sameName = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

const personOf = (p: PersonRecord): Person => ({ name: p.name, ...(p.role ? { role: p.role } : {}) });

function keyFile(home: string, fingerprint: string): string {
  return path.join(home, 'people', `${fingerprint}.key.pem`);
}

/** Everyone the ledger enrolled, oldest first, with any removal; read through the index of event types. */
export function listPeople(ledger: Ledger): PersonRecord[] {
  const entries = [...ledger.events({ type: 'person.enrolled' }), ...ledger.events({ type: 'person.removed' })].sort((a, b) => a.seq - b.seq);
  const byKey = new Map<string, PersonRecord>();
  for (const { seq, event } of entries) {
    const fingerprint = typeof event.fingerprint === 'string' ? event.fingerprint : '';
    const person = personIn(event.person);
    if (event.type === 'person.enrolled') {
      byKey.set(fingerprint, {
        ...person,
        fingerprint,
        enrolledAt: String(event.time),
        enrolledBy: event.sponsor ? personIn(event.sponsor) : person,
        seq,
      });
    } else {
      const known = byKey.get(fingerprint);
      if (known) known.removed = { at: String(event.time), by: personIn(event.operator), reason: String(event.reason ?? '') };
    }
  }
  return [...byKey.values()];
}

export function activePeople(ledger: Ledger): PersonRecord[] {
  return listPeople(ledger).filter((p) => !p.removed);
}

function enrolledNamed(ledger: Ledger, name: string): PersonRecord {
  const person = activePeople(ledger).find((p) => sameName(p.name, name));
  if (!person) {
    throw new FerryError('REFUSED', `${name.trim()} is not an enrolled person on this site, so cannot sign this decision. Enrol them first (People).`, {
      person: name,
    });
  }
  return person;
}

/**
 * Signs a decision as the enrolled person `as`: their sealed key opened with their passphrase.
 * Returns the person (for the event's operator) and the fields the event carries.
 */
export async function signDecision(
  engine: Engine,
  as: SignAs,
  decision: string,
  subject: Record<string, unknown>,
  reason?: string,
): Promise<{ person: Person; record: PersonRecord; signed: SignedFields }> {
  const record = enrolledNamed(engine.ledger, as.name);
  let sealed: string;
  try {
    sealed = await fs.readFile(keyFile(engine.home, record.fingerprint), 'utf8');
  } catch {
    throw new FerryError(
      'REFUSED',
      `${record.name}'s personal key is not on this machine (${keyFile(engine.home, record.fingerprint)}). Enrol them again here.`,
      {
        person: record.name,
        file: keyFile(engine.home, record.fingerprint),
      },
    );
  }
  const key = unsealPersonalKey(sealed, as.passphrase, record.name);
  const statement = {
    decision,
    subject,
    person: { ...personOf(record), key: record.fingerprint },
    time: new Date().toISOString(),
    ...(reason ? { reason } : {}),
  };
  return { person: personOf(record), record, signed: { statement, signature: signStatement(key, statement), signer: record.fingerprint } };
}

/**
 * Enrols a person: a new key sealed with their passphrase, kept under FERRY_HOME/people (0600), and
 * person.enrolled with the public key. With the two-person rule on and two people enrolled, an
 * enrolled second person (`sponsor`) signs it; otherwise the new key signs its own enrolment.
 */
export async function enrolPerson(
  engine: Engine,
  params: { name: string; role: string; passphrase: string; sponsor?: SignAs | undefined },
  twoPersonRule: boolean,
): Promise<PersonRecord> {
  const name = params.name.trim();
  const role = params.role.trim();
  const people = activePeople(engine.ledger);
  if (people.some((p) => sameName(p.name, name))) {
    throw new FerryError('USAGE', `${name} is already enrolled. Remove them first to enrol a new key.`, { field: 'name' });
  }
  assertPassphrase(params.passphrase, `${name}'s`);
  if (!params.sponsor && twoPersonRule && people.length >= 2) {
    throw new FerryError('REFUSED', `The two-person rule is on: an enrolled person other than ${name} signs the enrolment with their passphrase.`, {
      field: 'sponsor',
    });
  }
  const created = createPersonalKey(params.passphrase);
  const subject = { person: { name, role }, key: created.fingerprint };
  const signedBy = params.sponsor ? await signDecision(engine, params.sponsor, 'person.enrol', subject) : undefined;
  const signed: SignedFields = signedBy?.signed ?? selfSigned(created.sealedPrivateKeyPem, params.passphrase, name, role, created.fingerprint, subject);
  const file = keyFile(engine.home, created.fingerprint);
  await fs.mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  restrictToOwner(path.dirname(file), 0o700);
  await writeFileAtomic(file, created.sealedPrivateKeyPem, 0o600);
  try {
    engine.ledger.append(
      'person.enrolled',
      {
        person: { name, role },
        fingerprint: created.fingerprint,
        publicKey: created.publicKeyPem,
        ...(signedBy ? { sponsor: signedBy.person } : {}),
        ...signed,
      },
      signedBy?.person ?? { name, role },
    );
  } catch (err) {
    await fs.rm(file, { force: true });
    throw err;
  }
  return activePeople(engine.ledger).find((p) => p.fingerprint === created.fingerprint)!;
}

function selfSigned(sealed: string, passphrase: string, name: string, role: string, fingerprint: string, subject: Record<string, unknown>): SignedFields {
  const statement = { decision: 'person.enrol', subject, person: { name, role, key: fingerprint }, time: new Date().toISOString() };
  return { statement, signature: signStatement(unsealPersonalKey(sealed, passphrase, name), statement), signer: fingerprint };
}

/** Removes a person (person.removed, signed by `as`; a second person while the rule is on) and deletes their sealed key. */
export async function removePerson(engine: Engine, params: { name: string; reason: string; as: SignAs }, twoPersonRule: boolean): Promise<PersonRecord> {
  const people = activePeople(engine.ledger);
  const target = people.find((p) => sameName(p.name, params.name));
  if (!target) throw new FerryError('NOT_FOUND', `${params.name.trim()} is not an enrolled person on this site.`, { person: params.name });
  if (twoPersonRule) {
    if (sameName(params.as.name, target.name)) {
      throw new FerryError('REFUSED', `The two-person rule is on: someone other than ${target.name} signs their removal.`, { field: 'as' });
    }
    if (people.length <= 2) {
      throw new FerryError(
        'REFUSED',
        `The two-person rule is on and needs two enrolled people: enrol someone else before removing ${target.name}, or turn the rule off first.`,
        { person: target.name },
      );
    }
  }
  const subject = { person: personOf(target), key: target.fingerprint };
  const { person, signed } = await signDecision(engine, params.as, 'person.remove', subject, params.reason.trim());
  engine.ledger.append('person.removed', { person: personOf(target), fingerprint: target.fingerprint, reason: params.reason.trim(), ...signed }, person);
  await fs.rm(keyFile(engine.home, target.fingerprint), { force: true });
  return listPeople(engine.ledger).find((p) => p.fingerprint === target.fingerprint)!;
}
