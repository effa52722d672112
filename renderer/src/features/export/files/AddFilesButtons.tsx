import CreateNewFolderOutlinedIcon from '@mui/icons-material/CreateNewFolderOutlined';
import NoteAddOutlinedIcon from '@mui/icons-material/NoteAddOutlined';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Stack from '@mui/material/Stack';
import { useState } from 'react';
import { ferry } from '../../../client';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { FileBrowserDialog, type PickedEntry } from '../../../components/FileBrowserDialog';
import { FolderBrowserDialog } from '../../../components/FolderBrowserDialog';
import { basename } from '../../../lib/format';
import { useAppInfo } from '../../../core/appInfoStore';

const FILES_TITLE = 'Choose files to carry';
const FOLDER_TITLE = 'Choose a folder to carry';

/** "Add files…" and "Add a folder…": the native dialogs in Electron, the host's browsers otherwise. */
export function AddFilesButtons({ onAdd, startIn }: { onAdd: (entries: PickedEntry[]) => void; startIn?: string }) {
  const nativeDialogs = useAppInfo((s) => s.info?.nativeDialogs ?? false);
  const [browsing, setBrowsing] = useState<'files' | 'folder' | null>(null);
  const [error, setError] = useState<unknown>(null);

  async function pickFiles() {
    setError(null);
    if (!nativeDialogs) return setBrowsing('files');
    try {
      const { paths } = await ferry().call('dialog.pickFiles', { title: FILES_TITLE });
      if (paths.length > 0) onAdd(paths.map((path) => ({ path, name: basename(path), kind: 'file' })));
    } catch (err) {
      setError(err);
    }
  }

  async function pickFolder() {
    setError(null);
    if (!nativeDialogs) return setBrowsing('folder');
    try {
      const { path } = await ferry().call('dialog.pickFolder', { title: FOLDER_TITLE, purpose: 'files' });
      if (path) onAdd([{ path, name: basename(path), kind: 'folder' }]);
    } catch (err) {
      setError(err);
    }
  }

  return (
    <Box>
      <Stack direction="row" spacing={1.5}>
        <Button variant="outlined" startIcon={<NoteAddOutlinedIcon />} onClick={() => void pickFiles()}>
          Add files…
        </Button>
        <Button variant="outlined" startIcon={<CreateNewFolderOutlinedIcon />} onClick={() => void pickFolder()}>
          Add a folder…
        </Button>
      </Stack>
      {error != null && (
        <Box sx={{ mt: 1.5 }}>
          <ErrorAlert error={error} />
        </Box>
      )}
      {!nativeDialogs && (
        <>
          <FileBrowserDialog
            open={browsing === 'files'}
            title={FILES_TITLE}
            {...(startIn ? { initialPath: startIn } : {})}
            onClose={() => setBrowsing(null)}
            onAdd={(entries) => {
              setBrowsing(null);
              onAdd(entries);
            }}
          />
          <FolderBrowserDialog
            open={browsing === 'folder'}
            title={FOLDER_TITLE}
            {...(startIn ? { initialPath: startIn } : {})}
            onClose={() => setBrowsing(null)}
            onChoose={(path) => {
              setBrowsing(null);
              onAdd([{ path, name: basename(path), kind: 'folder' }]);
            }}
          />
        </>
      )}
    </Box>
  );
}
