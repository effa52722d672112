import { z } from 'zod';

/** Every failure Ferry reports carries one of these codes, in the CLI, the RPC envelope and the ledger. */
export const ErrorCode = z.enum([
  'USAGE', // the request itself is malformed: unknown flag, missing argument, bad value
  'NOT_FOUND', // a named model, bundle, file or key does not exist
  'INVALID_INPUT', // a source or bundle is malformed (not an integrity failure)
  'NO_SPACE', // the destination has too little free space
  'INTEGRITY', // bytes do not match their digest or size
  'SIGNATURE', // a signature is missing or does not verify
  'UNTRUSTED', // the signature verifies but the signer is not a pinned key
  'AUTH', // a registry refused the credentials, or none were found where they are needed
  'REMOTE', // a registry or the network failed, or answered something unusable
  'APPROVAL', // the two-person rule: the export waits for, or was refused by, a second person
  'REFUSED', // a person's decision is not accepted: not enrolled, wrong passphrase, or the requester approving their own request
  'CANCELLED',
  'IO',
  'INTERNAL',
]);
export type ErrorCode = z.infer<typeof ErrorCode>;

export const ErrorEnvelope = z.object({
  code: ErrorCode,
  message: z.string(),
  details: z.record(z.string(), z.unknown()).optional(),
});
export type ErrorEnvelope = z.infer<typeof ErrorEnvelope>;

/** CLI exit codes: 0 ok, 1 failed, 2 usage, 3 refused (integrity, signature, trust, or a person's decision). */
export function exitCodeFor(code: ErrorCode): 1 | 2 | 3 {
  if (code === 'USAGE') return 2;
  if (code === 'INTEGRITY' || code === 'SIGNATURE' || code === 'UNTRUSTED' || code === 'REFUSED') return 3;
  return 1;
}

/**
 * Every problem a refusal found, in order, its first included (details.problems of a refused
 * verification or import); empty when it found one, whose words are then the message itself.
 */
export function refusalProblems(envelope: Pick<ErrorEnvelope, 'details'>): string[] {
  const problems = envelope.details?.problems;
  return Array.isArray(problems) ? problems.filter((p): p is string => typeof p === 'string') : [];
}
