import fs from 'node:fs/promises';
import path from 'node:path';
import { run } from './cli.js';

export interface TestCertificate {
  key: string;
  cert: string;
  keyPath: string;
  certPath: string;
}

/**
 * A self-signed P-256 certificate made by openssl, valid two days: files `<name>.key` and `<name>.crt`
 * in `dir`, and their PEM text. `ip` adds it as the subjectAltName, so a TLS client may trust it for that address.
 */
export async function selfSignedCertificate(dir: string, name: string, opts: { ip?: string } = {}): Promise<TestCertificate> {
  const keyPath = path.join(dir, `${name}.key`);
  const certPath = path.join(dir, `${name}.crt`);
  const san = opts.ip ? ['-addext', `subjectAltName=IP:${opts.ip}`] : [];
  const made = await run('openssl', [
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:prime256v1',
    '-nodes',
    '-days',
    '2',
    '-subj',
    `/CN=${name}`,
    ...san,
    '-keyout',
    keyPath,
    '-out',
    certPath,
  ]);
  if (made.code !== 0) throw new Error(`openssl could not make the certificate ${name}: ${made.stderr}`);
  return { key: await fs.readFile(keyPath, 'utf8'), cert: await fs.readFile(certPath, 'utf8'), keyPath, certPath };
}
