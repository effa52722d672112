import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import List from '@mui/material/List';
import ListItem from '@mui/material/ListItem';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { useMemo, useState } from 'react';
import type { ApprovalRequestInfo, Job } from '../../../../shared/rpc.js';
import type { HomeLinks } from './links';
import { DateTime } from '../../components/DateTime';
import { ErrorAlert } from '../../components/ErrorAlert';
import { JobStateChip } from '../../components/JobProgress';
import { Section } from '../../components/Section';
import { ApprovalDialog } from '../../domain/approval/ApprovalDialog';
import { personLabel } from '../../domain/approval/approvals';
import { DiscardExportDialog, keepsVolumes } from '../../domain/jobs/DiscardExportDialog';
import { dismissJob, needsAttention, resumeJob, useJobList, useJobs } from '../../domain/jobs/jobs';
import { useLedgerAttention, usePendingApprovals } from './api/queries';
import { LedgerAttention } from './LedgerAttention';

const ATTENTION_LABEL: Partial<Record<Job['state'], string>> = {
  interrupted: 'Stopped before it finished',
  paused: 'Paused: nothing is committed yet; resuming reads the volumes again and sends nothing the registry already holds',
  failed: 'Failed',
};

/** What Home says of a job that stopped; a paused export goes on with its next volume. */
function attentionLabel(job: Job): string {
  if (job.state === 'paused' && job.kind === 'export') return 'Paused: resuming keeps the volumes already written and goes on with the next';
  const kept = job.kind === 'export' ? job.error?.details?.volumesKept : undefined;
  if (job.state === 'failed' && typeof kept === 'number') {
    const volumes = kept === 1 ? 'the volume already written is kept' : `the ${kept} volumes already written are kept`;
    return `Failed: ${volumes}; once the cause is put right, resuming checks them and goes on with the next`;
  }
  return ATTENTION_LABEL[job.state] ?? 'Failed';
}

/** Approvals waiting, media that need a person (read back wrong, disposition due) and jobs that stopped: each with what to do next. */
export function NeedsAttention({ openJob, onApprovalDecided }: HomeLinks) {
  const pending = usePendingApprovals();
  const ledgerItems = useLedgerAttention();
  const [reviewing, setReviewing] = useState<ApprovalRequestInfo | null>(null);
  const jobList = useJobList();
  const jobs = useJobs();
  const loaded = jobList.status !== 'pending';
  const loadError = jobList.error;
  const unfinished = useMemo(
    () =>
      Object.values(jobs)
        .filter(needsAttention)
        .sort((a, b) => b.updatedAt.localeCompare(a.updatedAt)),
    [jobs],
  );
  const [errors, setErrors] = useState<Record<string, unknown>>({});
  const [busy, setBusy] = useState<string | null>(null);
  const [discardingExport, setDiscardingExport] = useState<(Job & { kind: 'export' }) | null>(null);

  async function act(job: Job, action: 'resume' | 'dismiss') {
    if (action === 'dismiss' && job.kind === 'export' && keepsVolumes(job)) {
      setDiscardingExport(job);
      return;
    }
    setBusy(job.id);
    setErrors((e) => ({ ...e, [job.id]: null }));
    try {
      if (action === 'resume') await resumeJob(job.id);
      else await dismissJob(job.id);
    } catch (err) {
      setErrors((e) => ({ ...e, [job.id]: err }));
    } finally {
      setBusy(null);
    }
  }

  const approvals = pending.data?.exports ?? [];
  const ruleChanges = pending.data?.ruleChanges ?? [];
  const items = ledgerItems.data?.items ?? [];
  const quiet = unfinished.length === 0 && approvals.length === 0 && ruleChanges.length === 0 && items.length === 0;

  return (
    <Section title="Needs attention">
      {loadError && <ErrorAlert error={loadError} title="Cannot list the jobs" />}
      {pending.error != null && <ErrorAlert error={pending.error} title="Cannot list the approvals waiting" />}
      {ledgerItems.error != null && <ErrorAlert error={ledgerItems.error} title="Cannot read what the ledger asks for" />}
      {loaded && !loadError && quiet && (
        <Typography color="text.secondary">Nothing needs attention: no approval waiting, no stopped job, no medium due for its disposition.</Typography>
      )}
      {ruleChanges.length > 0 && (
        <List disablePadding aria-label="Rule changes waiting">
          {ruleChanges.map((r) => (
            <ListItem key={r.id} disableGutters divider sx={{ display: 'block', py: 1.5 }}>
              <Typography sx={{ fontWeight: 600 }}>Turning the two-person rule {r.twoPersonRule ? 'on' : 'off'} waits for a second person</Typography>
              <Typography variant="body2" color="text.secondary" sx={{ mt: 0.25 }}>
                Asked by {personLabel(r.requester)} · <DateTime iso={r.requestedAt} /> · the rule stays as it is until someone else enrolled decides
              </Typography>
              <Stack direction="row" spacing={1} sx={{ mt: 1 }}>
                <Button size="small" variant="contained" href="#/settings" aria-label="Review the rule change in Settings">
                  Review in Settings
                </Button>
              </Stack>
            </ListItem>
          ))}
        </List>
      )}
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
      <LedgerAttention items={items} total={ledgerItems.data?.total ?? 0} onChanged={() => void ledgerItems.refetch()} />
      <ApprovalDialog
        request={reviewing}
        onClose={() => {
          setReviewing(null);
          void pending.refetch();
        }}
        onDecided={(info) => {
          onApprovalDecided(info);
          void pending.refetch();
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
                {attentionLabel(job)} · <DateTime iso={job.updatedAt} />
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
      <DiscardExportDialog job={discardingExport} onClose={() => setDiscardingExport(null)} />
    </Section>
  );
}
