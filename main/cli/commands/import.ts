import path from 'node:path';
import { ImportRequest, type ImportJobResult } from '../../../shared/contract/job-kinds.js';
import { parseRegistryTarget } from '../../registry/reference.js';
import { contractRequest } from '../contract-request.js';
import { parseVolumeSize } from '../../bundle/volume-size.js';
import { FerryError } from '../../util/errors.js';
import { parseCommandArgs, onePositional } from '../args.js';
import type { Command } from '../command.js';
import { assertSignAsFlags, SIGN_AS_OPTIONS, signAsFromStdin } from '../sign-as.js';
import type { Output } from '../output.js';
import { REGISTRY_OPTIONS, REGISTRY_USAGE, registryAccess, typedCredentials } from '../registry-options.js';
import { withClient } from '../client.js';
import { followJob } from '../job.js';

function report(out: Output, result: ImportJobResult): void {
  out.line(`Imported bundle ${result.bundleDigest}`);
  out.line(`  signed by ${result.signer.fingerprint} (trusted)`);
  for (const a of result.artifacts) {
    if (a.status !== 'imported') out.line(`  ${a.ref}  skipped: ${a.reason}`);
    else if (a.target === 'registry') {
      out.line(`  ${a.ref}  -> ${a.destination}@${a.digest}  (${a.blobsWritten} blobs uploaded, ${a.blobsAlreadyPresent} already there)`);
      if (a.pull) out.line(`      pull it with: ${a.pull}`);
    } else if (a.target === 'ollama-store')
      out.line(`  ${a.ref}  model ID ${a.modelId}  -> ${a.destination}  (${a.blobsWritten} blobs written, ${a.blobsAlreadyPresent} already there)`);
    else out.line(`  ${a.ref}  -> ${a.destination}  (${a.blobsWritten} written, ${a.blobsAlreadyPresent} already there)`);
  }
  for (const link of result.linkedFolders ?? []) out.line(`  note: ${link.folder} is a link to ${link.to}, outside the target; used as it is`);
  if (result.valuesFile) out.line(`Helm values with each image's repository, tag and digest: ${result.valuesFile}`);
}

/** Which flag each field of the import request comes from, for refusals. */
const IMPORT_FLAGS = {
  dir: 'the bundle folder',
  trust: '--trust',
  toOllamaStore: 'where to import (--to-ollama-store, --to-hf-cache, --to-dir, --save-installer or --to-registry)',
  toHfCache: '--to-hf-cache',
  toDir: '--to-dir',
  saveInstaller: '--save-installer',
  toRegistry: '--to-registry',
  'toRegistry.target': '--to-registry',
  'toRegistry.concurrency': '--concurrency',
  'toRegistry.chunkSize': '--chunk-size',
  'toRegistry.mapFile': '--map',
  'toRegistry.valuesOut': '--values-out',
  'toRegistry.access.caFile': '--ca-file',
};

export const importCommand: Command = {
  name: 'import',
  usage: `ferry import DIR [--trust PUB.pem]... [--override-reason TEXT --as NAME --passphrase-stdin] [--to-ollama-store DIR] [--to-hf-cache DIR] [--to-dir DIR] [--save-installer DIR] [--to-registry HOST[:PORT][/PREFIX] [--values-out FILE]] [--json]

  --trust PUB.pem          trust this signer for this run (beside keys pinned with ferry keys trust)
  --override-reason TEXT   import a bundle whose signer this site does not trust, once: recorded as
                           import.override with the reason, signed by the enrolled officer --as NAME
                           (passphrase on standard input). Never for a revoked key, a signature that
                           does not verify, or damaged volumes
  --to-ollama-store DIR    the Ollama store to install models into (a mounted PVC or NFS share)
  --to-hf-cache DIR        the Hugging Face cache (HF_HUB_CACHE) to rebuild repos in, for HF_HUB_OFFLINE=1
  --to-dir DIR             the folder plain files (--file on export) are restored into
  --save-installer DIR     where Ferry's own installer (--include-installer on export) is saved;
                           without it, the installer is restored with the files into --to-dir
  --to-registry TARGET     push every artifact (images, charts, models) to this registry, relocated:
                           docker.io/library/nginx:1.27.3 -> TARGET/library/nginx:1.27.3, digests unchanged;
                           Ollama models to HOST/<prefix's last part>/MODEL:TAG, a name ollama pull takes
                           (registry.ollama.ai/library/granite4.1:8b -> harbor.internal/airgap/granite4.1:8b)
  --map FILE               explicit relocations, one "SOURCE-REPOSITORY DESTINATION-REPOSITORY" per line
                           (an Ollama model's destination must be HOST/NAMESPACE/MODEL)
  --values-out FILE        write a Helm values snippet: repository, tag and digest of each image pushed
  --concurrency N          blobs finishing at once while the read goes on (default 3)
  --chunk-size SIZE        a fixed upload chunk size (default: adapts to about 2 s per chunk)

${REGISTRY_USAGE}

  Nothing is written before the signature (by a trusted key), every volume and every blob are
  verified, and every target is checked: names that collide or do not fit, links leading out of
  a target, free space, a Hugging Face commit already installed with other content.
  A push stopped by Ctrl-C or SIGTERM finishes the chunk in flight; run the same command to continue.
  Exit codes: 0 imported, 3 refused (integrity, signature or trust), 1 failed or paused, 2 usage.`,
  async run(args, { out, signal }) {
    const { values, positionals } = parseCommandArgs('import', args, {
      trust: { type: 'string', multiple: true },
      'to-ollama-store': { type: 'string' },
      'to-hf-cache': { type: 'string' },
      'to-dir': { type: 'string' },
      'save-installer': { type: 'string' },
      'to-registry': { type: 'string' },
      map: { type: 'string' },
      'values-out': { type: 'string' },
      concurrency: { type: 'string' },
      'chunk-size': { type: 'string' },
      'override-reason': { type: 'string' },
      ...SIGN_AS_OPTIONS,
      ...REGISTRY_OPTIONS,
    });
    const dir = onePositional('import', positionals, 'bundle folder');
    const registryOnly = ['map', 'values-out', 'concurrency', 'chunk-size', 'username', 'ca-file', 'plain-http', 'skip-tls-verify'] as const;
    const stray = registryOnly.find((flag) => values[flag] !== undefined);
    if (stray && !values['to-registry']) throw new FerryError('USAGE', `--${stray} applies to a registry push: add --to-registry HOST[/PREFIX].`);
    const request = contractRequest(
      'import',
      ImportRequest,
      {
        dir,
        ...(values.trust ? { trust: values.trust } : {}),
        ...(values['to-ollama-store'] ? { toOllamaStore: values['to-ollama-store'] } : {}),
        ...(values['to-hf-cache'] ? { toHfCache: values['to-hf-cache'] } : {}),
        ...(values['to-dir'] ? { toDir: values['to-dir'] } : {}),
        ...(values['save-installer'] ? { saveInstaller: values['save-installer'] } : {}),
        ...(values['to-registry']
          ? {
              toRegistry: {
                target: values['to-registry'],
                access: registryAccess(values),
                ...(values.map ? { mapFile: values.map } : {}),
                ...(values['values-out'] ? { valuesOut: values['values-out'] } : {}),
                ...(values.concurrency !== undefined ? { concurrency: Number(values.concurrency) } : {}),
                ...(values['chunk-size'] ? { chunkSize: parseVolumeSize(values['chunk-size'], '--chunk-size') } : {}),
              },
            }
          : {}),
      },
      IMPORT_FLAGS,
    );
    const overriding = values['override-reason'] !== undefined;
    if (overriding && !values['override-reason']!.trim())
      throw new FerryError('USAGE', 'Say why the refusal is overridden: --override-reason TEXT.', { field: '--override-reason' });
    if (!overriding && values.as !== undefined) throw new FerryError('USAGE', '--as goes with --override-reason on import.', { field: '--as' });
    assertSignAsFlags(values, 'the officer approving the override', overriding);
    if (overriding && values['password-stdin'])
      throw new FerryError(
        'USAGE',
        '--passphrase-stdin and --password-stdin cannot both read standard input: log in to the registry first (docker login), then override.',
        {
          field: '--password-stdin',
        },
      );
    const as = overriding ? await signAsFromStdin(values) : undefined;
    const target = request.toRegistry ? parseRegistryTarget(request.toRegistry.target) : null;
    const credentials = await typedCredentials(values, target ? [target.registry] : []);
    const result = await withClient(
      values,
      async (client) => {
        const override = as ? await client.call('import.override', { dir: path.resolve(dir), reason: values['override-reason']!.trim(), as }) : undefined;
        if (override)
          out.line(
            `Override recorded as ledger line ${override.seq}: bundle ${override.bundle}, signed by the untrusted key ${override.signer}, is imported this once.`,
          );
        const withOverride = override ? { ...request, override: { seq: override.seq } } : request;
        return followJob(client, () => client.call('import.start', { request: withOverride }), { signal, progressLabel: out.json ? undefined : 'import' });
      },
      credentials,
    );
    out.result({ ok: true, result });
    report(out, result);
    return 0;
  },
};
