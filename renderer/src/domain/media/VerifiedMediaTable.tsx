import TableCell from '@mui/material/TableCell';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import { SimpleTable } from '../../components/SimpleTable';
import { monoSmall } from '../../core/theme';
import { mediaTypeLabel, type VerifiedMedium } from './mediaTypes';
import { mediaVerdict } from './MediaVerifyResult';

/** The media read back so far, one row each: what the ledger now says about each. */
export function VerifiedMediaTable({ media }: { media: VerifiedMedium[] }) {
  return (
    <SimpleTable label="Media verified" columns={['Media ID', 'Label', 'Type', 'Seal', 'Volumes on it', 'Result']}>
      {media.map(({ jobId, result }) => {
        const ok = mediaVerdict(result).ok;
        return (
          <TableRow key={jobId} data-media={result.media.id}>
            <TableCell sx={{ ...monoSmall, whiteSpace: 'nowrap' }}>{result.media.id}</TableCell>
            <TableCell>{result.media.label}</TableCell>
            <TableCell sx={{ whiteSpace: 'nowrap' }}>{mediaTypeLabel(result.media.type)}</TableCell>
            <TableCell sx={{ ...monoSmall, whiteSpace: 'nowrap' }}>{result.media.seal ?? '—'}</TableCell>
            <TableCell sx={{ ...monoSmall, overflowWrap: 'anywhere' }}>{result.volumes.map((v) => v.file).join(', ') || '—'}</TableCell>
            <TableCell>
              <Typography variant="body2" sx={{ fontWeight: ok ? 400 : 700, color: ok ? 'success.main' : 'error.main', whiteSpace: 'nowrap' }}>
                {ok ? 'verified: all match' : 'DIFFERENT — do not use'}
              </Typography>
            </TableCell>
          </TableRow>
        );
      })}
    </SimpleTable>
  );
}

/** The bundle's volumes not yet on a medium that read back correctly. */
export function unverifiedVolumes(all: string[], media: VerifiedMedium[]): string[] {
  const good = new Set(media.filter((m) => mediaVerdict(m.result).ok).flatMap((m) => m.result.volumes.map((v) => v.file)));
  return all.filter((f) => !good.has(f));
}
