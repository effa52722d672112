/** Shapes several features share: paths, references, registry access, people and media. */
import { z } from 'zod';

export const Path = z.string().min(1).max(4096);

export const Empty = z.object({}).strict();

/** A folder's name inside another folder: no separators, not . or .. */
export const FolderName = z
  .string()
  .trim()
  .min(1)
  .max(255)
  .refine((n) => n !== '.' && n !== '..' && !/[/\\\0]/.test(n), 'must be a folder name, not a path');

/** A platform of a multi-platform image: OS/ARCH or OS/ARCH/VARIANT. */
export const Platform = z
  .string()
  .trim()
  .regex(/^[^/\s]+\/[^/\s]+(\/[^/\s]+)?$/, 'must be OS/ARCH or OS/ARCH/VARIANT, e.g. linux/amd64 or linux/arm64/v8')
  .max(64);

/** How to reach a registry: the wizard's form, the CLI's --plain-http, --skip-tls-verify, --ca-file. */
export const RegistryAccess = z.object({
  plainHttp: z.boolean().optional(),
  skipTlsVerify: z.boolean().optional(),
  /** A file of CA certificates (PEM) trusted beside the system's: a path the user chose with Ferry's file picker; the host reads it. */
  caFile: Path.optional(),
});

export type RegistryAccess = z.infer<typeof RegistryAccess>;

/** Credentials typed into the wizard. Never persisted in job state, logs or the ledger. */
export const RegistryLogin = z.object({ username: z.string().min(1).max(256), password: z.string().min(1).max(8192) });

export type RegistryLogin = z.infer<typeof RegistryLogin>;

export const Reference = z.string().trim().min(1).max(512);

/** The person at the keyboard, as they name themselves (asserted, not authenticated). */
export const Person = z.object({ name: z.string().trim().min(1).max(120), role: z.string().trim().min(1).max(60).optional() });

export type Person = z.infer<typeof Person>;

export const MediaType = z.enum(['usb', 'external-disk', 'dvd-r', 'dvd-r-dl', 'bd-r', 'sd-card', 'other']);

export type MediaType = z.infer<typeof MediaType>;

/** One physical medium as the security officer records it. */
export const MediaRecord = z.object({
  /** Serial number or asset tag: what identifies this medium in every later event. */
  id: z.string().trim().min(1).max(120),
  label: z.string().trim().min(1).max(200),
  type: MediaType,
  /** Tamper-evident seal number, when sealed. */
  seal: z.string().trim().min(1).max(120).optional(),
});

export type MediaRecord = z.infer<typeof MediaRecord>;

export const CredentialStorage = z.enum(['os-keychain', 'plain-text', 'memory']);

/** Where a registry's credentials came from: typed for this call, remembered in Ferry, docker's config.json, a docker credential helper, or nowhere. */
export const CredentialOrigin = z.union([z.enum(['given', 'remembered', 'docker-config', 'none']), z.string().regex(/^helper \S+$/)]);

export type CredentialStorage = z.infer<typeof CredentialStorage>;

export const Outcome = z.enum(['ok', 'failed', 'pending']);

export type Outcome = z.infer<typeof Outcome>;
