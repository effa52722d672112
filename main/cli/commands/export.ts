import { parseVolumeSize, VOLUME_PRESETS } from '../../bundle/volume-size.js';
import { formatBytes } from '../../../shared/sizes.js';
import { openEngine } from '../../engine.js';
import { defaultHfCache } from '../../hf/cache.js';
import { defaultOllamaStore } from '../../ollama/store.js';
import { runExport } from '../../transfer/export.js';
import { parsePlatform } from '../../registry/manifest.js';
import { parseReference } from '../../registry/reference.js';
import { installerFormat } from '../../files/artifact.js';
import { FerryError } from '../../util/errors.js';
import { REGISTRY_OPTIONS, REGISTRY_USAGE, registryAccess, registryCredentials } from '../registry-options.js';
import { parseCommandArgs } from '../args.js';
import type { Command } from '../command.js';
import { artifactLine } from '../output.js';
import { terminalProgress } from '../../util/progress.js';

export const exportCommand: Command = {
  name: 'export',
  usage: `ferry export --out DIR [--name NAME] [--volume-size SIZE] [--ollama NAME]... [--image REF]... [--chart REF]... [--hf REPO]... [--file PATH]... [--json]

  --out DIR            the bundle folder to create (new or empty)
  --name NAME          bundle name, used for volume files NAME.tar.001…; default: the folder's name
  --volume-size SIZE   bytes, a unit (700MiB, 4.7GB) or a preset; default fat32
                       presets: ${Object.keys(VOLUME_PRESETS).join(', ')}
  --ollama NAME        an Ollama model, as ollama names it (granite4.1:8b); repeatable
  --ollama-store DIR   the Ollama store; default OLLAMA_MODELS, ~/.ollama/models, /usr/share/ollama/.ollama/models
  --image REF          a container image from a registry (docker.io/library/nginx:1.27.3, …@sha256:…); repeatable
  --chart REF          a Helm chart in an OCI registry (oci://ghcr.io/org/charts/app:1.2.0); repeatable
  --platform P         keep only this platform of multi-platform images (linux/amd64, linux/arm64/v8);
                       repeatable; default all platforms, the original index byte-exact
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

${REGISTRY_USAGE}`,
  async run(args, { out, signal }) {
    const { values, positionals } = parseCommandArgs('export', args, {
      out: { type: 'string' },
      name: { type: 'string' },
      'volume-size': { type: 'string' },
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
      ...REGISTRY_OPTIONS,
    });
    if (positionals.length > 0) throw new FerryError('USAGE', `Unexpected argument ${positionals[0]}. See ferry export --help.`);
    if (!values.out) throw new FerryError('USAGE', 'Name the bundle folder to create with --out DIR.');
    const images = values.image ?? [];
    const charts = values.chart ?? [];
    const hf = values.hf ?? [];
    const files = values.file ?? [];
    const installer = values['include-installer'];
    if (installer !== undefined) installerFormat(installer);
    if (!values.ollama?.length && images.length === 0 && charts.length === 0 && hf.length === 0 && files.length === 0 && installer === undefined) {
      throw new FerryError(
        'USAGE',
        'Nothing to export: name at least one model (--ollama NAME, see ferry ollama ls), image (--image REF), chart (--chart REF), Hugging Face repo (--hf REPO, see ferry hf ls) or file (--file PATH).',
      );
    }
    const volumeSize = parseVolumeSize(values['volume-size'] ?? 'fat32');
    const platforms = values.platform ?? [];
    platforms.forEach(parsePlatform);
    const registries = [...images, ...charts].map((r) => parseReference(r).registry);
    const credentials = await registryCredentials(values, registries);
    const engine = await openEngine({ operator: { ...(values.operator ? { name: values.operator } : {}), ...(values.role ? { role: values.role } : {}) } });
    const progress = out.json ? undefined : terminalProgress('export');
    try {
      const result = await runExport(
        engine,
        {
          out: values.out,
          ...(values.name ? { name: values.name } : {}),
          volumeSize,
          ...(values.ollama?.length ? { ollama: { store: values['ollama-store'] ?? defaultOllamaStore(), models: values.ollama } } : {}),
          images,
          charts,
          platforms,
          registry: registryAccess(values),
          ...(hf.length > 0 ? { hf: { cache: values['hf-cache'] ?? defaultHfCache(), repos: hf } } : {}),
          files,
          ...(installer ? { installer } : {}),
        },
        { signal, credentials, ...(progress ? { onProgress: progress.update } : {}), ...(values.approval ? { approval: values.approval } : {}) },
      );
      progress?.done();
      out.result({ ok: true, result: { ...result, signer: engine.siteKey.fingerprint } });
      out.line(`Bundle written to ${result.dir}`);
      out.line(`  bundle digest  ${result.bundleDigest}`);
      out.line(`  signer         ${engine.siteKey.fingerprint}`);
      out.line(`  volumes        ${result.volumes.length} (${formatBytes(result.tarSize)} in all)`);
      for (const v of result.volumes) out.line(`    ${v.file}  ${formatBytes(v.size)}  sha256 ${v.sha256}`);
      out.line('  artifacts');
      for (const a of result.artifacts) out.line(`    ${artifactLine(a)}`);
      out.line(`Check it by hand with the commands in ${result.dir}/VERIFY.txt.`);
      return 0;
    } finally {
      progress?.done();
      engine.close();
    }
  },
};
