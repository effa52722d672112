import PrintOutlinedIcon from '@mui/icons-material/PrintOutlined';
import Alert from '@mui/material/Alert';
import AlertTitle from '@mui/material/AlertTitle';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Stack from '@mui/material/Stack';
import TableCell from '@mui/material/TableCell';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import { useId } from 'react';
import { ResultUnavailable } from '../../components/ResultUnavailable';
import { BurnList } from './BurnList';
import { SimpleTable } from '../../components/SimpleTable';
import { Bytes } from '../../components/Bytes';
import { CopyBlock } from '../../components/CopyBlock';
import { Digest } from '../../components/Digest';
import { StepActions, StepHeading } from '../../components/StepParts';
import { artifactKindText, bundleAttachment } from '../../lib/artifacts';
import { navigate } from '../../core/router';
import { MONO, monoSmall } from '../../core/theme';
import { useJob } from '../../domain/jobs/jobs';
import { exportResultOf } from '../../domain/jobs/results';
import { mediaVerdict } from '../../domain/media/MediaVerifyResult';
import { VerifiedMediaTable } from '../../domain/media/VerifiedMediaTable';
import { useExport } from './exportStore';
import { verifyCommandsFor } from '../../lib/verifyCommands';
import { Term } from '../../components/Term';

/** Done: the bundle's identity, its volumes and media, the paperwork (transfer form, custody), and how to verify it by hand. */
export function DoneStep() {
  const jobId = useExport((s) => s.jobId);
  const job = useJob(jobId);
  const result = exportResultOf(job);
  const verifiedMedia = useExport((s) => s.verifiedMedia);
  const mediaSkipped = useExport((s) => s.mediaSkipped);
  const goodMedia = verifiedMedia.filter((m) => mediaVerdict(m.result).ok).length;
  const { reset, setStep } = useExport.getState();
  const paperworkId = useId();

  if (!result) return <ResultUnavailable what="export" againLabel="Export another bundle" onAgain={reset} />;

  return (
    <Box>
      <StepHeading title="Done" />
      <Alert severity="success" sx={{ mb: 2 }}>
        The bundle <strong>{result.name}</strong> is written and signed: {result.volumes.length} volume{result.volumes.length === 1 ? '' : 's'},{' '}
        <Bytes value={result.tarSize} />.
      </Alert>
      {mediaSkipped && goodMedia === 0 && (
        <Alert
          severity="warning"
          sx={{ mb: 2 }}
          action={
            <Button color="inherit" onClick={() => setStep('verify')}>
              Verify media now
            </Button>
          }
        >
          <AlertTitle>The medium was not verified</AlertTitle>
          {verifiedMedia.length === 0
            ? 'Nothing in the ledger says the medium reads back correctly, nor records its ID and seal. Read it back before it leaves this room.'
            : 'No medium read back correctly (see Media below). Rewrite the medium, or use another, and verify it before it leaves this room.'}
        </Alert>
      )}

      <Box component="section" aria-labelledby={paperworkId} sx={{ border: 1, borderColor: 'divider', borderRadius: 1, p: 2, mb: 3 }}>
        <Typography variant="h3" id={paperworkId}>
          Chain of custody
        </Typography>
        <Typography color="text.secondary" sx={{ mt: 0.5, mb: 1.5, maxWidth: '80ch' }}>
          Print the transfer form for the people who sign for the bundle, and record each handoff as the media travel. The ledger keeps every step on the
          bundle's page.
        </Typography>
        <Stack direction="row" spacing={1.5} useFlexGap sx={{ flexWrap: 'wrap' }}>
          <Button variant="contained" startIcon={<PrintOutlinedIcon />} onClick={() => (window.location.hash = `#/ledger/bundle/${result.bundleDigest}/form`)}>
            Print transfer form
          </Button>
          <Button variant="outlined" href={`#/ledger/bundle/${result.bundleDigest}`}>
            Open chain of custody
          </Button>
          <Button variant="outlined" href={`#/handoff?bundle=${result.bundleDigest}`}>
            Record a handoff
          </Button>
        </Stack>
      </Box>

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
            <TableCell>{artifactKindText(a.kind, bundleAttachment(a))}</TableCell>
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

      {result.discs && <BurnList dir={result.dir} discs={result.discs} />}

      {verifiedMedia.length > 0 && (
        <>
          <Typography variant="h3" sx={{ mt: 4, mb: 1 }}>
            Media
          </Typography>
          <VerifiedMediaTable media={verifiedMedia} />
        </>
      )}

      <Typography variant="h3" sx={{ mt: 4 }}>
        Verify by hand
      </Typography>
      <Typography color="text.secondary" sx={{ mt: 0.5, mb: 2 }}>
        Anyone can check the bundle with coreutils and openssl alone, Ferry not needed. The same commands are in VERIFY.txt in the bundle folder.
      </Typography>
      <Stack component="ol" spacing={2} sx={{ m: 0, pl: 3 }}>
        {verifyCommandsFor(result.discs ? { ...result, dir: `${result.dir}/${result.discs[0]!.folder}` } : result).map((step) => (
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
