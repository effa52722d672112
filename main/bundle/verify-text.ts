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

2. The signature over SHA256SUMS. It must print "Verified OK". The decoded signature goes to a
   file of its own (mktemp), removed afterwards.
     sig=$(mktemp) && base64 -d SHA256SUMS.sig > "$sig" && openssl dgst -sha256 -verify signer.pub.pem -signature "$sig" SHA256SUMS; rm -f "$sig"
   Or with cosign, offline (without --insecure-ignore-tlog=true it tries to reach Rekor):
     cosign verify-blob --key signer.pub.pem --signature SHA256SUMS.sig --insecure-ignore-tlog=true SHA256SUMS

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
