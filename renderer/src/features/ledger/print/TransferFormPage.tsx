import TableCell from '@mui/material/TableCell';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import { licenceWords } from '../../../../../shared/licences.js';
import type { TransferReport } from '../../../../../shared/rpc.js';
import { Digest } from '../../../components/Digest';
import { DocSection, PrintableDocument, SignatureLines } from '../../../components/PrintableDocument';
import { artifactKindText } from '../../../lib/artifacts';
import { formatBytes, formatExactBytes } from '../../../lib/format';
import { MONO } from '../../../core/theme';
import { hex12, mediaTypeLabel } from '../../../domain/ledger/labels';
import { BackToCustody, bundleFactRows, CheckpointFacts, DocFacts, DocTable, DocTime, checkpointAfter, ReportGate, StepsTable } from './DocParts';

const TITLE = 'Ferry transfer form';

/** What the read-back of a medium found, in the words the officer signs under. */
const READ_BACK_WORDS = { ok: 'Every volume matches', failed: 'MISMATCH: do not use', pending: 'Not finished', none: 'Not read back' } as const;

/** #/ledger/bundle/<digest>/form: the connected side's form to print and sign, one per bundle. */
export function TransferFormPage({ digest }: { digest: string }) {
  return (
    <ReportGate digest={digest} title={TITLE}>
      {(report) => <TransferForm report={report} />}
    </ReportGate>
  );
}

/** "4.00 GiB (4,294,967,296 bytes)": on paper there is no hover. */
function size(bytes: number | undefined): string {
  return bytes === undefined ? '—' : `${formatBytes(bytes)} (${formatExactBytes(bytes)})`;
}

/** ferry-ledger-checkpoint v1 text: ledger id, count, head, time (ledger.md). */
function parseCheckpoint(text: string | undefined): { ledgerId: string; count: number; head: string } | undefined {
  const lines = text?.split('\n') ?? [];
  if (lines[0] !== 'ferry-ledger-checkpoint v1') return undefined;
  const count = Number(lines[2]);
  if (!lines[1] || !Number.isInteger(count) || !lines[3]) return undefined;
  return { ledgerId: lines[1], count, head: lines[3] };
}

function TransferForm({ report }: { report: TransferReport }) {
  const total = report.artifacts.every((a) => a.size !== undefined) ? report.artifacts.reduce((sum, a) => sum + (a.size ?? 0), 0) : undefined;
  const approvals = report.steps.filter((s) => s.stage === 'request' || s.stage === 'approval');
  const exported = report.steps.filter((s) => s.stage === 'export');
  const exportedHere = exported.some((s) => s.origin !== 'exporter');
  const onDiscs = report.volumes.some((v) => v.disc !== undefined);
  const carried = exportedHere ? undefined : parseCheckpoint(report.exporterCheckpoint?.text);
  const checkpoint = exportedHere ? checkpointAfter(report, 'export') : undefined;
  return (
    <PrintableDocument
      title={TITLE}
      suggestedName={`transfer-form-${hex12(report.bundle)}`}
      runningFooter={`${TITLE} · ${report.bundle}`}
      subtitle={
        <>
          {exportedHere ? 'Connected side' : 'Receiving side, from the exporter’s lines carried in the signed bundle'} · made{' '}
          <DocTime iso={report.generatedAt} /> from the Ferry ledger of this site
        </>
      }
      toolbar={<BackToCustody digest={report.bundle} />}
    >
      <DocSection title="Bundle">
        <DocFacts
          rows={[
            ...bundleFactRows(report),
            ['Exported', exported.length > 0 ? <DocTime key="t" iso={exported[exported.length - 1]!.time} /> : 'Not recorded in this ledger'],
          ]}
        />
        <Typography variant="body2" sx={{ mt: 1 }}>
          On arrival, the bundle digest is the SHA-256 of the bundle's SHA256SUMS file, and the signer fingerprint the SHA-256 of the exporting site's public
          key. Compare both, and every volume's SHA-256 below, before importing.
        </Typography>
      </DocSection>

      <DocSection title="Contents">
        {report.artifacts.length === 0 ? (
          <Typography variant="body2">No artifacts recorded.</Typography>
        ) : (
          <DocTable label="Contents" columns={['Kind', 'Reference', 'Licence', 'Digest', { label: 'Size', align: 'right' }]}>
            {report.artifacts.map((a) => (
              <TableRow key={`${a.ref}-${a.digest}`}>
                <TableCell>{artifactKindText(a.kind, a.attachment)}</TableCell>
                <TableCell sx={{ fontFamily: MONO, overflowWrap: 'anywhere' }}>{a.ref}</TableCell>
                <TableCell>{licenceWords(a.licences)}</TableCell>
                <TableCell>
                  <Digest value={a.digest} label={`digest of ${a.ref}`} />
                </TableCell>
                <TableCell align="right">{size(a.size)}</TableCell>
              </TableRow>
            ))}
            {total !== undefined && report.artifacts.length > 1 && (
              <TableRow>
                <TableCell colSpan={4} sx={{ fontWeight: 600 }}>
                  {report.artifacts.length} artifacts in all
                </TableCell>
                <TableCell align="right" sx={{ fontWeight: 600 }}>
                  {size(total)}
                </TableCell>
              </TableRow>
            )}
          </DocTable>
        )}
      </DocSection>

      <DocSection title={onDiscs ? 'Volumes, disc by disc' : 'Volumes'}>
        {report.volumes.length === 0 ? (
          <Typography variant="body2">No volumes recorded.</Typography>
        ) : (
          <DocTable label="Volumes" columns={[...(onDiscs ? ['Disc'] : []), 'File', { label: 'Size', align: 'right' as const }, 'SHA-256']}>
            {report.volumes.map((v) => (
              <TableRow key={v.file}>
                {onDiscs && <TableCell sx={{ fontFamily: MONO, whiteSpace: 'nowrap' }}>{v.disc ?? '—'}</TableCell>}
                <TableCell sx={{ fontFamily: MONO }}>{v.file}</TableCell>
                <TableCell align="right">{size(v.size)}</TableCell>
                <TableCell>
                  <Digest value={v.sha256} label={`SHA-256 of ${v.file}`} />
                </TableCell>
              </TableRow>
            ))}
          </DocTable>
        )}
      </DocSection>

      <DocSection title="Media">
        {report.media.length === 0 ? (
          <Typography variant="body2">No media recorded yet. Write the media and their seal numbers here by hand: ______________________________</Typography>
        ) : (
          <DocTable label="Media" columns={['ID', 'Label', 'Type', 'Seal', 'Volumes on it', 'Read back']}>
            {report.media.map((m) => (
              <TableRow key={m.id}>
                <TableCell sx={{ fontFamily: MONO, overflowWrap: 'anywhere' }}>{m.id}</TableCell>
                <TableCell>{m.label ?? '—'}</TableCell>
                <TableCell>{mediaTypeLabel(m.type)}</TableCell>
                <TableCell sx={{ fontFamily: MONO }}>{m.seal ?? '—'}</TableCell>
                <TableCell sx={{ fontFamily: MONO, overflowWrap: 'anywhere' }}>{m.volumes.length > 0 ? m.volumes.join(', ') : '—'}</TableCell>
                <TableCell sx={{ fontWeight: m.verified === 'failed' ? 700 : undefined }}>{READ_BACK_WORDS[m.verified ?? 'none']}</TableCell>
              </TableRow>
            ))}
          </DocTable>
        )}
      </DocSection>

      <DocSection title="Request and approval">
        <StepsTable label="Request and approval" steps={approvals} empty="No request or approval recorded in this ledger." />
      </DocSection>

      <DocSection title="Ledger checkpoint">
        {carried ? (
          <>
            <DocFacts
              rows={[
                ['Exporter’s ledger', carried.ledgerId],
                ['Entries (count)', String(carried.count)],
                ['Head', <Digest key="h" value={carried.head} label="exporter's checkpoint head" />],
                ['Signature', report.exporterCheckpoint?.valid ? 'Valid' : 'NOT VALID: it does not verify'],
              ]}
            />
            <Typography variant="body2" sx={{ mt: 1 }}>
              The exporter's checkpoint, carried in the signed bundle.
            </Typography>
          </>
        ) : (
          <CheckpointFacts report={report} checkpoint={checkpoint} empty="No checkpoint of this ledger covers this bundle yet." />
        )}
        {checkpoint && (
          <Typography variant="body2" sx={{ mt: 1 }}>
            Keep this count and head: in a later auditor's kit,{' '}
            <code>
              sh VERIFY.sh {checkpoint.count} {checkpoint.head.replace(/^sha256:/, '')}
            </code>{' '}
            proves the ledger only grew since.
          </Typography>
        )}
      </DocSection>

      <DocSection title="Signatures">
        <SignatureLines roles={['Released by', 'Approved by', 'Courier', 'Received by']} />
      </DocSection>
    </PrintableDocument>
  );
}
