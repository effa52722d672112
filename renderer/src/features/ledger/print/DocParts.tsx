import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import LinearProgress from '@mui/material/LinearProgress';
import Link from '@mui/material/Link';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import type { ReactNode } from 'react';
import type { TransferReport } from '../../../../../shared/rpc.js';
import { Digest } from '../../../components/Digest';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { PageHeading } from '../../../components/PageHeading';
import { toErrorEnvelope } from '../../../client';
import { formatUtcTime } from '../../../lib/format';
import { hrefs } from '../../../core/router';
import { useReport } from '../../../domain/ledger/report';
import { lineText, looksLikeDigest, personText, stepKey } from '../../../domain/ledger/labels';

/** Fetches the bundle's report; until it is here, the page's heading and the loading or error state. */
export function ReportGate({ digest, title, children }: { digest: string; title: string; children: (report: TransferReport) => ReactNode }) {
  const { report, error, loading, reload } = useReport(digest);
  if (report) return <>{children(report)}</>;
  const notFound = error != null && toErrorEnvelope(error).code === 'NOT_FOUND';
  return (
    <>
      <PageHeading title={title} />
      {loading && <LinearProgress aria-label="Loading the chain of custody" />}
      {error != null && (
        <ErrorAlert
          error={error}
          title={notFound ? 'No such bundle in this ledger' : 'Cannot read this bundle’s chain of custody'}
          action={
            notFound ? undefined : (
              <Button color="inherit" onClick={reload}>
                Try again
              </Button>
            )
          }
        >
          <Box sx={{ mt: 0.5 }}>
            {notFound ? 'Check the digest, or choose the bundle on the ledger’s Bundles tab. ' : ''}
            <Link href={hrefs.ledger()}>Back to the ledger</Link>
          </Box>
        </ErrorAlert>
      )}
    </>
  );
}

/** Screen-only links above the sheet. */
export function BackToCustody({ digest }: { digest: string }) {
  return <Link href={hrefs.bundle(digest)}>Back to chain of custody</Link>;
}

/** Label/value rows of a document: digests in full, monospace. */
/** The facts both documents open with: what the bundle is and who signed it. */
export function bundleFactRows(report: TransferReport): [string, ReactNode][] {
  return [
    ['Name', report.name ?? '—'],
    ['Bundle digest', <Digest key="d" value={report.bundle} label="bundle digest" />],
    ['Signer fingerprint', report.signer ? <Digest key="s" value={report.signer} label="signer fingerprint" grouped /> : 'Not recorded'],
    ['This site’s key', <Digest key="k" value={report.site.fingerprint} label="site key fingerprint" grouped />],
  ];
}

export function DocFacts({ rows }: { rows: [string, ReactNode][] }) {
  return (
    <Box component="dl" sx={{ display: 'grid', gridTemplateColumns: '48mm minmax(0, 1fr)', columnGap: 2, rowGap: 0.75, m: 0, alignItems: 'baseline' }}>
      {rows.map(([term, value]) => (
        <Box key={term} sx={{ display: 'contents' }}>
          <Typography component="dt" variant="body2" sx={{ fontWeight: 600 }}>
            {term}
          </Typography>
          <Box component="dd" sx={{ m: 0, minWidth: 0, fontSize: '0.875rem' }}>
            {value}
          </Box>
        </Box>
      ))}
    </Box>
  );
}

/** A compact, bordered table for paper. */
export function DocTable({ label, columns, children }: { label: string; columns: (string | { label: string; align: 'right' })[]; children: ReactNode }) {
  return (
    <Table
      size="small"
      aria-label={label}
      sx={{
        border: '1px solid rgba(0,0,0,0.35)',
        '& th, & td': { borderBottom: '1px solid rgba(0,0,0,0.2)', px: 1, py: 0.5, fontSize: '0.8125rem', verticalAlign: 'top' },
        '& thead th': { fontWeight: 700, bgcolor: 'rgba(0,0,0,0.04)' },
      }}
    >
      <TableHead>
        <TableRow>
          {columns.map((c) =>
            typeof c === 'string' ? (
              <TableCell key={c}>{c}</TableCell>
            ) : (
              <TableCell key={c.label} align={c.align}>
                {c.label}
              </TableCell>
            ),
          )}
        </TableRow>
      </TableHead>
      <TableBody>{children}</TableBody>
    </Table>
  );
}

/** A value that may be a digest: in full, monospace, with a copy button (not printed). */
export function DocValue({ value, label }: { value: string; label: string }) {
  // A bare fingerprint is read aloud at the desk: in groups of four.
  if (looksLikeDigest(value)) return <Digest value={value} label={label} grouped={/^[0-9a-f]{64}$/.test(value)} />;
  return (
    <Box component="span" sx={{ overflowWrap: 'anywhere', whiteSpace: 'pre-wrap' }}>
      {value || '—'}
    </Box>
  );
}

type Step = TransferReport['steps'][number];

/** Steps as rows: what, who, when, how it went. */
export function StepsTable({ label, steps, empty }: { label: string; steps: Step[]; empty: string }) {
  if (steps.length === 0) return <Typography variant="body2">{empty}</Typography>;
  return (
    <DocTable label={label} columns={['Line', 'Event', 'Person', 'Time', 'Summary']}>
      {steps.map((s) => (
        <TableRow key={stepKey(s)}>
          <TableCell>{lineText(s)}</TableCell>
          <TableCell sx={{ whiteSpace: 'nowrap' }}>{s.type}</TableCell>
          <TableCell>{personText(s.operator)}</TableCell>
          <TableCell>
            <DocTime iso={s.time} />
          </TableCell>
          <TableCell sx={{ overflowWrap: 'anywhere' }}>
            {s.summary}
            {s.outcome === 'failed' ? ' (failed)' : ''}
          </TableCell>
        </TableRow>
      ))}
    </DocTable>
  );
}

type Checkpoint = NonNullable<TransferReport['checkpoint']>;

/**
 * The checkpoint this ledger made right after its last step of `stage` (export: the one the bundle
 * carries; import: the import's), read from the report's checkpoint steps; else the report's latest
 * covering checkpoint.
 */
export function checkpointAfter(report: TransferReport, stage: 'export' | 'import'): Checkpoint | undefined {
  const at = report.steps.findLastIndex((s) => s.stage === stage && s.origin !== 'exporter');
  const after = at === -1 ? undefined : report.steps.slice(at + 1).find((s) => s.stage === 'checkpoint' && s.origin !== 'exporter');
  if (after) {
    const value = (label: string) => after.details.find(([l]) => l.toLowerCase() === label)?.[1];
    const count = Number(value('count'));
    const head = value('head');
    if (Number.isInteger(count) && count > 0 && head) return { seq: after.seq, count, head };
  }
  return report.checkpoint;
}

/** A ledger checkpoint as count, head and line. */
export function CheckpointFacts({ report, checkpoint, empty }: { report: TransferReport; checkpoint: Checkpoint | undefined; empty: string }) {
  if (!checkpoint) return <Typography variant="body2">{empty}</Typography>;
  return (
    <DocFacts
      rows={[
        ['Ledger ID', <Digest key="l" value={report.ledgerId} label="ledger ID" />],
        ['Entries (count)', String(checkpoint.count)],
        ['Head', <Digest key="h" value={checkpoint.head} label="checkpoint head" />],
        ['Recorded at line', String(checkpoint.seq)],
      ]}
    />
  );
}

/** A time on paper: UTC, unambiguous wherever the form travels. */
export function DocTime({ iso }: { iso: string }) {
  return (
    <Box component="time" dateTime={iso}>
      {formatUtcTime(iso)}
    </Box>
  );
}
