import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { useEffect } from 'react';
import type { ArtifactKind, BundleArtifact } from '../../../../shared/bundle.js';
import { Bytes } from '../../components/Bytes';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Section } from '../../components/Section';
import { StepActions, StepHeading } from '../../components/StepParts';
import { kindNoun } from '../../lib/artifacts';
import { countOf } from '../../../../shared/count.js';
import { useAppInfo } from '../../core/appInfoStore';
import { useJob } from '../../domain/jobs/jobs';
import { verifyResultOf } from '../../domain/jobs/results';
import { parseTarget } from '../../domain/registry/relocation';
import { localTargets, loginProblem, useImport } from './importStore';
import { LocalTargetSection, TargetToggle } from './LocalTargetSection';
import { RegistryTargetFields } from './RegistryTargetFields';

type ImportState = ReturnType<typeof useImport.getState>;

const LOCAL_KINDS = { toStore: 'ollama-model', toHfCache: 'hf-repo', toDir: 'files' } as const;

/** Why the import cannot start yet, or null. */
function blocker(s: ImportState): string | null {
  const carries = (kind: ArtifactKind) => s.carried.length === 0 || s.carried.includes(kind);
  const on = (key: keyof typeof LOCAL_KINDS) => s[key] && carries(LOCAL_KINDS[key]);
  const local = localTargets(s);
  if (!on('toStore') && !on('toHfCache') && !on('toDir') && !s.toRegistry) return 'Choose at least one target.';
  if (on('toStore') && !local.store) return 'Choose the Ollama store folder.';
  if (on('toHfCache') && !local.hfCache) return 'Choose the Hugging Face cache folder.';
  if (on('toDir') && !local.filesDir) return 'Choose the folder for files.';
  if (s.toRegistry && !s.registry.target.trim()) return 'Give the registry and prefix.';
  if (s.toRegistry && !parseTarget(s.registry.target)) return 'Fix the registry address.';
  if (s.toRegistry && loginProblem(s.registry)) return 'Give both a username and a password, or neither.';
  return null;
}

/** Step 3: where the artifacts go: a folder per kind on this side (Ollama store, Hugging Face cache, files), a registry for anything. At least one. */
export function TargetStep() {
  const s = useImport();
  const { busy, startError, verifyJobId, toRegistry, testError } = s;
  const { setStore, setHfCache, setFilesDir, setStep, startImport, setTargets } = useImport.getState();
  const info = useAppInfo((a) => a.info);
  const carried = verifyResultOf(useJob(verifyJobId))?.artifacts ?? [];
  // Ferry's own installer is offered on the Done page; it does not ask for a folder for files here.
  const artifacts = carried.filter((a) => typeof a.installer !== 'string');
  const installers = carried.length - artifacts.length;
  const kinds = [...new Set(artifacts.map((a) => a.kind))];
  const carries = (kind: ArtifactKind) => artifacts.length === 0 || kinds.includes(kind);
  const count = (kind: ArtifactKind) => artifacts.filter((a) => a.kind === kind).length;
  const problem = blocker(s);

  useEffect(() => {
    if (info?.defaultOllamaStore) useImport.getState().offerDefaultStore(info.defaultOllamaStore);
    if (info?.defaultHfCache) useImport.getState().offerDefaultHfCache(info.defaultHfCache);
  }, [info?.defaultOllamaStore, info?.defaultHfCache]);

  const kindsKey = kinds.join(' ');
  useEffect(() => {
    if (verifyJobId && kindsKey) useImport.getState().offerTargets(verifyJobId, kindsKey.split(' ') as ArtifactKind[]);
  }, [verifyJobId, kindsKey]);

  return (
    <Box>
      <StepHeading
        title="Targets"
        lead="Choose where the bundle's artifacts go: each kind into its folder on this side (an Ollama store, a Hugging Face cache, a folder for files), and every artifact into an OCI registry. Ferry checks every blob against its digest as it writes."
      />
      {artifacts.length > 0 && <Contents artifacts={artifacts} installers={installers} />}

      <Stack spacing={2.5} sx={{ mt: 2.5 }}>
        <LocalTargetSection
          title="Ollama store"
          toggleLabel="Install Ollama models into a store"
          checked={s.toStore}
          onToggle={(v) => setTargets({ toStore: v })}
          carried={carries('ollama-model')}
          notCarried="This bundle carries no Ollama models."
          field={{
            label: 'Ollama store folder',
            value: s.store,
            onChange: setStore,
            purpose: 'import-store',
            dialogTitle: 'Choose the Ollama store to import into',
            helperText:
              'On this machine or a mounted PVC or NFS share; Ferry creates it if missing. Models already there are kept; blobs already present are not written again.',
          }}
        >
          {theCount(count('ollama-model'), 'The model goes', 'models go')} into a models folder Ollama serves from.
        </LocalTargetSection>

        <LocalTargetSection
          title="Hugging Face cache"
          toggleLabel="Rebuild Hugging Face repos in a cache"
          checked={s.toHfCache}
          onToggle={(v) => setTargets({ toHfCache: v })}
          carried={carries('hf-repo')}
          notCarried="This bundle carries no Hugging Face repos."
          field={{
            label: 'Hugging Face cache folder',
            value: s.hfCache,
            onChange: setHfCache,
            purpose: 'hf-cache',
            dialogTitle: 'Choose the Hugging Face cache to rebuild into',
            helperText: 'Then point HF_HUB_CACHE at this folder (or HF_HOME at the folder above it, when this is its hub folder) and set HF_HUB_OFFLINE=1.',
          }}
        >
          Each repo is rebuilt as huggingface_hub lays it out (blobs, snapshots, refs), so transformers and huggingface_hub load it offline. Repos already there
          are kept.
        </LocalTargetSection>

        <LocalTargetSection
          title="Files"
          toggleLabel="Restore files into a folder"
          checked={s.toDir}
          onToggle={(v) => setTargets({ toDir: v })}
          carried={carries('files')}
          notCarried="This bundle carries no files."
          field={{
            label: 'Folder for files',
            value: s.filesDir,
            onChange: setFilesDir,
            purpose: 'files',
            dialogTitle: 'Choose the folder to restore files into',
            helperText: 'Each file or folder lands here under its own name, byte-exact. Ferry refuses to overwrite a file that holds something else.',
          }}
        >
          {theCount(count('files'), 'The file set is', 'file sets are')} restored byte-exact, folders with their layout.
        </LocalTargetSection>

        <Section title="Registry" headingLevel="h3">
          <TargetToggle checked={toRegistry} onChange={(v) => setTargets({ toRegistry: v })} label="Push to a registry">
            An OCI registry on this side (Harbor, Zot, distribution…). Ferry pushes every artifact, models, repos and files too, resumably, and writes a Helm
            values snippet.
          </TargetToggle>
          {toRegistry && (
            <Box sx={{ mt: 2 }}>
              <RegistryTargetFields artifacts={artifacts} />
            </Box>
          )}
        </Section>
      </Stack>

      <LeftOut artifacts={artifacts} state={s} />

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

/** "The model goes", "The 3 models go", "Models go" (count unknown). */
function theCount(n: number, one: string, many: string): string {
  if (n === 1) return one;
  return n === 0 ? many.charAt(0).toUpperCase() + many.slice(1) : `The ${n} ${many}`;
}

/** What the ticked targets leave behind: artifacts whose kind has no target. */
function LeftOut({ artifacts, state }: { artifacts: BundleArtifact[]; state: ImportState }) {
  if (state.toRegistry) return null;
  const covered: Partial<Record<ArtifactKind, boolean>> = { 'ollama-model': state.toStore, 'hf-repo': state.toHfCache, files: state.toDir };
  const left = [...new Set(artifacts.map((a) => a.kind))].filter((kind) => !covered[kind]);
  if (left.length === 0 || left.length === new Set(artifacts.map((a) => a.kind)).size) return null;
  return (
    <Alert severity="info" sx={{ mt: 2.5 }}>
      Not imported with these targets: {left.map((kind) => countOf(artifacts.filter((a) => a.kind === kind).length, kindNoun(kind))).join(', ')}. Tick a target
      for them to bring them in too.
    </Alert>
  );
}

/** "This bundle carries 2 Ollama models (6.00 MiB), 1 Container image (…)." */
function Contents({ artifacts, installers }: { artifacts: BundleArtifact[]; installers: number }) {
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
      {installers > 0 && ", and Ferry's own installer (offered when the import is done)"}.
    </Typography>
  );
}
