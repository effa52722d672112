import type { ErrorCode } from '../../../../shared/errors.js';

/** Where credentials for a registry were found, in the words the tables use. */
export function credentialsLabel(origin: string): string {
  if (origin === 'remembered') return 'remembered in Ferry';
  if (origin === 'given') return 'the username and password given';
  if (origin === 'docker-config') return 'from docker config';
  if (origin.startsWith('helper ')) return `from credential helper ${origin.slice('helper '.length)}`;
  if (origin === 'none') return 'none found — anonymous';
  return origin;
}

const CONNECTION_HINT =
  'Check the host and port. A registry without TLS needs Plain HTTP; one whose certificate comes from a private CA needs its CA certificate file.';

/** What to do about a reference that did not resolve. */
export function resolveAdvice(code: ErrorCode | undefined): string {
  switch (code) {
    case 'AUTH':
      return 'Log in on this machine with docker login HOST (Ferry reads docker’s config.json), then resolve again.';
    case 'NOT_FOUND':
      return 'Check the repository and the tag at the source: a typo, or a tag that was removed. Then resolve again.';
    case 'REMOTE':
      return `${CONNECTION_HINT} Then resolve again.`;
    case 'USAGE':
    case 'INVALID_INPUT':
      return 'Fix the line: HOST/REPOSITORY:TAG or HOST/REPOSITORY@sha256:…, and oci://HOST/REPOSITORY:VERSION for charts. Or remove it.';
    default:
      return 'Fix the problem, or remove the line, then resolve again.';
  }
}

/** What to do after a failed connection test. */
export function connectionAdvice(code: ErrorCode): string {
  switch (code) {
    case 'AUTH':
      return 'Check the username and password (or the robot account and its token), then test again.';
    case 'REMOTE':
      return `${CONNECTION_HINT} Then test again.`;
    case 'USAGE':
      return 'Give the registry as HOST[:PORT][/PREFIX], for example harbor.internal/airgap.';
    default:
      return 'Fix the problem, then test again.';
  }
}
