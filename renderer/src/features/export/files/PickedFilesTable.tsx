import Button from '@mui/material/Button';
import TableCell from '@mui/material/TableCell';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import { Bytes } from '../../../components/Bytes';
import type { PickedEntry } from '../../../components/FileBrowserDialog';
import { SimpleTable } from '../../../components/SimpleTable';
import { monoSmall } from '../../../core/theme';

const KIND_LABEL = { file: 'File', folder: 'Folder' } as const;

/** The files and folders chosen, each with what it is, its size when known, and Remove. */
export function PickedFilesTable({ entries, onRemove }: { entries: PickedEntry[]; onRemove: (path: string) => void }) {
  return (
    <SimpleTable label="Files to carry" columns={['Name', 'Kind', { label: 'Size', align: 'right' }, 'Remove']}>
      {entries.map((entry) => (
        <TableRow key={entry.path} data-path={entry.path}>
          <TableCell sx={{ maxWidth: 520 }}>
            <Typography variant="body2" sx={{ fontWeight: 600 }}>
              {entry.name}
            </Typography>
            <Typography variant="caption" color="text.secondary" sx={{ ...monoSmall, display: 'block', overflowWrap: 'anywhere' }}>
              {entry.path}
            </Typography>
          </TableCell>
          <TableCell>{entry.kind ? KIND_LABEL[entry.kind] : '—'}</TableCell>
          <TableCell align="right">
            {entry.size !== undefined ? (
              <Bytes value={entry.size} />
            ) : (
              <Typography variant="body2" color="text.secondary" component="span">
                {entry.kind === 'folder' ? 'counted on Media' : '—'}
              </Typography>
            )}
          </TableCell>
          <TableCell>
            <Button size="small" color="inherit" onClick={() => onRemove(entry.path)} aria-label={`Remove ${entry.name}`}>
              Remove
            </Button>
          </TableCell>
        </TableRow>
      ))}
    </SimpleTable>
  );
}
