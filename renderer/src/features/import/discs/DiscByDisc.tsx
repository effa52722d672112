import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Stack from '@mui/material/Stack';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { FolderField } from '../../../components/FolderField';
import { StepActions } from '../../../components/StepParts';
import { useJob, useJobs } from '../../../domain/jobs/jobs';
import { stageResultOf } from '../../../domain/jobs/results';
import { useImport } from '../importStore';
import { VerificationProgress } from '../VerificationProgress';
import { LatestCopy } from './LatestCopy';
import { StagedSoFar } from './StagedSoFar';
import { DiscMediumFields } from './DiscMediumFields';

/** Disc by disc: each disc copied into the staging folder and checked as it goes, until every volume is there; then Verify. */
export function DiscByDisc() {
  const { disc, discMedium, staging, stageJobIds, stageBusy, stageStartError, verifyJobId, busy, startError } = useImport();
  const { setDisc, setDiscMedium, setStaging, copyDisc, verifyStaged } = useImport.getState();
  const jobs = useJobs();
  const stageJobs = stageJobIds.flatMap((id) => (jobs[id] ? [jobs[id]] : []));
  const latest = stageJobs.at(-1);
  const staged = stageJobs.map(stageResultOf).findLast((r) => r !== undefined);
  const verifyJob = useJob(verifyJobId);
  const copying = latest?.state === 'running';
  const verifying = verifyJob?.state === 'running';
  const copy = () => void copyDisc();

  return (
    <Box>
      <Stack spacing={2.5}>
        <FolderField
          label="Disc folder"
          value={disc}
          onChange={setDisc}
          onSubmit={() => staging && !copying && copy()}
          purpose="disc"
          dialogTitle="Choose the disc (where it is mounted)"
          helperText="Where the disc is mounted, e.g. /media/cdrom or D:\. It stays the same for every disc."
          disabled={copying}
        />
        {!staged?.complete && <DiscMediumFields value={discMedium} onChange={setDiscMedium} disabled={copying} />}
        <FolderField
          label="Staging folder"
          value={staging}
          onChange={setStaging}
          purpose="staging"
          dialogTitle="Choose the staging folder"
          helperText="An empty folder with room for the whole bundle, the same for every disc. Each volume is checked against the signed SHA256SUMS as it is copied."
          disabled={copying || verifying}
        />
        {staged && <StagedSoFar result={staged} />}
        {latest && <LatestCopy job={latest} onCopyAgain={copy} />}
        {stageStartError && <ErrorAlert error={stageStartError} title="The copy did not start" />}
        {startError && <ErrorAlert error={startError} title="The verification did not start" />}
        {verifyJob && <VerificationProgress job={verifyJob} />}
      </Stack>
      <StepActions>
        {staged?.complete ? (
          <Button variant="contained" onClick={() => void verifyStaged()} disabled={busy || verifying}>
            {verifying ? 'Verifying…' : 'Verify'}
          </Button>
        ) : (
          <Button
            variant="contained"
            onClick={copy}
            disabled={
              !disc.trim() || !staging.trim() || stageBusy || copying || Boolean((discMedium.label.trim() || discMedium.seal.trim()) && !discMedium.id.trim())
            }
          >
            {copying ? 'Copying…' : 'Copy this disc'}
          </Button>
        )}
      </StepActions>
    </Box>
  );
}
