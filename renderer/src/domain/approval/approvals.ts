import type { Person } from '../../../../shared/rpc.js';

/** "Alice (field engineer)", or just "Alice". */
export function personLabel(person: Person | undefined): string {
  if (!person) return 'someone';
  return person.role ? `${person.name} (${person.role})` : person.name;
}

/** The two-person rule compares names trimmed and case-insensitively: "alice " is Alice. */
export function sameName(a: string, b: string): boolean {
  return a.trim().toLocaleLowerCase() === b.trim().toLocaleLowerCase();
}

/** A volume size the way the request was made: the USB preset is one volume of any size. */
export const ONE_VOLUME = Number.MAX_SAFE_INTEGER;
