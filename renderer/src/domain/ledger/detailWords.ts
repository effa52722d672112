import { groupedHex } from '../../lib/format';

/**
 * The words a person reads for an event's detail keys: the report names them as the ledger stores
 * them (`signer.signatureValid`, `targets.ollama-store`); screens and papers never show those.
 */
const KNOWN: Record<string, string> = {
  'signer.signatureValid': 'Signature valid',
  'signer.fingerprint': 'Signer fingerprint',
  'signer.trusted': 'Signer trusted',
  'targets.ollama-store': 'Target: Ollama store',
  'targets.hf-cache': 'Target: Hugging Face cache',
  'targets.dir': 'Target: folder',
  'targets.registry': 'Target: registry',
  'medium.id': 'Media ID',
  'medium.label': 'Label',
  'medium.type': 'Media type',
  'medium.seal': 'Seal',
  sealIntact: 'Seal intact',
  sha256: 'SHA-256',
  dir: 'Folder',
  previousBundle: 'Previous bundle',
  approvedBy: 'Approved by',
  verifiedBy: 'Verified by',
};

const ACRONYMS: Record<string, string> = { id: 'ID', hf: 'HF', oci: 'OCI', sha256: 'SHA-256', url: 'URL', pem: 'PEM' };

function words(part: string): string {
  return part
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .split(/[\s_-]+/)
    .filter(Boolean)
    .map((w) => ACRONYMS[w.toLowerCase()] ?? w.toLowerCase())
    .join(' ');
}

const capitalized = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/** "signer.signatureValid" → "Signature valid"; "exporter.checkpointValid" → "Exporter: checkpoint valid". */
export function detailLabel(key: string): string {
  if (KNOWN[key]) return KNOWN[key];
  return capitalized(key.split('.').map(words).join(': '));
}

/** Booleans read as Yes and No. */
export function detailValue(value: string): string {
  return value === 'true' ? 'Yes' : value === 'false' ? 'No' : value;
}

/** Every bare 64-hex fingerprint in a sentence, grouped (digests keep their sha256: form). */
export function groupFingerprints(text: string): string {
  return text.replace(/(?<![:0-9a-f])[0-9a-f]{64}(?![0-9a-f])/g, groupedHex);
}
