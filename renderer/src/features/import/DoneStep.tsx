import PrintOutlinedIcon from '@mui/icons-material/PrintOutlined';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import type { ImportJobResult, ImportRequest } from '../../../../shared/rpc.js';
import { Digest } from '../../components/Digest';
import { ResultUnavailable } from '../../components/ResultUnavailable';
import { StepActions, StepHeading } from '../../components/StepParts';
import { kindNoun } from '../../lib/artifacts';
import { countOf } from '../../../../shared/count.js';
import { hrefs, navigate, navigateTo } from '../../core/router';
import { MONO } from '../../core/theme';
import { useJob } from '../../domain/jobs/jobs';
import { importResultOf } from '../../domain/jobs/results';
import { ImportedArtifactsTable } from './ImportedArtifactsTable';
import { useImport } from './importStore';
import { HfOfflineSettings } from './HfOfflineSettings';
import { LinkedFoldersNote } from './LinkedFoldersNote';
import { OllamaPullCommands } from './OllamaPullCommands';
import { TransferAttestations } from './TransferAttestations';
import { SaveInstaller } from './SaveInstaller';
import { ValuesSnippet } from './ValuesSnippet';
import { Term } from '../../components/Term';

/** Step 5: where each artifact now is, with destination digests, and the Helm values after a push. */
export function ImportDoneStep() {
  const importJobId = useImport((s) => s.importJobId);
  const job = useJob(importJobId);
  const result = importResultOf(job);
  const { reset } = useImport.getState();

  if (job?.kind !== 'import' || !result) return <ResultUnavailable what="import" againLabel="Import another bundle" onAgain={reset} />;
  const request = job.request;

  return (
    <Box>
      <StepHeading title="Done" />
      <Summary result={result} request={request} />
      {result.linkedFolders && <LinkedFoldersNote linked={result.linkedFolders} />}

      <Box
        component="dl"
        sx={{ display: 'grid', gridTemplateColumns: { xs: '1fr', md: '180px 1fr' }, columnGap: 2, rowGap: 1, m: 0, mb: 3, alignItems: 'center' }}
      >
        <Term>Bundle digest</Term>
        <Box component="dd" sx={{ m: 0 }}>
          <Digest value={result.bundleDigest} label="bundle digest" size="body" />
        </Box>
        <Term>Signed by</Term>
        <Box component="dd" sx={{ m: 0 }}>
          <Digest value={result.signer.fingerprint} label="signer fingerprint" size="body" />{' '}
          {result.signer.trusted && <Chip size="small" color="success" label="Trusted" sx={{ ml: 1 }} />}
        </Box>
      </Box>

      <Typography variant="h3" sx={{ mb: 1 }}>
        Imported artifacts
      </Typography>
      <ImportedArtifactsTable artifacts={result.artifacts} />

      {result.artifacts.some((a) => a.attestation || a.attestationProblem) && (
        <Box sx={{ mt: 4 }}>
          <TransferAttestations artifacts={result.artifacts} />
        </Box>
      )}

      {result.artifacts.some((a) => a.pull) && (
        <Box sx={{ mt: 4 }}>
          <OllamaPullCommands artifacts={result.artifacts} />
        </Box>
      )}

      {request.toHfCache && (
        <Box sx={{ mt: 4 }}>
          <HfOfflineSettings cache={request.toHfCache} />
        </Box>
      )}

      {result.values && (
        <Box sx={{ mt: 4 }}>
          <ValuesSnippet values={result.values} />
        </Box>
      )}

      {request.dir && result.artifacts.some((a) => a.installer) && (
        <Box sx={{ mt: 4 }}>
          <SaveInstaller bundleDir={request.dir} artifacts={result.artifacts} />
        </Box>
      )}

      <StepActions
        back={
          <>
            <Button onClick={() => navigate('ledger')}>Open the ledger</Button>
            <Button onClick={() => navigateTo(hrefs.bundle(result.bundleDigest))}>Open chain of custody</Button>
            <Button variant="outlined" startIcon={<PrintOutlinedIcon />} onClick={() => navigateTo(hrefs.receipt(result.bundleDigest))}>
              Print receipt
            </Button>
          </>
        }
      >
        <Button variant="contained" onClick={reset}>
          Import another bundle
        </Button>
      </StepActions>
    </Box>
  );
}

/** One line per target: how many artifacts are now there. */
function Summary({ result, request }: { result: ImportJobResult; request: Partial<ImportRequest> }) {
  const { toOllamaStore: store, toHfCache: hfCache, toDir: filesDir } = request;
  const target = request.toRegistry?.target;
  const imported = (where: string) => result.artifacts.filter((a) => a.status === 'imported' && a.target === where);
  const inStore = imported('ollama-store');
  const inRegistry = imported('registry');
  const kinds = [...new Set(inRegistry.map((a) => a.kind))];
  return (
    <Alert severity="success" sx={{ mb: 3 }}>
      <Stack spacing={0.5}>
        {store && (
          <span>
            {inStore.length} model{inStore.length === 1 ? ' is' : 's are'} now in{' '}
            <Box component="span" sx={{ fontFamily: MONO }}>
              {store}
            </Box>
            . Ollama lists {inStore.length === 1 ? 'it' : 'them'} with <code>ollama list</code>, under the same model ID as on the exporting side.
          </span>
        )}
        {hfCache && (
          <span>
            {countOf(imported('hf-cache').length, 'Hugging Face repository', 'Hugging Face repositories')} {imported('hf-cache').length === 1 ? 'is' : 'are'}{' '}
            now in{' '}
            <Box component="span" sx={{ fontFamily: MONO }}>
              {hfCache}
            </Box>
            , laid out as huggingface_hub downloads them.
          </span>
        )}
        {filesDir && (
          <span>
            {countOf(imported('dir').length, 'file set')} restored into{' '}
            <Box component="span" sx={{ fontFamily: MONO }}>
              {filesDir}
            </Box>
            , byte-exact.
          </span>
        )}
        {target && (
          <span>
            Pushed to{' '}
            <Box component="span" sx={{ fontFamily: MONO }}>
              {target}
            </Box>
            : {kinds.length > 0 ? kinds.map((kind) => countOf(inRegistry.filter((a) => a.kind === kind).length, kindNoun(kind))).join(', ') : 'nothing'}, with
            the same digests as in the bundle.
          </span>
        )}
      </Stack>
    </Alert>
  );
}
