import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Checkbox from '@mui/material/Checkbox';
import FormControlLabel from '@mui/material/FormControlLabel';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { useEffect, type ReactNode } from 'react';
import type { BundleArtifact } from '../../../../shared/bundle.js';
import { Bytes } from '../../components/Bytes';
import { ErrorAlert } from '../../components/ErrorAlert';
import { FolderField } from '../../components/FolderField';
import { Section } from '../../components/Section';
import { StepActions, StepHeading } from '../../components/StepParts';
import { countOf, kindNoun } from '../../lib/artifacts';
import { useAppInfo } from '../../shell/appInfoStore';
import { useJob } from '../jobs/jobsStore';
import { verifyResultOf } from '../jobs/results';
import { parseTarget } from '../registry/relocation';
import { loginProblem, useImport } from './importStore';
import { RegistryTargetFields } from './RegistryTargetFields';

type ImportState = ReturnType<typeof useImport.getState>;

/** Why the import cannot start yet, or null. */
function blocker(s: ImportState): string | null {
  if (!s.toStore && !s.toRegistry) return 'Choose at least one target.';
  if (s.toStore && !s.store.trim()) return 'Choose the Ollama store folder.';
  if (s.toRegistry && !s.registry.target.trim()) return 'Give the registry and prefix.';
  if (s.toRegistry && !parseTarget(s.registry.target)) return 'Fix the registry address.';
  if (s.toRegistry && loginProblem(s.registry)) return 'Give both a username and a password, or neither.';
  return null;
}

/** Step 3: where the artifacts go: an Ollama store for models, a registry for anything. At least one. */
export function TargetStep() {
  const s = useImport();
  const { store, busy, startError, verifyJobId, toStore, toRegistry, testError } = s;
  const { setStore, setStep, startImport, setTargets } = useImport.getState();
  const defaultStore = useAppInfo((a) => a.info?.defaultOllamaStore);
  const artifacts = verifyResultOf(useJob(verifyJobId))?.artifacts ?? [];
  const models = artifacts.filter((a) => a.kind === 'ollama-model');
  const problem = blocker(s);

  useEffect(() => {
    if (defaultStore) useImport.getState().offerDefaultStore(defaultStore);
  }, [defaultStore]);

  useEffect(() => {
    if (verifyJobId && artifacts.length > 0) {
      useImport.getState().offerTargets(verifyJobId, { models: models.length > 0, others: artifacts.some((a) => a.kind !== 'ollama-model') });
    }
  }, [verifyJobId, artifacts.length]);

  return (
    <Box>
      <StepHeading
        title="Targets"
        lead="Choose where the bundle's artifacts go: Ollama models into an Ollama store, and every artifact (images, charts, models too) into an OCI registry. Ferry checks every blob against its digest as it writes."
      />
      {artifacts.length > 0 && <Contents artifacts={artifacts} />}

      <Stack spacing={2.5} sx={{ mt: 2.5 }}>
        <Section title="Ollama store" headingLevel="h3">
          <TargetToggle checked={toStore} onChange={(v) => setTargets({ toStore: v })} label="Install Ollama models into a store">
            {models.length === 0 ? 'This bundle carries no Ollama models.' : `${models.length === 1 ? 'The model goes' : `The ${models.length} models go`} into a models folder Ollama serves from.`}
          </TargetToggle>
          {toStore && (
            <Box sx={{ mt: 2 }}>
              <FolderField
                label="Ollama store folder"
                value={store}
                onChange={setStore}
                purpose="import-store"
                dialogTitle="Choose the Ollama store to import into"
                helperText="On this machine or a mounted PVC or NFS share; Ferry creates it if missing. Models already there are kept; blobs already present are not written again."
              />
            </Box>
          )}
        </Section>

        <Section title="Registry" headingLevel="h3">
          <TargetToggle checked={toRegistry} onChange={(v) => setTargets({ toRegistry: v })} label="Push to a registry">
            An OCI registry on this side (Harbor, Zot, distribution…). Ferry pushes every artifact, resumably, and writes a Helm values snippet.
          </TargetToggle>
          {toRegistry && (
            <Box sx={{ mt: 2 }}>
              <RegistryTargetFields artifacts={artifacts} />
            </Box>
          )}
        </Section>
      </Stack>

      {startError && (
        <Box sx={{ mt: 2 }}>
          <ErrorAlert error={startError} title="The import did not start" />
        </Box>
      )}
      <StepActions back={<Button onClick={() => setStep(1)}>Back</Button>}>
        {(problem ?? (toRegistry && testError)) && (
          <Typography variant="body2" color="text.secondary">
            {problem ?? 'The connection test failed: see above.'}
          </Typography>
        )}
        <Button variant="contained" disabled={problem !== null || busy} onClick={() => void startImport()}>
          {busy ? 'Starting…' : 'Start import'}
        </Button>
      </StepActions>
    </Box>
  );
}

function TargetToggle({ checked, onChange, label, children }: { checked: boolean; onChange: (checked: boolean) => void; label: string; children: ReactNode }) {
  return (
    <Box>
      <FormControlLabel control={<Checkbox checked={checked} onChange={(e) => onChange(e.target.checked)} />} label={label} />
      <Typography variant="body2" color="text.secondary" sx={{ ml: 4, mt: -0.5 }}>
        {children}
      </Typography>
    </Box>
  );
}

/** "This bundle carries 2 Ollama models (6.00 MiB), 1 Container image (…)." */
function Contents({ artifacts }: { artifacts: BundleArtifact[] }) {
  const kinds = [...new Set(artifacts.map((a) => a.kind))];
  return (
    <Typography>
      This bundle carries{' '}
      {kinds.map((kind, i) => {
        const of = artifacts.filter((a) => a.kind === kind);
        return (
          <span key={kind}>
            {i > 0 && (i === kinds.length - 1 ? ' and ' : ', ')}
            {countOf(of.length, kindNoun(kind))} (<Bytes value={of.reduce((sum, a) => sum + a.contentSize, 0)} />)
          </span>
        );
      })}
      .
    </Typography>
  );
}
