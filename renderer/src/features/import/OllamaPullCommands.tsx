import Box from '@mui/material/Box';
import Typography from '@mui/material/Typography';
import { useId } from 'react';
import type { ImportJobResult } from '../../../../shared/rpc.js';
import { Digest } from '../../components/Digest';
import { MONO } from '../../core/theme';

type Imported = ImportJobResult['artifacts'][number];

/** After a push: the exact command that pulls each Ollama model from the registry, to copy. */
export function OllamaPullCommands({ artifacts }: { artifacts: Imported[] }) {
  const id = useId();
  const models = artifacts.filter((a): a is Imported & { pull: string } => Boolean(a.pull));
  if (models.length === 0) return null;
  return (
    <Box component="section" aria-labelledby={id}>
      <Typography variant="h3" id={id} sx={{ mb: 0.5 }}>
        Pull the models with Ollama
      </Typography>
      <Typography color="text.secondary" sx={{ mb: 1.5, maxWidth: '80ch' }}>
        On each machine that runs Ollama, one command per model. Ollama pulls only from a registry that sends blob downloads on to another address and lets
        anyone pull without logging in; where this registry does not, install the models into an Ollama store instead.
      </Typography>
      <Box component="ul" aria-label="Ollama pull commands" sx={{ listStyle: 'none', p: 0, m: 0, display: 'grid', gap: 1 }}>
        {models.map((a) => (
          <li key={a.ref}>
            <Typography variant="caption" color="text.secondary" sx={{ display: 'block', fontFamily: MONO }}>
              {a.ref}
            </Typography>
            <Digest value={a.pull} label={`Ollama pull command for ${a.ref}`} size="body" />
          </li>
        ))}
      </Box>
    </Box>
  );
}
