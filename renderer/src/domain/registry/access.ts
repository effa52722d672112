import type { RegistryAccess } from '../../../../shared/rpc.js';

/** The registry connection as the form holds it; the CA file is a path on the Ferry host ('' for none). */
export interface AccessForm {
  plainHttp: boolean;
  skipTlsVerify: boolean;
  caFile: string;
}

export const EMPTY_ACCESS: AccessForm = { plainHttp: false, skipTlsVerify: false, caFile: '' };

/** What the engine takes: only the options set; TLS options mean nothing over plain HTTP. */
export function toAccess(form: AccessForm): RegistryAccess | undefined {
  if (form.plainHttp) return { plainHttp: true };
  const access: RegistryAccess = {
    ...(form.skipTlsVerify ? { skipTlsVerify: true } : {}),
    ...(form.caFile ? { caFile: form.caFile } : {}),
  };
  return Object.keys(access).length > 0 ? access : undefined;
}

export function fromAccess(access: RegistryAccess | undefined): AccessForm {
  return {
    plainHttp: Boolean(access?.plainHttp),
    skipTlsVerify: Boolean(access?.skipTlsVerify),
    caFile: access?.caFile ?? '',
  };
}
