import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { MessageChannel } from 'node:worker_threads';
import type { SecretBox } from '../main/registry/credential-store.js';
import { missingTools, tempDir } from '../main/testing/cli.js';
import { DEFAULT_USERS, startRegistry } from '../main/testing/registry-server.js';
import type { RpcEvent } from '../shared/rpc.js';
import { linkToEngine, type EngineLink, type ShellServices } from './engine-link.js';
import { serveEngine } from './engine-service.js';
import { nodeFramePort } from './port-protocol.js';

// The desktop app's two processes without Electron: the engine's side (app/engine-service.ts, with
// the real dispatcher on a FERRY_HOME of its own) and the main process's side (app/engine-link.ts)
// over a worker_threads MessageChannel, as the utility process and the main process talk over
// theirs. The "native dialog" is the main process's ShellServices, answering a folder of the test.

describe('the engine behind the port, as the desktop app runs it', () => {
  let work: string;
  let usb: string;
  let link: EngineLink;
  const dialogTitles: string[] = [];
  const events: RpcEvent[] = [];

  const call = async (method: string, params: unknown = {}) => {
    const answer = await link.handle(method, params);
    assert.ok(answer.ok, `${method}: ${answer.ok ? '' : `${answer.error.code} ${answer.error.message}`}`);
    return answer.result as Record<string, unknown>;
  };

  before(async () => {
    work = await tempDir('engine-link');
    usb = path.join(work, 'usb');
    await fs.mkdir(usb);
    const channel = new MessageChannel();
    serveEngine(nodeFramePort(channel.port1));
    link = linkToEngine(nodeFramePort(channel.port2), {
      pickFolder: async (title) => {
        dialogTitles.push(title);
        return usb;
      },
      pickFiles: async () => [],
      printToPdf: async () => null,
      secretBox: null,
    });
    link.onEvent((event) => events.push(event));
    await link.open(path.join(work, 'home'));
  });

  after(async () => {
    await link.close().catch(() => undefined);
    await fs.rm(work, { recursive: true, force: true });
  });

  test('the engine answers as the desktop app: native dialogs, paths granted by them', async () => {
    const info = await call('app.info');
    assert.equal(info.transport, 'electron');
    assert.equal(info.nativeDialogs, true);
  });

  test('a folder the main process did not hand out is refused; the one its dialog answered is granted in the engine', async () => {
    const refused = await link.handle('fs.mkdir', { parent: usb, name: 'before' });
    assert.equal(refused.ok, false);
    assert.match(refused.ok ? '' : refused.error.message, /was not chosen with Ferry's file and folder picker/);

    assert.deepEqual(await call('dialog.pickFolder', { title: 'Where to write the bundle', purpose: 'export-destination' }), { path: usb });
    assert.deepEqual(dialogTitles, ['Where to write the bundle']);
    assert.deepEqual(await call('fs.mkdir', { parent: usb, name: 'after' }), { path: path.join(usb, 'after') });
    assert.ok((await fs.stat(path.join(usb, 'after'))).isDirectory());
  });

  test('a ledger line written in the engine reaches the main process as ledger.appended', async () => {
    await call('settings.setDispositionDueDays', { days: 45 });
    const deadline = Date.now() + 5_000;
    while (!events.some((event) => event.event === 'ledger.appended') && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    const appended = events.find((event) => event.event === 'ledger.appended');
    assert.ok(appended, `events: ${JSON.stringify(events)}`);
    assert.equal((appended.data as { count: number }).count > 0, true);
  });

  test('after close every call answers an error envelope, not a hang', async () => {
    await link.close();
    const answer = await link.handle('app.ping', {});
    assert.equal(answer.ok, false);
    assert.equal(answer.ok ? '' : answer.error.code, 'INTERNAL');
  });
});

test('an engine that cannot open answers the open request with its error', async () => {
  const work = await tempDir('engine-link-open');
  try {
    const notAFolder = path.join(work, 'a-file');
    await fs.writeFile(notAFolder, 'not a FERRY_HOME');
    const channel = new MessageChannel();
    serveEngine(nodeFramePort(channel.port1));
    const link = linkToEngine(nodeFramePort(channel.port2), {
      pickFolder: async () => null,
      pickFiles: async () => [],
      printToPdf: async () => null,
      secretBox: null,
    });
    await assert.rejects(link.open(notAFolder), { name: 'FerryError' });
    link.fail('test over');
  } finally {
    await fs.rm(work, { recursive: true, force: true });
  }
});

/** The engine's end and the main process's end of a fresh MessageChannel, opened on `home`. */
async function openLinked(home: string, services: Partial<ShellServices>): Promise<EngineLink> {
  const channel = new MessageChannel();
  serveEngine(nodeFramePort(channel.port1));
  const link = linkToEngine(nodeFramePort(channel.port2), {
    pickFolder: async () => null,
    pickFiles: async () => [],
    printToPdf: async () => null,
    secretBox: null,
    ...services,
  });
  await link.open(home);
  return link;
}

test('remembered registry credentials are sealed and opened by safeStorage in the main process, across the port', async (t) => {
  const skip = await missingTools(['docker-registry']);
  if (skip) return t.skip(skip);
  const work = await tempDir('engine-link-secrets');
  const registry = await startRegistry({ auth: 'htpasswd' });
  try {
    // Stands in for safeStorage in the main process: it records what it sealed and opened.
    const calls: string[] = [];
    const box: SecretBox = {
      backend: 'os',
      encrypt: async (text) => {
        calls.push('encrypt');
        return Buffer.from(`sealed by the main process:${text}`);
      },
      decrypt: async (data) => {
        calls.push('decrypt');
        const text = data.toString();
        if (!text.startsWith('sealed by the main process:')) throw new Error('not sealed here');
        return text.slice('sealed by the main process:'.length);
      },
    };
    const home = path.join(work, 'home');
    const user = DEFAULT_USERS[0]!;
    const access = { plainHttp: true };

    const first = await openLinked(home, { secretBox: box });
    const tested = await first.handle('registry.test', { target: registry.host, access, login: user, remember: true });
    await first.close();
    assert.ok(tested.ok, tested.ok ? '' : tested.error.message);
    assert.equal((tested.result as { storage: string }).storage, 'os-keychain');
    const sealed = JSON.parse(await fs.readFile(path.join(home, 'credentials.json'), 'utf8')) as Record<string, string>;
    assert.match(Buffer.from(sealed[registry.host]!, 'base64').toString(), /^sealed by the main process:/);

    // A restart: a new engine finds the credentials only by asking the main process to open them.
    const second = await openLinked(home, { secretBox: box });
    const again = await second.handle('registry.test', { target: registry.host, access });
    await second.close();
    assert.ok(again.ok, again.ok ? '' : again.error.message);
    const { authenticated, credentials } = again.result as { authenticated: boolean; credentials: string };
    assert.deepEqual({ authenticated, credentials }, { authenticated: true, credentials: 'remembered' });
    assert.deepEqual(calls, ['encrypt', 'decrypt']);
  } finally {
    await registry.stop();
    await fs.rm(work, { recursive: true, force: true });
  }
});
