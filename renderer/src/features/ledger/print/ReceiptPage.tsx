import Box from '@mui/material/Box';
import TableCell from '@mui/material/TableCell';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import type { TransferReport } from '../../../../../shared/rpc.js';
import { Digest } from '../../../components/Digest';
import { DocSection, PrintableDocument, SignatureLines } from '../../../components/PrintableDocument';
import { licenceWords } from '../../../../../shared/licences.js';
import { artifactKindText } from '../../../lib/artifacts';
import { formatBytes } from '../../../lib/format';
import { detailLabel, detailValue, groupFingerprints } from '../../../domain/ledger/detailWords';
import { MONO } from '../../../core/theme';
import { hex12, jsonColumns, jsonRows, lineText, personText, stepKey } from '../../../domain/ledger/labels';
import { BackToCustody, bundleFactRows, CheckpointFacts, DocFacts, DocTable, DocTime, DocValue, checkpointAfter, ReportGate } from './DocParts';

const TITLE = 'Ferry import receipt';

/** #/ledger/bundle/<digest>/receipt: the disconnected side's receipt to print and sign after an import. */
export function ReceiptPage({ digest }: { digest: string }) {
  return (
    <ReportGate digest={digest} title={TITLE}>
      {(report) => <Receipt report={report} />}
    </ReportGate>
  );
}

const RESULT_WORDS = { ok: 'Passed', failed: 'Failed', pending: 'Not finished' } as const;

function Receipt({ report }: { report: TransferReport }) {
  const verifications = report.steps.filter((s) => s.stage === 'verification');
  const imports = report.steps.filter((s) => s.stage === 'import');
  const lastVerification = verifications[verifications.length - 1];
  const carried = report.exporterCheckpoint;
  return (
    <PrintableDocument
      title={TITLE}
      suggestedName={`import-receipt-${hex12(report.bundle)}`}
      runningFooter={`${TITLE} · ${report.bundle}`}
      subtitle={
        <>
          Disconnected side · made <DocTime iso={report.generatedAt} /> from the Ferry ledger of this site
        </>
      }
      toolbar={<BackToCustody digest={report.bundle} />}
    >
      <DocSection title="Bundle">
        <DocFacts rows={[...bundleFactRows(report)]} />
      </DocSection>

      <DocSection title="Verification">
        {verifications.length === 0 ? (
          <Typography variant="body2">No verification of this bundle is recorded in this ledger.</Typography>
        ) : (
          <>
            <Typography sx={{ fontWeight: 700, mb: 1 }} role="status">
              Result: {lastVerification?.outcome ? RESULT_WORDS[lastVerification.outcome] : 'Recorded'} — {groupFingerprints(lastVerification?.summary ?? '')}
            </Typography>
            {verifications.map((step) => (
              <Box key={stepKey(step)} className="print-keep" sx={{ mb: 1.5 }}>
                <Typography variant="body2" sx={{ mb: 0.5 }}>
                  {capitalized(lineText(step))}, {step.type}, <DocTime iso={step.time} />, {personText(step.operator)}
                  {step.outcome ? ` — ${RESULT_WORDS[step.outcome]}` : ''}
                </Typography>
                {step.details.some(onPaper) && <DetailsTable step={step} />}
              </Box>
            ))}
          </>
        )}
      </DocSection>

      <DocSection title="Contents">
        {report.artifacts.length === 0 ? (
          <Typography variant="body2">No artifacts recorded.</Typography>
        ) : (
          <DocTable label="Contents" columns={['Kind', 'Reference', 'Licence', 'Digest']}>
            {report.artifacts.map((a) => (
              <TableRow key={`${a.ref}-${a.digest}`}>
                <TableCell>{artifactKindText(a.kind, a.attachment)}</TableCell>
                <TableCell sx={{ fontFamily: MONO, overflowWrap: 'anywhere' }}>{a.ref}</TableCell>
                <TableCell>{licenceWords(a.licences)}</TableCell>
                <TableCell>
                  <Digest value={a.digest} label={`digest of ${a.ref}`} />
                </TableCell>
              </TableRow>
            ))}
          </DocTable>
        )}
      </DocSection>

      <DocSection title="Where each artifact went">
        {imports.length === 0 ? (
          <Typography variant="body2">No import of this bundle is recorded in this ledger.</Typography>
        ) : (
          imports.map((step) => (
            <Box key={stepKey(step)} className="print-keep" sx={{ mb: 1.5 }}>
              <Typography variant="body2" sx={{ mb: 0.5 }}>
                {capitalized(lineText(step))}, {step.type}, <DocTime iso={step.time} />, {personText(step.operator)}: {step.summary}
                {step.outcome === 'failed' ? ' (failed)' : ''}
              </Typography>
              {step.details.some(onPaper) && <DetailsTable step={step} />}
            </Box>
          ))
        )}
      </DocSection>

      <DocSection title="Exporter's checkpoint">
        {carried ? (
          <>
            <Typography variant="body2" sx={{ fontWeight: 700, mb: 0.5 }}>
              {carried.valid
                ? 'Valid: it verifies against its signature.'
                : 'NOT VALID: it does not verify against its signature; its count and head prove nothing.'}
            </Typography>
            <Box
              component="pre"
              sx={{ fontFamily: MONO, fontSize: '0.8125rem', m: 0, p: 1, border: '1px solid rgba(0,0,0,0.35)', whiteSpace: 'pre-wrap', wordBreak: 'break-all' }}
            >
              {carried.text}
            </Box>
          </>
        ) : (
          <Typography variant="body2">The bundle carried no checkpoint of the exporter's ledger, or this ledger did not record it.</Typography>
        )}
      </DocSection>

      <DocSection title="This site's checkpoint">
        <CheckpointFacts report={report} checkpoint={checkpointAfter(report, 'import')} empty="No checkpoint of this ledger covers this import yet." />
      </DocSection>

      <DocSection title="Signatures">
        <SignatureLines roles={['Imported by', 'Witnessed by']} />
      </DocSection>
    </PrintableDocument>
  );
}

type Step = TransferReport['steps'][number];

function capitalized(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Details the receipt shows elsewhere (bundle, checkpoint) or that say nothing on paper (host, job). */
function onPaper([label]: [string, string]): boolean {
  const l = label.toLowerCase();
  return !['host', 'job', 'bundle', 'name'].includes(l) && !l.startsWith('exporter.checkpoint') && !l.startsWith('exporter.lines');
}

/** A step's details on paper: artifacts (reference, target, destination, digest) and other lists as tables of their own, the rest as item/value rows. */
function DetailsTable({ step }: { step: Step }) {
  const line = lineText(step);
  const details = step.details.filter(onPaper);
  const records = details.flatMap(([label, value]) => {
    const rows = jsonRows(value);
    return rows ? [{ label, rows }] : [];
  });
  const plain = details.filter(([label]) => !records.some((r) => r.label === label));
  return (
    <>
      {records.map(({ label, rows }) => (
        <Box key={label} sx={{ mb: 1 }}>
          {rows.some((r) => 'ref' in r) ? (
            <DocTable label={`${detailLabel(label)} of ${line}`} columns={['Reference', 'Target', 'Destination', 'Digest', 'Result']}>
              {rows.map((r, i) => (
                <TableRow key={`${r.ref}-${i}`}>
                  <TableCell sx={{ fontFamily: MONO, overflowWrap: 'anywhere' }}>{r.ref}</TableCell>
                  <TableCell>{r.target || '—'}</TableCell>
                  <TableCell sx={{ fontFamily: MONO, overflowWrap: 'anywhere' }}>{r.destination || '—'}</TableCell>
                  <TableCell>{r.digest ? <DocValue value={r.digest} label={`destination digest of ${r.ref}`} /> : '—'}</TableCell>
                  <TableCell>{r.status || '—'}</TableCell>
                </TableRow>
              ))}
            </DocTable>
          ) : (
            <DocTable label={`${detailLabel(label)} of ${line}`} columns={jsonColumns(rows).map(detailLabel)}>
              {rows.map((r, i) => (
                <TableRow key={i}>
                  {jsonColumns(rows).map((c) => (
                    <TableCell key={c} sx={c === 'size' ? { whiteSpace: 'nowrap' } : { overflowWrap: 'anywhere' }}>
                      {c === 'size' && /^\d+$/.test(r[c] ?? '') ? (
                        formatBytes(Number(r[c]))
                      ) : (
                        <DocValue
                          value={detailValue(r[c] ?? '')}
                          label={`${detailLabel(c)} of ${r.file ?? `row ${i + 1}`} in ${detailLabel(label)} of ${line}`}
                        />
                      )}
                    </TableCell>
                  ))}
                </TableRow>
              ))}
            </DocTable>
          )}
        </Box>
      ))}
      {plain.length > 0 && (
        <DocTable label={`Details of ${line}`} columns={['Item', 'Value']}>
          {plain.map(([label, value], i) => (
            <TableRow key={`${label}-${i}`}>
              <TableCell sx={{ width: '35%', overflowWrap: 'anywhere' }}>{detailLabel(label)}</TableCell>
              <TableCell>
                <DocValue value={detailValue(value)} label={`${detailLabel(label)} of ${line}`} />
              </TableCell>
            </TableRow>
          ))}
        </DocTable>
      )}
    </>
  );
}
