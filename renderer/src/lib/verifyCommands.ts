/** The by-hand checks of a bundle, exactly as the bundle's VERIFY.txt gives them (main/bundle/verify-text.ts). */
export interface VerifyCommand {
  /** What the step proves, in plain words. */
  title: string;
  /** What the command must print (literally). */
  expect?: string;
  /** What to look for in its output, in words. */
  look?: string;
  commands: { text: string; label: string }[];
}

export function verifyCommandsFor(bundle: { dir: string; name: string; signer: string; bundleDigest: string }): VerifyCommand[] {
  const hex = bundle.bundleDigest.replace(/^sha256:/, '');
  return [
    {
      title: 'Go to the bundle folder',
      commands: [{ text: `cd ${shellQuote(bundle.dir)}`, label: 'change-folder command' }],
    },
    {
      title: 'The signer: compare its fingerprint with the one the exporting site gives the far side out of band (the transfer form)',
      expect: bundle.signer,
      commands: [{ text: 'openssl pkey -pubin -in signer.pub.pem -outform DER | sha256sum', label: 'fingerprint command' }],
    },
    {
      title: 'The signature over SHA256SUMS',
      expect: 'Verified OK',
      commands: [
        {
          text: 'sig=$(mktemp) && base64 -d SHA256SUMS.sig > "$sig" && openssl dgst -sha256 -verify signer.pub.pem -signature "$sig" SHA256SUMS; rm -f "$sig"',
          label: 'signature check command',
        },
      ],
    },
    {
      title: 'Every file against SHA256SUMS (on a disc that holds only some volumes, add --ignore-missing)',
      look: 'Every line must end in OK.',
      commands: [{ text: 'sha256sum -c SHA256SUMS', label: 'checksum command' }],
    },
    {
      title: 'The bundle digest, as the ledger and the transfer form show it',
      expect: hex,
      commands: [{ text: 'sha256sum SHA256SUMS', label: 'bundle digest command' }],
    },
    {
      title: 'The content: the volumes joined are one tar holding an OCI image layout',
      commands: [{ text: `cat ${bundle.name}.tar.* | tar -tv`, label: 'contents command' }],
    },
  ];
}

/** Quotes a path for a POSIX shell when it needs it. */
export function shellQuote(path: string): string {
  return /^[A-Za-z0-9_./:@%+=-]+$/.test(path) ? path : `'${path.replace(/'/g, `'\\''`)}'`;
}
