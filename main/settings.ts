import fs from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from './util/atomic.js';

/** Settings a person changes in the app, kept as FERRY_HOME/settings.json. */
export const Settings = z.object({
  operator: z.object({ name: z.string().min(1), role: z.string().optional() }).optional(),
  /** Written by earlier versions; the rule's state is now the ledger's (settings.changed). Ignored. */
  twoPersonRule: z.boolean().optional(),
  /** Days after a medium is first noted (written, read back, handed over) that Home asks for its disposition. */
  dispositionDueDays: z.number().int().min(1).max(3650).optional(),
});
export type Settings = z.infer<typeof Settings>;

const file = (home: string) => path.join(home, 'settings.json');

export async function readSettings(home: string): Promise<Settings> {
  try {
    const parsed = Settings.safeParse(JSON.parse(await fs.readFile(file(home), 'utf8')));
    return parsed.success ? parsed.data : {};
  } catch {
    return {};
  }
}

export async function writeSettings(home: string, settings: Settings): Promise<void> {
  await fs.mkdir(home, { recursive: true, mode: 0o700 });
  await writeFileAtomic(file(home), JSON.stringify(Settings.parse(settings), null, 2) + '\n', 0o600);
}
