import type { Engine } from '../engine.js';
import { readSettings, writeSettings } from '../settings.js';

/** Unless the site sets otherwise: a medium not seen again for two weeks needs its disposition recorded. */
export const DEFAULT_DISPOSITION_DUE_DAYS = 14;

/** Days after a medium is first noted that Home asks for its disposition (when no import of its bundle is recorded sooner). */
export async function dispositionDueDays(engine: Engine): Promise<number> {
  return (await readSettings(engine.home)).dispositionDueDays ?? DEFAULT_DISPOSITION_DUE_DAYS;
}

/** Sets the days and records the change: what Home asks for, and from when, is part of the custody record. */
export async function setDispositionDueDays(engine: Engine, days: number): Promise<number> {
  const settings = await readSettings(engine.home);
  if ((settings.dispositionDueDays ?? DEFAULT_DISPOSITION_DUE_DAYS) === days) return days;
  await writeSettings(engine.home, { ...settings, dispositionDueDays: days });
  engine.ledger.append('settings.changed', { dispositionDueDays: days });
  return days;
}
