import SaveAltIcon from '@mui/icons-material/SaveAlt';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Typography from '@mui/material/Typography';
import { CopyBlock } from '../../components/CopyBlock';
import { downloadText } from '../../lib/download';

const FILE_NAME = 'values-airgap.yaml';

/** The Helm values snippet after a registry push: the repository, tag and digest of each image, to copy or save. */
export function ValuesSnippet({ values }: { values: string }) {
  return (
    <Box component="section" aria-labelledby="helm-values-heading">
      <Typography variant="h3" id="helm-values-heading" sx={{ mb: 0.5 }}>
        Helm values
      </Typography>
      <Typography color="text.secondary" sx={{ mb: 1.5, maxWidth: '80ch' }}>
        Where each image now lives: repository, tag and digest. Move each block under the key your chart reads it from, and keep the digest: it pins exactly
        what crossed the gap.
      </Typography>
      <CopyBlock text={values} label="values snippet" />
      <Button variant="outlined" startIcon={<SaveAltIcon />} sx={{ mt: 1.5 }} onClick={() => downloadText(FILE_NAME, values, 'application/yaml')}>
        Save {FILE_NAME}
      </Button>
    </Box>
  );
}
