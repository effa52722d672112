import Alert from '@mui/material/Alert';
import AlertTitle from '@mui/material/AlertTitle';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { AddFilesButtons } from './files/AddFilesButtons';
import { PickedFilesTable } from './files/PickedFilesTable';
import { parentOf } from '../../lib/format';
import { useExport } from './exportStore';

/** The Files tab: files and folders picked on this machine, each carried as it is. */
export function FilesPanel() {
  const { files, filesRefused } = useExport();
  const { addFiles, removeFile } = useExport.getState();
  const last = files.at(-1);

  return (
    <Stack spacing={2.5}>
      <Typography color="text.secondary" sx={{ maxWidth: '80ch' }}>
        Runbooks, licences, Helm values, anything else: each file or folder travels as it is and is restored byte-exact into a folder on the far side. A folder
        keeps its layout; empty folders and links inside it are not carried.
      </Typography>
      <AddFilesButtons onAdd={addFiles} {...(last ? { startIn: parentOf(last.path) } : {})} />
      {filesRefused.length > 0 && (
        <Alert severity="warning">
          <AlertTitle>Not added: the name is taken</AlertTitle>
          Two items with the same name would land on the same path on the far side. Rename one, or remove the other first: {filesRefused.join('; ')}.
        </Alert>
      )}
      {files.length > 0 ? (
        <PickedFilesTable entries={files} onRemove={removeFile} />
      ) : (
        <Typography color="text.secondary">No files or folders added yet.</Typography>
      )}
    </Stack>
  );
}
