import { z } from 'zod';
import { BUNDLE_NAME_CHARACTERS, BUNDLE_NAME_MAX, BUNDLE_NAME_PATTERN } from './bundle-name.js';

/** The contract of BUNDLE.json, bundle format v1 (see the design's bundle-format.md). */
export const Sha256Digest = z.string().regex(/^sha256:[0-9a-f]{64}$/, 'expected sha256:<64 hex>');
export const Hex64 = z.string().regex(/^[0-9a-f]{64}$/, 'expected 64 hex characters');
export const BundleName = z.string().min(1).max(BUNDLE_NAME_MAX).regex(BUNDLE_NAME_PATTERN, BUNDLE_NAME_CHARACTERS);
const Size = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);

/**
 * The largest manifest or index a bundle may carry: each is held in memory while it is checked.
 * Registries commonly refuse more than 4 MiB (REGISTRY_MANIFEST_LIMIT); the push says so plainly.
 */
export const MAX_MANIFEST_BYTES = 16 * 1024 * 1024;

export const ArtifactKind = z.enum(['ollama-model', 'hf-repo', 'image', 'helm-chart', 'files']);
export type ArtifactKind = z.infer<typeof ArtifactKind>;

export const BundleArtifact = z.looseObject({
  kind: ArtifactKind,
  ref: z.string().min(1).max(512),
  mediaType: z.string().min(1),
  digest: Sha256Digest,
  size: Size,
  /** Sum of the manifest and every blob it names. */
  contentSize: Size,
  modelId: z.string().optional(),
  family: z.string().optional(),
  parameters: z.string().optional(),
  quantization: z.string().optional(),
  licensePresent: z.boolean().optional(),
});
export type BundleArtifact = z.infer<typeof BundleArtifact>;

export const BundleVolume = z.object({ file: z.string().min(1), size: Size, sha256: Hex64 });
export type BundleVolume = z.infer<typeof BundleVolume>;

export const BundleBlob = z.object({ digest: Sha256Digest, size: Size, offset: Size });
export type BundleBlob = z.infer<typeof BundleBlob>;

export const CarriedLedger = z.object({
  /** The exporter's checkpoint text, exactly as signed. */
  checkpoint: z.string(),
  /** base64 of the DER signature over the checkpoint text, by the bundle's signer. */
  checkpointSignature: z.string(),
  /** This bundle's own ledger lines on the exporting side, as stored. */
  lines: z.array(z.string()),
});
export type CarriedLedger = z.infer<typeof CarriedLedger>;

export const BundleIndex = z.object({
  formatVersion: z.literal(1),
  name: BundleName,
  createdAt: z.string(),
  createdBy: z.object({ operator: z.string(), host: z.string(), ferryVersion: z.string() }),
  signer: Hex64,
  previousBundle: Sha256Digest.nullable(),
  volumeSize: Size,
  volumes: z.array(BundleVolume).min(1),
  tar: z.object({ size: Size }),
  artifacts: z.array(BundleArtifact),
  blobs: z.array(BundleBlob),
  ledger: CarriedLedger,
});
export type BundleIndex = z.infer<typeof BundleIndex>;
