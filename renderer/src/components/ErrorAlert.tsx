import Alert, { type AlertProps } from '@mui/material/Alert';
import AlertTitle from '@mui/material/AlertTitle';
import type { ReactNode } from 'react';
import type { ErrorCode } from '../../../shared/errors.js';
import { toErrorEnvelope } from '../client';

const TITLES: Record<ErrorCode, string> = {
  USAGE: 'That cannot be done as asked',
  NOT_FOUND: 'Not found',
  INVALID_INPUT: 'Something is malformed',
  NO_SPACE: 'Not enough room',
  INTEGRITY: 'Damaged or altered',
  SIGNATURE: 'Signature problem',
  UNTRUSTED: 'Signed by a key this site does not trust',
  AUTH: 'The registry refused the credentials',
  REMOTE: 'The registry or the network failed',
  APPROVAL: 'Waiting for, or refused, a second person’s approval',
  REFUSED: 'Not accepted: this person cannot sign that decision',
  CANCELLED: 'Cancelled',
  IO: 'Cannot read or write',
  INTERNAL: 'Something went wrong',
};

export interface ErrorAlertProps {
  error: unknown;
  /** Overrides the title derived from the error code. */
  title?: string;
  action?: ReactNode;
  severity?: AlertProps['severity'];
  children?: ReactNode;
}

/** An engine error as the user reads it: a plain title, then the engine's message (which says what to do next). */
export function ErrorAlert({ error, title, action, severity = 'error', children }: ErrorAlertProps) {
  const envelope = toErrorEnvelope(error);
  return (
    <Alert severity={severity} action={action} data-error-code={envelope.code}>
      <AlertTitle>{title ?? TITLES[envelope.code] ?? 'Something went wrong'}</AlertTitle>
      {envelope.message}
      {children}
    </Alert>
  );
}
