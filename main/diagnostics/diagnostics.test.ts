import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { assertRan, enrol, exportRunbookBundle, ferry, jsonOf, missingTools, passphraseOf, run, tempDir } from '../testing/cli.js';
import { startRegistry, type TestRegistry } from '../testing/registry-server.js';

/** Every form a secret could take in the archive: as typed, base64 (docker's auth), and URL-encoded. */
function formsOf(secret: string): string[] {
  return [secret, Buffer.from(secret).toString('base64'), encodeURIComponent(secret)];
}

test('a folder that does not exist is named before any archive is made, and nothing is written', async () => {
  const work = await tempDir('diagnostics-missing');
  try {
    const out = path.join(work, 'no-such-folder', 'diag.tar.gz');
    const refused = await ferry(path.join(work, 'home'), ['diagnostics', '--out', out]);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /The folder .*no-such-folder does not exist/);
    assert.deepEqual(
      (await fs.readdir(work)).filter((f) => f !== 'home'),
      [],
    );
  } finally {
    await fs.rm(work, { recursive: true, force: true });
  }
});

describe('ferry diagnostics: one archive for support, with no secret in it', async () => {
  const skip = await missingTools(['docker-registry', 'tar']);
  let work: string;
  let home: string;
  let registry: TestRegistry;
  let dockerConfig: string;
  const registryPassword = 'Diag-Registry-Pass-7f3e';
  const wrongPassword = 'Diag-Wrong-Pass-91c2';
  const dockerSecret = 'Diag-Docker-Auth-5d8a';

  before(async () => {
    if (skip) return;
    work = await tempDir('diagnostics');
    home = path.join(work, 'home');
    registry = await startRegistry({ auth: 'htpasswd', users: [{ username: 'ferry', password: registryPassword }] });
    dockerConfig = path.join(work, 'docker');
    await fs.mkdir(dockerConfig);
    await fs.writeFile(
      path.join(dockerConfig, 'config.json'),
      JSON.stringify({ auths: { 'registry.example:5000': { auth: Buffer.from(`someone:${dockerSecret}`).toString('base64') } } }),
    );
    // A person enrolled with a passphrase; a push refused for a wrong password (a failed job and a
    // failure in the ledger); a push that worked with the right one.
    await enrol(home, [{ name: 'Ada', role: 'security officer' }]);
    const bundle = await exportRunbookBundle(work);
    const pub = path.join(work, 'pub.pem');
    assertRan(await ferry(path.join(work, 'exporter'), ['keys', 'export-public', pub]), 'keys export-public');
    const push = (password: string) =>
      ferry(
        home,
        ['import', bundle, '--trust', pub, '--to-registry', `${registry.host}/airgap`, '--plain-http', '--username', 'ferry', '--password-stdin'],
        { DOCKER_CONFIG: dockerConfig },
        `${password}\n`,
      );
    assert.notEqual((await push(wrongPassword)).code, 0);
    assertRan(await push(registryPassword), 'import with the right password');
  });
  after(async () => {
    await registry?.stop();
    if (work) await fs.rm(work, { recursive: true, force: true });
  });

  test('it holds versions, platform, jobs, the ledger head and free space, and with --with-ledger the newest lines', { skip }, async () => {
    const file = path.join(work, 'diag.tar.gz');
    const made = await ferry(home, ['diagnostics', '--out', file, '--with-ledger', '--json'], { DOCKER_CONFIG: dockerConfig, FERRY_TEST_TOKEN: dockerSecret });
    assertRan(made, 'ferry diagnostics');
    const result = jsonOf(made).result;
    assert.equal(result.file, file);
    assert.equal('base64' in result, false, 'the JSON answer names the file, it does not repeat it');
    assert.equal(((await fs.stat(file)).mode & 0o777).toString(8), '600');
    const listed = await run('tar', ['-tzf', file]);
    assert.deepEqual(listed.stdout.trim().split('\n'), [
      'ferry-diagnostics/summary.json',
      'ferry-diagnostics/jobs.json',
      'ferry-diagnostics/recent-failures.json',
      'ferry-diagnostics/ledger-newest.tsv',
    ]);
    const summary = JSON.parse((await run('tar', ['-xzOf', file, 'ferry-diagnostics/summary.json'])).stdout);
    const lines = (await run('tar', ['-xzOf', file, 'ferry-diagnostics/ledger-newest.tsv'])).stdout.trim().split('\n');
    assert.equal(summary.ledger.count, lines.length, 'a small ledger: every line, the head its last');
    assert.equal(Number(lines.at(-1)!.split('\t')[0]), summary.ledger.count);
    assert.match(summary.ledger.head, /^[0-9a-f]{64}$/);
    assert.match(summary.ferry.version, /^\d+\.\d+\.\d+$/);
    assert.equal(summary.node.version, process.version);
    assert.ok(summary.freeSpace.some((f: { folder: string; freeBytes: number }) => f.folder === home && f.freeBytes > 0));
    const failures = JSON.parse((await run('tar', ['-xzOf', file, 'ferry-diagnostics/recent-failures.json'])).stdout);
    assert.ok(
      failures.some((f: { type: string; error?: { code: string } }) => f.type === 'import.rejected' && f.error?.code === 'AUTH'),
      `the push refused for its password is among the recent failures: ${JSON.stringify(failures)}`,
    );

    const withoutLines = path.join(work, 'diag-small.tar.gz');
    assertRan(await ferry(home, ['diagnostics', '--out', withoutLines]), 'ferry diagnostics without lines');
    assert.equal((await run('tar', ['-tzf', withoutLines])).stdout.includes('ledger-newest.tsv'), false, 'no ledger lines unless asked');
  });

  test('no byte of the archive holds a password, a passphrase or docker auth, in any form', { skip }, async () => {
    const file = path.join(work, 'diag.tar.gz');
    const packed = await fs.readFile(file);
    const unpacked = gunzipSync(packed);
    for (const secret of [registryPassword, wrongPassword, dockerSecret, passphraseOf('Ada')]) {
      for (const form of formsOf(secret)) {
        assert.equal(unpacked.includes(form), false, `the archive holds ${secret} (as ${form})`);
        assert.equal(packed.includes(form), false, `the compressed archive holds ${secret} (as ${form})`);
      }
    }
  });
});
