import TableCell from '@mui/material/TableCell';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import type { ExportJobResult } from '../../../../shared/rpc.js';
import { Bytes } from '../../components/Bytes';
import { Digest } from '../../components/Digest';
import { SimpleTable } from '../../components/SimpleTable';
import { MONO } from '../../core/theme';

/** Which folder goes on which disc: burn each folder's contents onto a disc of its own, then read each disc back. */
export function BurnList({ dir, discs }: { dir: string; discs: NonNullable<ExportJobResult['discs']> }) {
  return (
    <>
      <Typography variant="h3" sx={{ mt: 4, mb: 1 }}>
        Burn list
      </Typography>
      <Typography color="text.secondary" sx={{ mb: 1.5, maxWidth: '80ch' }}>
        Burn the contents of each folder onto a disc of its own and label it. Every disc carries the signed metadata, so each one can be checked alone; then
        read each disc back under Verify media.
      </Typography>
      <SimpleTable label="Burn list" columns={['Disc', 'Folder', 'Volume', { label: 'On the disc', align: 'right' }]}>
        {discs.map((d, i) => (
          <TableRow key={d.folder}>
            <TableCell>
              Disc {i + 1} of {discs.length}
            </TableCell>
            <TableCell>
              <Digest value={`${dir}/${d.folder}`} label={`folder of disc ${i + 1}`} />
            </TableCell>
            <TableCell sx={{ fontFamily: MONO }}>{d.volumes.join(', ')}</TableCell>
            <TableCell align="right">
              <Bytes value={d.bytes} />
            </TableCell>
          </TableRow>
        ))}
      </SimpleTable>
    </>
  );
}
