import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import type { ImportJobResult } from '../../../../shared/rpc.js';
import { MONO } from '../../core/theme';

/** Folders of a target that lead to another disk on purpose (an Ollama store's blobs/): used as they are, and said so. */
export function LinkedFoldersNote({ linked }: { linked: NonNullable<ImportJobResult['linkedFolders']> }) {
  return (
    <Alert severity="info" sx={{ mb: 3 }}>
      {linked.map((link) => (
        <div key={link.folder}>
          <Box component="span" sx={{ fontFamily: MONO }}>
            {link.folder}
          </Box>{' '}
          is a link to{' '}
          <Box component="span" sx={{ fontFamily: MONO }}>
            {link.to}
          </Box>
          , outside the folder you chose: what belongs there was written there.
        </div>
      ))}
    </Alert>
  );
}
