import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Breadcrumbs from '@mui/material/Breadcrumbs';
import Button from '@mui/material/Button';
import LinearProgress from '@mui/material/LinearProgress';
import Link from '@mui/material/Link';
import Stack from '@mui/material/Stack';
import TableCell from '@mui/material/TableCell';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import { useState, type ReactNode } from 'react';
import type { TransferReport } from '../../../../../shared/rpc.js';
import { Bytes } from '../../../components/Bytes';
import { CopyBlock } from '../../../components/CopyBlock';
import { DateTime } from '../../../components/DateTime';
import { Digest } from '../../../components/Digest';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { PageHeading } from '../../../components/PageHeading';
import { Section } from '../../../components/Section';
import { SimpleTable } from '../../../components/SimpleTable';
import { toErrorEnvelope } from '../../../client';
import { artifactKindText } from '../../../lib/artifacts';
import { shortDigest } from '../../../lib/format';
import { hrefs, useRouteQuery } from '../../../core/router';
import { monoSmall } from '../../../core/theme';
import { SeverityChip } from '../FlagsPanel';
import { DISPOSITION_LABELS, flagKindLabel, mediaTypeLabel, type DispositionAction } from '../../../domain/ledger/labels';
import { serverStateChanged } from '../../../core/serverState';
import { OutcomeChip } from '../OutcomeChip';
import { CustodyTimeline } from './CustodyTimeline';
import { BundleActions } from './BundleActions';
import { DispositionDialog } from './DispositionDialog';
import { ReadBackDialog } from './ReadBackDialog';
import { useReport } from '../../../domain/ledger/report';
import { useLedgerView } from '../ledgerStore';
import { OtherSiteKit } from './OtherSiteKit';

/** One bundle's whole chain of custody on one page (#/ledger/bundle/<digest>): identity, flags, every step, contents, media, checkpoints. */
export function BundlePage({ digest }: { digest: string }) {
  const withKit = useLedgerView((s) => s.withKit);
  const { report, error, loading, reload } = useReport(digest, withKit);
  const query = useRouteQuery();
  const line = Number(query.get('line')) || undefined;
  const [disposing, setDisposing] = useState(false);
  const [readingBack, setReadingBack] = useState(false);
  const readBackFinished = () => {
    reload();
    serverStateChanged();
  };
  const [notice, setNotice] = useState<string | null>(null);

  const title = report?.name ? `Chain of custody: ${report.name}` : 'Chain of custody';
  const notFound = error != null && toErrorEnvelope(error).code === 'NOT_FOUND';

  return (
    <>
      <Breadcrumbs aria-label="Breadcrumb" sx={{ mb: 1.5 }}>
        <Link href={hrefs.ledger()}>Ledger</Link>
        <Typography color="text.primary" sx={report?.name ? undefined : monoSmall} aria-current="page">
          {report?.name ?? shortDigest(digest)}
        </Typography>
      </Breadcrumbs>
      <PageHeading
        title={title}
        lead="Every event of this bundle in this ledger, from request and approval through media, custody and import to disposition."
      />

      {loading && !report && <LinearProgress aria-label="Loading the chain of custody" sx={{ mb: 3 }} />}

      {error != null && (
        <Box sx={{ mb: 3 }}>
          {notFound ? (
            <ErrorAlert error={error} title="No such bundle in this ledger">
              <Box sx={{ mt: 0.5 }}>
                Check the digest, or choose the bundle on the ledger's Bundles tab. <Link href={hrefs.ledger()}>Back to the ledger</Link>
              </Box>
            </ErrorAlert>
          ) : (
            <ErrorAlert
              error={error}
              title="Cannot read this bundle's chain of custody"
              action={
                <Button color="inherit" onClick={reload}>
                  Try again
                </Button>
              }
            />
          )}
        </Box>
      )}

      {report && (
        <>
          <BundleActions report={report} loading={loading} reload={reload} onReadBack={() => setReadingBack(true)} onDispose={() => setDisposing(true)} />

          {notice && (
            <Alert severity="success" role="status" sx={{ mb: 3 }} onClose={() => setNotice(null)}>
              {notice}
            </Alert>
          )}

          <Stack spacing={3}>
            <Identity report={report} />
            <FlagsSection report={report} />
            <OtherSiteKit joined={report.steps.filter((s) => s.origin === 'other-site').length} />
            <Section title="Chain of custody">
              <CustodyTimeline steps={report.steps} highlight={line} />
            </Section>
            <ArtifactsSection report={report} />
            <VolumesSection report={report} />
            <MediaSection report={report} />
            <CheckpointsSection report={report} />
          </Stack>

          <ReadBackDialog open={readingBack} report={report} onClose={() => setReadingBack(false)} onFinished={readBackFinished} />
          <DispositionDialog
            open={disposing}
            report={report}
            onClose={() => setDisposing(false)}
            onRecorded={(seq, media, action) => {
              setDisposing(false);
              setNotice(`${DISPOSITION_LABELS[action]}: ${media}. Recorded as ledger line ${seq}.`);
              reload();
              serverStateChanged();
            }}
          />
        </>
      )}
    </>
  );
}

function Fact({ term, children }: { term: string; children: ReactNode }) {
  return (
    <>
      <Typography component="dt" color="text.secondary">
        {term}
      </Typography>
      <Box component="dd" sx={{ m: 0, minWidth: 0 }}>
        {children}
      </Box>
    </>
  );
}

function Identity({ report }: { report: TransferReport }) {
  return (
    <Section title="Bundle">
      <Box
        component="dl"
        sx={{ display: 'grid', gridTemplateColumns: { xs: '1fr', md: '180px minmax(0, 1fr)' }, columnGap: 2, rowGap: 1, m: 0, alignItems: 'center' }}
      >
        <Fact term="Name">{report.name ?? <Typography color="text.secondary">Not recorded</Typography>}</Fact>
        <Fact term="Bundle digest">
          <Digest value={report.bundle} label="bundle digest" size="body" />
        </Fact>
        <Fact term="Signed by">
          {report.signer ? (
            <Digest value={report.signer} label="signer fingerprint" size="body" />
          ) : (
            <Typography color="text.secondary">Not recorded in this ledger</Typography>
          )}
        </Fact>
        <Fact term="This site">
          <Digest value={report.site.fingerprint} label="site key fingerprint" />
        </Fact>
        <Fact term="Ledger ID">
          <Digest value={report.ledgerId} label="ledger ID" />
        </Fact>
        <Fact term="Report made">
          <DateTime iso={report.generatedAt} />
        </Fact>
      </Box>
    </Section>
  );
}

function FlagsSection({ report }: { report: TransferReport }) {
  return (
    <Section title="Flags">
      {report.flags.length === 0 ? (
        <Typography>No reconciliation flags for this bundle.</Typography>
      ) : (
        <Stack component="ul" spacing={1} sx={{ m: 0, p: 0, listStyle: 'none' }} aria-label="Flags of this bundle">
          {report.flags.map((flag, i) => (
            <Box component="li" key={`${flag.kind}-${flag.media ?? ''}-${flag.seq ?? i}`}>
              <Alert severity={flag.severity} icon={false}>
                <Stack direction="row" spacing={1} sx={{ alignItems: 'center', mb: 0.5 }}>
                  <SeverityChip severity={flag.severity} />
                  <Typography sx={{ fontWeight: 600 }}>{flagKindLabel(flag.kind)}</Typography>
                  {flag.media && <Typography variant="body2">· medium {flag.media}</Typography>}
                  {flag.seq !== undefined && (
                    <Link href={hrefs.bundle(report.bundle, flag.seq)} variant="body2" aria-label={`Go to ledger line ${flag.seq}`}>
                      · line {flag.seq}
                    </Link>
                  )}
                </Stack>
                {flag.message}
              </Alert>
            </Box>
          ))}
        </Stack>
      )}
    </Section>
  );
}

function ArtifactsSection({ report }: { report: TransferReport }) {
  return (
    <Section title="Artifacts">
      {report.artifacts.length === 0 ? (
        <Typography color="text.secondary">This ledger records no artifacts of this bundle.</Typography>
      ) : (
        <SimpleTable label="Artifacts" columns={['Kind', 'Reference', 'Digest', { label: 'Size', align: 'right' }]}>
          {report.artifacts.map((a) => (
            <TableRow key={`${a.ref}-${a.digest}`}>
              <TableCell>{artifactKindText(a.kind, a.attachment)}</TableCell>
              <TableCell sx={{ ...monoSmall, overflowWrap: 'anywhere' }}>{a.ref}</TableCell>
              <TableCell>
                <Digest value={a.digest} label={`digest of ${a.ref}`} short />
              </TableCell>
              <TableCell align="right">{a.size !== undefined ? <Bytes value={a.size} /> : '—'}</TableCell>
            </TableRow>
          ))}
        </SimpleTable>
      )}
    </Section>
  );
}

function VolumesSection({ report }: { report: TransferReport }) {
  return (
    <Section title="Volumes">
      {report.volumes.length === 0 ? (
        <Typography color="text.secondary">This ledger records no volumes of this bundle.</Typography>
      ) : (
        <SimpleTable label="Volumes" columns={['File', { label: 'Size', align: 'right' }, 'SHA-256']}>
          {report.volumes.map((v) => (
            <TableRow key={v.file}>
              <TableCell sx={monoSmall}>{v.file}</TableCell>
              <TableCell align="right">{v.size !== undefined ? <Bytes value={v.size} /> : '—'}</TableCell>
              <TableCell>
                <Digest value={v.sha256} label={`SHA-256 of ${v.file}`} short />
              </TableCell>
            </TableRow>
          ))}
        </SimpleTable>
      )}
    </Section>
  );
}

function MediaSection({ report }: { report: TransferReport }) {
  return (
    <Section title="Media">
      {report.media.length === 0 ? (
        <Typography color="text.secondary">No media recorded for this bundle.</Typography>
      ) : (
        <SimpleTable label="Media" columns={['ID', 'Label', 'Type', 'Seal', 'Volumes', 'Verified', 'Disposition']}>
          {report.media.map((m) => (
            <TableRow key={m.id} data-media={m.id}>
              <TableCell sx={{ ...monoSmall, overflowWrap: 'anywhere' }}>{m.id}</TableCell>
              <TableCell>{m.label ?? '—'}</TableCell>
              <TableCell>{mediaTypeLabel(m.type)}</TableCell>
              <TableCell sx={monoSmall}>{m.seal ?? '—'}</TableCell>
              <TableCell sx={{ ...monoSmall, overflowWrap: 'anywhere' }}>{m.volumes.length > 0 ? m.volumes.join(', ') : '—'}</TableCell>
              <TableCell>{m.verified ? <OutcomeChip outcome={m.verified} /> : 'Not verified'}</TableCell>
              <TableCell>{m.disposition ? (DISPOSITION_LABELS[m.disposition as DispositionAction] ?? m.disposition) : 'Not yet'}</TableCell>
            </TableRow>
          ))}
        </SimpleTable>
      )}
    </Section>
  );
}

function CheckpointsSection({ report }: { report: TransferReport }) {
  const carried = report.exporterCheckpoint;
  return (
    <Section title="Checkpoints">
      <Typography variant="h3" sx={{ mb: 1 }}>
        Exporter's checkpoint
      </Typography>
      {carried ? (
        <Box sx={{ mb: 3 }}>
          <Alert severity={carried.valid ? 'success' : 'error'} sx={{ mb: 1 }}>
            {carried.valid
              ? "Valid: the exporter's checkpoint carried in the bundle verifies against its signature."
              : "Not valid: the exporter's checkpoint carried in the bundle does not verify against its signature, so its count and head prove nothing."}
          </Alert>
          {carried.ledgerId && (
            <Typography variant="body2" color="text.secondary" sx={{ mb: 0.5 }}>
              Exporter's ledger <Digest value={carried.ledgerId} label="exporter's ledger ID" />
            </Typography>
          )}
          <CopyBlock text={carried.text} label="exporter's checkpoint" />
        </Box>
      ) : (
        <Typography color="text.secondary" sx={{ mb: 3 }}>
          None: this ledger did not import the bundle, so it holds no checkpoint of the exporter's.
        </Typography>
      )}
      <Typography variant="h3" sx={{ mb: 1 }}>
        This ledger's checkpoint
      </Typography>
      {report.checkpoint ? (
        <Box
          component="dl"
          sx={{ display: 'grid', gridTemplateColumns: { xs: '1fr', md: '180px minmax(0, 1fr)' }, columnGap: 2, rowGap: 1, m: 0, alignItems: 'center' }}
        >
          <Fact term="Entries (count)">{report.checkpoint.count}</Fact>
          <Fact term="Head">
            <Digest value={report.checkpoint.head} label="checkpoint head" />
          </Fact>
          <Fact term="Recorded at line">
            {report.steps.some((s) => s.seq === report.checkpoint!.seq) ? (
              <Link href={hrefs.bundle(report.bundle, report.checkpoint.seq)} aria-label={`Go to ledger line ${report.checkpoint.seq}`}>
                {report.checkpoint.seq}
              </Link>
            ) : (
              report.checkpoint.seq
            )}
          </Fact>
        </Box>
      ) : (
        <Typography color="text.secondary">No checkpoint of this ledger covers this bundle's last event yet. Exporting the auditor's kit makes one.</Typography>
      )}
    </Section>
  );
}
