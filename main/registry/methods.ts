import { sha256Digest } from '../bundle/plan.js';
import { accessOf, credentialsFor, type Methods } from '../rpc/context.js';
import { toEnvelope } from '../util/errors.js';
import { RegistryClient } from './client.js';
import { RegistryClients } from './clients.js';
import { credentialSource } from './credentials.js';
import { parsePlatform } from './manifest.js';
import { attachedArtifacts } from '../provenance/attached.js';
import { resolveArtifact } from './pull.js';
import { parseReference, parseRegistryTarget } from './reference.js';
import type { registryMethods } from '../../shared/contract/registry.js';

export const registryHandlers: Methods<typeof registryMethods> = {
  async 'registry.resolve'(params, ctx) {
    const registries = params.refs.map((r) => {
      try {
        return parseReference(r.ref).registry;
      } catch {
        return null;
      }
    });
    const { source } = await credentialsFor(
      ctx,
      registries.filter((r): r is string => r !== null),
    );
    const clients = new RegistryClients(source, accessOf(params.access));
    try {
      const choice = params.platforms.length > 0 ? params.platforms.map(parsePlatform) : 'all';
      const items = await Promise.all(
        params.refs.map(async ({ ref: input, kind }) => {
          let credentials = 'none';
          try {
            const ref = parseReference(input);
            credentials = (await source.lookup(ref.registry).catch(() => ({ origin: 'none' }))).origin;
            const client = clients.get(ref.registry);
            const resolved = await resolveArtifact(client, ref, kind, kind === 'image' ? choice : 'all');
            const attached = params.signatures === false ? undefined : await attachedArtifacts(client, ref, sha256Digest(resolved.input.manifest));
            const unique = new Map(resolved.input.blobs.map((b) => [b.digest, b.size]));
            const size = resolved.input.manifest.length + [...unique.values()].reduce((sum, n) => sum + n, 0);
            return {
              input,
              kind,
              ok: true,
              ref: resolved.ref,
              digest: sha256Digest(resolved.input.manifest),
              mediaType: resolved.input.mediaType,
              size,
              platforms: resolved.platforms,
              available: resolved.available,
              credentials,
              ...(attached ? { attached: attached.counts } : {}),
              ...(attached?.warnings.length ? { warnings: attached.warnings } : {}),
            };
          } catch (err) {
            return { input, kind, ok: false, credentials, error: toEnvelope(err) };
          }
        }),
      );
      return { items };
    } finally {
      await clients.close();
    }
  },
  async 'registry.test'(params, ctx) {
    const target = parseRegistryTarget(params.target);
    const given = params.login ? { username: params.login.username, password: params.login.password } : await ctx.credentials.get(target.registry);
    const source = given
      ? credentialSource({ given: new Map([[target.registry, given]]), givenOrigin: params.login ? 'given' : 'remembered' })
      : credentialSource();
    const client = new RegistryClient(target.registry, source, accessOf(params.access));
    try {
      const { authenticated } = await client.ping();
      const origin = authenticated ? (await source.lookup(target.registry)).origin : 'none';
      if (params.login && params.remember) await ctx.credentials.remember(target.registry, params.login);
      return { registry: target.registry, prefix: target.prefix, authenticated, credentials: origin, storage: ctx.credentials.storage };
    } finally {
      await client.close();
    }
  },
  async 'registry.forget'(params, ctx) {
    return { forgotten: await ctx.credentials.forget(params.registry) };
  },
};
