import { methods, type Job, type MethodName, type Params, type Result } from '../../shared/rpc.js';
import { createDispatcher } from '../rpc/dispatcher.js';
import type { Credential } from '../registry/credentials.js';
import { FerryError } from '../util/errors.js';

/** The CLI's side of the contract: the same methods the wizard calls, in this process, with no transport in between. */
export interface CliClient {
  /** The method's validated result; a failure is thrown as the FerryError of its envelope, so the exit code follows its code. */
  call<M extends MethodName>(method: M, params: Params<M>): Promise<Result<M>>;
  /** Every job.updated event of this process's jobs; returns the unsubscribe. */
  onJob(listener: (job: Job) => void): () => void;
  close(): Promise<void>;
}

/** The global --operator and --role of a command line. */
export interface PersonFlags {
  operator?: string | undefined;
  role?: string | undefined;
}

export async function openClient(person: PersonFlags = {}, typedCredentials?: ReadonlyMap<string, Credential>): Promise<CliClient> {
  // --operator and --role override FERRY_OPERATOR and FERRY_ROLE for this run: set there, every engine
  // the dispatcher opens (its own and each job's worker thread) resolves the same person.
  if (person.operator) process.env.FERRY_OPERATOR = person.operator;
  if (person.role) process.env.FERRY_ROLE = person.role;
  const dispatcher = await createDispatcher({ transport: 'cli', ...(typedCredentials ? { typedCredentials } : {}) });
  return {
    async call<M extends MethodName>(method: M, params: Params<M>): Promise<Result<M>> {
      const envelope = await dispatcher.handle(method, params);
      if (!envelope.ok) throw new FerryError(envelope.error.code, envelope.error.message, envelope.error.details);
      // Checked against the contract, then returned as the handler gave it, exactly what the wizard receives:
      // the schema's own transforms (trimming a person's name) must not edit what the ledger recorded.
      const checked = methods[method].result.safeParse(envelope.result);
      if (!checked.success) {
        const issue = checked.error.issues[0]!;
        throw new FerryError('INTERNAL', `${method} answered outside its contract: ${issue.path.join('.') || 'result'}: ${issue.message}.`);
      }
      return envelope.result as Result<M>;
    },
    onJob: (listener) =>
      dispatcher.onEvent((event) => {
        if (event.event === 'job.updated') listener(event.data as Job);
      }),
    close: () => dispatcher.close(),
  };
}

/** Runs `use` with a client open for the command line's person (and the credentials it typed), and closes it whatever happens. */
export async function withClient<T>(
  person: PersonFlags,
  use: (client: CliClient) => Promise<T>,
  typedCredentials?: ReadonlyMap<string, Credential>,
): Promise<T> {
  const client = await openClient(person, typedCredentials);
  try {
    return await use(client);
  } finally {
    await client.close();
  }
}
