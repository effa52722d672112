import ArrowUpwardIcon from '@mui/icons-material/ArrowUpward';
import Button from '@mui/material/Button';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import { MONO } from '../shell/theme';
import type { useFolderListing } from './useFolderListing';

/** Up, the typed path and Go, over a folder listing. */
export function PathBar({ folder }: { folder: ReturnType<typeof useFolderListing> }) {
  const { listing, loading, pathInput, setPathInput, load } = folder;
  return (
    <Stack
      component="form"
      direction="row"
      spacing={1}
      sx={{ alignItems: 'flex-start', mb: 1.5 }}
      onSubmit={(e) => {
        e.preventDefault();
        if (pathInput.trim()) void load(pathInput.trim());
      }}
    >
      <Button
        variant="outlined"
        startIcon={<ArrowUpwardIcon />}
        disabled={!listing?.parent || loading}
        onClick={() => listing?.parent && void load(listing.parent)}
        sx={{ flexShrink: 0, height: 40 }}
      >
        Up
      </Button>
      <TextField
        label="Folder path"
        size="small"
        fullWidth
        value={pathInput}
        onChange={(e) => setPathInput(e.target.value)}
        slotProps={{ htmlInput: { spellCheck: false } }}
        sx={{ '& input': { fontFamily: MONO, fontSize: '0.875rem' } }}
      />
      <Button type="submit" variant="outlined" sx={{ flexShrink: 0, height: 40 }}>
        Go
      </Button>
    </Stack>
  );
}
