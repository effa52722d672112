/** Registries: resolving references, testing a connection, remembered credentials. */
import { z } from 'zod';
import { ErrorEnvelope } from '../errors.js';
import { CredentialOrigin, CredentialStorage, Platform, Reference, RegistryAccess, RegistryLogin } from './common.js';
import type { MethodTable } from './method-table.js';

export const ResolvedReference = z.object({
  /** The reference as typed. */
  input: z.string(),
  kind: z.enum(['image', 'helm-chart']),
  ok: z.boolean(),
  /** The reference as the bundle records it (docker.io/library/nginx:1.27.3). */
  ref: z.string().optional(),
  digest: z.string().optional(),
  mediaType: z.string().optional(),
  /** Manifest plus every blob carried. */
  size: z.number().optional(),
  /** Platforms carried. */
  platforms: z.array(z.string()).optional(),
  /** Platforms the source index offers. */
  available: z.array(z.object({ platform: z.string(), digest: z.string(), size: z.number() })).optional(),
  credentials: CredentialOrigin,
  /** What the source holds attached to it and the export carries: cosign signatures, attestations, SBOMs, OCI referrers. */
  attached: z.object({ signature: z.number(), attestation: z.number(), sbom: z.number(), referrer: z.number() }).optional(),
  /** Attached things that could not be fetched: the export goes on without them. */
  warnings: z.array(z.string()).optional(),
  error: ErrorEnvelope.optional(),
});

export type ResolvedReference = z.infer<typeof ResolvedReference>;

export const registryMethods = {
  /** Resolves image and chart references to digests, platforms and sizes, as the Images & charts tab shows them. */
  'registry.resolve': {
    params: z.object({
      refs: z
        .array(z.object({ ref: Reference, kind: z.enum(['image', 'helm-chart']) }))
        .min(1)
        .max(200),
      platforms: z.array(Platform).max(16).default([]),
      access: RegistryAccess.optional(),
      /** false: do not look for what is attached (the export's signatures: false). */
      signatures: z.boolean().optional(),
    }),
    paths: ['access.caFile'],
    result: z.object({ items: z.array(ResolvedReference) }),
  },
  /** Checks a registry target answers the v2 API with these credentials; `remember` keeps them for later jobs. */
  'registry.test': {
    params: z.object({
      target: z.string().trim().min(1).max(512),
      access: RegistryAccess.optional(),
      login: RegistryLogin.optional(),
      remember: z.boolean().optional(),
    }),
    paths: ['access.caFile'],
    result: z.object({
      registry: z.string(),
      prefix: z.string(),
      authenticated: z.boolean(),
      credentials: CredentialOrigin,
      /** How remembered credentials are kept: the OS keychain, Electron's plain-text fallback, or this session's memory. */
      storage: CredentialStorage,
    }),
  },
  /** Forgets credentials remembered for a registry host. */
  'registry.forget': { params: z.object({ registry: z.string().trim().min(1).max(300) }), result: z.object({ forgotten: z.boolean() }) },
} as const satisfies MethodTable;
