import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { FerryError } from '../util/errors.js';
import { missingTools } from '../testing/cli.js';
import { tarCorpus } from '../testing/tar-corpus.js';
import { gnuTarRead, tarStreamRead, type SeenEntry } from '../testing/tar-readers.js';
import { listTar } from './tar-list.js';

const skip = await missingTools(['tar']);

/** Ferry's listing in the readers' shape; a refusal must be an INTEGRITY FerryError. */
async function ferryRead(stream: Buffer): Promise<{ ok: true; entries: SeenEntry[] } | { ok: false; error: string }> {
  try {
    const entries = await listTar(stream, 'the test archive');
    return {
      ok: true,
      entries: entries.map((e) => ({ name: e.name, type: 'file', size: e.size, sha256: e.sha256 })).sort((a, b) => (a.name < b.name ? -1 : 1)),
    };
  } catch (err) {
    assert.ok(err instanceof FerryError && err.code === 'INTEGRITY', `a refusal is INTEGRITY, got ${String(err)}`);
    return { ok: false, error: err.message };
  }
}

describe('the tar differential corpus: Ferry refuses it, or Ferry, GNU tar and tar-stream see the same files', { skip }, () => {
  for (const c of tarCorpus()) {
    test(`${c.expect}: ${c.name}`, async () => {
      const ferry = await ferryRead(c.stream);
      if (c.expect === 'refuse') {
        assert.equal(ferry.ok, false, `Ferry accepted it and listed ${JSON.stringify(ferry.ok && ferry.entries)}`);
        assert.match((ferry as { error: string }).error, /^the test archive is not a tar stream Ferry reads: .+ \(at byte \d+\)\.$/);
        return;
      }
      assert.ok(ferry.ok, `Ferry refused it: ${!ferry.ok && ferry.error}`);
      assert.ok(ferry.entries.length > 0);
      assert.deepEqual(await gnuTarRead(c.stream), ferry, 'GNU tar -x');
      assert.deepEqual(await tarStreamRead(c.stream), ferry, 'tar-stream extract');
    });
  }

  test('wherever GNU tar and tar-stream both read a case but see different files, Ferry refuses it', async () => {
    for (const c of tarCorpus()) {
      const [gnu, ts] = [await gnuTarRead(c.stream), await tarStreamRead(c.stream)];
      if (gnu.ok && ts.ok && JSON.stringify(gnu.entries) !== JSON.stringify(ts.entries))
        assert.equal(c.expect, 'refuse', `${c.name}: GNU tar and tar-stream disagree`);
    }
  });
});
