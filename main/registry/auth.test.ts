import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { missingTools, ferry, FERRY_BIN, run, tempDir } from '../testing/cli.js';
import { makeImageLayout, skopeoCopy, skopeoInspectRaw, type ImageLayout } from '../testing/oci-fixture.js';
import { startRegistry, type TestRegistry } from '../testing/registry-server.js';

const sha256 = (bytes: Uint8Array) => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
const USER = 'ferry';
const PASSWORD = 's3cret-pass';

/** A ferry run with the password on stdin, as an operator types it. */
function ferryWithPassword(home: string, args: string[], password: string, env: NodeJS.ProcessEnv = {}) {
  return run(process.execPath, [FERRY_BIN, ...args, '--username', USER, '--password-stdin'], {
    env: { FERRY_HOME: home, FERRY_OPERATOR: 'Test Operator', DOCKER_CONFIG: path.join(home, 'no-docker'), ...env },
    input: `${password}\n`,
  });
}

describe('registry authentication: htpasswd Basic, token, docker config and credential helpers', async () => {
  const skip = await missingTools(['docker-registry', 'skopeo']);
  let work: string;
  let basic: TestRegistry;
  let token: TestRegistry;
  let image: ImageLayout;
  let pubA: string;
  const creds = `${USER}:${PASSWORD}`;

  before(async () => {
    if (skip) return;
    work = await tempDir('auth');
    [basic, token] = await Promise.all([startRegistry({ auth: 'htpasswd' }), startRegistry({ auth: 'token' })]);
    image = await makeImageLayout(path.join(work, 'image'), {
      tag: 'v1',
      platforms: [{ os: 'linux', architecture: 'amd64' }],
      layerSizes: [40_000, 12 * 1024 * 1024],
    });
    await skopeoCopy(`oci:${image.dir}:v1`, `docker://${basic.host}/team/app:v1`, { creds });
    await skopeoCopy(`oci:${image.dir}:v1`, `docker://${token.host}/team/app:v1`, { creds });
    pubA = path.join(work, 'a.pub.pem');
    assert.equal((await ferry(path.join(work, 'home-a'), ['keys', 'export-public', pubA])).code, 0);
  });
  after(async () => {
    await Promise.all([basic?.stop(), token?.stop()]);
    if (work) await fs.rm(work, { recursive: true, force: true });
  });

  test('htpasswd: refused without credentials and with a wrong password; works with --password-stdin', { skip }, async () => {
    const home = path.join(work, 'home-a');
    const ref = `${basic.host}/team/app:v1`;
    let result = await ferry(home, ['export', '--out', path.join(work, 'b-none'), '--plain-http', '--image', ref], { DOCKER_CONFIG: path.join(work, 'empty') });
    assert.equal(result.code, 1);
    assert.match(
      result.stderr,
      new RegExp(`${basic.host} needs a username and password, and none were found\\. Log in with docker login, or give --username and --password-stdin`),
    );
    result = await ferryWithPassword(home, ['export', '--out', path.join(work, 'b-wrong'), '--plain-http', '--image', ref], 'not-it');
    assert.equal(result.code, 1);
    assert.match(result.stderr, /refused the credentials/);
    assert.doesNotMatch(result.stderr + result.stdout, /not-it/, 'the password is never echoed');
    result = await ferryWithPassword(home, ['export', '--out', path.join(work, 'b-basic'), '--plain-http', '--image', ref], PASSWORD);
    assert.equal(result.code, 0, result.stderr);
    const ledger = await ferry(home, ['ledger', 'show', '--json']);
    assert.doesNotMatch(ledger.stdout, new RegExp(PASSWORD), 'the ledger never holds the password');
  });

  test('docker config: auths entries and credential helpers are used, helpers override auths', { skip }, async () => {
    const home = path.join(work, 'home-a');
    const dockerDir = path.join(work, 'docker');
    const bin = path.join(work, 'bin');
    await fs.mkdir(dockerDir, { recursive: true });
    await fs.mkdir(bin, { recursive: true });
    const auth = Buffer.from(creds).toString('base64');
    await fs.writeFile(path.join(dockerDir, 'config.json'), JSON.stringify({ auths: { [basic.host]: { auth } } }));
    let result = await ferry(home, ['export', '--out', path.join(work, 'b-config'), '--plain-http', '--image', `${basic.host}/team/app:v1`], {
      DOCKER_CONFIG: dockerDir,
    });
    assert.equal(result.code, 0, result.stderr);

    // A helper that logs what it was asked and answers the right password; the config's auths entry is wrong.
    const asked = path.join(work, 'helper-asked.txt');
    await fs.writeFile(
      path.join(bin, 'docker-credential-ferrytest'),
      `#!/bin/sh\n[ "$1" = get ] || exit 1\ncat > "${asked}"\necho '{"ServerURL":"x","Username":"${USER}","Secret":"${PASSWORD}"}'\n`,
      { mode: 0o755 },
    );
    const wrong = Buffer.from(`${USER}:wrong`).toString('base64');
    await fs.writeFile(
      path.join(dockerDir, 'config.json'),
      JSON.stringify({ auths: { [basic.host]: { auth: wrong } }, credHelpers: { [basic.host]: 'ferrytest' } }),
    );
    result = await ferry(home, ['export', '--out', path.join(work, 'b-helper'), '--plain-http', '--image', `${basic.host}/team/app:v1`], {
      DOCKER_CONFIG: dockerDir,
      PATH: `${bin}:${process.env.PATH}`,
    });
    assert.equal(result.code, 0, result.stderr);
    assert.equal(await fs.readFile(asked, 'utf8'), basic.host, 'the helper was asked for this registry');

    await fs.writeFile(path.join(dockerDir, 'config.json'), JSON.stringify({ credsStore: 'absent-helper' }));
    result = await ferry(home, ['export', '--out', path.join(work, 'b-absent'), '--plain-http', '--image', `${basic.host}/team/app:v1`], {
      DOCKER_CONFIG: dockerDir,
    });
    assert.equal(result.code, 1);
    assert.match(result.stderr, /docker-credential-absent-helper could not run/);
  });

  test('token auth: pull and chunked push with few token requests, and the pushed image reads back byte-exact', { skip }, async () => {
    const home = path.join(work, 'home-a');
    const bundle = path.join(work, 'b-token');
    let result = await ferryWithPassword(home, ['export', '--out', bundle, '--plain-http', '--image', `${token.host}/team/app:v1`], PASSWORD);
    assert.equal(result.code, 0, result.stderr);
    const pullTokens = token.tokens!.requests.length;
    assert.ok(pullTokens >= 1 && pullTokens <= 3, `a token is reused across manifest and blob requests (${pullTokens} fetched)`);

    const before = token.tokens!.requests.length;
    result = await ferryWithPassword(
      path.join(work, 'home-b'),
      ['import', bundle, '--trust', pubA, '--to-registry', `${token.host}/airgap`, '--plain-http', '--chunk-size', '1MiB'],
      PASSWORD,
    );
    assert.equal(result.code, 0, result.stderr);
    const pushTokens = token.tokens!.requests.slice(before);
    assert.ok(pushTokens.length <= 3, `12 chunks, 3 blobs and 2 manifests need at most a few tokens, not one each (${pushTokens.length} fetched)`);
    assert.ok(pushTokens.every((r) => r.user === USER));
    assert.ok(pushTokens.some((r) => r.scope.includes('repository:airgap/team/app:pull,push')));
    assert.equal(sha256(await skopeoInspectRaw(`docker://${token.host}/airgap/team/app:v1`, creds)), image.indexDigest);

    result = await ferryWithPassword(
      path.join(work, 'home-b'),
      ['import', bundle, '--trust', pubA, '--to-registry', `${token.host}/airgap2`, '--plain-http'],
      'wrong',
    );
    assert.equal(result.code, 1);
    assert.match(result.stderr, /token service of .* refused the credentials for ferry/);
  });
});
