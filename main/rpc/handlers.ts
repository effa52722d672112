import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { BundleName } from '../../shared/bundle.js';
import type { LedgerRow, MethodName, ParsedParams, RegistryAccess, Result } from '../../shared/rpc.js';
import { decideApproval, listApprovals, requestApproval, setTwoPersonRule, twoPersonRuleOn } from '../custody/approval.js';
import { bundleSummaries } from '../custody/bundles.js';
import { reconciliationFlags } from '../custody/flags.js';
import { kitEvents } from '../custody/kit-events.js';
import { filterEvents, viewLedger, type ViewedEvent } from '../custody/ledger-view.js';
import { recordDisposition, recordHandoff, recordReview } from '../custody/records.js';
import { transferReport } from '../custody/report.js';
import { exportKit } from '../ledger/kit.js';
import type { Engine } from '../engine.js';
import type { JobRunner } from '../jobs/runner.js';
import { listTrustedKeys, siteKeyPaths, trustKeyPem } from '../keys/keys.js';
import { defaultHfCache, listHfRepos } from '../hf/cache.js';
import { storeRows } from '../ollama/listing.js';
import { defaultOllamaStore } from '../ollama/store.js';
import { exportRequestOf } from '../transfer/export-request.js';
import { exportClients, freeSpace, planExport, spaceNeeded } from '../transfer/export.js';
import { readSettings, writeSettings } from '../settings.js';
import { sha256Digest, type DigestMode } from '../bundle/plan.js';
import type { JobSecrets } from '../jobs/messages.js';
import { readCaFile, RegistryClient } from '../registry/client.js';
import { RegistryClients } from '../registry/clients.js';
import type { CredentialStore } from '../registry/credential-store.js';
import { credentialSource, type CredentialSource } from '../registry/credentials.js';
import { parsePlatform } from '../registry/manifest.js';
import { resolveArtifact } from '../registry/pull.js';
import { parseReference, parseRegistryTarget } from '../registry/reference.js';
import { FerryError, toEnvelope } from '../util/errors.js';
import { FERRY_VERSION } from '../version.js';
import { isInside } from './browse-roots.js';
import type { PathGrants } from './grants.js';

export interface HandlerContext {
  engine: () => Engine;
  reopenEngine: () => Promise<void>;
  runner: JobRunner;
  grants: PathGrants;
  transport: 'electron' | 'browser' | 'cli';
  pickFolder?: (title: string) => Promise<string | null>;
  pickFiles?: (title: string) => Promise<string[]>;
  /** Electron only: saves the focused window as a PDF where the user chooses; null when they cancel. */
  printToPdf?: (suggestedName: string) => Promise<string | null>;
  credentials: CredentialStore;
}

/** The paths of an export selection, each one the user was handed (dialog, file browser, default). */
function checkedSelection(
  params: { store?: string | undefined; models: string[]; hfCache?: string | undefined; hf: string[]; files: string[]; destination: string },
  ctx: HandlerContext,
) {
  if (params.hf.length > 0 && !params.hfCache) throw new FerryError('USAGE', 'Hugging Face repos need the cache they are in.', { field: 'hfCache' });
  return {
    store: params.models.length > 0 ? ctx.grants.check(requiredStore(params.store), 'store') : null,
    hfCache: params.hf.length > 0 ? ctx.grants.check(params.hfCache!, 'hfCache') : null,
    files: params.files.map((f, i) => ctx.grants.check(f, `files.${i}`)),
    destination: ctx.grants.check(params.destination, 'destination'),
  };
}

/** Credentials for these registries: remembered in the app first, then docker's config. */
async function credentialsFor(ctx: HandlerContext, registries: readonly string[]): Promise<{ source: CredentialSource; secrets: JobSecrets }> {
  const credentials: JobSecrets['credentials'] = [];
  for (const registry of new Set(registries)) {
    const remembered = await ctx.credentials.get(registry);
    if (remembered) credentials.push([registry, remembered]);
  }
  return { source: credentialSource({ given: new Map(credentials), givenOrigin: 'remembered' }), secrets: { credentials } };
}

function referencesOf(params: { images: string[]; charts: string[] }): string[] {
  return [...params.images, ...params.charts].map((r) => parseReference(r).registry);
}

function exportTitleOf(r: { models: string[]; images: string[]; charts: string[]; hf: string[]; files: string[] }, out: string): string {
  const items = [...r.models, ...r.images, ...r.charts, ...r.hf, ...r.files.map((f) => path.basename(f))];
  return `Export of ${items.length === 1 ? items[0] : `${items.length} items`} to ${out}`;
}

/** An export request from the wizard with every path checked against what the user was handed. */
function checkedExportRequest(params: ParsedParams<'export.start'>, ctx: HandlerContext): ParsedParams<'export.start'> {
  const selection = checkedSelection(params, ctx);
  const registry = accessOf(params.registry, ctx);
  const request = {
    ...params,
    ...(params.registry ? { registry } : {}),
    ...(selection.store ? { store: selection.store } : {}),
    ...(selection.hfCache ? { hfCache: selection.hfCache } : {}),
    files: selection.files,
    destination: selection.destination,
    name: bundleNameOf(params.name),
  };
  for (const platform of request.platforms) parsePlatform(platform);
  return request;
}

/**
 * Plans an export selection, no bytes written: approval.request needs every digest (`hash`);
 * export.estimate only the byte count (`sizes`: plain files are stat'ed, not read).
 */
async function planSelection(
  ctx: HandlerContext,
  params: { models: string[]; images: string[]; charts: string[]; platforms: string[]; hf: string[]; registry?: RegistryAccess | undefined },
  selection: { store: string | null; hfCache: string | null; files: string[] },
  digests: DigestMode,
) {
  const { source } = await credentialsFor(ctx, referencesOf(params));
  const clients = exportClients({ registry: accessOf(params.registry, ctx) }, source);
  const request = {
    ...(selection.store ? { ollama: { store: selection.store, models: params.models } } : {}),
    images: params.images,
    charts: params.charts,
    platforms: params.platforms,
    ...(selection.hfCache ? { hf: { cache: selection.hfCache, repos: params.hf } } : {}),
    files: selection.files,
  };
  return planExport(request, clients, { digests }).finally(() => clients.close());
}

function ledgerRowOf(e: ViewedEvent): LedgerRow {
  const operator = e.event.operator as { name?: string; role?: string } | undefined;
  return {
    seq: e.seq,
    type: String(e.event.type),
    time: String(e.event.time),
    operator: operator?.name ?? '',
    ...(operator?.role ? { role: operator.role } : {}),
    ...(e.bundle ? { bundle: e.bundle } : {}),
    ...(typeof e.event.job === 'string' ? { job: e.event.job } : {}),
    summary: e.summary,
    ...(e.media.length > 0 ? { media: e.media } : {}),
    ...(e.outcome ? { outcome: e.outcome } : {}),
  };
}

function requiredStore(store: string | undefined): string {
  if (!store) throw new FerryError('USAGE', 'Models need the Ollama store they are in.', { field: 'store' });
  return store;
}

/** Registry access from the wizard: a CA file must be one the user chose with the file picker, and hold a certificate. */
function accessOf(access: RegistryAccess | undefined, ctx: HandlerContext): RegistryAccess {
  if (!access?.caFile) return access ?? {};
  const caFile = ctx.grants.check(access.caFile, 'caFile');
  readCaFile(caFile);
  return { ...access, caFile };
}

type Handlers = { [M in MethodName]: (params: ParsedParams<M>, ctx: HandlerContext) => Promise<Result<M>> };

function bundleNameOf(name: string): string {
  const parsed = BundleName.safeParse(name);
  if (!parsed.success) throw new FerryError('USAGE', `Bundle name "${name}": ${parsed.error.issues[0]!.message}.`, { field: 'name' });
  return name;
}

async function isBundleDir(dir: string): Promise<boolean> {
  const [sums, index] = await Promise.all([
    fsp.stat(path.join(dir, 'SHA256SUMS')).catch(() => null),
    fsp.stat(path.join(dir, 'BUNDLE.json')).catch(() => null),
  ]);
  return Boolean(sums?.isFile() && index?.isFile());
}

async function listFolder(dir: string, includeFiles: boolean) {
  let entries;
  try {
    entries = await fsp.readdir(dir, { withFileTypes: true });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new FerryError(
      code === 'ENOENT' ? 'NOT_FOUND' : 'IO',
      `Cannot open the folder ${dir}${code === 'EACCES' ? ': permission denied' : code === 'ENOENT' ? ': it does not exist' : ''}.`,
      { file: dir },
    );
  }
  const visible = entries.filter((e) => !e.name.startsWith('.')).sort((a, b) => a.name.localeCompare(b.name));
  const folders = await Promise.all(
    visible
      .filter((e) => e.isDirectory())
      .map(async (e) => ({ name: e.name, path: path.join(dir, e.name), isBundle: await isBundleDir(path.join(dir, e.name)) })),
  );
  if (!includeFiles) return folders;
  const files = await Promise.all(
    visible
      .filter((e) => e.isFile())
      .map(async (e) => ({
        name: e.name,
        path: path.join(dir, e.name),
        isBundle: false,
        isFile: true,
        size: (await fsp.stat(path.join(dir, e.name)).catch(() => null))?.size ?? 0,
      })),
  );
  return [...folders, ...files];
}

export const handlers: Handlers = {
  async 'app.info'(_params, ctx) {
    const engine = ctx.engine();
    const store = ctx.grants.grant(defaultOllamaStore());
    const hfCache = ctx.grants.grant(defaultHfCache());
    ctx.grants.grant(os.homedir());
    return {
      version: FERRY_VERSION,
      home: engine.home,
      operator: engine.operator,
      siteFingerprint: engine.siteKey.fingerprint,
      transport: ctx.transport,
      nativeDialogs: Boolean(ctx.pickFolder),
      defaultOllamaStore: store,
      defaultHfCache: hfCache,
      homeDir: os.homedir(),
      twoPersonRule: await twoPersonRuleOn(engine),
    };
  },
  async 'app.ping'() {
    return { at: Date.now() };
  },
  async 'settings.setOperator'(params, ctx) {
    const engine = ctx.engine();
    const settings = await readSettings(engine.home);
    const operator = { name: params.name, ...(params.role ? { role: params.role } : {}) };
    await writeSettings(engine.home, { ...settings, operator });
    await ctx.reopenEngine();
    return operator;
  },
  async 'settings.setTwoPersonRule'(params, ctx) {
    return { enabled: await setTwoPersonRule(ctx.engine(), params.enabled) };
  },
  async 'dialog.pickFolder'(params, ctx) {
    if (!ctx.pickFolder) throw new FerryError('USAGE', 'Native folder dialogs exist only in the desktop app; use the folder browser.');
    const chosen = await ctx.pickFolder(params.title);
    return { path: chosen ? ctx.grants.grant(chosen) : null };
  },
  async 'fs.list'(params, ctx) {
    if (ctx.pickFolder) throw new FerryError('USAGE', 'In the desktop app, folders are chosen with the system dialog.');
    const roots = ctx.grants.roots;
    const dir = params.path ? ctx.grants.check(params.path, 'path') : (roots[0]?.path ?? path.resolve(os.homedir()));
    const entries = await listFolder(dir, Boolean(params.includeFiles));
    ctx.grants.grant(dir);
    for (const entry of entries) ctx.grants.grant(entry.path);
    const up = path.dirname(dir);
    const parent = up === dir || (roots.length > 0 && !roots.some((root) => isInside(root.path, up))) ? null : ctx.grants.grant(up);
    return { path: dir, parent, entries, isBundle: await isBundleDir(dir), roots: [...roots] };
  },
  async 'fs.mkdir'(params, ctx) {
    const parent = ctx.grants.check(params.parent, 'parent');
    if (params.name === '.' || params.name === '..' || /[/\\\0]/.test(params.name))
      throw new FerryError('USAGE', `"${params.name}" is not a folder name.`, { field: 'name' });
    const created = path.join(parent, params.name);
    await fsp.mkdir(created);
    return { path: ctx.grants.grant(created) };
  },
  async 'ollama.list'(params, ctx) {
    return storeRows(ctx.grants.check(params.store, 'store'));
  },
  async 'export.estimate'(params, ctx) {
    const selection = checkedSelection(params, ctx);
    const plan = await planSelection(ctx, params, selection, 'sizes');
    const destination = selection.destination;
    const available = await freeSpace(destination);
    return {
      tarSize: plan.tarSize,
      volumeCount: Math.max(1, Math.ceil(plan.tarSize / params.volumeSize)),
      available,
      enoughSpace: available >= spaceNeeded(plan),
    };
  },
  async 'export.start'(params, ctx) {
    const request = checkedExportRequest(params, ctx);
    if (!request.approval && (await twoPersonRuleOn(ctx.engine()))) {
      throw new FerryError('APPROVAL', 'The two-person rule is on: request approval for this export first, and have someone with another name approve it.', {
        field: 'approval',
      });
    }
    const { secrets } = await credentialsFor(ctx, referencesOf(request));
    // The bundle folder this export creates: the wizard reads it back next (media.verify).
    ctx.grants.grant(path.join(request.destination, request.name));
    return ctx.runner.start('export', request, exportTitleOf(request, path.join(request.destination, request.name)), secrets);
  },
  async 'approval.request'(params, ctx) {
    const request = checkedExportRequest(params, ctx);
    const plan = await planSelection(ctx, request, { store: request.store ?? null, hfCache: request.hfCache ?? null, files: request.files }, 'hash');
    return requestApproval(ctx.engine(), exportRequestOf(request), plan);
  },
  async 'approval.list'(_params, ctx) {
    return { twoPersonRule: await twoPersonRuleOn(ctx.engine()), requests: listApprovals(ctx.engine()) };
  },
  async 'approval.decide'(params, ctx) {
    return decideApproval(ctx.engine(), params.id, params.decision, params.approver, params.reason);
  },
  async 'media.verify'(params, ctx) {
    const dir = ctx.grants.check(params.dir, 'dir');
    return ctx.runner.start('media-verify', { dir, media: params.media }, `Read-back of ${params.media.label} (${params.media.id}) from ${dir}`);
  },
  async 'custody.handoff'(params, ctx) {
    return recordHandoff(ctx.engine(), params);
  },
  async 'media.dispose'(params, ctx) {
    return recordDisposition(ctx.engine(), params);
  },
  async 'ledger.bundles'(_params, ctx) {
    return { bundles: bundleSummaries(viewLedger(ctx.engine().ledger)) };
  },
  async 'ledger.report'(params, ctx) {
    return transferReport(ctx.engine(), params.bundle);
  },
  async 'ledger.flags'(params, ctx) {
    const dir = params.withKit ? ctx.grants.check(params.withKit, 'withKit') : undefined;
    const others = dir ? await kitEvents(dir) : [];
    return { flags: reconciliationFlags(viewLedger(ctx.engine().ledger), others), ...(dir ? { compared: { dir, lines: others.length } } : {}) };
  },
  async 'ledger.review'(params, ctx) {
    return recordReview(ctx.engine(), params);
  },
  async 'ledger.exportKit'(params, ctx) {
    const destination = ctx.grants.check(params.destination, 'destination');
    if (params.name === '.' || params.name === '..' || /[/\\\0]/.test(params.name))
      throw new FerryError('USAGE', `"${params.name}" is not a folder name.`, { field: 'name' });
    const kit = await exportKit(ctx.engine(), path.join(destination, params.name));
    ctx.grants.grant(kit.dir);
    return {
      ledgerId: kit.ledgerId,
      dir: kit.dir,
      files: [...kit.files],
      count: kit.count,
      head: kit.head,
      fingerprint: kit.fingerprint,
      time: kit.time,
      recordedAt: kit.recordedAt,
      chain: kit.chain,
    };
  },
  async 'print.pdf'(params, ctx) {
    if (!ctx.printToPdf) throw new FerryError('USAGE', "Saving as PDF is done by the browser's print dialog here: use Print, then Save as PDF.");
    return { path: await ctx.printToPdf(params.suggestedName) };
  },
  async 'registry.resolve'(params, ctx) {
    const registries = params.refs.map((r) => {
      try {
        return parseReference(r.ref).registry;
      } catch {
        return null;
      }
    });
    const { source } = await credentialsFor(
      ctx,
      registries.filter((r): r is string => r !== null),
    );
    const clients = new RegistryClients(source, accessOf(params.access, ctx));
    try {
      const choice = params.platforms.length > 0 ? params.platforms.map(parsePlatform) : 'all';
      const items = await Promise.all(
        params.refs.map(async ({ ref: input, kind }) => {
          let credentials = 'none';
          try {
            const ref = parseReference(input);
            credentials = (await source.lookup(ref.registry).catch(() => ({ origin: 'none' }))).origin;
            const resolved = await resolveArtifact(clients.get(ref.registry), ref, kind, kind === 'image' ? choice : 'all');
            const unique = new Map(resolved.input.blobs.map((b) => [b.digest, b.size]));
            const size = resolved.input.manifest.length + [...unique.values()].reduce((sum, n) => sum + n, 0);
            return {
              input,
              kind,
              ok: true,
              ref: resolved.ref,
              digest: sha256Digest(resolved.input.manifest),
              mediaType: resolved.input.mediaType,
              size,
              platforms: resolved.platforms,
              available: resolved.available,
              credentials,
            };
          } catch (err) {
            return { input, kind, ok: false, credentials, error: toEnvelope(err) };
          }
        }),
      );
      return { items };
    } finally {
      await clients.close();
    }
  },
  async 'registry.test'(params, ctx) {
    const target = parseRegistryTarget(params.target);
    const given = params.login ? { username: params.login.username, password: params.login.password } : await ctx.credentials.get(target.registry);
    const source = given
      ? credentialSource({ given: new Map([[target.registry, given]]), givenOrigin: params.login ? 'given' : 'remembered' })
      : credentialSource();
    const client = new RegistryClient(target.registry, source, accessOf(params.access, ctx));
    try {
      const { authenticated } = await client.ping();
      const origin = authenticated ? (await source.lookup(target.registry)).origin : 'none';
      if (params.login && params.remember) await ctx.credentials.remember(target.registry, params.login);
      return { registry: target.registry, prefix: target.prefix, authenticated, credentials: origin, storage: ctx.credentials.storage };
    } finally {
      await client.close();
    }
  },
  async 'import.verify'(params, ctx) {
    const dir = ctx.grants.check(params.dir, 'dir');
    const trust = params.trust?.map((file, i) => ctx.grants.check(file, `trust.${i}`));
    return ctx.runner.start('verify', { dir, ...(trust ? { trust } : {}), ...(params.deep ? { deep: true } : {}) }, `Verification of ${dir}`);
  },
  async 'import.start'(params, ctx) {
    const { request: r, login } = params;
    const dir = ctx.grants.check(r.dir, 'dir');
    const toOllamaStore = r.toOllamaStore ? ctx.grants.check(r.toOllamaStore, 'toOllamaStore') : undefined;
    const toHfCache = r.toHfCache ? ctx.grants.check(r.toHfCache, 'toHfCache') : undefined;
    const toDir = r.toDir ? ctx.grants.check(r.toDir, 'toDir') : undefined;
    const saveInstaller = r.saveInstaller ? ctx.grants.check(r.saveInstaller, 'saveInstaller') : undefined;
    const target = r.toRegistry ? parseRegistryTarget(r.toRegistry.target) : null;
    const toRegistry = r.toRegistry ? { ...r.toRegistry, ...(r.toRegistry.access ? { access: accessOf(r.toRegistry.access, ctx) } : {}) } : undefined;
    const request = {
      dir,
      ...(toOllamaStore ? { toOllamaStore } : {}),
      ...(toHfCache ? { toHfCache } : {}),
      ...(toDir ? { toDir } : {}),
      ...(saveInstaller ? { saveInstaller } : {}),
      ...(toRegistry ? { toRegistry } : {}),
    };
    const secrets = target
      ? login
        ? { credentials: [[target.registry, login]] as JobSecrets['credentials'] }
        : (await credentialsFor(ctx, [target.registry])).secrets
      : undefined;
    const into = [toOllamaStore, toHfCache, toDir, saveInstaller, r.toRegistry?.target].filter(Boolean).join(' and ');
    return ctx.runner.start('import', request, `Import of ${dir} into ${into}`, secrets);
  },
  async 'import.stage'(params, ctx) {
    const from = ctx.grants.check(params.from, 'from');
    const to = ctx.grants.check(params.to, 'to');
    const trust = params.trust?.map((file, i) => ctx.grants.check(file, `trust.${i}`));
    return ctx.runner.start('stage', { from, to, ...(trust ? { trust } : {}) }, `Staging of ${from} into ${to}`);
  },
  async 'hf.list'(params, ctx) {
    const cache = ctx.grants.check(params.cache, 'cache');
    const repos = await listHfRepos(cache);
    return {
      cache,
      repos: repos.map((r) => ({
        repoId: r.repoId,
        type: r.type,
        spec: r.type === 'model' ? r.repoId : `${r.type}s/${r.repoId}`,
        refs: r.refs,
        revisions: r.revisions.map((v) => ({
          commit: v.commit,
          refs: v.refs,
          files: v.files.length,
          size: v.size,
          ...(v.problem ? { problem: v.problem.message } : {}),
        })),
        ...(r.problem ? { problem: r.problem.message } : {}),
      })),
    };
  },
  async 'dialog.pickFiles'(params, ctx) {
    if (!ctx.pickFiles) throw new FerryError('USAGE', 'Native file dialogs exist only in the desktop app; use the file browser.');
    const chosen = await ctx.pickFiles(params.title);
    return { paths: chosen.map((p) => ctx.grants.grant(p)) };
  },
  async 'jobs.list'(_params, ctx) {
    return { jobs: ctx.runner.list() };
  },
  async 'jobs.cancel'(params, ctx) {
    return ctx.runner.cancel(params.id);
  },
  async 'jobs.pause'(params, ctx) {
    const job = ctx.runner.get(params.id);
    if (job.kind !== 'import' || !('toRegistry' in job.request) || !job.request.toRegistry) {
      throw new FerryError('USAGE', 'Only a registry push can pause and later continue where it stopped; cancel this job instead.', { job: params.id });
    }
    return ctx.runner.pause(params.id);
  },
  async 'registry.forget'(params, ctx) {
    return { forgotten: await ctx.credentials.forget(params.registry) };
  },
  async 'jobs.resume'(params, ctx) {
    return ctx.runner.resume(params.id);
  },
  async 'jobs.dismiss'(params, ctx) {
    await ctx.runner.dismiss(params.id);
    return {};
  },
  async 'keys.show'(_params, ctx) {
    const engine = ctx.engine();
    const trusted = await listTrustedKeys(engine.home);
    return {
      fingerprint: engine.siteKey.fingerprint,
      publicKeyPem: engine.siteKey.publicKeyPem,
      publicKeyFile: siteKeyPaths(engine.home).publicKey,
      trusted: trusted.map((k) => ({ fingerprint: k.fingerprint, file: k.file })),
    };
  },
  async 'keys.trust'(params, ctx) {
    const engine = ctx.engine();
    const key = await trustKeyPem(engine.home, params.pem, params.source ?? 'the pasted key');
    engine.ledger.append('key.trusted', { fingerprint: key.fingerprint, source: params.source ?? 'pasted in the app' });
    return { fingerprint: key.fingerprint, file: key.file };
  },
  async 'ledger.list'(params, ctx) {
    const engine = ctx.engine();
    const { limit, ...filter } = params;
    const entries = filterEvents(viewLedger(engine.ledger), filter)
      .reverse()
      .slice(0, limit ?? 500);
    return { ledgerId: engine.ledger.ledgerId, entries: entries.map(ledgerRowOf) };
  },
  async 'ledger.verify'(_params, ctx) {
    const { ledger } = ctx.engine();
    return { ledgerId: ledger.ledgerId, file: ledger.file, ...ledger.verify() };
  },
};
