import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { FERRY_BIN, ferry, run, tempDir } from '../testing/cli.js';

const modeOf = async (file: string) => ((await fs.stat(file)).mode & 0o777).toString(8);

async function assertOwnerOnly(home: string): Promise<void> {
  assert.equal(await modeOf(home), '700', 'FERRY_HOME');
  assert.equal(await modeOf(path.join(home, 'keys')), '700', 'keys/');
  for (const file of ['ledger.sqlite', 'ledger.sqlite-wal', 'ledger.sqlite-shm', 'keys/site-key.pem', 'keys/site.pub.pem']) {
    const exists = await fs.stat(path.join(home, file)).then(
      () => true,
      () => false,
    );
    if (file === 'ledger.sqlite' || file.startsWith('keys/')) assert.ok(exists, `${file} exists`);
    if (exists) assert.equal(await modeOf(path.join(home, file)), '600', file);
  }
}

test('a new FERRY_HOME, its ledger (with -wal/-shm) and its key files are owner-only, whatever the umask', { skip: process.platform === 'win32' }, async () => {
  const work = await tempDir('home-modes');
  try {
    const home = path.join(work, 'home');
    // A permissive umask, as on a shared machine: the modes must not depend on it.
    const result = await run('sh', ['-c', 'umask 000 && exec "$0" "$1" ledger verify', process.execPath, FERRY_BIN], {
      env: { FERRY_HOME: home, FERRY_OPERATOR: 'Test Operator' },
    });
    assert.equal(result.code, 0, result.stderr);
    await assertOwnerOnly(home);
  } finally {
    await fs.rm(work, { recursive: true, force: true });
  }
});

test('an existing FERRY_HOME with looser modes is tightened when Ferry opens it', { skip: process.platform === 'win32' }, async () => {
  const work = await tempDir('home-modes');
  try {
    const home = path.join(work, 'home');
    assert.equal((await ferry(home, ['ledger', 'verify'])).code, 0);
    await fs.chmod(home, 0o755);
    await fs.chmod(path.join(home, 'keys'), 0o755);
    for (const file of ['ledger.sqlite', 'keys/site-key.pem', 'keys/site.pub.pem']) await fs.chmod(path.join(home, file), 0o644);
    await fs.writeFile(path.join(home, 'ledger.sqlite-wal'), '', { mode: 0o666 });
    await fs.chmod(path.join(home, 'ledger.sqlite-wal'), 0o666);
    const result = await ferry(home, ['ledger', 'verify']);
    assert.equal(result.code, 0, result.stderr);
    await assertOwnerOnly(home);
  } finally {
    await fs.rm(work, { recursive: true, force: true });
  }
});
