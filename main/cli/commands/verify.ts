import { formatBytes } from '../../bundle/volume-size.js';
import { verifyBundle, verifyResultOf, type VerifyReport } from '../../bundle/verify.js';
import { openEngine } from '../../engine.js';
import { readTrustFiles } from '../../keys/keys.js';
import { trustedKeysFor } from '../../transfer/import.js';
import { parseCommandArgs, onePositional } from '../args.js';
import type { Command } from '../command.js';
import type { Output } from '../output.js';
import { terminalProgress } from '../../util/progress.js';

export function printVerifyReport(out: Output, report: VerifyReport): void {
  out.line(`Bundle ${report.name} in ${report.dir}`);
  out.line(`  bundle digest  ${report.bundleDigest}`);
  out.line(`  signer         ${report.signer.fingerprint} (signature valid; ${report.signer.trusted ? 'trusted' : 'NOT trusted'})`);
  out.line(`  volumes${report.deep ? ' (and every blob, --deep)' : ''}`);
  for (const v of report.volumes) out.line(`    ${v.status === 'ok' ? 'OK      ' : v.status.toUpperCase().padEnd(8)}  ${v.file}  ${formatBytes(v.size)}`);
  for (const p of report.problems) out.line(`  problem: ${p.message}`);
  out.line(report.ok ? 'Verified: signed by a trusted key, every volume and the contents match.' : 'REFUSED: see the problems above.');
}

export const verifyCommand: Command = {
  name: 'verify',
  usage: `ferry verify DIR [--trust PUB.pem]... [--deep] [--json]

  --trust PUB.pem   trust this signer for this run (beside keys pinned with ferry keys trust)
  --deep            also re-hash every blob against its digest
  Exit codes: 0 verified, 3 refused (integrity, signature or trust), 1 failed, 2 usage.`,
  async run(args, { out, signal }) {
    const { values, positionals } = parseCommandArgs('verify', args, { trust: { type: 'string', multiple: true }, deep: { type: 'boolean' } });
    const dir = onePositional('verify', positionals, 'bundle folder');
    const extra = await readTrustFiles(values.trust ?? []);
    const engine = await openEngine();
    const progress = out.json ? undefined : terminalProgress('verify');
    try {
      const report = await verifyBundle(dir, {
        trusted: await trustedKeysFor(engine, extra),
        deep: Boolean(values.deep),
        signal,
        ...(progress ? { onProgress: progress.update } : {}),
      });
      progress?.done();
      out.result({ ok: report.ok, result: verifyResultOf(report) });
      printVerifyReport(out, report);
      return report.ok ? 0 : 3;
    } finally {
      progress?.done();
      engine.close();
    }
  },
};
