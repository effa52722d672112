import Box from '@mui/material/Box';
import Typography from '@mui/material/Typography';
import { useId } from 'react';
import { CopyBlock } from '../../components/CopyBlock';
import { shellQuote } from '../../lib/verifyCommands';

/** How to point huggingface_hub and transformers at the rebuilt cache, offline. */
export function HfOfflineSettings({ cache }: { cache: string }) {
  const id = useId();
  return (
    <Box component="section" aria-labelledby={id}>
      <Typography variant="h3" id={id} sx={{ mb: 0.5 }}>
        Use the Hugging Face cache
      </Typography>
      <Typography color="text.secondary" sx={{ mb: 1 }}>
        In the shell (or the pod's environment) that runs transformers or huggingface_hub:
      </Typography>
      <CopyBlock text={`export HF_HUB_CACHE=${shellQuote(cache)} HF_HUB_OFFLINE=1`} label="Hugging Face environment" />
    </Box>
  );
}
