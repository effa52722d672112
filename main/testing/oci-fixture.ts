/**
 * OCI image layouts on disk (images with real tar layers, and Helm chart artifacts), and skopeo
 * wrappers to push and inspect them against a test registry.
 */
import { spawn } from 'node:child_process';
import { createCipheriv, createHash, type Hash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

export const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
export const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
export const OCI_CONFIG = 'application/vnd.oci.image.config.v1+json';
export const OCI_LAYER_TAR = 'application/vnd.oci.image.layer.v1.tar';
export const HELM_CONFIG = 'application/vnd.cncf.helm.config.v1+json';
export const HELM_CHART = 'application/vnd.cncf.helm.chart.content.v1.tar+gzip';
const REF_NAME = 'org.opencontainers.image.ref.name';

export interface Platform {
  os: string;
  architecture: string;
  variant?: string;
}

export interface Descriptor {
  digest: string;
  size: number;
}

export interface FixtureManifest {
  platform: Platform;
  digest: string;
  size: number;
  configDigest: string;
  layers: Descriptor[];
}

export interface ImageLayout {
  dir: string;
  /** What the tag points at: the image index with several platforms, else the single manifest. */
  indexDigest: string;
  /** Media type of that top-level blob (OCI_INDEX or OCI_MANIFEST). */
  mediaType: string;
  manifests: FixtureManifest[];
}

export interface ImageLayoutOptions {
  tag: string;
  platforms: Platform[];
  /** Size of the one file inside each layer tar; default [4096, 32768]. */
  layerSizes?: number[];
  /** Same seed, same bytes; default 'ferry-fixture'. */
  seed?: string;
  /** The image config's labels (e.g. org.opencontainers.image.licenses). */
  labels?: Record<string, string>;
}

export interface HelmChartLayout {
  dir: string;
  manifestDigest: string;
  manifestSize: number;
  configDigest: string;
  chartDigest: string;
  chartSize: number;
}

const FIXED_MTIME = 1_700_000_000; // 2023-11-14: keeps tars and configs byte-for-byte reproducible
const FIXED_CREATED = new Date(FIXED_MTIME * 1000).toISOString();
const CHUNK = 1 << 20;

function sha256(data: Buffer): string {
  return `sha256:${createHash('sha256').update(data).digest('hex')}`;
}

function blobPath(dir: string, digest: string): string {
  return path.join(dir, 'blobs', 'sha256', digest.slice('sha256:'.length));
}

async function writeBlob(dir: string, data: Buffer): Promise<Descriptor> {
  const digest = sha256(data);
  await fs.mkdir(path.join(dir, 'blobs', 'sha256'), { recursive: true });
  await fs.writeFile(blobPath(dir, digest), data);
  return { digest, size: data.length };
}

async function writeJsonBlob(dir: string, value: unknown): Promise<Descriptor> {
  return writeBlob(dir, Buffer.from(JSON.stringify(value)));
}

/** A POSIX ustar header for one regular file. */
function tarHeader(name: string, size: number, mode = 0o644): Buffer {
  if (Buffer.byteLength(name) > 100) throw new Error(`tar entry name too long: ${name}`);
  const header = Buffer.alloc(512);
  const octal = (value: number, width: number): string => value.toString(8).padStart(width - 1, '0') + '\0';
  header.write(name, 0, 100, 'utf8');
  header.write(octal(mode, 8), 100, 'ascii');
  header.write(octal(0, 8), 108, 'ascii'); // uid
  header.write(octal(0, 8), 116, 'ascii'); // gid
  header.write(octal(size, 12), 124, 'ascii'); // sizes up to 8 GiB fit in 11 octal digits
  header.write(octal(FIXED_MTIME, 12), 136, 'ascii');
  header.write('        ', 148, 'ascii'); // checksum field counts as spaces while summing
  header.write('0', 156, 'ascii'); // regular file
  header.write('ustar\0', 257, 'ascii');
  header.write('00', 263, 'ascii');
  header.write('root', 265, 'ascii');
  header.write('root', 297, 'ascii');
  let sum = 0;
  for (const byte of header) sum += byte;
  header.write(sum.toString(8).padStart(6, '0') + '\0 ', 148, 'ascii');
  return header;
}

function tarPadding(size: number): Buffer {
  return Buffer.alloc((512 - (size % 512)) % 512);
}

/** Two zero blocks end an archive. */
const TAR_END = Buffer.alloc(1024);

/** A whole in-memory tar of small files (for chart archives). */
function tarOf(files: Array<{ name: string; data: Buffer }>): Buffer {
  const parts: Buffer[] = [];
  for (const f of files) parts.push(tarHeader(f.name, f.data.length), f.data, tarPadding(f.data.length));
  parts.push(TAR_END);
  return Buffer.concat(parts);
}

/**
 * Writes an uncompressed layer tar holding one file of `size` deterministic pseudo-random bytes
 * (AES-CTR keystream of the seed: fast even for hundreds of MB), streaming and hashing as it goes.
 */
async function writeRandomLayer(dir: string, fileName: string, size: number, seed: string): Promise<Descriptor> {
  const key = createHash('sha256').update(seed).digest();
  const cipher = createCipheriv('aes-256-ctr', key, Buffer.alloc(16));
  const hash: Hash = createHash('sha256');
  await fs.mkdir(path.join(dir, 'blobs', 'sha256'), { recursive: true });
  const tmp = path.join(dir, 'blobs', 'sha256', `.tmp-${process.pid}-${Math.random().toString(36).slice(2)}`);
  const handle = await fs.open(tmp, 'w');
  let total = 0;
  const put = async (data: Buffer): Promise<void> => {
    hash.update(data);
    total += data.length;
    await handle.write(data);
  };
  try {
    await put(tarHeader(fileName, size));
    const zeros = Buffer.alloc(Math.min(CHUNK, Math.max(size, 1)));
    for (let left = size; left > 0; left -= CHUNK) {
      const n = Math.min(CHUNK, left);
      await put(cipher.update(zeros.subarray(0, n)));
    }
    await put(tarPadding(size));
    await put(TAR_END);
  } finally {
    await handle.close();
  }
  const digest = `sha256:${hash.digest('hex')}`;
  await fs.rename(tmp, blobPath(dir, digest));
  return { digest, size: total };
}

/** Adds (or replaces) the tag in the layout's index.json, so several tags can share one layout. */
async function tagInLayout(dir: string, tag: string, mediaType: string, target: Descriptor): Promise<void> {
  await fs.writeFile(path.join(dir, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
  const indexFile = path.join(dir, 'index.json');
  type Entry = { mediaType?: string; digest: string; size: number; annotations?: Record<string, string> };
  let manifests: Entry[] = [];
  try {
    manifests = (JSON.parse(await fs.readFile(indexFile, 'utf8')) as { manifests: Entry[] }).manifests;
  } catch {
    // no layout yet
  }
  manifests = manifests.filter((m) => m.annotations?.[REF_NAME] !== tag);
  manifests.push({ mediaType, digest: target.digest, size: target.size, annotations: { [REF_NAME]: tag } });
  await fs.writeFile(indexFile, JSON.stringify({ schemaVersion: 2, mediaType: OCI_INDEX, manifests }));
}

function platformKey(p: Platform): string {
  return [p.os, p.architecture, p.variant].filter((s) => s !== undefined).join('-');
}

export async function makeImageLayout(dir: string, opts: ImageLayoutOptions): Promise<ImageLayout> {
  if (opts.platforms.length === 0) throw new Error('makeImageLayout needs at least one platform');
  const layerSizes = opts.layerSizes ?? [4096, 32768];
  const seed = opts.seed ?? 'ferry-fixture';
  const manifests: FixtureManifest[] = [];

  for (const platform of opts.platforms) {
    const key = platformKey(platform);
    const layers: Descriptor[] = [];
    for (const [i, size] of layerSizes.entries()) {
      layers.push(await writeRandomLayer(dir, `ferry/${key}-layer-${i}.bin`, size, `${seed}/${key}/${i}`));
    }
    const config = await writeJsonBlob(dir, {
      created: FIXED_CREATED,
      architecture: platform.architecture,
      os: platform.os,
      ...(platform.variant !== undefined ? { variant: platform.variant } : {}),
      config: { Cmd: ['/bin/true'], ...(opts.labels ? { Labels: opts.labels } : {}) },
      // Layers are uncompressed, so each diff_id is the layer digest itself.
      rootfs: { type: 'layers', diff_ids: layers.map((l) => l.digest) },
      history: layers.map((_, i) => ({ created: FIXED_CREATED, created_by: `ferry fixture layer ${i}` })),
    });
    const manifest = await writeJsonBlob(dir, {
      schemaVersion: 2,
      mediaType: OCI_MANIFEST,
      config: { mediaType: OCI_CONFIG, ...config },
      layers: layers.map((l) => ({ mediaType: OCI_LAYER_TAR, ...l })),
    });
    manifests.push({ platform, digest: manifest.digest, size: manifest.size, configDigest: config.digest, layers });
  }

  if (manifests.length === 1) {
    const only = manifests[0]!;
    await tagInLayout(dir, opts.tag, OCI_MANIFEST, only);
    return { dir, indexDigest: only.digest, mediaType: OCI_MANIFEST, manifests };
  }
  const index = await writeJsonBlob(dir, {
    schemaVersion: 2,
    mediaType: OCI_INDEX,
    manifests: manifests.map((m) => ({
      mediaType: OCI_MANIFEST,
      digest: m.digest,
      size: m.size,
      platform: { architecture: m.platform.architecture, os: m.platform.os, ...(m.platform.variant !== undefined ? { variant: m.platform.variant } : {}) },
    })),
  });
  await tagInLayout(dir, opts.tag, OCI_INDEX, index);
  return { dir, indexDigest: index.digest, mediaType: OCI_INDEX, manifests };
}

/** An OCI artifact laid out the way `helm push` stores a chart. */
export async function makeHelmChartLayout(dir: string, opts: { tag: string; name: string; version: string }): Promise<HelmChartLayout> {
  const chartYaml = `apiVersion: v2\nname: ${opts.name}\nversion: ${opts.version}\ndescription: Ferry test chart\ntype: application\n`;
  // Helm packages a chart as NAME/Chart.yaml (plus templates, values...) in a gzipped tar.
  const tgz = gzipSync(tarOf([{ name: `${opts.name}/Chart.yaml`, data: Buffer.from(chartYaml) }]));
  const chart = await writeBlob(dir, tgz);
  const config = await writeJsonBlob(dir, { name: opts.name, version: opts.version, apiVersion: 'v2' });
  const manifest = await writeJsonBlob(dir, {
    schemaVersion: 2,
    mediaType: OCI_MANIFEST,
    config: { mediaType: HELM_CONFIG, ...config },
    layers: [{ mediaType: HELM_CHART, ...chart }],
    annotations: { 'org.opencontainers.image.title': opts.name, 'org.opencontainers.image.version': opts.version },
  });
  await tagInLayout(dir, opts.tag, OCI_MANIFEST, manifest);
  return { dir, manifestDigest: manifest.digest, manifestSize: manifest.size, configDigest: config.digest, chartDigest: chart.digest, chartSize: chart.size };
}

/** Runs skopeo, collecting stdout as bytes (manifests must come back byte for byte). */
function skopeo(args: string[]): Promise<{ code: number; stdout: Buffer; stderr: string }> {
  return new Promise((resolve, reject) => {
    // --insecure-policy: do not depend on the machine's /etc/containers/policy.json.
    const child = spawn('skopeo', ['--insecure-policy', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout: Buffer.concat(out), stderr }));
  });
}

export interface SkopeoCopyOptions {
  /** --all: copy every platform of an index, and the index itself. */
  all?: boolean;
  /** 'user:password', given as --src-creds / --dest-creds to whichever side is docker://. */
  creds?: string;
  /** --format: convert the manifests (changes their digests). */
  format?: 'oci' | 'v2s2';
  /**
   * --preserve-digests; default true unless `format` is set. Without it skopeo gzips the fixture's
   * uncompressed layers on the way to a registry, so every manifest digest would change.
   */
  preserveDigests?: boolean;
}

/** `skopeo copy SRC DEST`, e.g. ('oci:/tmp/layout:1.0', 'docker://127.0.0.1:5000/acme/app:1.0'). */
export async function skopeoCopy(src: string, dest: string, opts: SkopeoCopyOptions = {}): Promise<void> {
  const args = ['copy', '--dest-tls-verify=false', '--src-tls-verify=false'];
  if (opts.all) args.push('--all');
  if (opts.preserveDigests ?? opts.format === undefined) args.push('--preserve-digests');
  if (opts.creds !== undefined) {
    if (src.startsWith('docker://')) args.push('--src-creds', opts.creds);
    if (dest.startsWith('docker://')) args.push('--dest-creds', opts.creds);
  }
  if (opts.format !== undefined) args.push('--format', opts.format);
  args.push(src, dest);
  const result = await skopeo(args);
  if (result.code !== 0) throw new Error(`skopeo copy ${src} ${dest} failed (${result.code}): ${result.stderr}`);
}

/** The manifest (or index) bytes exactly as the registry serves them. `ref` with or without `docker://`. */
export async function skopeoInspectRaw(ref: string, creds?: string): Promise<Buffer> {
  const args = ['inspect', '--raw', '--tls-verify=false'];
  if (creds !== undefined) args.push('--creds', creds);
  args.push(ref.startsWith('docker://') ? ref : `docker://${ref}`);
  const result = await skopeo(args);
  if (result.code !== 0) throw new Error(`skopeo inspect --raw ${ref} failed (${result.code}): ${result.stderr}`);
  return result.stdout;
}
