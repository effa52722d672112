import { useQuery } from '@tanstack/react-query';
import { useEffect } from 'react';
import type { Params, Result } from '../../../../../shared/rpc.js';
import { useDebounced } from '../../../components/useDebounced';
import { ferry, useConnection } from '../../../client';
import { useExport } from '../exportStore';
import { revisionSpec } from '../hf/revisions';

/**
 * What the stores on this machine hold, by folder. Read when the folder changes, on Reload, and when the
 * engine says something changed (serverState); not again merely because a step is shown once more.
 */
function useStoreQuery<T>(method: 'ollama.list' | 'hf.list', folder: string, read: (folder: string) => Promise<T>, enabled = true) {
  const connected = useConnection((s) => s.generation > 0);
  return useQuery({ queryKey: [method, folder], queryFn: () => read(folder), enabled: connected && enabled && folder !== '', staleTime: Infinity });
}

/** The models in an Ollama store folder (ollama.list). */
export function useOllamaModels(store: string) {
  return useStoreQuery('ollama.list', store, (folder) => ferry().call('ollama.list', { store: folder }));
}

/** The repositories in a Hugging Face cache folder (hf.list). */
export function useHfRepos(cache: string, enabled = true) {
  return useStoreQuery('hf.list', cache, (folder) => ferry().call('hf.list', { cache: folder }), enabled);
}

/**
 * The Export wizard's view of its stores: the lists for the chosen folders, whether they are still being
 * read, and the choices kept to what the lists hold (a model or revision no longer there is unticked).
 */
export function useCarryLists() {
  const store = useExport((s) => s.store.trim());
  const cache = useExport((s) => s.hfCache.trim());
  const wantsHf = useExport((s) => s.tab === 'hf' || s.hfSelected.length > 0);
  const models = useOllamaModels(store);
  const hf = useHfRepos(cache, wantsHf);

  const modelNames = models.data ? models.data.models.map((m) => m.name) : models.error || !store ? [] : null;
  const modelKey = modelNames?.join('\n') ?? null;
  useEffect(() => {
    if (modelKey !== null) useExport.getState().keepSelectedIn(new Set(modelKey ? modelKey.split('\n') : []));
  }, [modelKey]);

  const specs = hf.data ? hf.data.repos.flatMap((repo) => repo.revisions.map((r) => revisionSpec(repo, r))) : hf.error || !cache ? [] : null;
  const specKey = specs?.join('\n') ?? null;
  useEffect(() => {
    if (specKey !== null) useExport.getState().keepHfSelectedIn(new Set(specKey ? specKey.split('\n') : []));
  }, [specKey]);

  return {
    modelsReading: models.isFetching || (models.isPending && store !== ''),
    hfReading: hf.isFetching || (hf.isPending && cache !== '' && wantsHf),
  };
}

/** The engine's current word on an approval request: it may be decided elsewhere (Home, another window, the CLI). */
export function useApprovalState(id: string | undefined) {
  const connected = useConnection((s) => s.generation > 0);
  return useQuery({
    queryKey: ['approval.list'],
    queryFn: async () => (await ferry().call('approval.list', {})).requests,
    enabled: connected && Boolean(id),
    select: (requests) => requests.find((r) => r.id === id),
  });
}

export interface EstimateState {
  loading: boolean;
  result?: Result<'export.estimate'>;
  error?: unknown;
}

/** export.estimate for the current choices, asked a moment after they stop changing; loading from the first change. */
export function useEstimate(request: Params<'export.estimate'> | null): EstimateState | null {
  const key = request ? JSON.stringify(request) : '';
  const settled = useDebounced(key, 400);
  const connected = useConnection((s) => s.generation > 0);
  const query = useQuery({
    queryKey: ['export.estimate', settled],
    queryFn: () => ferry().call('export.estimate', JSON.parse(settled) as Params<'export.estimate'>),
    enabled: connected && settled !== '',
  });
  if (!request) return null;
  if (settled !== key || query.isPending || query.isFetching) return { loading: true, ...(settled === key && query.data ? { result: query.data } : {}) };
  return query.error ? { loading: false, error: query.error } : { loading: false, result: query.data };
}
