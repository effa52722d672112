import FolderOutlinedIcon from '@mui/icons-material/FolderOutlined';
import InsertDriveFileOutlinedIcon from '@mui/icons-material/InsertDriveFileOutlined';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Checkbox from '@mui/material/Checkbox';
import FormControlLabel from '@mui/material/FormControlLabel';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import List from '@mui/material/List';
import ListItem from '@mui/material/ListItem';
import ListItemButton from '@mui/material/ListItemButton';
import ListItemIcon from '@mui/material/ListItemIcon';
import ListItemText from '@mui/material/ListItemText';
import Typography from '@mui/material/Typography';
import { useEffect, useId, useState } from 'react';
import { basename } from '../lib/format';
import { Bytes } from './Bytes';
import { ListingFrame } from './ListingFrame';
import { ErrorAlert } from './ErrorAlert';
import { PathBar } from './PathBar';
import { useFolderListing } from './useFolderListing';
import { useOnOpen } from './useOnOpen';

/** A file or folder the user picked on the host. */
export interface PickedEntry {
  path: string;
  name: string;
  /** Unknown for a path restored from an earlier job. */
  kind?: 'file' | 'folder';
  size?: number;
}

export interface FileBrowserDialogProps {
  open: boolean;
  title: string;
  initialPath?: string;
  /** One file only: ticking another unticks the first, and no folder can be added. */
  single?: boolean;
  onClose: () => void;
  onAdd: (entries: PickedEntry[]) => void;
}

/**
 * The browser host's file picker: folders open, files tick (the ticks survive moving between
 * folders); "Add selected files" hands over the ticked files, "Add this folder" the folder listed.
 */
export function FileBrowserDialog({ open, title, initialPath, single, onClose, onAdd }: FileBrowserDialogProps) {
  const folder = useFolderListing(true);
  const { listing, loading, error, setError, load } = folder;
  const [ticked, setTicked] = useState<Record<string, PickedEntry>>({});
  const titleId = useId();
  const listLabelId = useId();
  const count = Object.keys(ticked).length;

  useOnOpen(open, () => {
    setTicked({});
    setError(null);
  });
  const start = initialPath?.trim() || undefined;
  useEffect(() => {
    if (open) void load(start, Boolean(start));
  }, [open, start, load]);

  function toggle(entry: PickedEntry) {
    setTicked(({ [entry.path]: present, ...rest }) => (present ? (single ? {} : rest) : single ? { [entry.path]: entry } : { ...rest, [entry.path]: entry }));
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
        <ListingFrame
          labelId={listLabelId}
          what="Files and folders"
          path={listing?.path}
          loading={loading}
          empty={Boolean(listing && listing.entries.length === 0)}
          emptyText="Nothing here."
          height={320}
        >
          {listing && listing.entries.length > 0 && (
            <List dense aria-labelledby={listLabelId} disablePadding>
              {listing.entries.map((entry) =>
                entry.isFile ? (
                  <FileRow
                    key={entry.path}
                    entry={{ path: entry.path, name: entry.name, kind: 'file', ...(entry.size !== undefined ? { size: entry.size } : {}) }}
                    checked={entry.path in ticked}
                    onToggle={toggle}
                  />
                ) : (
                  <ListItem key={entry.path} disablePadding>
                    <ListItemButton onClick={() => void load(entry.path)}>
                      <ListItemIcon sx={{ minWidth: 36 }}>
                        <FolderOutlinedIcon fontSize="small" />
                      </ListItemIcon>
                      <ListItemText primary={entry.name} slotProps={{ primary: { noWrap: true } }} />
                    </ListItemButton>
                  </ListItem>
                ),
              )}
            </List>
          )}
        </ListingFrame>
        <Typography role="status" variant="body2" color="text.secondary" sx={{ mt: 1 }}>
          {count === 0
            ? single
              ? 'Tick the file to choose it.'
              : 'Tick files to add them, or add the folder listed as a whole.'
            : `${count} file${count === 1 ? '' : 's'} ticked.`}
        </Typography>
      </DialogContent>
      <DialogActions sx={{ px: 3, py: 1.5 }}>
        <Button onClick={onClose} sx={{ mr: 'auto' }}>
          Cancel
        </Button>
        {!single && (
          <Button
            variant="outlined"
            disabled={!listing || loading}
            onClick={() => listing && onAdd([{ path: listing.path, name: basename(listing.path), kind: 'folder' }])}
          >
            Add this folder
          </Button>
        )}
        <Button variant="contained" disabled={count === 0} onClick={() => onAdd(Object.values(ticked))}>
          {single ? 'Choose this file' : `Add selected files${count > 0 ? ` (${count})` : ''}`}
        </Button>
      </DialogActions>
    </Dialog>
  );
}

function FileRow({ entry, checked, onToggle }: { entry: PickedEntry; checked: boolean; onToggle: (entry: PickedEntry) => void }) {
  return (
    <ListItem sx={{ py: 0, pl: 1.5, pr: 2, gap: 1 }}>
      <FormControlLabel
        control={<Checkbox size="small" checked={checked} onChange={() => onToggle(entry)} />}
        label={
          <Box component="span" sx={{ display: 'inline-flex', alignItems: 'center', gap: 1, minWidth: 0 }}>
            <InsertDriveFileOutlinedIcon fontSize="small" sx={{ color: 'text.secondary' }} />
            <Box component="span" sx={{ overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' }}>
              {entry.name}
            </Box>
          </Box>
        }
        sx={{ flex: 1, minWidth: 0, m: 0 }}
      />
      {entry.size !== undefined && (
        <Typography variant="body2" color="text.secondary">
          <Bytes value={entry.size} />
        </Typography>
      )}
    </ListItem>
  );
}
