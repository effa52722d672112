import RefreshIcon from '@mui/icons-material/Refresh';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import LinearProgress from '@mui/material/LinearProgress';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { ErrorAlert } from '../../components/ErrorAlert';
import { FolderField } from '../../components/FolderField';
import { HfReposTable } from './hf/HfReposTable';
import { useHfRepos } from './api/queries';
import { useExport } from './exportStore';

/** The Hugging Face tab: the cache folder and its repos, a revision per row to tick. */
export function HuggingFacePanel() {
  const { hfCache, hfSelected } = useExport();
  const { setHfCache, toggleHf } = useExport.getState();
  const loadedHfCache = hfCache.trim();
  const list = useHfRepos(loadedHfCache);
  const hfRepos = list.data?.repos ?? [];
  const hfLoading = list.isFetching;
  const hfError = list.error;
  const loadHfRepos = () => void list.refetch();

  return (
    <Box>
      <FolderField
        label="Hugging Face cache folder"
        value={hfCache}
        onChange={setHfCache}
        onSubmit={loadHfRepos}
        purpose="hf-cache"
        dialogTitle="Choose the Hugging Face cache folder"
        helperText="Where huggingface_hub keeps downloads: the hub folder that holds models--ORG--NAME folders (HF_HUB_CACHE, or HF_HOME/hub)."
        error={Boolean(hfError)}
      />

      <Stack direction="row" sx={{ alignItems: 'center', justifyContent: 'space-between', mt: 3, mb: 1 }}>
        <Typography variant="h3" component="h3">
          Hugging Face repositories
        </Typography>
        <Button startIcon={<RefreshIcon />} onClick={loadHfRepos} disabled={!hfCache.trim() || hfLoading} aria-label="Reload repositories">
          Reload
        </Button>
      </Stack>
      <Typography variant="body2" color="text.secondary" sx={{ mb: 1.5, maxWidth: '80ch' }}>
        Tick each revision to carry. It travels with its ref (main, refs/pr/1), or by its commit when no ref names it, and the far side gets the same files,
        blobs and refs.
      </Typography>

      {hfLoading && <LinearProgress aria-label="Reading the Hugging Face cache" sx={{ mb: 1 }} />}

      {hfError != null && (
        <ErrorAlert error={hfError} title="Cannot read the Hugging Face cache">
          <Box sx={{ mt: 0.5 }}>Choose the folder huggingface_hub downloads into with Browse…, or type its path above.</Box>
        </ErrorAlert>
      )}

      {!hfError && list.data && !hfLoading && hfRepos.length === 0 && (
        <Alert severity="info">
          No repositories in {loadedHfCache}. Download them on this machine first (<code>hf download ORG/NAME</code>), or choose another cache folder.
        </Alert>
      )}

      {hfRepos.length > 0 && <HfReposTable repos={hfRepos} selected={hfSelected} onToggle={toggleHf} />}
    </Box>
  );
}
