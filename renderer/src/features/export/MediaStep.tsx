import Alert from '@mui/material/Alert';
import AlertTitle from '@mui/material/AlertTitle';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Checkbox from '@mui/material/Checkbox';
import CircularProgress from '@mui/material/CircularProgress';
import FormControlLabel from '@mui/material/FormControlLabel';
import MenuItem from '@mui/material/MenuItem';
import Paper from '@mui/material/Paper';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import type { ReactNode } from 'react';
import { discVolumeBytes, isDiscPreset, VOLUME_PRESETS, type VolumePreset } from '../../../../shared/media.js';
import { Bytes } from '../../components/Bytes';
import { ErrorAlert } from '../../components/ErrorAlert';
import { FolderField } from '../../components/FolderField';
import { StepActions, StepHeading } from '../../components/StepParts';
import { bundleNameProblem } from '../../../../shared/bundle-name.js';
import { formatBytes, joinPath } from '../../lib/format';
import { useAppInfo } from '../../core/appInfoStore';
import { MONO } from '../../core/theme';
import { useEstimate, useOllamaModels } from './api/queries';
import { ApprovalNotice } from './ApprovalNotice';
import { carryRequest, volumeSizeOf } from './exportRequest';
import { type MediaChoice } from './exportState';
import { useExport } from './exportStore';

const PRESET_ENTRIES = Object.entries(VOLUME_PRESETS) as [VolumePreset, (typeof VOLUME_PRESETS)[VolumePreset]][];

/** Step 2: the media (volume size), the destination folder and the bundle's name; free space and licences. */
export function MediaStep() {
  const s = useExport();
  const { update, setStep, start, toApproval } = useExport.getState();
  const twoPersonRule = useAppInfo((a) => a.info?.twoPersonRule === true);
  const size = volumeSizeOf(s.media, s.customSize);
  const nameProblem = bundleNameProblem(s.name.trim());
  const destination = s.destination.trim();
  const models = useOllamaModels(s.store.trim()).data?.models ?? [];
  const chosen = models.filter((m) => s.selected.includes(m.name));
  const withLicence = chosen.filter((m) => m.licensePresent);
  const withoutLicence = chosen.filter((m) => !m.licensePresent);

  const carried = carryRequest(s);
  const estimate = useEstimate('bytes' in size && destination ? { ...carried, volumeSize: size.bytes, destination } : null);
  const result = estimate?.result;
  const roomOk = Boolean(result?.enoughSpace) && !estimate?.loading;
  const licencesOk = withLicence.length === 0 || s.licencesRead;
  const canBuild = roomOk && !nameProblem && licencesOk && 'bytes' in size && !s.starting;

  return (
    <Box>
      <StepHeading
        title="Media"
        lead="Choose the media the bundle goes on, and the folder to write it to (a mounted USB disk, or a staging folder you burn discs from)."
      />
      <Stack spacing={3}>
        <Stack direction={{ xs: 'column', md: 'row' }} spacing={2}>
          <TextField
            select
            label="Media"
            value={s.media}
            onChange={(e) => update({ media: e.target.value as MediaChoice })}
            sx={{ minWidth: 340 }}
            helperText={
              s.media === 'custom'
                ? 'Any volume size.'
                : s.media === 'usb'
                  ? 'The bundle is one volume.'
                  : isDiscPreset(s.media)
                    ? `One folder per disc: a volume of at most ${formatBytes(discVolumeBytes(s.media))} beside the signed metadata.`
                    : `Volumes of at most ${formatBytes(VOLUME_PRESETS[s.media].bytes)}.`
            }
          >
            {PRESET_ENTRIES.map(([key, preset]) => (
              <MenuItem key={key} value={key}>
                {preset.label}
              </MenuItem>
            ))}
            <MenuItem value="custom">Custom size</MenuItem>
          </TextField>
          {s.media === 'custom' && (
            <TextField
              label="Volume size"
              value={s.customSize}
              onChange={(e) => update({ customSize: e.target.value })}
              error={Boolean(s.customSize) && 'error' in size}
              helperText={
                'error' in size
                  ? s.customSize
                    ? size.error
                    : 'Bytes or a unit: 700MiB, 4.7GB, 2GiB.'
                  : `${size.bytes.toLocaleString('en-US')} bytes per volume.`
              }
              placeholder="700MiB"
              sx={{ minWidth: 240 }}
            />
          )}
          {s.media === 'custom' && (
            <FormControlLabel
              control={<Checkbox checked={s.discLayout} onChange={(e) => update({ discLayout: e.target.checked })} />}
              label="One folder per disc, to burn"
            />
          )}
        </Stack>

        <FolderField
          label="Destination folder"
          value={s.destination}
          onChange={(destination) => update({ destination })}
          purpose="export-destination"
          dialogTitle="Choose where to write the bundle"
          helperText="The bundle gets its own folder inside this one."
        />

        <TextField
          label="Bundle name"
          value={s.name}
          onChange={(e) => update({ name: e.target.value })}
          error={Boolean(nameProblem)}
          helperText={
            nameProblem ?? (
              <>
                Written to{' '}
                <Box component="span" sx={{ fontFamily: MONO }}>
                  {destination ? joinPath(destination, s.name.trim()) : s.name.trim()}
                </Box>
                ; volumes are {s.name.trim()}.tar.001, .002, …
              </>
            )
          }
          slotProps={{ htmlInput: { spellCheck: false, maxLength: 80 } }}
          sx={{ maxWidth: 720 }}
        />

        <Paper variant="outlined" sx={{ p: 2 }} aria-live="polite">
          <Typography variant="h3" sx={{ mb: 1 }}>
            Size and room
          </Typography>
          {!destination ? (
            <Typography color="text.secondary">Choose a destination folder to check its free space.</Typography>
          ) : 'error' in size ? (
            <Typography color="text.secondary">Give a volume size to estimate the volumes.</Typography>
          ) : !estimate || (estimate.loading && !result) ? (
            <Stack direction="row" spacing={1.5} sx={{ alignItems: 'center' }}>
              <CircularProgress size={18} aria-label="Checking free space" />
              <Typography color="text.secondary">Checking the size and the free space…</Typography>
            </Stack>
          ) : estimate.error ? (
            <ErrorAlert error={estimate.error} title="Cannot check the destination" />
          ) : result ? (
            <Stack spacing={1.5}>
              <Stack direction="row" spacing={4} useFlexGap sx={{ flexWrap: 'wrap' }}>
                <Fact label="Bundle size">
                  <Bytes value={result.tarSize} />
                </Fact>
                <Fact label="Volumes">{result.volumeCount}</Fact>
                <Fact label="Free at destination">
                  <Bytes value={result.available} />
                </Fact>
              </Stack>
              {!result.enoughSpace && (
                <Alert severity="error">
                  <AlertTitle>Not enough room</AlertTitle>
                  <Box component="span" sx={{ fontFamily: MONO }}>
                    {destination}
                  </Box>{' '}
                  has {formatBytes(result.available)} free, but the bundle needs {formatBytes(result.tarSize)}. Free some space, choose another destination, or
                  carry less.
                </Alert>
              )}
            </Stack>
          ) : null}
        </Paper>

        {chosen.length > 0 && (
          <Box>
            <Typography variant="h3" sx={{ mb: 1 }}>
              Licences
            </Typography>
            {withLicence.length > 0 ? (
              <>
                <Typography color="text.secondary">
                  These models carry a licence that travels with them: {withLicence.map((m) => m.name).join(', ')}. Read them (
                  <code>ollama show --license NAME</code>) before they leave.
                </Typography>
                <FormControlLabel
                  control={<Checkbox checked={s.licencesRead} onChange={(e) => update({ licencesRead: e.target.checked })} />}
                  label="I have read the licences of the selected models"
                />
              </>
            ) : null}
            {withoutLicence.length > 0 && (
              <Typography color="text.secondary" sx={{ mt: withLicence.length > 0 ? 0.5 : 0 }}>
                No licence found in: {withoutLicence.map((m) => m.name).join(', ')}. Check their terms at the source.
              </Typography>
            )}
          </Box>
        )}

        <ApprovalNotice />
        {s.startError && <ErrorAlert error={s.startError} title="The export did not start" />}
      </Stack>

      <StepActions back={<Button onClick={() => setStep('carry')}>Back</Button>}>
        {!canBuild && !s.starting && (
          <Typography variant="body2" color="text.secondary">
            {blocker({
              roomOk,
              nameProblem,
              licencesOk,
              destination,
              sizeOk: 'bytes' in size,
              estimateLoading: Boolean(estimate?.loading),
              estimateFailed: estimate?.error != null,
            })}
          </Typography>
        )}
        {twoPersonRule ? (
          <>
            {canBuild && (
              <Typography variant="body2" color="text.secondary">
                A second person approves this export next.
              </Typography>
            )}
            <Button variant="contained" disabled={!canBuild} onClick={() => toApproval()}>
              Next
            </Button>
          </>
        ) : (
          <Button variant="contained" disabled={!canBuild} onClick={() => void start()}>
            {s.starting ? 'Starting…' : 'Build bundle'}
          </Button>
        )}
      </StepActions>
    </Box>
  );
}

function blocker(x: {
  roomOk: boolean;
  nameProblem: string | null;
  licencesOk: boolean;
  destination: string;
  sizeOk: boolean;
  estimateLoading: boolean;
  estimateFailed: boolean;
}): string {
  if (!x.sizeOk) return 'Give a volume size.';
  if (!x.destination) return 'Choose a destination folder.';
  if (x.nameProblem) return 'Fix the bundle name.';
  if (x.estimateLoading) return 'Checking free space…';
  if (x.estimateFailed) return 'Fix the destination first.';
  if (!x.roomOk) return 'The destination needs more room.';
  if (!x.licencesOk) return 'Confirm you have read the licences.';
  return '';
}

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <Box>
      <Typography variant="body2" color="text.secondary">
        {label}
      </Typography>
      <Typography sx={{ fontSize: '1.125rem', fontWeight: 600 }}>{children}</Typography>
    </Box>
  );
}
