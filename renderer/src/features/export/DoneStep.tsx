import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Stack from '@mui/material/Stack';
import TableCell from '@mui/material/TableCell';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import { ResultUnavailable } from '../../components/ResultUnavailable';
import { SimpleTable } from '../../components/SimpleTable';
import { Bytes } from '../../components/Bytes';
import { CopyBlock } from '../../components/CopyBlock';
import { Digest } from '../../components/Digest';
import { StepActions, StepHeading } from '../../components/StepParts';
import { kindLabel } from '../../lib/artifacts';
import { navigate } from '../../shell/router';
import { MONO, monoSmall } from '../../shell/theme';
import { useJob } from '../jobs/jobsStore';
import { exportResultOf } from '../jobs/results';
import { useExport } from './exportStore';
import { verifyCommandsFor } from './verifyCommands';

/** Step 4: the bundle's identity, its volumes and how to verify it by hand. */
export function DoneStep() {
  const jobId = useExport((s) => s.jobId);
  const job = useJob(jobId);
  const result = exportResultOf(job);
  const { reset } = useExport.getState();

  if (!result) return <ResultUnavailable what="export" againLabel="Export another bundle" onAgain={reset} />;

  return (
    <Box>
      <StepHeading title="Done" />
      <Alert severity="success" sx={{ mb: 3 }}>
        The bundle <strong>{result.name}</strong> is written and signed: {result.volumes.length} volume{result.volumes.length === 1 ? '' : 's'}, <Bytes value={result.tarSize} />.
      </Alert>

      <Box component="dl" sx={{ display: 'grid', gridTemplateColumns: { xs: '1fr', md: '180px 1fr' }, columnGap: 2, rowGap: 1.25, m: 0, alignItems: 'center' }}>
        <Term>Bundle folder</Term>
        <Box component="dd" sx={{ m: 0 }}>
          <Digest value={result.dir} label="bundle folder path" size="body" />
        </Box>
        <Term>Bundle digest</Term>
        <Box component="dd" sx={{ m: 0 }}>
          <Digest value={result.bundleDigest} label="bundle digest" size="body" />
        </Box>
        <Term>Signer fingerprint</Term>
        <Box component="dd" sx={{ m: 0 }}>
          <Digest value={result.signer} label="signer fingerprint" size="body" />
        </Box>
      </Box>

      <Typography variant="h3" sx={{ mt: 4, mb: 1 }}>
        Contents
      </Typography>
      <SimpleTable label="Bundle contents" columns={['Artifact', 'Kind', 'Model ID', { label: 'Size', align: 'right' }, 'Manifest digest']}>
        {result.artifacts.map((a) => (
          <TableRow key={a.digest + a.ref}>
            <TableCell sx={monoSmall}>{a.ref}</TableCell>
            <TableCell>{kindLabel(a.kind)}</TableCell>
            <TableCell sx={monoSmall}>{a.modelId ?? '—'}</TableCell>
            <TableCell align="right">
              <Bytes value={a.contentSize} />
            </TableCell>
            <TableCell>
              <Digest value={a.digest} label={`manifest digest of ${a.ref}`} short />
            </TableCell>
          </TableRow>
        ))}
      </SimpleTable>

      <Typography variant="h3" sx={{ mt: 4, mb: 1 }}>
        Volumes
      </Typography>
      <SimpleTable label="Volumes" columns={['File', { label: 'Size', align: 'right' }, 'SHA-256']}>
        {result.volumes.map((v) => (
          <TableRow key={v.file}>
            <TableCell sx={monoSmall}>{v.file}</TableCell>
            <TableCell align="right">
              <Bytes value={v.size} />
            </TableCell>
            <TableCell>
              <Digest value={v.sha256} label={`SHA-256 of ${v.file}`} short />
            </TableCell>
          </TableRow>
        ))}
      </SimpleTable>

      <Typography variant="h3" sx={{ mt: 4 }}>
        Verify by hand
      </Typography>
      <Typography color="text.secondary" sx={{ mt: 0.5, mb: 2 }}>
        Anyone can check the bundle with coreutils and openssl alone, Ferry not needed. The same commands are in VERIFY.txt in the bundle folder.
      </Typography>
      <Stack component="ol" spacing={2} sx={{ m: 0, pl: 3 }}>
        {verifyCommandsFor(result).map((step) => (
          <Box component="li" key={step.title}>
            <Typography sx={{ mb: 0.75 }}>{step.title}</Typography>
            <Stack spacing={0.75}>
              {step.commands.map((c) => (
                <CopyBlock key={c.text} text={c.text} label={c.label} />
              ))}
            </Stack>
            {step.expect && (
              <Typography variant="body2" color="text.secondary" sx={{ mt: 0.5, overflowWrap: 'anywhere' }}>
                Must print:{' '}
                <Box component="span" sx={{ fontFamily: MONO, color: 'text.primary' }}>
                  {step.expect}
                </Box>
              </Typography>
            )}
            {step.look && (
              <Typography variant="body2" color="text.secondary" sx={{ mt: 0.5 }}>
                {step.look}
              </Typography>
            )}
          </Box>
        ))}
      </Stack>

      <StepActions back={<Button onClick={() => navigate('ledger')}>Open the ledger</Button>}>
        <Button variant="contained" onClick={reset}>
          Export another bundle
        </Button>
      </StepActions>
    </Box>
  );
}

function Term({ children }: { children: string }) {
  return (
    <Typography component="dt" color="text.secondary">
      {children}
    </Typography>
  );
}
