// The artifact kinds, registered for whatever the dispatcher serves (Electron, the browser host, the CLI).
import '../kinds.js';
import { methods, type Envelope, type MethodName, type RpcEvent } from '../../shared/rpc.js';
import { openEngine, type Engine } from '../engine.js';
import { JobRunner } from '../jobs/runner.js';
import { ferryHome } from '../util/home.js';
import { FerryError, toEnvelope } from '../util/errors.js';
import { CredentialStore, type SecretBox } from '../registry/credential-store.js';
import type { Credential } from '../registry/credentials.js';
import { browseRoots } from './browse-roots.js';
import { PathGrants, type PathPolicy } from './grants.js';
import { LedgerWatch } from './ledger-watch.js';
import { checkDeclaredPaths } from './path-params.js';
import { defaultHfCache } from '../hf/cache.js';
import { defaultOllamaStore } from '../ollama/store.js';
import type { HandlerContext } from './context.js';
import { handlers } from './handlers.js';

export interface DispatcherOptions {
  /** FERRY_HOME; defaults to ferryHome(). */
  home?: string;
  /** 'cli': the in-process client of the ferry command (main/cli/client.ts). */
  transport: 'electron' | 'browser' | 'cli';
  /** Electron only: native folder and file dialogs opened by the main side. */
  pickFolder?: (title: string) => Promise<string | null>;
  pickFiles?: (title: string) => Promise<string[]>;
  /** Electron only: printToPDF of the window, saved where the user chooses. */
  printToPdf?: (suggestedName: string) => Promise<string | null>;
  /** Electron only: safeStorage, so remembered registry credentials survive a restart encrypted. */
  secretBox?: SecretBox;
  /** The CLI only: credentials typed on its command line (--username with --password-stdin), by registry; used first, kept in memory. */
  typedCredentials?: ReadonlyMap<string, Credential>;
  /** Browser host only: folders its folder browser offers besides home, removable media and the default stores (`ferry serve --root`). */
  browseRoots?: readonly string[];
}

/** Who stands behind the transport decides which paths it may use (see PathGrants). */
function pathPolicyOf(opts: DispatcherOptions): PathPolicy {
  if (opts.transport === 'cli') return { mode: 'open' };
  if (opts.transport === 'electron') return { mode: 'granted' };
  const stores = [
    { path: defaultOllamaStore(), label: 'Ollama store' },
    { path: defaultHfCache(), label: 'Hugging Face cache' },
  ];
  return { mode: 'roots', roots: () => browseRoots({ stores, extra: opts.browseRoots ?? [] }) };
}

/**
 * The one dispatcher both transports bind: validates every request against shared/rpc.ts, checks the
 * paths each method declares against the face's path policy, calls the method, answers an envelope.
 */
export interface Dispatcher {
  handle(method: string, params: unknown): Promise<Envelope<unknown>>;
  onEvent(listener: (event: RpcEvent) => void): () => void;
  close(): Promise<void>;
}

function isMethod(name: string): name is MethodName {
  return Object.prototype.hasOwnProperty.call(methods, name);
}

/**
 * The app restarted: the folders and files of the jobs it kept were chosen with the picker when
 * those jobs started, so they stay chosen (Resume, and going back to a step of that job, need them).
 * Only the paths each job's method declares are granted, nothing a job file could add.
 */
function keepGrantsOfKeptJobs(grants: PathGrants, runner: JobRunner): PathGrants {
  if (grants.policy.mode !== 'granted') return grants;
  for (const job of runner.list()) {
    for (const spec of Object.values(methods) as { job?: string; paths?: readonly string[] }[]) {
      if (spec.job !== job.kind || !spec.paths) continue;
      // A method takes the job's request as its params, or wrapped as `request` (beside a login).
      const wrapped = spec.paths.some((p) => p.startsWith('request.'));
      const paths = wrapped ? spec.paths.filter((p) => p.startsWith('request.')).map((p) => p.slice('request.'.length)) : spec.paths;
      checkDeclaredPaths(job.request, paths, (value) => grants.grant(value));
    }
  }
  return grants;
}

export async function createDispatcher(opts: DispatcherOptions): Promise<Dispatcher> {
  const home = opts.home ?? ferryHome();
  let engine: Engine = await openEngine({ home });
  const runner = await JobRunner.open(home, { adopt: opts.transport !== 'cli' });
  const listeners = new Set<(event: RpcEvent) => void>();
  const emit = (event: RpcEvent) => {
    for (const listener of listeners) listener(event);
  };
  runner.onUpdate((job) => emit({ event: 'job.updated', data: job }));
  const ledgerWatch = new LedgerWatch(
    () => engine.ledger.head(),
    (head) => emit({ event: 'ledger.appended', data: head }),
  );
  const ctx: HandlerContext = {
    engine: () => engine,
    reopenEngine: async () => {
      const next = await openEngine({ home });
      engine.close();
      engine = next;
    },
    runner,
    grants: keepGrantsOfKeptJobs(new PathGrants(pathPolicyOf(opts)), runner),
    transport: opts.transport,
    ...(opts.pickFolder ? { pickFolder: opts.pickFolder } : {}),
    ...(opts.pickFiles ? { pickFiles: opts.pickFiles } : {}),
    ...(opts.printToPdf ? { printToPdf: opts.printToPdf } : {}),
    credentials: new CredentialStore(home, opts.secretBox),
    ...(opts.typedCredentials ? { typedCredentials: opts.typedCredentials } : {}),
  };

  return {
    async handle(method, params) {
      try {
        if (typeof method !== 'string' || !isMethod(method)) throw new FerryError('USAGE', `Unknown method ${String(method).slice(0, 80)}.`);
        const spec = methods[method];
        const parsed = spec.params.safeParse(params ?? {});
        if (!parsed.success) {
          const issue = parsed.error.issues[0]!;
          throw new FerryError('USAGE', `${method}: ${issue.path.join('.') || 'params'}: ${issue.message}.`, { field: issue.path.join('.') });
        }
        const declared: readonly string[] = 'paths' in spec ? spec.paths : [];
        const checked = checkDeclaredPaths(parsed.data, declared, (p, field) => ctx.grants.check(p, field));
        const handler = handlers[method]!;
        const result = await handler(checked, ctx);
        ledgerWatch.check();
        return { ok: true, result };
      } catch (err) {
        return { ok: false, error: toEnvelope(err) };
      }
    },
    onEvent(listener) {
      listeners.add(listener);
      ledgerWatch.start();
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0) ledgerWatch.stop();
      };
    },
    async close() {
      ledgerWatch.stop();
      listeners.clear();
      await runner.close();
      engine.close();
    },
  };
}
