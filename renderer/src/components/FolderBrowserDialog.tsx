import CreateNewFolderOutlinedIcon from '@mui/icons-material/CreateNewFolderOutlined';
import FolderOutlinedIcon from '@mui/icons-material/FolderOutlined';
import Inventory2OutlinedIcon from '@mui/icons-material/Inventory2Outlined';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import List from '@mui/material/List';
import ListItem from '@mui/material/ListItem';
import ListItemButton from '@mui/material/ListItemButton';
import ListItemIcon from '@mui/material/ListItemIcon';
import ListItemText from '@mui/material/ListItemText';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import { useEffect, useId, useState } from 'react';
import { ferry } from '../client';
import { ListingFrame } from './ListingFrame';
import { ErrorAlert } from './ErrorAlert';
import { PathBar } from './PathBar';
import { useFolderListing } from './useFolderListing';
import { useOnOpen } from './useOnOpen';

export interface FolderBrowserDialogProps {
  open: boolean;
  title: string;
  initialPath?: string;
  onClose: () => void;
  onChoose: (path: string) => void;
}

/**
 * The browser host's folder picker: lists folders on the host with fs.list (which also grants them
 * for later calls), Up, typed paths, New folder (fs.mkdir) and "Choose this folder".
 */
export function FolderBrowserDialog({ open, title, initialPath, onClose, onChoose }: FolderBrowserDialogProps) {
  const folder = useFolderListing();
  const { listing, loading, error, setError, load } = folder;
  const [creating, setCreating] = useState(false);
  const [newName, setNewName] = useState('');
  const [mkdirError, setMkdirError] = useState<unknown>(null);
  const titleId = useId();
  const listLabelId = useId();

  useOnOpen(open, () => {
    setCreating(false);
    setNewName('');
    setMkdirError(null);
    setError(null);
  });
  const start = initialPath?.trim() || undefined;
  useEffect(() => {
    if (open) void load(start, Boolean(start));
  }, [open, start, load]);

  async function createFolder() {
    if (!listing || !newName.trim()) return;
    try {
      const { path } = await ferry().call('fs.mkdir', { parent: listing.path, name: newName.trim() });
      setCreating(false);
      setNewName('');
      setMkdirError(null);
      await load(path);
    } catch (err) {
      setMkdirError(err);
    }
  }

  return (
    <Dialog open={open} onClose={onClose} aria-labelledby={titleId} fullWidth maxWidth="sm">
      <DialogTitle id={titleId}>{title}</DialogTitle>
      <DialogContent dividers sx={{ pt: 2 }}>
        <PathBar folder={folder} />

        {error != null && (
          <Box sx={{ mb: 1.5 }}>
            <ErrorAlert error={error} />
          </Box>
        )}
        {listing?.isBundle && (
          <Alert severity="info" role="status" icon={<Inventory2OutlinedIcon />} sx={{ mb: 1.5 }}>
            This folder is a Ferry bundle.
          </Alert>
        )}

        <ListingFrame
          labelId={listLabelId}
          what="Folders"
          path={listing?.path}
          loading={loading}
          empty={Boolean(listing && listing.entries.length === 0)}
          emptyText="No folders here."
          height={300}
        >
          {listing && listing.entries.length > 0 && (
            <List dense aria-labelledby={listLabelId} disablePadding>
              {listing.entries.map((entry) => (
                <ListItem key={entry.path} disablePadding>
                  <ListItemButton onClick={() => void load(entry.path)}>
                    <ListItemIcon sx={{ minWidth: 36 }}>
                      {entry.isBundle ? <Inventory2OutlinedIcon fontSize="small" color="primary" /> : <FolderOutlinedIcon fontSize="small" />}
                    </ListItemIcon>
                    <ListItemText primary={entry.name} slotProps={{ primary: { noWrap: true } }} />
                    {entry.isBundle && <Chip size="small" label="Ferry bundle" color="primary" variant="outlined" />}
                  </ListItemButton>
                </ListItem>
              ))}
            </List>
          )}
        </ListingFrame>

        {creating && (
          <Stack
            component="form"
            direction="row"
            spacing={1}
            sx={{ mt: 1.5, alignItems: 'flex-start' }}
            onSubmit={(e) => {
              e.preventDefault();
              void createFolder();
            }}
          >
            <TextField label="New folder name" size="small" fullWidth autoFocus value={newName} onChange={(e) => setNewName(e.target.value)} />
            <Button type="submit" variant="contained" disabled={!newName.trim()} sx={{ flexShrink: 0, height: 40 }}>
              Create
            </Button>
            <Button onClick={() => setCreating(false)} sx={{ flexShrink: 0, height: 40 }}>
              Never mind
            </Button>
          </Stack>
        )}
        {mkdirError != null && (
          <Box sx={{ mt: 1.5 }}>
            <ErrorAlert error={mkdirError} />
          </Box>
        )}
      </DialogContent>
      <DialogActions sx={{ px: 3, py: 1.5 }}>
        <Button startIcon={<CreateNewFolderOutlinedIcon />} onClick={() => setCreating(true)} disabled={!listing || creating} sx={{ mr: 'auto' }}>
          New folder
        </Button>
        <Button onClick={onClose}>Cancel</Button>
        <Button variant="contained" disabled={!listing || loading} onClick={() => listing && onChoose(listing.path)}>
          Choose this folder
        </Button>
      </DialogActions>
    </Dialog>
  );
}
