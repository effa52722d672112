import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import { after, test } from 'node:test';
import type { Result } from '../../shared/rpc.js';
import { createDispatcher } from '../rpc/dispatcher.js';
import { ferry, tempDir } from '../testing/cli.js';
import { generateLedger } from '../testing/ledger-generator.js';

const dirs: string[] = [];
after(() => Promise.all(dirs.map((d) => fs.rm(d, { recursive: true, force: true }))));

test("the site sets when a medium's disposition is due: Home follows it, and the change is recorded", async () => {
  const work = await tempDir('disposition-due');
  dirs.push(work);
  const home = path.join(work, 'home');
  // 60 transfers at 20 a working day: media first noted over the last four days or so.
  generateLedger(home, { transfers: 60 });

  const shown = await ferry(home, ['media', 'due-after']);
  assert.equal(shown.code, 0, shown.stderr);
  assert.match(shown.stdout, /due 14 days after/);

  const dispatcher = await createDispatcher({ home, transport: 'browser' });
  try {
    const due = async () => {
      const answer = await dispatcher.handle('ledger.attention', { limit: 200 });
      assert.ok(answer.ok, JSON.stringify(answer));
      return (answer.result as Result<'ledger.attention'>).items.filter((i) => i.kind === 'disposition-due').length;
    };
    assert.equal(await due(), 0, 'nothing is due within 14 days');

    const set = await dispatcher.handle('settings.setDispositionDueDays', { days: 2 });
    assert.deepEqual(set, { ok: true, result: { days: 2 } });
    const dueAfterTwoDays = await due();
    assert.ok(dueAfterTwoDays > 0 && dueAfterTwoDays < 60, `media noted over two days ago are due (${dueAfterTwoDays})`);

    const info = await dispatcher.handle('app.info', {});
    assert.equal(info.ok && (info.result as Result<'app.info'>).dispositionDueDays, 2);
    const recorded = await dispatcher.handle('ledger.list', { type: 'settings.changed', limit: 5 });
    assert.ok(recorded.ok);
    assert.deepEqual(
      (recorded.result as Result<'ledger.list'>).entries.map((e) => e.summary),
      ["A medium's disposition is due 2 days after it is noted"],
    );
    assert.deepEqual(await dispatcher.handle('settings.setDispositionDueDays', { days: 0 }).then((a) => a.ok), false);
  } finally {
    await dispatcher.close();
  }

  const again = await ferry(home, ['media', 'due-after', '30', '--json']);
  assert.equal(again.code, 0, again.stderr);
  assert.deepEqual(JSON.parse(again.stdout), { ok: true, result: { days: 30 } });
  const refused = await ferry(home, ['media', 'due-after', '0']);
  assert.equal(refused.code, 2);
  assert.match(refused.stderr, /DAYS "0": give a whole number of days, 1 to 3650/);
});
