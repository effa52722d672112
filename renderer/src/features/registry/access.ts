import type { RegistryAccess } from '../../../../shared/rpc.js';

/** The registry connection as the form holds it; the CA file's name is only shown. */
export interface AccessForm {
  plainHttp: boolean;
  skipTlsVerify: boolean;
  caPem: string;
  caName: string;
}

export const EMPTY_ACCESS: AccessForm = { plainHttp: false, skipTlsVerify: false, caPem: '', caName: '' };

/** What the engine takes: only the options set; TLS options mean nothing over plain HTTP. */
export function toAccess(form: AccessForm): RegistryAccess | undefined {
  if (form.plainHttp) return { plainHttp: true };
  const access: RegistryAccess = {
    ...(form.skipTlsVerify ? { skipTlsVerify: true } : {}),
    ...(form.caPem ? { caPem: form.caPem } : {}),
  };
  return Object.keys(access).length > 0 ? access : undefined;
}

export function fromAccess(access: RegistryAccess | undefined): AccessForm {
  return {
    plainHttp: Boolean(access?.plainHttp),
    skipTlsVerify: Boolean(access?.skipTlsVerify),
    caPem: access?.caPem ?? '',
    caName: access?.caPem ? 'the CA certificate given before' : '',
  };
}
