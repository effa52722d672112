import path from 'node:path';
import type { Result } from '../../../shared/rpc.js';
import { groupedHex } from '../../../shared/hex-groups.js';
import { FerryError } from '../../util/errors.js';
import { onePositional, parseCommandArgs } from '../args.js';
import { withClient } from '../client.js';
import type { Command } from '../command.js';
import type { Output } from '../output.js';
import { REGISTRY_OPTIONS, REGISTRY_USAGE, registryAccess, typedCredentials } from '../registry-options.js';
import { parseReference } from '../../registry/reference.js';

function printFacts(out: Output, predicate: Record<string, unknown>): void {
  const p = predicate as {
    bundle?: { digest?: string; name?: string };
    exporter?: { signer?: string; checkpoint?: { count?: number; head?: string } | null; checkpointValid?: boolean };
    importer?: { signer?: string; checkpoint?: { count?: number; head?: string } };
    approvals?: { by?: { name?: string; role?: string }; at?: string; signer?: string }[];
    media?: string[];
    exportedAt?: string;
    importedAt?: string;
  };
  out.line(`    bundle         ${p.bundle?.name ?? '?'} ${p.bundle?.digest ?? ''}`);
  out.line(`    exported       ${p.exportedAt ?? '?'}, signed by ${p.exporter?.signer ? groupedHex(p.exporter.signer) : '?'}`);
  if (p.exporter?.checkpoint)
    out.line(
      `    exporter's ledger ${p.exporter.checkpoint.count} lines, head ${p.exporter.checkpoint.head} (${p.exporter.checkpointValid ? 'signature valid' : 'SIGNATURE NOT VALID'})`,
    );
  out.line(`    imported       ${p.importedAt ?? '?'} by the site ${p.importer?.signer ? groupedHex(p.importer.signer) : '?'}`);
  if (p.importer?.checkpoint) out.line(`    importer's ledger ${p.importer.checkpoint.count} lines, head ${p.importer.checkpoint.head}`);
  for (const a of p.approvals ?? [])
    out.line(
      `    approved by    ${a.by?.name ?? '?'}${a.by?.role ? ` (${a.by.role})` : ''} at ${a.at ?? '?'}${a.signer ? `, signed with ${a.signer.slice(0, 16)}…` : ''}`,
    );
  if (p.media?.length) out.line(`    media          ${p.media.join(', ')}`);
}

function printVerified(out: Output, r: Result<'provenance.verify'>): void {
  out.line(`${r.ref} is ${r.digest}`);
  if (r.attestations.length === 0) out.line('  no Ferry transfer attestation is attached to it');
  for (const a of r.attestations) {
    out.line(`  ${a.valid ? 'VALID' : 'NOT VALID'}  attestation ${a.envelope} (${a.stored === 'tag' ? "cosign's .att tag" : 'an OCI referrer'})`);
    if (a.signer) out.line(`    signed by      ${groupedHex(a.signer)}${a.signerName ? ` (${a.signerName})` : ''}`);
    if (a.problem) out.line(`    problem        ${a.problem}`);
    if (a.valid && a.predicate) printFacts(out, a.predicate);
  }
}

export const provenanceCommand: Command = {
  name: 'provenance',
  usage: `ferry provenance verify IMAGE_REF [--key PUB.pem]... [--json]

  Fetches Ferry's transfer attestations attached to an image, chart or model in a registry (an OCI
  referrer, or cosign's sha256-<hex>.att tag), checks each DSSE signature and that its subject is the
  reference's digest, and prints the transfer it records: bundle, exporting and importing sites,
  approvals, media, times.
  --key PUB.pem   a key that may have signed it (the importing site's site.pub.pem); repeatable;
                  default this site's own key and the keys it trusts
  Exit codes: 0 a valid attestation, 3 none (missing, altered or signed by another key), 1 failed, 2 usage.

${REGISTRY_USAGE}`,
  async run(args, { out }) {
    const { values, positionals } = parseCommandArgs('provenance', args, { key: { type: 'string', multiple: true }, ...REGISTRY_OPTIONS });
    const [sub, ...rest] = positionals;
    if (sub !== 'verify') throw new FerryError('USAGE', 'Use ferry provenance verify IMAGE_REF. See ferry provenance --help.');
    const ref = onePositional('provenance verify', rest, 'image, chart or model reference');
    const registry = parseReference(ref).registry;
    const keys = (values.key ?? []).map((file) => path.resolve(file));
    const credentials = await typedCredentials(values, [registry]);
    const result = await withClient(
      values,
      (client) => client.call('provenance.verify', { ref, ...(keys.length > 0 ? { keys } : {}), access: registryAccess(values) }),
      credentials,
    );
    const ok = result.attestations.some((a) => a.valid);
    out.result({ ok, result });
    printVerified(out, result);
    if (!ok) out.line(`REFUSED: no valid Ferry transfer attestation for ${result.digest}.`);
    return ok ? 0 : 3;
  },
};
