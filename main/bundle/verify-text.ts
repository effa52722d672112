import type { BundleIndex } from '../../shared/bundle.js';

/** VERIFY.txt: how a security officer checks the bundle with coreutils and openssl alone. */
export function verifyTextFor(index: BundleIndex, bundleDigest: string): string {
  const volumes = index.volumes.map((v) => `  ${v.file}  ${v.size} bytes  sha256 ${v.sha256}`).join('\n');
  return `Ferry bundle "${index.name}" (bundle format v1)

Bundle digest:       ${bundleDigest}
Signer fingerprint:  ${index.signer}
Created:             ${index.createdAt} by ${index.createdBy.operator} on ${index.createdBy.host}
Volumes:
${volumes}

Verify it by hand, in this folder, with coreutils and openssl only. Ferry is not needed.

1. The signer. signer.pub.pem travels with the bundle, so it proves nothing alone: compare its
   fingerprint with the one the exporting site gave you out of band (the transfer form).
     openssl pkey -pubin -in signer.pub.pem -outform DER | sha256sum
   must print ${index.signer}

2. The signature over SHA256SUMS. It must print "Verified OK".
     base64 -d SHA256SUMS.sig > /tmp/ferry-SHA256SUMS.der
     openssl dgst -sha256 -verify signer.pub.pem -signature /tmp/ferry-SHA256SUMS.der SHA256SUMS

3. Every file against SHA256SUMS. Every line must end in OK.
     sha256sum -c SHA256SUMS
   On a disc that holds only some of the volumes:
     sha256sum -c --ignore-missing SHA256SUMS

4. The bundle digest, as the ledger and the transfer form show it:
     sha256sum SHA256SUMS
   must print ${bundleDigest.slice('sha256:'.length)}

5. The content: the volumes joined are one tar holding an OCI image layout.
     cat ${index.name}.tar.* | tar -tv
`;
}
