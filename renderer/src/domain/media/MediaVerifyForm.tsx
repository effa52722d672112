import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import MenuItem from '@mui/material/MenuItem';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useState } from 'react';
import type { Job, MediaRecord } from '../../../../shared/rpc.js';
import { Digest } from '../../components/Digest';
import { ErrorAlert } from '../../components/ErrorAlert';
import { FolderField } from '../../components/FolderField';
import { JobProgress } from '../../components/JobProgress';
import { ferry } from '../../client';
import { useAppInfo } from '../../core/appInfoStore';
import { cancelJob, upsertJob, useJob } from '../jobs/jobs';
import { MEDIA_TYPE_LABELS, MEDIA_TYPES, mediaVerifyResultOf, type MediaFormValue } from './mediaTypes';
import { MediaVerifyResult, type KnownVolume } from './MediaVerifyResult';

export interface MediaVerifyFormProps {
  value: MediaFormValue;
  onChange: (patch: Partial<MediaFormValue>) => void;
  /** The folder read back when none is chosen (the bundle folder just written); '' for none. */
  defaultDir: string;
  /** The read-back job of this medium, once started. */
  jobId: string | null;
  onStarted: (job: Job) => void;
  /** "Verify another medium": clear the form for the next one. */
  onAnother: () => void;
  /** The bundle's volumes, to describe those on other media. */
  knownVolumes?: KnownVolume[];
  /** Volumes already read back correctly from other media. */
  verifiedVolumes?: string[];
}

/** What a medium must have before it is read back: an ID, a label, a type. */
function missing(value: MediaFormValue, dir: string): string | null {
  if (!value.id.trim()) return 'Give the media ID or serial.';
  if (!value.label.trim()) return 'Give the label written on the medium.';
  if (!value.type) return 'Choose the media type.';
  if (!dir) return 'Choose the folder to read back from.';
  return null;
}

/**
 * Records one physical medium (ID or serial, label, type, seal) and reads every volume on it back
 * (media.verify), comparing each with the signed SHA256SUMS; the result in plain words.
 */
export function MediaVerifyForm({ value, onChange, defaultDir, jobId, onStarted, onAnother, knownVolumes, verifiedVolumes }: MediaVerifyFormProps) {
  const nativeDialogs = useAppInfo((s) => s.info?.nativeDialogs ?? false);
  const job = useJob(jobId);
  const result = mediaVerifyResultOf(job);
  const [starting, setStarting] = useState(false);
  const [startError, setStartError] = useState<unknown>(null);
  const running = job?.state === 'running' || starting;
  const dir = (value.dir ?? defaultDir).trim();
  const problem = missing(value, dir);
  const finished = job !== undefined && job.state !== 'running';

  async function verify() {
    if (problem) return;
    const media: MediaRecord = {
      id: value.id.trim(),
      label: value.label.trim(),
      type: value.type as MediaRecord['type'],
      ...(value.seal.trim() ? { seal: value.seal.trim() } : {}),
    };
    setStarting(true);
    setStartError(null);
    try {
      // The browser host accepts only folders it listed: list this one (the bundle folder, or one the field did not check) as the folder field does a typed path.
      if (!nativeDialogs) await ferry().call('fs.list', { path: dir });
      const started = await ferry().call('media.verify', { dir, media });
      upsertJob(started);
      onStarted(started);
    } catch (err) {
      setStartError(err);
    } finally {
      setStarting(false);
    }
  }

  return (
    <Stack spacing={2.5}>
      <Stack direction={{ xs: 'column', md: 'row' }} spacing={2} sx={{ alignItems: 'flex-start' }}>
        <TextField
          label="Media ID or serial"
          value={value.id}
          onChange={(e) => onChange({ id: e.target.value })}
          required
          disabled={running}
          helperText="The serial number or asset tag: every later record names the medium by it."
          slotProps={{ htmlInput: { maxLength: 120, spellCheck: false, autoComplete: 'off' } }}
          sx={{ flex: 1, minWidth: 220 }}
        />
        <TextField
          label="Label"
          value={value.label}
          onChange={(e) => onChange({ label: e.target.value })}
          required
          disabled={running}
          helperText="As written on the medium, e.g. Disc 1 of 3."
          slotProps={{ htmlInput: { maxLength: 200 } }}
          sx={{ flex: 1, minWidth: 220 }}
        />
      </Stack>
      <Stack direction={{ xs: 'column', md: 'row' }} spacing={2} sx={{ alignItems: 'flex-start' }}>
        <TextField
          select
          label="Media type"
          value={value.type}
          onChange={(e) => onChange({ type: e.target.value as MediaFormValue['type'] })}
          required
          disabled={running}
          helperText=" "
          sx={{ flex: 1, minWidth: 220 }}
        >
          {MEDIA_TYPES.map((t) => (
            <MenuItem key={t} value={t}>
              {MEDIA_TYPE_LABELS[t]}
            </MenuItem>
          ))}
        </TextField>
        <TextField
          label="Seal number"
          value={value.seal}
          onChange={(e) => onChange({ seal: e.target.value })}
          disabled={running}
          helperText="Optional: the tamper-evident seal put on the medium or its bag."
          slotProps={{ htmlInput: { maxLength: 120, spellCheck: false, autoComplete: 'off' } }}
          sx={{ flex: 1, minWidth: 220 }}
        />
      </Stack>

      {value.dir === null && defaultDir ? (
        <Stack direction="row" spacing={1.5} useFlexGap sx={{ alignItems: 'center', flexWrap: 'wrap' }}>
          <Typography color="text.secondary">Read back from</Typography>
          <Digest value={defaultDir} label="folder to read back from" size="body" />
          <Button size="small" variant="outlined" disabled={running} onClick={() => onChange({ dir: defaultDir })}>
            Change folder
          </Button>
        </Stack>
      ) : (
        <Box>
          <FolderField
            label="Folder to read back from"
            value={value.dir ?? ''}
            onChange={(path) => onChange({ dir: path })}
            purpose="media"
            dialogTitle="Choose the medium's folder (where it is mounted)"
            helperText="Where the medium is mounted, e.g. /media/cdrom. Every bundle volume found there is read back in full."
            disabled={running}
          />
          {defaultDir && (
            <Button size="small" disabled={running} onClick={() => onChange({ dir: null })}>
              Use the bundle folder
            </Button>
          )}
        </Box>
      )}

      <Stack direction="row" spacing={1.5} sx={{ alignItems: 'center', flexWrap: 'wrap', rowGap: 1 }}>
        <Button variant="contained" disabled={running || problem !== null} onClick={() => void verify()}>
          {starting ? 'Starting…' : job?.state === 'running' ? 'Reading back…' : 'Read back and verify'}
        </Button>
        {problem && !running && (
          <Typography variant="body2" color="text.secondary">
            {problem}
          </Typography>
        )}
        {finished && (
          <Button variant="outlined" onClick={onAnother} sx={{ ml: 'auto' }}>
            Verify another medium
          </Button>
        )}
      </Stack>
      {startError != null && <ErrorAlert error={startError} title="The read-back did not start" />}

      {job && (
        <Box>
          <JobProgress job={job} label="Read-back progress" onCancel={() => cancelJob(job.id)} cancelLabel="Cancel read-back" />
          {job.state === 'failed' && (
            <Box sx={{ mt: 2 }}>
              <ErrorAlert
                error={job.error ?? { code: 'INTERNAL', message: 'The read-back stopped without saying why.' }}
                title="The medium could not be read back"
              >
                <Box sx={{ mt: 0.5 }}>Check that the medium is mounted and the folder is the right one, then read it back again.</Box>
              </ErrorAlert>
            </Box>
          )}
          {(job.state === 'cancelled' || job.state === 'interrupted' || job.state === 'paused') && (
            <Alert severity="info" sx={{ mt: 2 }}>
              The read-back {job.state === 'cancelled' ? 'was cancelled' : 'stopped before it finished'}, so this medium is not verified. Read it back again.
            </Alert>
          )}
          {result && (
            <Box sx={{ mt: 2 }}>
              <MediaVerifyResult result={result} knownVolumes={knownVolumes} verifiedVolumes={verifiedVolumes} />
            </Box>
          )}
        </Box>
      )}
    </Stack>
  );
}
