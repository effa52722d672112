import { createHash, randomUUID } from 'node:crypto';
import path from 'node:path';
import type { ArtifactKind } from '../../shared/bundle.js';
import { parseLedgerEvent, type EventFields, type EventPerson } from '../../shared/ledger-events.js';
import type { ApprovalRequestInfo, Person } from '../../shared/rpc.js';
import type { BundlePlan } from '../bundle/plan.js';
import type { Engine } from '../engine.js';
import { sameName, signDecision } from '../people/people.js';
import type { SignAs } from '../../shared/contract/people.js';
import { readCaFile } from '../registry/client.js';
import type { ExportRequest } from '../../shared/contract/job-kinds.js';
import { canonicalJson } from '../util/canonical-json.js';
import { FerryError } from '../util/errors.js';

/** What an approval covers besides the content: where the bundle goes and how it is cut. Paths absolute; a CA by its hash. */
export function requestFingerprint(request: ExportRequest) {
  const registry = request.registry ?? {};
  return {
    out: path.resolve(request.destination, request.folder ?? request.name),
    name: request.name,
    volumeSize: request.volumeSize,
    ...(request.layout === 'discs' ? { layout: 'discs' } : {}),
    ollama: request.models.length > 0 && request.store ? { store: path.resolve(request.store), models: [...request.models] } : null,
    images: [...request.images],
    charts: [...request.charts],
    platforms: [...request.platforms],
    hf: request.hf.length > 0 && request.hfCache ? { cache: path.resolve(request.hfCache), repos: [...request.hf] } : null,
    files: request.files.map((f) => path.resolve(f)),
    installer: request.installer ? path.resolve(request.installer) : null,
    registry: {
      plainHttp: registry.plainHttp === true,
      skipTlsVerify: registry.skipTlsVerify === true,
      ca: registry.caFile ? `sha256:${createHash('sha256').update(readCaFile(registry.caFile)).digest('hex')}` : null,
    },
  };
}

export function artifactSummary(plan: BundlePlan) {
  return plan.artifacts.map((a, i) => ({
    kind: a.kind,
    ref: a.ref,
    digest: a.digest,
    size: a.contentSize,
    ...(Array.isArray(a.platforms) ? { platforms: a.platforms } : {}),
    licences: plan.licences[i] ?? [],
    ...(typeof a.attachment === 'string' && typeof a.subject === 'string' ? { attachment: { kind: a.attachment, subject: a.subject } } : {}),
  }));
}

/** Records export.requested; the job id it returns names the export in every later event. */
export function recordRequest(engine: Engine, request: ExportRequest, plan: BundlePlan, approvalRequired: boolean): { job: string; seq: number } {
  const job = randomUUID();
  const fingerprint = requestFingerprint(request);
  const { seq } = engine.ledger.append('export.requested', {
    job,
    out: fingerprint.out,
    name: fingerprint.name,
    volumeSize: request.volumeSize,
    artifacts: artifactSummary(plan),
    request: fingerprint,
    approvalRequired,
  });
  return { job, seq };
}

function personOf(p: EventPerson): Person {
  return { name: p.name, ...(p.role !== undefined ? { role: p.role } : {}) };
}

interface ApprovalRecord extends ApprovalRequestInfo {
  fingerprint: string;
  /** sha256 of the request's event JSON, as its ledger line holds it: what a signed decision names. */
  requestDigest: string;
  approvedSeq?: number;
}

/**
 * Every export that asked for approval (or only request `only`), with what became of it: the
 * requests and then each one's own events, through the ledger's index (not a walk of every line).
 */
function approvalRecords(engine: Engine, only?: string): ApprovalRecord[] {
  const records = new Map<string, ApprovalRecord>();
  // A request that needs approval is derived as outcome "pending".
  const requests = engine.ledger.events({ type: 'export.requested', outcome: 'pending', ...(only !== undefined ? { job: only } : {}) });
  const jobEvents = (job: string) => engine.ledger.events({ job }).filter((e) => e.event.type !== 'export.requested');
  const entries = [...requests, ...requests.flatMap((r) => (typeof r.event.job === 'string' ? jobEvents(r.event.job) : []))].sort((a, b) => a.seq - b.seq);
  for (const { seq, event: stored } of entries) {
    // A line this version cannot read is shown raw by the ledger views; it decides no approval.
    const parsed = parseLedgerEvent(stored);
    if (!parsed.ok) continue;
    const event = parsed.event;
    if (event.type === 'export.requested') {
      if (event.approvalRequired !== true) continue;
      records.set(event.job, {
        id: event.job,
        seq,
        requestedAt: event.time,
        requester: personOf(event.operator),
        status: 'pending',
        name: event.name,
        out: event.out,
        volumeSize: event.volumeSize,
        artifacts: event.artifacts.map((a) => ({ kind: a.kind as ArtifactKind, ref: a.ref, digest: a.digest, size: a.size })),
        totalSize: event.artifacts.reduce((sum, a) => sum + a.size, 0),
        fingerprint: canonicalJson(stored.request ?? null),
        requestDigest: createHash('sha256').update(canonicalJson(stored)).digest('hex'),
      });
      continue;
    }
    const record = 'job' in event && event.job !== undefined ? records.get(event.job) : undefined;
    if (!record) continue;
    if (event.type === 'export.withdrawn' || event.type === 'export.approved' || event.type === 'export.rejected') {
      record.status = event.type === 'export.withdrawn' ? 'withdrawn' : event.type === 'export.approved' ? 'approved' : 'rejected';
      record.decidedBy = personOf(event.operator);
      record.decidedAt = event.time;
      if (event.type !== 'export.withdrawn' && event.signer) record.signer = event.signer;
      if (event.reason) record.reason = event.reason;
      if (event.type === 'export.approved') record.approvedSeq = seq;
    } else if (event.type === 'export.completed') {
      record.status = 'exported';
      record.bundle = event.bundle;
    }
  }
  return [...records.values()];
}

function publicInfo(record: ApprovalRecord): ApprovalRequestInfo {
  const { fingerprint: _f, approvedSeq: _s, requestDigest: _d, ...info } = record;
  return info;
}

/** Newest first. */
export function listApprovals(engine: Engine): ApprovalRequestInfo[] {
  return approvalRecords(engine).reverse().map(publicInfo);
}

function findRecord(engine: Engine, id: string): ApprovalRecord {
  const record = approvalRecords(engine, id).find((r) => r.id === id);
  if (!record) throw new FerryError('NOT_FOUND', `No export request ${id} waits for approval in this ledger. See ferry approval list.`, { approval: id });
  return record;
}

/**
 * A second person approves or rejects a pending request, signing the decision with their personal
 * key; or the requester (the operator) withdraws it (pending or approved, not yet exported).
 */
export async function decideApproval(
  engine: Engine,
  id: string,
  decision: 'approve' | 'reject' | 'withdraw',
  as: SignAs | undefined,
  reason?: string,
): Promise<ApprovalRequestInfo> {
  const record = findRecord(engine, id);
  if (decision === 'withdraw') {
    if (!sameName(engine.operator.name, record.requester.name)) {
      throw new FerryError(
        'APPROVAL',
        `Only ${record.requester.name}, who requested it, can withdraw export request ${id}; ${engine.operator.name} can reject it instead.`,
        { approval: id },
      );
    }
    if (record.status !== 'pending' && record.status !== 'approved')
      throw new FerryError('APPROVAL', `Export request ${id} is already ${record.status}.`, { approval: id });
    engine.ledger.append('export.withdrawn', { job: id, ...(reason?.trim() ? { reason: reason.trim() } : {}) });
    return publicInfo(findRecord(engine, id));
  }
  if (!as)
    throw new FerryError('USAGE', `Say who ${decision === 'approve' ? 'approves' : 'rejects'}: an enrolled person and their passphrase.`, { field: 'as' });
  if (record.status !== 'pending') {
    throw new FerryError(
      'APPROVAL',
      `Export request ${id} is already ${record.status}${record.decidedBy ? ` by ${record.decidedBy.name}` : ''}; a decision is recorded once. Request the export again for a new decision.`,
      { approval: id },
    );
  }
  if (sameName(as.name, record.requester.name)) {
    throw new FerryError(
      'REFUSED',
      `${as.name.trim()} requested this export and cannot also approve or reject it: the two-person rule needs a second enrolled person.`,
      { approval: id, field: 'approver' },
    );
  }
  if (decision === 'reject' && !reason?.trim()) throw new FerryError('USAGE', 'Say why the export is rejected (--reason TEXT).', { field: 'reason' });
  const subject = { request: id, requestDigest: record.requestDigest, bundleName: record.name, artifacts: record.artifacts.map((a) => a.digest) };
  const { person, signed } = await signDecision(engine, as, decision === 'approve' ? 'export.approve' : 'export.reject', subject, reason?.trim() || undefined);
  const fields: EventFields<'export.approved'> = {
    job: id,
    requester: record.requester,
    artifacts: record.artifacts.length,
    ...(reason?.trim() ? { reason: reason.trim() } : {}),
    ...signed,
  };
  engine.ledger.append(decision === 'approve' ? 'export.approved' : 'export.rejected', fields, person);
  return publicInfo(findRecord(engine, id));
}

/** Asks for approval, or returns the open request (pending or approved) for exactly this export. */
export function requestApproval(engine: Engine, request: ExportRequest, plan: BundlePlan): ApprovalRequestInfo {
  const open = openRequestFor(engine, request, plan);
  if (open) return publicInfo(open);
  const { job } = recordRequest(engine, request, plan, true);
  // The wizard asks again when its selection changes: the same person's earlier open request for
  // the same bundle folder is superseded, so it no longer waits on anyone's Home page.
  const out = String(requestFingerprint(request).out);
  const records = approvalRecords(engine);
  for (const older of records) {
    if (
      older.id !== job &&
      older.out === out &&
      sameName(older.requester.name, engine.operator.name) &&
      (older.status === 'pending' || older.status === 'approved')
    ) {
      engine.ledger.append('export.withdrawn', { job: older.id, reason: 'superseded by a new request for the same bundle folder', supersededBy: job });
    }
  }
  return publicInfo(records.find((r) => r.id === job)!);
}

/** The open request (pending or approved) for this export and exactly this content; a changed digest needs a new one. */
function openRequestFor(engine: Engine, request: ExportRequest, plan: BundlePlan): ApprovalRecord | undefined {
  const fingerprint = canonicalJson(requestFingerprint(request));
  const content = canonicalJson(contentOf(artifactSummary(plan)));
  return approvalRecords(engine)
    .reverse()
    .find((r) => r.fingerprint === fingerprint && (r.status === 'pending' || r.status === 'approved') && canonicalJson(contentOf(r.artifacts)) === content);
}

function contentOf(artifacts: readonly { kind: string; ref: string; digest: string }[]) {
  return artifacts.map((a) => [a.kind, a.ref, a.digest]).sort();
}

export interface GrantedApproval {
  job: string;
  approvedBy: Person;
  approval: number;
}

/**
 * Under the two-person rule, the approval this export carries out: the one named, or the open
 * request for exactly this export. The content is planned again and must be what was approved,
 * digest for digest; anything else records a new request (if none is open) and waits.
 */
export function approvedExport(engine: Engine, request: ExportRequest, plan: BundlePlan, approvalId?: string): GrantedApproval {
  const record = approvalId ? findRecord(engine, approvalId) : openRequestFor(engine, request, plan);
  if (!record) {
    const { job, seq } = recordRequest(engine, request, plan, true);
    throw waiting(job, seq, engine.operator.name);
  }
  if (record.status === 'pending') throw waiting(record.id, record.seq, record.requester.name);
  if (record.status === 'rejected') {
    throw new FerryError(
      'APPROVAL',
      `Export request ${record.id} was rejected by ${record.decidedBy?.name ?? '?'}${record.reason ? `: ${record.reason}` : ''}. Change what you carry and request again.`,
      { approval: record.id },
    );
  }
  if (record.status === 'withdrawn')
    throw new FerryError('APPROVAL', `Export request ${record.id} was withdrawn${record.reason ? ` (${record.reason})` : ''}. Request approval again.`, {
      approval: record.id,
    });
  if (record.status === 'exported')
    throw new FerryError(
      'APPROVAL',
      `Export request ${record.id} was already carried out as bundle ${record.bundle}. An approval covers one export; request again.`,
      { approval: record.id },
    );
  if (record.fingerprint !== canonicalJson(requestFingerprint(request))) {
    throw new FerryError(
      'APPROVAL',
      `Export request ${record.id} was approved for another destination, name, volume size or selection. Request approval for this export.`,
      { approval: record.id },
    );
  }
  const now = artifactSummary(plan);
  for (const approved of record.artifacts) {
    const current = now.find((a) => a.kind === approved.kind && a.ref === approved.ref);
    if (!current || current.digest !== approved.digest) {
      throw new FerryError(
        'APPROVAL',
        `${approved.ref} is ${current ? current.digest : 'gone'} now, but ${approved.digest} was approved: the content changed since approval (a moved tag, a re-pulled model). Request approval again.`,
        { approval: record.id, artifact: approved.ref },
      );
    }
  }
  if (now.length !== record.artifacts.length)
    throw new FerryError('APPROVAL', `The export now carries ${now.length} artifacts, but ${record.artifacts.length} were approved. Request approval again.`, {
      approval: record.id,
    });
  return { job: record.id, approvedBy: record.decidedBy!, approval: record.approvedSeq! };
}

/** The refusal of an export that waits for someone else's approval, with what to do next. */
export function waiting(job: string, seq: number, requester: string): FerryError {
  return new FerryError(
    'APPROVAL',
    `The two-person rule is on: export request ${job} (ledger line ${seq}) waits for approval by someone other than ${requester}. They review it with ferry approval list and approve it with ferry approval approve ${job} --as THEIR-NAME --passphrase-stdin (or in the app, Home or Export), then run this same export again.`,
    { approval: job, seq },
  );
}
