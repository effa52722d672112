import ArrowUpwardIcon from '@mui/icons-material/ArrowUpward';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useId } from 'react';
import { MONO } from '../core/theme';
import type { useFolderListing } from './useFolderListing';

/**
 * Up, the typed path and Go, over a folder listing; below them the host's roots (home, removable
 * media, the stores, folders the host was started with) as places to start from.
 */
export function PathBar({ folder }: { folder: ReturnType<typeof useFolderListing> }) {
  const { listing, loading, pathInput, setPathInput, load } = folder;
  const rootsLabelId = useId();
  const roots = listing?.roots ?? [];
  return (
    <Box sx={{ mb: 1.5 }}>
      <Stack
        component="form"
        direction="row"
        spacing={1}
        sx={{ alignItems: 'flex-start' }}
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
      {roots.length > 0 && (
        <Stack direction="row" spacing={1} useFlexGap role="group" aria-labelledby={rootsLabelId} sx={{ mt: 1, flexWrap: 'wrap', alignItems: 'center' }}>
          <Typography id={rootsLabelId} variant="body2" color="text.secondary">
            Start from
          </Typography>
          {roots.map((root) => (
            <Chip
              key={root.path}
              size="small"
              variant={listing?.path === root.path ? 'filled' : 'outlined'}
              label={roots.filter((r) => r.label === root.label).length > 1 ? `${root.label} (${root.path})` : root.label}
              title={root.path}
              aria-label={`${root.label}: ${root.path}`}
              onClick={() => void load(root.path)}
              disabled={loading}
            />
          ))}
        </Stack>
      )}
    </Box>
  );
}
