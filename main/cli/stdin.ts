import { FerryError } from '../util/errors.js';

/** Everything on standard input, without a last line ending. */
export async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

/** `count` secrets, one a line, from standard input; `names` says whose each is, for the error. */
export async function readSecretLines(names: readonly string[]): Promise<string[]> {
  const lines = (await readStdin()).split(/\r?\n/);
  for (let i = 0; i < names.length; i++) {
    if (!lines[i])
      throw new FerryError('USAGE', `--passphrase-stdin read no passphrase for ${names[i]} (line ${i + 1} of standard input).`, { field: 'passphrase' });
  }
  return lines.slice(0, names.length);
}
