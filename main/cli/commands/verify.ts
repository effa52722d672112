import path from 'node:path';
import type { VerifyJobResult } from '../../../shared/rpc.js';
import { formatBytes } from '../../../shared/sizes.js';
import { parseCommandArgs, onePositional } from '../args.js';
import { withClient } from '../client.js';
import type { Command } from '../command.js';
import { followJob } from '../job.js';
import type { Output } from '../output.js';

function printVerifyReport(out: Output, report: VerifyJobResult): void {
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
    const dir = path.resolve(onePositional('verify', positionals, 'bundle folder'));
    const trust = (values.trust ?? []).map((file) => path.resolve(file));
    const report = await withClient(values, (client) =>
      followJob(client, () => client.call('import.verify', { dir, ...(trust.length > 0 ? { trust } : {}), ...(values.deep ? { deep: true } : {}) }), {
        signal,
        progressLabel: out.json ? undefined : 'verify',
      }),
    );
    out.result({ ok: report.ok, result: report });
    printVerifyReport(out, report);
    return report.ok ? 0 : 3;
  },
};
