/**
 * The fingerprint Ferry gives a public key: the SHA-256 of its SubjectPublicKeyInfo DER, in hex,
 * the same as `openssl pkey -pubin -in KEY.pem -outform DER | sha256sum`.
 */
export async function spkiFingerprint(pem: string): Promise<string> {
  const match = /-----BEGIN PUBLIC KEY-----([\s\S]*?)-----END PUBLIC KEY-----/.exec(pem);
  if (!match) throw new Error('This is not a PEM public key: it should start with -----BEGIN PUBLIC KEY----- and end with -----END PUBLIC KEY-----.');
  const body = (match[1] ?? '').replace(/\s+/g, '');
  let binary: string;
  try {
    binary = atob(body);
  } catch {
    throw new Error('The text between the BEGIN and END lines is not valid base64: part of the key may be missing.');
  }
  const der = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) der[i] = binary.charCodeAt(i);
  if (!globalThis.crypto?.subtle) throw new Error('This window cannot compute fingerprints; Ferry will show the fingerprint once the key is trusted.');
  const digest = await crypto.subtle.digest('SHA-256', der);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}
