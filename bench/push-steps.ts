import fsp from 'node:fs/promises';
import path from 'node:path';
import { makeOllamaStore } from '../main/testing/ollama-fixture.js';
import { startRegistry, type TestRegistry } from '../main/testing/registry-server.js';
import { assertStored } from './registry-check.js';
import { makeOciLayout, readPeakRssMB, readThrough, run, runFerry, StepError, timed } from './support.js';

/**
 * The push bench's fixture and its timed steps: ferry verify, ferry import --to-registry, a curl
 * upload and skopeo copy, each against a fresh docker-registry and checked to have stored the blob.
 */

const REPO = 'bench';

/** The `ferry import` flags the bench passes through. */
export interface ImportFlags {
  chunkSize?: string;
  concurrency?: string;
}

export interface Fixture {
  dir: string;
  bundle: string;
  signerPub: string;
  importHome: string;
  blob: string;
  digest: string;
  bytes: number;
  layout: string;
}

/** Registries started and not yet stopped, so a signal can stop them. */
export const registries = new Set<TestRegistry>();

/** Runs `ferry ARGV` with FERRY_HOME=home in a child that records its peak RSS; returns it in MB. */
async function ferry(home: string, rssFile: string, argv: string[]): Promise<number> {
  await runFerry(home, rssFile, argv);
  return readPeakRssMB(rssFile);
}

async function readThroughDir(dir: string): Promise<void> {
  for (const entry of await fsp.readdir(dir, { withFileTypes: true })) {
    if (entry.isFile()) await readThrough(path.join(dir, entry.name));
  }
}

/** Starts a fresh registry storing under `storage`, runs `use`, then stops it and removes its storage. */
export async function withRegistry<T>(storage: string, use: (registry: TestRegistry) => Promise<T>): Promise<T> {
  const registry = await startRegistry({ storage });
  registries.add(registry);
  try {
    return await use(registry);
  } finally {
    await registry.stop();
    registries.delete(registry);
    await fsp.rm(storage, { recursive: true, force: true });
  }
}

/** The store, a bundle exported from it by one site, and a second site's FERRY_HOME to import with. */
export async function buildFixture(work: string, bytes: number, withSkopeo: boolean): Promise<Fixture> {
  const dir = path.join(work, 'fixture');
  const store = path.join(dir, 'store');
  const bundle = path.join(dir, 'bundle');
  const importHome = path.join(dir, 'import-home');
  const name = 'granite4.1:8b';
  const { models } = await makeOllamaStore(store, [{ name, modelBytes: bytes }]);
  const digest = models[0]!.blobs[1]!; // the config comes first, then the model layer
  const blob = path.join(store, 'blobs', digest.replace('sha256:', 'sha256-'));
  const rss = path.join(dir, 'rss.json');
  await ferry(path.join(dir, 'export-home'), rss, ['export', '--out', bundle, '--ollama-store', store, '--ollama', name, '--volume-size', '4GiB']);
  // Creates the importing site's key now, so no timed step pays for it.
  await ferry(importHome, rss, ['keys', 'show']);
  const layout = path.join(dir, 'oci');
  if (withSkopeo) await makeOciLayout(layout, blob, digest, bytes);
  return { dir, bundle, signerPub: path.join(dir, 'export-home', 'keys', 'site.pub.pem'), importHome, blob, digest, bytes, layout };
}

export async function timeVerify(f: Fixture): Promise<{ seconds: number; rssMB: number }> {
  await readThroughDir(f.bundle);
  let rssMB = 0;
  const seconds = await timed(
    async () => (rssMB = await ferry(f.importHome, path.join(f.dir, 'rss.json'), ['verify', f.bundle, '--trust', f.signerPub])),
    'until-exit',
  );
  return { seconds, rssMB };
}

export async function timeImport(f: Fixture, registry: TestRegistry, o: ImportFlags): Promise<{ seconds: number; rssMB: number }> {
  const argv = ['import', f.bundle, '--trust', f.signerPub, '--to-registry', `${registry.host}/${REPO}`, '--plain-http'];
  if (o.chunkSize) argv.push('--chunk-size', o.chunkSize);
  if (o.concurrency) argv.push('--concurrency', o.concurrency);
  await readThroughDir(f.bundle);
  let rssMB = 0;
  const seconds = await timed(async () => (rssMB = await ferry(f.importHome, path.join(f.dir, 'rss.json'), argv)), 'until-exit');
  await assertStored(registry, f.digest, f.bytes, 'ferry import');
  return { seconds, rssMB };
}

/** POST for an upload session, then the whole blob in one PUT ?digest=. */
async function curlUpload(registry: TestRegistry, f: Fixture): Promise<void> {
  const headers = await run('curl', ['-sSf', '-X', 'POST', '-D', '-', '-o', '/dev/null', `${registry.url}/v2/${REPO}/blobs/uploads/`]);
  const location = /^location:\s*(\S+)/im.exec(headers)?.[1];
  if (!location) throw new StepError(`curl: the registry answered the POST without a Location:\n${headers.trim()}`);
  const url = new URL(location, registry.url).href;
  // -T streams the file; --data-binary @FILE would first read the whole blob into curl's memory.
  // 'Expect:' drops curl's 100-continue handshake so no round trip is spent waiting for it.
  await run('curl', [
    '-sSf',
    '-T',
    f.blob,
    '-H',
    'Content-Type: application/octet-stream',
    '-H',
    'Expect:',
    `${url}${url.includes('?') ? '&' : '?'}digest=${f.digest}`,
  ]);
}

export async function timeCurl(f: Fixture, registry: TestRegistry): Promise<number> {
  await readThrough(f.blob);
  const seconds = await timed(() => curlUpload(registry, f), 'until-exit');
  await assertStored(registry, f.digest, f.bytes, 'curl');
  return seconds;
}

export async function timeSkopeo(f: Fixture, registry: TestRegistry): Promise<number> {
  await readThrough(f.blob);
  // --preserve-digests: otherwise skopeo gzips the uncompressed layer on the way (a different blob).
  // --insecure-policy: do not depend on the machine's /etc/containers/policy.json.
  const args = [
    'copy',
    '--quiet',
    '--insecure-policy',
    '--preserve-digests',
    '--dest-tls-verify=false',
    `oci:${f.layout}:bench`,
    `docker://${registry.host}/${REPO}/skopeo:bench`,
  ];
  const tmp = path.join(f.dir, 'tmp');
  await fsp.mkdir(tmp, { recursive: true });
  const seconds = await timed(() => run('skopeo', args, { ...process.env, TMPDIR: tmp }), 'until-exit');
  await fsp.rm(tmp, { recursive: true, force: true });
  await assertStored(registry, f.digest, f.bytes, 'skopeo');
  return seconds;
}
