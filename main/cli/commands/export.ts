import path from 'node:path';
import { parseVolumeSize, VOLUME_PRESETS } from '../../bundle/volume-size.js';
import { DISC_PRESETS, DISC_RESERVE, discVolumeBytes, isDiscPreset } from '../../../shared/media.js';
import { formatBytes } from '../../../shared/sizes.js';
import { defaultHfCache } from '../../hf/cache.js';
import { defaultOllamaStore } from '../../ollama/store.js';
import { ExportRequest } from '../../../shared/contract/job-kinds.js';
import { referencesOf } from '../../transfer/export-selection.js';
import { contractRequest } from '../contract-request.js';
import { installerFormat } from '../../files/artifact.js';
import { FerryError } from '../../util/errors.js';
import { REGISTRY_OPTIONS, REGISTRY_USAGE, registryAccess, typedCredentials } from '../registry-options.js';
import { withClient, type CliClient } from '../client.js';
import { followJob } from '../job.js';
import { waiting } from '../../custody/approval.js';
import { parseCommandArgs } from '../args.js';
import type { Command } from '../command.js';
import { artifactLine } from '../output.js';

/** Which flag each field of the export request comes from, for refusals. */
const EXPORT_FLAGS = {
  name: '--name',
  folder: '--out',
  destination: '--out',
  volumeSize: '--volume-size',
  models: 'what to export (--ollama, --image, --chart, --hf, --file)',
  store: '--ollama-store',
  images: '--image',
  charts: '--chart',
  platforms: '--platform',
  hf: '--hf',
  hfCache: '--hf-cache',
  files: '--file',
  installer: '--include-installer',
  approval: '--approval',
  layout: '--layout',
  signatures: '--no-signatures',
};

/**
 * Under the two-person rule, the approved request for exactly this export: asked for (or found open)
 * with approval.request; while nobody else has approved it, the run stops and says who must.
 */
async function approvalFor(client: CliClient, request: ExportRequest): Promise<string | undefined> {
  if (!(await client.call('app.info', {})).twoPersonRule) return undefined;
  const asked = await client.call('approval.request', request);
  if (asked.status === 'approved') return asked.id;
  throw waiting(asked.id, asked.seq, asked.requester.name);
}

/** What an export that stopped keeps, in the command line's words. */
function keptIn(err: FerryError, out: string): string {
  const { volumesKept, volumes } = err.details;
  return typeof volumesKept === 'number' && typeof volumes === 'number'
    ? `${volumesKept} of ${volumes} volumes are written and kept in ${out}`
    : `what is written is kept in ${out}`;
}

/** Ctrl-C or SIGTERM paused the export: say what is kept and how to go on. */
function pausedOnCommandLine(err: FerryError, out: string): FerryError {
  return new FerryError(
    'CANCELLED',
    `Export stopped: ${keptIn(err, out)}. Run the same ferry export command again to continue from there, or remove that folder to give the export up.`,
    err.details,
  );
}

/** The export failed after some volumes were complete: the failure, then what is kept and how to go on. */
function failedOnCommandLine(err: FerryError, out: string): FerryError {
  const next = `${keptIn(err, out)}: once that is put right, run the same ferry export command again to continue from there, or remove that folder to give the export up.`;
  return new FerryError(err.code, `${err.message} ${next[0]!.toUpperCase()}${next.slice(1)}`, err.details);
}

export const exportCommand: Command = {
  name: 'export',
  usage: `ferry export --out DIR [--name NAME] [--volume-size SIZE] [--ollama NAME]... [--image REF]... [--chart REF]... [--hf REPO]... [--file PATH]... [--json]

  --out DIR            the bundle folder to create (new or empty)
  --name NAME          bundle name, used for volume files NAME.tar.001…; default: the folder's name
  --volume-size SIZE   bytes, a unit (700MiB, 4.7GB) or a preset; default fat32
                       presets: ${Object.keys(VOLUME_PRESETS).join(', ')}
  --layout discs       lay the bundle out for burning: disc-01/, disc-02/, … one volume each beside the
                       signed metadata, each disc checkable alone (sha256sum -c --ignore-missing and
                       openssl); with a disc preset (${DISC_PRESETS.join(', ')}) each volume leaves
                       ${DISC_RESERVE / 1024 / 1024} MiB of the disc for the metadata and its file system. Default: one folder
  --ollama NAME        an Ollama model, as ollama names it (granite4.1:8b); repeatable
  --ollama-store DIR   the Ollama store; default OLLAMA_MODELS, ~/.ollama/models, /usr/share/ollama/.ollama/models
  --image REF          a container image from a registry (docker.io/library/nginx:1.27.3, …@sha256:…); repeatable
  --chart REF          a Helm chart in an OCI registry (oci://ghcr.io/org/charts/app:1.2.0); repeatable
  --platform P         keep only this platform of multi-platform images (linux/amd64, linux/arm64/v8);
                       repeatable; default all platforms, the original index byte-exact
  --no-signatures      leave out what is attached to images and charts; by default their cosign
                       signatures, attestations and SBOMs (sha256-<hex>.sig, .att, .sbom) and OCI 1.1
                       referrers are carried byte-exact and pushed beside them on import (one that
                       cannot be fetched is a warning)
  --hf REPO[@REF]      a Hugging Face repo revision from the cache: ORG/NAME, datasets/ORG/NAME, @main,
                       @refs/pr/1 or @COMMIT (default @main); repeatable
  --hf-cache DIR       the Hugging Face cache; default HF_HUB_CACHE, HUGGINGFACE_HUB_CACHE, HF_HOME/hub,
                       ~/.cache/huggingface/hub
  --file PATH          a file or folder carried as is (runbooks, values files, licences); repeatable
  --include-installer PATH
                       Ferry's own installer (the AppImage, .deb or .exe from npm run dist), so the far
                       side can install Ferry from the same media (ferry import --save-installer DIR)
  --operator NAME      who is exporting (recorded in the ledger); default FERRY_OPERATOR or the OS user
  --approval ID        with the two-person rule on (ferry approval rule on): the approved request to carry
                       out; by default, the open request for exactly this export. Without an approval the
                       export records a request and stops with exit 1 until someone else approves it.

  Ctrl-C or SIGTERM lets the volume being flushed finish its flush and stops (exit 1), keeping the complete
  volumes; run the same command again (same --out and --name) to check them and continue with the next.

${REGISTRY_USAGE}`,
  async run(args, { out: output, signal }) {
    const { values, positionals } = parseCommandArgs('export', args, {
      out: { type: 'string' },
      name: { type: 'string' },
      'volume-size': { type: 'string' },
      layout: { type: 'string' },
      'ollama-store': { type: 'string' },
      ollama: { type: 'string', multiple: true },
      image: { type: 'string', multiple: true },
      chart: { type: 'string', multiple: true },
      platform: { type: 'string', multiple: true },
      hf: { type: 'string', multiple: true },
      'hf-cache': { type: 'string' },
      file: { type: 'string', multiple: true },
      approval: { type: 'string' },
      'include-installer': { type: 'string' },
      'no-signatures': { type: 'boolean' },
      ...REGISTRY_OPTIONS,
    });
    if (positionals.length > 0) throw new FerryError('USAGE', `Unexpected argument ${positionals[0]}. See ferry export --help.`);
    if (!values.out) throw new FerryError('USAGE', 'Name the bundle folder to create with --out DIR.');
    const out = path.resolve(values.out);
    const models = values.ollama ?? [];
    const hf = values.hf ?? [];
    const installer = values['include-installer'];
    if (installer !== undefined) installerFormat(installer);
    const layout = values.layout ?? 'folder';
    if (layout !== 'folder' && layout !== 'discs') throw new FerryError('USAGE', `--layout is folder or discs, not "${layout}".`, { field: '--layout' });
    const sizeText = (values['volume-size'] ?? 'fat32').trim().toLowerCase();
    if (layout === 'discs' && (sizeText === 'usb' || sizeText === 'fat32'))
      throw new FerryError('USAGE', `--layout discs needs the disc's size: --volume-size ${DISC_PRESETS.join('|')} or a size such as 700MiB.`, {
        field: '--volume-size',
      });
    const volumeSize = layout === 'discs' && isDiscPreset(sizeText) ? discVolumeBytes(sizeText) : parseVolumeSize(values['volume-size'] ?? 'fat32');
    const request = contractRequest(
      'export',
      ExportRequest,
      {
        destination: path.dirname(out),
        name: values.name ?? path.basename(out),
        ...(values.name && values.name !== path.basename(out) ? { folder: path.basename(out) } : {}),
        volumeSize,
        ...(layout === 'discs' ? { layout } : {}),
        models,
        ...(models.length > 0 ? { store: values['ollama-store'] ?? defaultOllamaStore() } : {}),
        images: values.image ?? [],
        charts: values.chart ?? [],
        platforms: values.platform ?? [],
        registry: registryAccess(values),
        hf,
        ...(hf.length > 0 ? { hfCache: values['hf-cache'] ?? defaultHfCache() } : {}),
        files: values.file ?? [],
        ...(installer ? { installer } : {}),
        ...(values.approval ? { approval: values.approval } : {}),
        ...(values['no-signatures'] ? { signatures: false } : {}),
      },
      EXPORT_FLAGS,
    );
    const credentials = await typedCredentials(values, referencesOf(request));
    const result = await withClient(
      values,
      async (client) => {
        const approval = request.approval ?? (await approvalFor(client, request));
        return followJob(client, () => client.call('export.start', { ...request, ...(approval ? { approval } : {}) }), {
          signal,
          progressLabel: output.json ? undefined : 'export',
          stopWith: 'pause',
        });
      },
      credentials,
    ).catch((err: unknown) => {
      // Stopped by Ctrl-C or SIGTERM (a pause, or a stop while it was still planning): say how to go on.
      const stopped = err instanceof FerryError && (err.details.paused === true || (err.code === 'CANCELLED' && signal.aborted));
      if (stopped) throw pausedOnCommandLine(err, out);
      throw err instanceof FerryError && typeof err.details.volumesKept === 'number' ? failedOnCommandLine(err, out) : err;
    });
    output.result({ ok: true, result });
    output.line(`Bundle written to ${result.dir}`);
    output.line(`  bundle digest  ${result.bundleDigest}`);
    output.line(`  signer         ${result.signer}`);
    output.line(`  volumes        ${result.volumes.length} (${formatBytes(result.tarSize)} in all)`);
    for (const v of result.volumes) output.line(`    ${v.file}  ${formatBytes(v.size)}  sha256 ${v.sha256}`);
    output.line('  artifacts');
    for (const a of result.artifacts) output.line(`    ${artifactLine(a)}`);
    if (result.discs) {
      output.line(`  discs          ${result.discs.length}: burn each folder's contents onto its own disc`);
      for (const d of result.discs) output.line(`    ${d.folder}  ${d.volumes.join(', ')} and the signed metadata, ${formatBytes(d.bytes)}`);
    }
    for (const w of result.warnings ?? []) output.line(`  warning        ${w}`);
    output.line(`Check it by hand with the commands in ${result.discs ? `${result.dir}/${result.discs[0]!.folder}` : result.dir}/VERIFY.txt.`);
    return 0;
  },
};
