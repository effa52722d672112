import type { z } from 'zod';
import type { MethodTable } from '../../shared/contract/method-table.js';
import type { RegistryAccess } from '../../shared/rpc.js';
import type { Engine } from '../engine.js';
import type { JobSecrets } from '../jobs/messages.js';
import type { JobRunner } from '../jobs/runner.js';
import { readCaFile } from '../registry/client.js';
import type { CredentialStore } from '../registry/credential-store.js';
import { credentialSource, type Credential, type CredentialSource } from '../registry/credentials.js';
import type { PathGrants } from './grants.js';

/** What every method is called with: the engine, the job runner, the path policy, the face that asked. */
export interface HandlerContext {
  engine: () => Engine;
  reopenEngine: () => Promise<void>;
  runner: JobRunner;
  grants: PathGrants;
  transport: 'electron' | 'browser' | 'cli';
  pickFolder?: (title: string) => Promise<string | null>;
  pickFiles?: (title: string) => Promise<string[]>;
  /** Electron only: saves the focused window as a PDF where the user chooses; null when they cancel. */
  printToPdf?: (suggestedName: string) => Promise<string | null>;
  credentials: CredentialStore;
  /** The CLI only: credentials typed on its command line, by registry (DispatcherOptions.typedCredentials). */
  typedCredentials?: ReadonlyMap<string, Credential>;
}

/** A feature's implementation of its contract table: each method takes its parsed params and the dispatcher's context. */
export type Methods<T extends MethodTable> = {
  [M in keyof T]: (params: z.output<T[M]['params']>, ctx: HandlerContext) => Promise<z.output<T[M]['result']>>;
};

/** Credentials for these registries: typed on the command line, else remembered in the app, else docker's config. */
export async function credentialsFor(ctx: HandlerContext, registries: readonly string[]): Promise<{ source: CredentialSource; secrets: JobSecrets }> {
  const credentials: JobSecrets['credentials'] = [];
  let typed = false;
  for (const registry of new Set(registries)) {
    const given = ctx.typedCredentials?.get(registry) ?? (await ctx.credentials.get(registry));
    typed ||= ctx.typedCredentials?.has(registry) === true;
    if (given) credentials.push([registry, given]);
  }
  return { source: credentialSource({ given: new Map(credentials), givenOrigin: typed ? 'given' : 'remembered' }), secrets: { credentials } };
}

/** Registry access from a face, its CA file (a declared path, already checked) read now so a wrong file is named before any job starts. */
export function accessOf(access: RegistryAccess | undefined): RegistryAccess {
  if (access?.caFile) readCaFile(access.caFile);
  return access ?? {};
}
