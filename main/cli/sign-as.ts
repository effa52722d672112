import type { SignAs } from '../../shared/rpc.js';
import { FerryError } from '../util/errors.js';
import { readSecretLines } from './stdin.js';

/** The options of a command whose decision an enrolled person signs. */
export const SIGN_AS_OPTIONS = { as: { type: 'string' }, 'passphrase-stdin': { type: 'boolean' } } as const;

interface SignAsValues {
  as?: string | undefined;
  'passphrase-stdin'?: boolean | undefined;
}

/** Checks the flags before anything is read: --as needs --passphrase-stdin and the other way round. */
export function assertSignAsFlags(values: SignAsValues, what: string, required: boolean): void {
  if (values['passphrase-stdin'] && !values.as?.trim()) throw new FerryError('USAGE', `--passphrase-stdin goes with --as NAME (${what}).`, { field: '--as' });
  if (values.as !== undefined && !values['passphrase-stdin'])
    throw new FerryError('USAGE', `Give ${values.as.trim() || 'the person'}'s passphrase on standard input with --passphrase-stdin (never as an argument).`, {
      field: '--passphrase-stdin',
    });
  if (required && !values.as?.trim())
    throw new FerryError('USAGE', `Say who decides: --as NAME --passphrase-stdin, an enrolled person (${what}). See ferry people list.`, { field: '--as' });
}

/** The signer named by --as, with the passphrase read from standard input. */
export async function signAsFromStdin(values: SignAsValues): Promise<SignAs> {
  const name = values.as!.trim();
  const [passphrase] = await readSecretLines([name]);
  return { name, passphrase: passphrase! };
}
