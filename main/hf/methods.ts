import type { Methods } from '../rpc/context.js';
import { listHfRepos } from './cache.js';
import type { hfMethods } from '../../shared/contract/hf.js';

export const hfHandlers: Methods<typeof hfMethods> = {
  async 'hf.list'(params) {
    const repos = await listHfRepos(params.cache);
    return {
      cache: params.cache,
      repos: repos.map((r) => ({
        repoId: r.repoId,
        type: r.type,
        spec: r.type === 'model' ? r.repoId : `${r.type}s/${r.repoId}`,
        refs: r.refs,
        revisions: r.revisions.map((v) => ({
          commit: v.commit,
          refs: v.refs,
          files: v.files.length,
          size: v.size,
          ...(v.problem ? { problem: v.problem.message } : {}),
        })),
        ...(r.problem ? { problem: r.problem.message } : {}),
      })),
    };
  },
};
