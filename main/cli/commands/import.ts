import { openEngine } from '../../engine.js';
import { readTrustFiles } from '../../keys/keys.js';
import { runImport } from '../../transfer/import.js';
import { parseCommandArgs, onePositional } from '../args.js';
import type { Command } from '../command.js';
import { terminalProgress } from '../../util/progress.js';

export const importCommand: Command = {
  name: 'import',
  usage: `ferry import DIR [--trust PUB.pem]... [--to-ollama-store DIR] [--json]

  --trust PUB.pem          trust this signer for this run (beside keys pinned with ferry keys trust)
  --to-ollama-store DIR    the Ollama store to install models into (a mounted PVC or NFS share)
  Nothing is written before the signature (by a trusted key) and every volume are verified.
  Exit codes: 0 imported, 3 refused (integrity, signature or trust), 1 failed, 2 usage.`,
  async run(args, { out, signal }) {
    const { values, positionals } = parseCommandArgs('import', args, { trust: { type: 'string', multiple: true }, 'to-ollama-store': { type: 'string' } });
    const dir = onePositional('import', positionals, 'bundle folder');
    const trust = await readTrustFiles(values.trust ?? []);
    const engine = await openEngine({ actor: { ...(values.operator ? { name: values.operator } : {}), ...(values.role ? { role: values.role } : {}) } });
    const progress = out.json ? undefined : terminalProgress('import');
    try {
      const result = await runImport(
        engine,
        { dir, trust, ...(values['to-ollama-store'] ? { toOllamaStore: values['to-ollama-store'] } : {}) },
        { signal, ...(progress ? { onProgress: progress.update } : {}) },
      );
      progress?.done();
      out.result({ ok: true, result });
      out.line(`Imported bundle ${result.bundleDigest}`);
      out.line(`  signed by ${result.signer.fingerprint} (trusted)`);
      for (const a of result.artifacts) {
        if (a.status === 'imported') out.line(`  ${a.ref}  model ID ${a.modelId}  -> ${a.destination}  (${a.blobsWritten} blobs written, ${a.blobsAlreadyPresent} already there)`);
        else out.line(`  ${a.ref}  skipped: ${a.reason}`);
      }
      return 0;
    } finally {
      progress?.done();
      engine.close();
    }
  },
};
