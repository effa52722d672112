import DownloadOutlinedIcon from '@mui/icons-material/DownloadOutlined';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { useState } from 'react';
import type { ImportJobResult } from '../../../../shared/rpc.js';
import { ErrorAlert } from '../../components/ErrorAlert';
import { FolderField } from '../../components/FolderField';
import { JobProgress } from '../../components/JobProgress';
import { Section } from '../../components/Section';
import { ferry } from '../../client';
import { MONO } from '../../core/theme';
import { upsertJob, useJob } from '../../domain/jobs/jobs';

type Artifact = ImportJobResult['artifacts'][number];

const FORMAT_WORDS: Record<string, string> = {
  appimage: 'AppImage for Linux',
  deb: 'Debian package',
  exe: 'Windows installer',
  cli: 'command line for Linux x86-64 (no Node needed)',
};

/**
 * Ferry's own installer, carried in the bundle (ferry export --include-installer): when the import
 * left it aside, save it into a folder of its own so Ferry can be installed on this side too.
 */
export function SaveInstaller({ bundleDir, artifacts }: { bundleDir: string; artifacts: Artifact[] }) {
  const [folder, setFolder] = useState('');
  const [jobId, setJobId] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const job = useJob(jobId);
  const installers = artifacts.filter((a) => a.installer);
  if (installers.length === 0) return null;
  const restored = installers.filter((a) => a.status === 'imported');
  const waiting = installers.filter((a) => a.status !== 'imported');

  async function save() {
    setError(null);
    try {
      const started = await ferry().call('import.start', { request: { dir: bundleDir, saveInstaller: folder } });
      upsertJob(started);
      setJobId(started.id);
    } catch (err) {
      setError(err);
    }
  }

  return (
    <Section title="Ferry's installer" headingLevel="h3">
      <Stack spacing={2}>
        {restored.map((a) => (
          <Typography key={a.ref}>
            This bundle carried Ferry itself ({FORMAT_WORDS[a.installer!] ?? a.installer}); it is now in{' '}
            <Box component="span" sx={{ fontFamily: MONO }}>
              {a.destination}
            </Box>
            .
          </Typography>
        ))}
        {waiting.length > 0 && !job && (
          <>
            <Typography>
              This bundle also carries Ferry itself ({waiting.map((a) => FORMAT_WORDS[a.installer!] ?? a.installer).join(', ')}), signed and verified with the
              rest. Save it to install Ferry on this side from the same media.
            </Typography>
            <FolderField
              label="Folder for Ferry's installer"
              value={folder}
              onChange={setFolder}
              purpose="files"
              dialogTitle="Choose where to save Ferry's installer"
            />
            <Box>
              <Button variant="outlined" startIcon={<DownloadOutlinedIcon />} disabled={!folder} onClick={() => void save()}>
                Save Ferry's installer
              </Button>
            </Box>
          </>
        )}
        {error != null && <ErrorAlert error={error} title="The installer was not saved" />}
        {job && job.state !== 'completed' && <JobProgress job={job} label="Saving Ferry's installer" showError />}
        {job?.state === 'completed' && (
          <Alert severity="success" role="status">
            Ferry's installer is saved in{' '}
            <Box component="span" sx={{ fontFamily: MONO }}>
              {folder}
            </Box>
            . Install it as usual for this system (for an AppImage: make it executable and run it).
          </Alert>
        )}
      </Stack>
    </Section>
  );
}
