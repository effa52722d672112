import os from 'node:os';
import { loadOrCreateSiteKey, type SiteKey } from './keys/keys.js';
import { Ledger, ledgerPath, type Person } from './ledger/ledger.js';
import { readSettings } from './settings.js';
import { ferryHome, secureHome } from './util/home.js';
import { FERRY_VERSION } from './version.js';

/** What every operation runs against: the data folder, the site key, the ledger and who is acting. */
export interface Engine {
  home: string;
  siteKey: SiteKey;
  ledger: Ledger;
  operator: Person;
  ferryVersion: string;
  close(): void;
}

export interface EngineOptions {
  home?: string;
  operator?: Partial<Person>;
}

/** The operator's asserted name and role: explicit, else FERRY_OPERATOR / FERRY_ROLE, else settings, else the OS user. */
export function resolveOperator(partial: Partial<Person> = {}, env: NodeJS.ProcessEnv = process.env, saved: Partial<Person> = {}): Person {
  let osUser = 'unknown';
  try {
    osUser = os.userInfo().username;
  } catch {
    // Some containers run with a uid that has no passwd entry.
  }
  const name = partial.name?.trim() || env.FERRY_OPERATOR?.trim() || saved.name?.trim() || osUser;
  const role = partial.role?.trim() || env.FERRY_ROLE?.trim() || saved.role?.trim() || 'operator';
  return { name, role };
}

export async function openEngine(opts: EngineOptions = {}): Promise<Engine> {
  const home = opts.home ?? ferryHome();
  secureHome(home);
  const operator = resolveOperator(opts.operator, process.env, (await readSettings(home)).operator);
  const siteKey = await loadOrCreateSiteKey(home);
  const ledger = Ledger.open(ledgerPath(home), { operator });
  if (siteKey.created) ledger.append('key.created', { fingerprint: siteKey.fingerprint, purpose: 'site signing key (ECDSA P-256)' });
  return { home, siteKey, ledger, operator, ferryVersion: FERRY_VERSION, close: () => ledger.close() };
}
