import type { HfRepoRow } from '../../../../../shared/rpc.js';

export type HfRevision = HfRepoRow['revisions'][number];

const TYPE_LABELS: Record<HfRepoRow['type'], string> = { model: 'Model', dataset: 'Dataset', space: 'Space' };

export function hfTypeLabel(type: HfRepoRow['type']): string {
  return TYPE_LABELS[type];
}

/** What export carries for a ticked revision: `spec@ref` (main first), or `spec@commit` when no ref names it. */
export function revisionSpec(repo: HfRepoRow, revision: HfRevision): string {
  const ref = revision.refs.includes('main') ? 'main' : revision.refs[0];
  return `${repo.spec}@${ref ?? revision.commit}`;
}

/** Revisions a ref names first (main before the rest), then the unnamed ones. */
export function orderedRevisions(repo: HfRepoRow): HfRevision[] {
  const rank = (r: HfRevision) => (r.refs.includes('main') ? 0 : r.refs.length > 0 ? 1 : 2);
  return [...repo.revisions].sort((a, b) => rank(a) - rank(b) || (a.refs[0] ?? a.commit).localeCompare(b.refs[0] ?? b.commit));
}

/** Every revision spec the listing offers, with its size. */
export function revisionSizes(repos: readonly HfRepoRow[]): Map<string, number> {
  return new Map(repos.flatMap((repo) => repo.revisions.map((r) => [revisionSpec(repo, r), r.size] as const)));
}
