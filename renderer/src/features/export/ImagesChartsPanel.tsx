import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Checkbox from '@mui/material/Checkbox';
import FormControlLabel from '@mui/material/FormControlLabel';
import LinearProgress from '@mui/material/LinearProgress';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import type { KeyboardEvent } from 'react';
import { ErrorAlert } from '../../components/ErrorAlert';
import { MONO } from '../../core/theme';
import { RegistryAccessFields } from '../../domain/registry/RegistryAccessFields';
import { type ReferenceFields } from './exportState';
import { useExport } from './exportStore';
import { PlatformsField } from './PlatformsField';
import { parsePlatforms, referenceLines, referencesProblem, resolutionStatus } from './references';
import { ResolvedTable } from './ResolvedTable';

/** The Images & charts tab: references pasted as lists, resolved to digests, platforms and sizes. */
export function ImagesChartsPanel() {
  const s = useExport();
  const { updateReferences, updateAccess, resolve } = useExport.getState();
  const images = referenceLines(s.imagesText);
  const charts = referenceLines(s.chartsText);
  const status = resolutionStatus(s);
  const platformsOk = 'platforms' in parsePlatforms(s.tickedPlatforms, s.otherPlatforms);
  const tooMany = referencesProblem(images, 'images') ?? referencesProblem(charts, 'charts');
  const canResolve = images.length + charts.length > 0 && platformsOk && !tooMany && !s.resolving;

  const resolveOnCtrlEnter = (e: KeyboardEvent) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey) && canResolve) {
      e.preventDefault();
      void resolve();
    }
  };

  return (
    <Stack spacing={3}>
      <Typography color="text.secondary" sx={{ maxWidth: '80ch' }}>
        Type or paste references, one a line. Ferry looks each one up on its registry and records its digest, so exactly these bytes cross. Credentials come
        from docker's config.json on this machine (<code>docker login HOST</code>).
      </Typography>
      <Stack direction={{ xs: 'column', md: 'row' }} spacing={2}>
        <ReferenceList
          label="Image references"
          field="imagesText"
          value={s.imagesText}
          onChange={updateReferences}
          onKeyDown={resolveOnCtrlEnter}
          placeholder={'docker.io/library/nginx:1.27.3\nghcr.io/acme/api@sha256:…'}
          helperText={`${lineCount(images.length)} HOST/REPOSITORY:TAG or @sha256:…; no host means Docker Hub.`}
        />
        <ReferenceList
          label="Helm chart references"
          field="chartsText"
          value={s.chartsText}
          onChange={updateReferences}
          onKeyDown={resolveOnCtrlEnter}
          placeholder="oci://ghcr.io/acme/charts/api:2.4.1"
          helperText={`${lineCount(charts.length)} OCI charts as helm pull takes them: oci://HOST/REPOSITORY:VERSION.`}
        />
      </Stack>
      {tooMany && <Alert severity="error">{tooMany}</Alert>}

      <PlatformsField />

      <FormControlLabel
        control={<Checkbox checked={!s.leaveSignatures} onChange={(e) => updateReferences({ leaveSignatures: !e.target.checked })} />}
        label="Carry their signatures, attestations and SBOMs (cosign's and OCI referrers), so they can be verified inside the disconnected network too"
      />

      <Box component="section" aria-labelledby="export-registry-connection">
        <Typography variant="h3" id="export-registry-connection" sx={{ mb: 0.5 }}>
          Registry connection
        </Typography>
        <Typography variant="body2" color="text.secondary" sx={{ mb: 1 }}>
          Public registries need none of this. For a registry on a private network: plain HTTP, or TLS with your own CA.
        </Typography>
        <RegistryAccessFields value={s.access} onChange={updateAccess} />
      </Box>

      <Box>
        <Stack direction="row" spacing={2} sx={{ alignItems: 'center' }}>
          <Button variant="outlined" onClick={() => void resolve()} disabled={!canResolve}>
            {s.resolving ? 'Resolving…' : 'Resolve'}
          </Button>
          <Typography variant="body2" color="text.secondary">
            {statusLine(status)}
          </Typography>
        </Stack>
        {s.resolving && <LinearProgress aria-label="Resolving references" sx={{ mt: 1.5 }} />}
      </Box>

      {s.resolveError && <ErrorAlert error={s.resolveError} title="Cannot resolve the references" />}
      {status === 'stale' && !s.resolving && <Alert severity="info">The list or the connection changed since the last resolve: resolve again.</Alert>}
      {s.resolution && status !== 'none' && <ResolvedTable items={s.resolution.items} />}
    </Stack>
  );
}

function lineCount(n: number): string {
  return n === 0 ? 'One a line:' : `${n} listed:`;
}

function statusLine(status: ReturnType<typeof resolutionStatus>): string {
  switch (status) {
    case 'none':
      return 'Type at least one image or chart.';
    case 'unresolved':
      return 'Not resolved yet (Ctrl+Enter in a list resolves too).';
    case 'stale':
      return 'Changed since the last resolve.';
    case 'failed':
      return 'Some references did not resolve: see below.';
    case 'ok':
      return 'Every reference resolved.';
  }
}

interface ReferenceListProps {
  label: string;
  field: keyof Pick<ReferenceFields, 'imagesText' | 'chartsText'>;
  value: string;
  onChange: (patch: Partial<ReferenceFields>) => void;
  onKeyDown: (e: KeyboardEvent) => void;
  placeholder: string;
  helperText: string;
}

function ReferenceList({ label, field, value, onChange, onKeyDown, placeholder, helperText }: ReferenceListProps) {
  return (
    <TextField
      label={label}
      multiline
      minRows={5}
      maxRows={14}
      value={value}
      onChange={(e) => onChange({ [field]: e.target.value })}
      onKeyDown={onKeyDown}
      placeholder={placeholder}
      helperText={helperText}
      fullWidth
      slotProps={{ htmlInput: { spellCheck: false, autoComplete: 'off', autoCapitalize: 'off' } }}
      sx={{ '& textarea': { fontFamily: MONO, fontSize: '0.875rem' } }}
    />
  );
}
