/** What travels with an image or chart, in the words the wizard and the CLI use: "3 signatures, 1 SBOM carried". */
export interface AttachedCounts {
  signature: number;
  attestation: number;
  sbom: number;
  referrer: number;
}

const WORDS: Record<keyof AttachedCounts, [string, string]> = {
  signature: ['signature', 'signatures'],
  attestation: ['attestation', 'attestations'],
  sbom: ['SBOM', 'SBOMs'],
  referrer: ['OCI referrer', 'OCI referrers'],
};

export function attachedWords(counts: AttachedCounts): string {
  const parts = (Object.keys(WORDS) as (keyof AttachedCounts)[]).filter((k) => counts[k] > 0).map((k) => `${counts[k]} ${WORDS[k][counts[k] === 1 ? 0 : 1]}`);
  return parts.length === 0 ? 'None attached' : `${parts.join(', ')} carried`;
}
