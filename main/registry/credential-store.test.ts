import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { CredentialStore, type SecretBox } from './credential-store.js';

// In Electron the box is safeStorage, reached from the engine's utility process through the main
// process, so it answers later (a promise). Here it is AES-256-GCM with a key of this test's own,
// answering after a macrotask as the port does.
function portLikeBox(): SecretBox {
  const key = crypto.randomBytes(32);
  const later = <T>(value: () => T) => new Promise<T>((resolve, reject) => setImmediate(() => (async () => value())().then(resolve, reject)));
  return {
    backend: 'os',
    encrypt: (text) =>
      later(() => {
        const iv = crypto.randomBytes(12);
        const cipher = crypto.createCipheriv('aes-256-gcm', key, iv);
        const body = Buffer.concat([cipher.update(text, 'utf8'), cipher.final()]);
        return Buffer.concat([iv, cipher.getAuthTag(), body]);
      }),
    decrypt: (data) =>
      later(() => {
        const decipher = crypto.createDecipheriv('aes-256-gcm', key, data.subarray(0, 12));
        decipher.setAuthTag(data.subarray(12, 28));
        return Buffer.concat([decipher.update(data.subarray(28)), decipher.final()]).toString('utf8');
      }),
  };
}

test('remembered credentials are sealed on disk by an asynchronous box and read back after a restart', async () => {
  const home = await fs.mkdtemp(path.join(os.tmpdir(), 'ferry-credentials-'));
  try {
    const box = portLikeBox();
    await new CredentialStore(home, box).remember('registry.example:5000', { username: 'ci', password: 's3cret-Pa55' });
    const onDisk = await fs.readFile(path.join(home, 'credentials.json'), 'utf8');
    assert.ok(!onDisk.includes('s3cret-Pa55') && !onDisk.includes('[object Promise]'), `credentials.json holds ${onDisk}`);

    const restarted = new CredentialStore(home, box);
    assert.equal(restarted.storage, 'os-keychain');
    assert.deepEqual(await restarted.get('registry.example:5000'), { username: 'ci', password: 's3cret-Pa55' });
    // Sealed with another key (another user or machine): as good as absent.
    assert.equal(await new CredentialStore(home, portLikeBox()).get('registry.example:5000'), null);
  } finally {
    await fs.rm(home, { recursive: true, force: true });
  }
});
