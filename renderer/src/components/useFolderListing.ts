import { useCallback, useRef, useState } from 'react';
import type { Result } from '../../../shared/rpc.js';
import { ferry } from '../client';

export type Listing = Result<'fs.list'>;

/**
 * A folder on the host, listed with fs.list (which also grants what it lists); the typed path
 * follows each listing, but for one that was already on its way when the person typed (a slow
 * host answering the dialog's first listing must not replace a path being typed).
 */
export function useFolderListing(includeFiles = false) {
  const [listing, setListing] = useState<Listing | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [pathInput, setTypedPath] = useState('');
  const request = useRef(0);
  const typing = useRef(0);
  const setPathInput = useCallback((value: string) => {
    typing.current += 1;
    setTypedPath(value);
  }, []);

  /** Lists `path` (the host's default folder when undefined); with `fallback`, lists the default if `path` fails. */
  const load = useCallback(
    async (path: string | undefined, fallback = false): Promise<void> => {
      const mine = ++request.current;
      const typedBefore = typing.current;
      setLoading(true);
      let failure: unknown = null;
      let result: Listing | null = null;
      const extra = includeFiles ? { includeFiles } : {};
      try {
        result = await ferry().call('fs.list', path ? { path, ...extra } : extra);
      } catch (err) {
        failure = err;
        if (fallback)
          result = await ferry()
            .call('fs.list', extra)
            .catch(() => null);
      }
      if (mine !== request.current) return;
      if (result) {
        setListing(result);
        if (typing.current === typedBefore) setTypedPath(result.path);
      }
      setError(failure);
      setLoading(false);
    },
    [includeFiles],
  );

  return { listing, loading, error, setError, pathInput, setPathInput, load };
}
