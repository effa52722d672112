import FactCheckOutlinedIcon from '@mui/icons-material/FactCheckOutlined';
import MoveToInboxOutlinedIcon from '@mui/icons-material/MoveToInboxOutlined';
import OutboxOutlinedIcon from '@mui/icons-material/OutboxOutlined';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Card from '@mui/material/Card';
import Link from '@mui/material/Link';
import CardActionArea from '@mui/material/CardActionArea';
import CardContent from '@mui/material/CardContent';
import List from '@mui/material/List';
import ListItem from '@mui/material/ListItem';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { useEffect, useId, useMemo, useState, type ReactNode } from 'react';
import type { ApprovalRequestInfo, Job, LedgerRow, ReconciliationFlag } from '../../../../shared/rpc.js';
import { DateTime } from '../../components/DateTime';
import { Digest } from '../../components/Digest';
import { ErrorAlert } from '../../components/ErrorAlert';
import { JobProgress, JobStateChip } from '../../components/JobProgress';
import { PageHeading } from '../../components/PageHeading';
import { Section } from '../../components/Section';
import { ferry } from '../../client';
import { eventTypeLabel } from '../../lib/format';
import { useAppInfo } from '../../shell/appInfoStore';
import { navigate, type Route } from '../../shell/router';
import { ApprovalDialog } from '../approval/ApprovalDialog';
import { personLabel } from '../approval/approvals';
import { useExport } from '../export/exportStore';
import { useImport } from '../import/importStore';
import { isUnfinished, useJobs } from '../jobs/jobsStore';
import { useLedgerTick } from '../jobs/useLedgerTick';

/** Home: the three doors, what needs attention, what is running, and the latest ledger events. */
export function HomePage() {
  const operator = useAppInfo((s) => s.info?.operator);
  return (
    <>
      <PageHeading
        title="Home"
        lead={`${operator ? `Hello, ${operator.name}. ` : ''}Export on the connected side, carry the media across, import on the disconnected side. The ledger records every step.`}
      />
      <Box sx={{ display: 'grid', gridTemplateColumns: { xs: 'minmax(0, 1fr)', md: 'repeat(3, minmax(0, 1fr))' }, gap: 2.5, mb: 4 }}>
        <Door
          route="export"
          name="Export (connected side)"
          title="Export"
          side="Connected side"
          icon={<OutboxOutlinedIcon fontSize="large" />}
          description="Put Ollama models, Hugging Face repos, container images, Helm charts and files into a signed bundle, split into volumes for a USB disk or discs."
        />
        <Door
          route="import"
          name="Import (disconnected side)"
          title="Import"
          side="Disconnected side"
          icon={<MoveToInboxOutlinedIcon fontSize="large" />}
          description="Verify a bundle's signature and every volume (from a folder or disc by disc), then install models into an Ollama store, rebuild a Hugging Face cache, restore files, or push everything to a registry."
        />
        <Door
          route="ledger"
          name="Ledger (audit trail)"
          title="Ledger"
          side="Audit trail"
          icon={<FactCheckOutlinedIcon fontSize="large" />}
          description="Every transfer, refusal and key change, in a hash chain anyone can verify."
        />
      </Box>
      <Box
        sx={{
          display: 'grid',
          gridTemplateColumns: { xs: 'minmax(0, 1fr)', lg: 'minmax(0, 1fr) minmax(0, 1fr)' },
          gap: 2.5,
          alignItems: 'start',
          '& > *': { minWidth: 0 },
        }}
      >
        <Stack spacing={2.5}>
          <InProgress />
          <NeedsAttention />
        </Stack>
        <RecentActivity />
      </Box>
    </>
  );
}

function Door({
  route,
  name,
  title,
  side,
  icon,
  description,
}: {
  route: Route;
  name: string;
  title: string;
  side: string;
  icon: ReactNode;
  description: string;
}) {
  const descriptionId = useId();
  // The card's text is shown as is, and the button lies over the whole card (so all of it is the click
  // target) with the door's name; the text is hidden from assistive technology, which hears the
  // button's name and, as its description, the text under the title. A button wrapping the text would
  // have a visible label ("Export Connected side Put …") that its name does not contain (WCAG 2.5.3).
  return (
    <Card variant="outlined" sx={{ height: '100%', position: 'relative' }}>
      <CardContent sx={{ p: 3 }} aria-hidden="true">
        <Box sx={{ color: 'primary.main', mb: 1.5 }}>{icon}</Box>
        <Typography component="span" sx={{ display: 'block', fontSize: '1.375rem', fontWeight: 600 }}>
          {title}
        </Typography>
        <Typography component="span" variant="overline" color="primary" sx={{ display: 'block', lineHeight: 1.8, fontWeight: 600 }}>
          {side}
        </Typography>
        <Typography component="span" id={descriptionId} color="text.secondary" sx={{ display: 'block', mt: 0.5 }}>
          {description}
        </Typography>
      </CardContent>
      <CardActionArea onClick={() => navigate(route)} aria-label={name} aria-describedby={descriptionId} sx={{ position: 'absolute', inset: 0 }} />
    </Card>
  );
}

/** Opens the wizard page that belongs to a job, showing it. */
export function openJob(job: Job): void {
  if (job.kind === 'export') {
    useExport.getState().attachJob(job);
    navigate('export');
  } else if (job.kind === 'media-verify') {
    useExport.getState().attachMediaJob(job);
    navigate('export');
  } else {
    useImport.getState().attachJob(job);
    navigate('import');
  }
}

function InProgress() {
  const jobs = useJobs((s) => s.jobs);
  const running = useMemo(
    () =>
      Object.values(jobs)
        .filter((j) => j.state === 'running')
        .sort((a, b) => b.createdAt.localeCompare(a.createdAt)),
    [jobs],
  );
  if (running.length === 0) return null;
  return (
    <Section title="In progress">
      <Stack spacing={3}>
        {running.map((job) => (
          <Box key={job.id}>
            <JobProgress
              job={job}
              label={`Progress of ${job.title}`}
              onCancel={() => useJobs.getState().cancel(job.id)}
              cancelLabel={`Cancel ${job.title}`}
              actions={
                <Button size="small" onClick={() => openJob(job)} aria-label={`Open ${job.title}`}>
                  Open
                </Button>
              }
            />
          </Box>
        ))}
      </Stack>
    </Section>
  );
}

const ATTENTION_LABEL: Partial<Record<Job['state'], string>> = {
  interrupted: 'Stopped before it finished',
  paused: 'Paused: resuming continues from where the registry stopped',
  failed: 'Failed',
};

/** Something the engine lists, loaded on arrival and on every tick; `reload` asks again. */
function useListed<T>(load: () => Promise<T>, tick: string): { value: T | null; error: unknown; reload: () => void } {
  const [value, setValue] = useState<T | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [again, setAgain] = useState(0);
  useEffect(() => {
    let live = true;
    load().then(
      (v) => {
        if (!live) return;
        setValue(v);
        setError(null);
      },
      (err: unknown) => live && setError(err),
    );
    return () => {
      live = false;
    };
    // `load` is a module-level function; the tick and `again` say when to ask again.
  }, [tick, again]);
  return { value, error, reload: () => setAgain((n) => n + 1) };
}

const loadPending = async (): Promise<ApprovalRequestInfo[]> =>
  (await ferry().call('approval.list', {})).requests.filter((r) => r.state === 'pending').sort((a, b) => b.requestedAt.localeCompare(a.requestedAt));
const loadMediaFlags = async (): Promise<ReconciliationFlag[]> =>
  (await ferry().call('ledger.flags', {})).flags.filter((f) => f.kind === 'media-not-dispositioned');

function NeedsAttention() {
  const { tick } = useLedgerTick();
  const pending = useListed(loadPending, tick);
  const mediaFlags = useListed(loadMediaFlags, tick);
  const [reviewing, setReviewing] = useState<ApprovalRequestInfo | null>(null);
  const jobs = useJobs((s) => s.jobs);
  const loaded = useJobs((s) => s.loaded);
  const loadError = useJobs((s) => s.error);
  const unfinished = useMemo(
    () =>
      Object.values(jobs)
        .filter(isUnfinished)
        .sort((a, b) => b.updatedAt.localeCompare(a.updatedAt)),
    [jobs],
  );
  const [errors, setErrors] = useState<Record<string, unknown>>({});
  const [busy, setBusy] = useState<string | null>(null);

  async function act(job: Job, action: 'resume' | 'dismiss') {
    setBusy(job.id);
    setErrors((e) => ({ ...e, [job.id]: null }));
    try {
      if (action === 'resume') await useJobs.getState().resume(job.id);
      else await useJobs.getState().dismiss(job.id);
    } catch (err) {
      setErrors((e) => ({ ...e, [job.id]: err }));
    } finally {
      setBusy(null);
    }
  }

  const approvals = pending.value ?? [];
  const flags = mediaFlags.value ?? [];
  const quiet = unfinished.length === 0 && approvals.length === 0 && flags.length === 0;

  return (
    <Section title="Needs attention">
      {loadError && <ErrorAlert error={loadError} title="Cannot list the jobs" />}
      {pending.error != null && <ErrorAlert error={pending.error} title="Cannot list the approvals waiting" />}
      {mediaFlags.error != null && <ErrorAlert error={mediaFlags.error} title="Cannot read the ledger's flags" />}
      {loaded && !loadError && quiet && <Typography color="text.secondary">Nothing needs attention: no interrupted, paused or failed jobs.</Typography>}
      {approvals.length > 0 && (
        <List disablePadding aria-label="Approvals waiting">
          {approvals.map((r) => (
            <ListItem key={r.id} disableGutters divider sx={{ display: 'block', py: 1.5 }}>
              <Typography sx={{ fontWeight: 600 }}>
                Export {r.name} by {r.requester.name} waits for approval
              </Typography>
              <Typography variant="body2" color="text.secondary" sx={{ mt: 0.25 }}>
                Requested by {personLabel(r.requester)} · <DateTime iso={r.requestedAt} /> ·{' '}
                {r.artifacts.length === 1 ? '1 artifact' : `${r.artifacts.length} artifacts`}
              </Typography>
              <Stack direction="row" spacing={1} sx={{ mt: 1 }}>
                <Button size="small" variant="contained" onClick={() => setReviewing(r)} aria-label={`Review approval of ${r.name}`}>
                  Review approval
                </Button>
              </Stack>
            </ListItem>
          ))}
        </List>
      )}
      {flags.length > 0 && (
        <List disablePadding aria-label="Media not dispositioned">
          {flags.map((f, i) => (
            <ListItem key={`${i} ${f.seq ?? ''} ${f.media ?? ''}`} disableGutters divider sx={{ display: 'block', py: 1.5 }}>
              <Typography>{f.message}</Typography>
              {f.bundle && (
                <Link
                  href={`#/ledger/bundle/${f.bundle}`}
                  aria-label={f.media ? `Open bundle of medium ${f.media}` : 'Open bundle'}
                  sx={{ display: 'inline-block', mt: 0.5 }}
                >
                  Open bundle
                </Link>
              )}
            </ListItem>
          ))}
        </List>
      )}
      <ApprovalDialog
        request={reviewing}
        onClose={() => {
          setReviewing(null);
          pending.reload();
        }}
        onDecided={(info) => {
          useExport.getState().setApproval(info);
          pending.reload();
        }}
      />
      {unfinished.length > 0 && (
        <List disablePadding aria-label="Unfinished jobs">
          {unfinished.map((job) => (
            <ListItem key={job.id} disableGutters divider sx={{ display: 'block', py: 1.5 }}>
              <Stack direction="row" spacing={1.5} sx={{ alignItems: 'center' }}>
                <Typography sx={{ fontWeight: 600, flex: 1, minWidth: 0 }}>{job.title}</Typography>
                <JobStateChip state={job.state} />
              </Stack>
              <Typography variant="body2" color="text.secondary" sx={{ mt: 0.25 }}>
                {ATTENTION_LABEL[job.state] ?? 'Failed'} · <DateTime iso={job.updatedAt} />
              </Typography>
              {job.state === 'failed' && job.error && (
                <Typography variant="body2" sx={{ mt: 0.75 }}>
                  {job.error.message}
                </Typography>
              )}
              <Stack direction="row" spacing={1} sx={{ mt: 1 }}>
                <Button size="small" variant="contained" disabled={busy === job.id} onClick={() => void act(job, 'resume')} aria-label={`Resume ${job.title}`}>
                  Resume
                </Button>
                <Button size="small" disabled={busy === job.id} onClick={() => void act(job, 'dismiss')} aria-label={`Dismiss ${job.title}`}>
                  Dismiss
                </Button>
                <Button size="small" disabled={busy === job.id} onClick={() => openJob(job)} aria-label={`Open ${job.title}`}>
                  Open
                </Button>
              </Stack>
              {errors[job.id] != null && (
                <Box sx={{ mt: 1 }}>
                  <ErrorAlert error={errors[job.id]} />
                </Box>
              )}
            </ListItem>
          ))}
        </List>
      )}
    </Section>
  );
}

function RecentActivity() {
  const [rows, setRows] = useState<LedgerRow[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const { tick } = useLedgerTick();

  useEffect(() => {
    let live = true;
    ferry()
      .call('ledger.list', { limit: 10 })
      .then(
        (result) => {
          if (!live) return;
          setRows([...result.entries].sort((a, b) => b.seq - a.seq).slice(0, 10));
          setError(null);
        },
        (err: unknown) => live && setError(err),
      );
    return () => {
      live = false;
    };
  }, [tick]);

  return (
    <Section
      title="Recent activity"
      actions={
        <Button size="small" onClick={() => navigate('ledger')}>
          Open the ledger
        </Button>
      }
    >
      {error != null && <ErrorAlert error={error} title="Cannot read the ledger" />}
      {rows && rows.length === 0 && <Typography color="text.secondary">Nothing yet. Exports and imports appear here.</Typography>}
      {rows && rows.length > 0 && (
        <List disablePadding aria-label="Recent ledger events">
          {rows.map((row) => (
            <ListItem key={row.seq} disableGutters divider sx={{ display: 'block', py: 1 }}>
              <Stack direction="row" spacing={1} sx={{ alignItems: 'baseline', justifyContent: 'space-between' }}>
                <Typography sx={{ fontWeight: 500 }}>{eventTypeLabel(row.type)}</Typography>
                <Typography variant="body2" color="text.secondary">
                  <DateTime iso={row.time} />
                </Typography>
              </Stack>
              <Stack direction="row" spacing={1} sx={{ alignItems: 'center', minHeight: 30 }}>
                <Typography variant="body2" color="text.secondary">
                  {row.operator}
                  {row.role ? ` (${row.role})` : ''}
                </Typography>
                {row.bundle && (
                  <>
                    <Typography variant="body2" color="text.secondary">
                      ·
                    </Typography>
                    <Digest value={row.bundle} label={`bundle digest of entry ${row.seq}`} short />
                  </>
                )}
              </Stack>
            </ListItem>
          ))}
        </List>
      )}
    </Section>
  );
}
