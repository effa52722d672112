import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { DISC_RESERVE } from '../../shared/media.js';
import { assertRan, ferry, jsonOf, run, tempDir } from '../testing/cli.js';

describe('ferry export --layout discs: one folder per disc, each checkable alone (#16 item 4)', () => {
  let work: string;
  let home: string;
  let payload: string;
  let out: string;

  before(async () => {
    work = await tempDir('disc-layout');
    home = path.join(work, 'site-a');
    payload = path.join(work, 'weights.bin');
    await fs.writeFile(payload, Buffer.alloc(3 * 1024 * 1024 + 12_345, 9));
    out = path.join(work, 'burn', 'weights');
  });
  after(() => fs.rm(work, { recursive: true, force: true }));

  test('the bundle folder holds disc-01…disc-NN, each with one volume and the signed metadata; each checks alone with sha256sum and openssl', async () => {
    const exported = await ferry(home, ['export', '--out', out, '--file', payload, '--volume-size', '1MiB', '--layout', 'discs', '--json']);
    assertRan(exported, 'export');
    const result = jsonOf(exported).result;
    const volumes = result.volumes.map((v: { file: string }) => v.file);
    assert.equal(volumes.length, 4);
    assert.deepEqual(
      result.discs.map((d: { folder: string; volumes: string[] }) => [d.folder, d.volumes]),
      volumes.map((v: string, i: number) => [`disc-0${i + 1}`, [v]]),
    );
    assert.deepEqual((await fs.readdir(out)).sort(), ['disc-01', 'disc-02', 'disc-03', 'disc-04'], 'nothing else beside the discs');
    for (const [i, disc] of result.discs.entries()) {
      const dir = path.join(out, disc.folder);
      assert.deepEqual((await fs.readdir(dir)).sort(), ['BUNDLE.json', 'SHA256SUMS', 'SHA256SUMS.sig', 'VERIFY.txt', volumes[i], 'signer.pub.pem'].sort());
      assertRan(await run('sha256sum', ['-c', '--ignore-missing', 'SHA256SUMS'], { cwd: dir }), `sha256sum on ${disc.folder}`);
      const signature = await run(
        'sh',
        ['-c', 'base64 -d SHA256SUMS.sig > sig.der && openssl dgst -sha256 -verify signer.pub.pem -signature sig.der SHA256SUMS; rm -f sig.der'],
        {
          cwd: dir,
        },
      );
      assertRan(signature, `openssl on ${disc.folder}`);
      assert.match(signature.stdout, /Verified OK/);
    }
    const completed = jsonOf(await ferry(home, ['ledger', 'show', '--type', 'export.completed', '--json'])).result.entries[0].event;
    assert.deepEqual(
      completed.discs,
      result.discs.map((d: { folder: string; volumes: string[] }) => ({ folder: d.folder, volumes: d.volumes })),
    );
  });

  test('the discs stage in reverse order and import byte-exact', async () => {
    const importer = path.join(work, 'site-b');
    const staging = path.join(work, 'staging');
    const pub = path.join(work, 'a.pub.pem');
    assertRan(await ferry(home, ['keys', 'export-public', pub]), 'export the key');
    for (const disc of ['disc-04', 'disc-03', 'disc-02', 'disc-01']) {
      assertRan(
        await ferry(importer, ['stage', '--from', path.join(out, disc), '--to', staging, '--trust', pub, '--media-id', disc.toUpperCase()]),
        `stage ${disc}`,
      );
    }
    const restored = path.join(work, 'restored');
    assertRan(await ferry(importer, ['import', staging, '--trust', pub, '--to-dir', restored]), 'import');
    assert.ok((await fs.readFile(path.join(restored, 'weights.bin'))).equals(await fs.readFile(payload)));
  });

  test('a disc preset leaves room on each disc for the metadata; the disc layout needs a disc size', async () => {
    const dvd = path.join(work, 'burn', 'dvd');
    assertRan(await ferry(home, ['export', '--out', dvd, '--file', payload, '--volume-size', 'dvd', '--layout', 'discs']), 'dvd');
    const index = JSON.parse(await fs.readFile(path.join(dvd, 'disc-01', 'BUNDLE.json'), 'utf8'));
    assert.equal(index.volumeSize, 4_700_000_000 - DISC_RESERVE);
    const usb = await ferry(home, ['export', '--out', path.join(work, 'burn', 'usb'), '--file', payload, '--volume-size', 'usb', '--layout', 'discs']);
    assert.equal(usb.code, 2);
    assert.match(usb.stderr, /--layout discs needs the disc's size/);
    const wrong = await ferry(home, ['export', '--out', path.join(work, 'burn', 'x'), '--file', payload, '--layout', 'spiral']);
    assert.equal(wrong.code, 2);
  });
});
