import type { BundleSummary, CustodyStage, FlagKind, Outcome } from '../../../../shared/rpc.js';

/** The stages of a bundle's chain of custody, in the order a transfer goes through them. */
export const STAGE_LABELS: Record<CustodyStage, string> = {
  request: 'Request',
  approval: 'Approval',
  export: 'Export',
  media: 'Media',
  custody: 'Custody',
  verification: 'Verification',
  import: 'Import',
  disposition: 'Disposition',
  checkpoint: 'Checkpoint',
};

export function stageLabel(stage: string): string {
  return STAGE_LABELS[stage as CustodyStage] ?? stage;
}

export const OUTCOME_LABELS: Record<Outcome, string> = { ok: 'OK', failed: 'Failed', pending: 'Pending' };
export const OUTCOME_COLORS: Record<Outcome, 'success' | 'error' | 'default'> = { ok: 'success', failed: 'error', pending: 'default' };

export const SIDE_LABELS: Record<BundleSummary['side'], string> = {
  export: 'Exported here',
  import: 'Imported here',
  both: 'Exported and imported here',
  arriving: 'Arriving: handoffs recorded, not imported yet',
};

export const FLAG_KIND_LABELS: Record<FlagKind, string> = {
  'missing-bundle': 'Missing bundle',
  'no-export-record': 'No export record',
  'import-rejected': 'Import refused',
  'media-failed': 'Media check failed',
  'media-not-dispositioned': 'Media not dispositioned',
  'media-not-read-back': 'Media never read back',
  'not-imported': 'Never imported',
  'checkpoint-invalid': 'Checkpoint invalid',
  'export-not-approved': 'Export without approval',
  'seal-broken': 'Seal not intact',
};

export function flagKindLabel(kind: string): string {
  return FLAG_KIND_LABELS[kind as FlagKind] ?? kind;
}

export const DISPOSITION_ACTIONS = ['returned', 'retained', 'sanitized', 'destroyed'] as const;
export type DispositionAction = (typeof DISPOSITION_ACTIONS)[number];
export const DISPOSITION_LABELS: Record<DispositionAction, string> = {
  returned: 'Returned',
  retained: 'Retained',
  sanitized: 'Sanitized',
  destroyed: 'Destroyed',
};

/** A sha256 digest or a 64-hex fingerprint or hash: shown in monospace with a copy button. */
export function looksLikeDigest(value: string): boolean {
  return /^(sha256:)?[0-9a-f]{64}$/i.test(value.trim());
}

/** "sha256:0123…" → "0123456789ab": the bundle's short name in file names. */
export function hex12(digest: string): string {
  return digest.replace(/^sha256:/, '').slice(0, 12);
}

/** "Alice · Security officer", or "Alice". */
export function personText(person: { name: string; role?: string } | undefined): string {
  if (!person || !person.name) return '—';
  return person.role ? `${person.name} · ${person.role}` : person.name;
}

/** Media types in words, as Export's Verify media step names them. */
export { mediaTypeLabel } from '../media/mediaTypes';

/** A nested value in a row, as words: a list joined, an object's fields as "key value" pairs (an attestation's envelope, manifest, where). */
function cellText(value: object): string {
  if (Array.isArray(value)) return value.every((v) => typeof v === 'string') ? value.join(', ') : JSON.stringify(value);
  return Object.entries(value)
    .map(([k, v]) => `${k} ${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join(', ');
}

/** A detail value that is a JSON list of flat objects (import.completed's artifacts): its rows, each value as text. */
export function jsonRows(value: string): Record<string, string>[] | null {
  const text = value.trim();
  if (!text.startsWith('[{')) return null;
  try {
    const parsed: unknown = JSON.parse(text);
    if (!Array.isArray(parsed) || parsed.length === 0) return null;
    if (!parsed.every((row) => row !== null && typeof row === 'object' && !Array.isArray(row))) return null;
    return parsed.map((row: Record<string, unknown>) =>
      Object.fromEntries(
        Object.entries(row).map(([k, v]) => [
          k,
          typeof v === 'string' ? v : v === null || v === undefined ? '' : typeof v === 'object' ? cellText(v) : String(v),
        ]),
      ),
    );
  } catch {
    return null;
  }
}

/** The columns of jsonRows' rows, in first-seen order. */
export function jsonColumns(rows: Record<string, string>[]): string[] {
  const columns: string[] = [];
  for (const row of rows) for (const key of Object.keys(row)) if (!columns.includes(key)) columns.push(key);
  return columns;
}

type StepOrigin = 'here' | 'exporter' | 'other-site';

/** A step's line as a person reads it: "line 12", "exporter's line 7" for a line carried in the bundle, "other site's line 9" from its kit. */
export function lineText(step: { seq: number; origin?: StepOrigin }): string {
  return step.origin === 'exporter' ? `exporter's line ${step.seq}` : step.origin === 'other-site' ? `other site's line ${step.seq}` : `line ${step.seq}`;
}

/** A step's unique key and element id: carried exporter lines and another site's may share a number with this ledger's. */
export function stepKey(step: { seq: number; origin?: StepOrigin }): string {
  return step.origin === 'exporter' ? `exporter-line-${step.seq}` : step.origin === 'other-site' ? `other-site-line-${step.seq}` : `line-${step.seq}`;
}
