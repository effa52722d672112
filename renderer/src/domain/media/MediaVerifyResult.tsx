import Alert from '@mui/material/Alert';
import AlertTitle from '@mui/material/AlertTitle';
import Box from '@mui/material/Box';
import Stack from '@mui/material/Stack';
import TableCell from '@mui/material/TableCell';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import type { MediaVerifyJobResult } from '../../../../shared/rpc.js';
import { Bytes } from '../../components/Bytes';
import { Digest } from '../../components/Digest';
import { SimpleTable } from '../../components/SimpleTable';
import { countOf } from '../../../../shared/count.js';
import { MONO, monoSmall } from '../../core/theme';

type VolumeStatus = MediaVerifyJobResult['volumes'][number]['status'];

export const VOLUME_STATUS_WORDS: Record<VolumeStatus, string> = {
  ok: 'matches',
  mismatch: 'DIFFERENT — do not use this medium',
  'wrong-size': 'wrong size',
};

/** A volume of the bundle as the export wrote it, to fill in the rows of volumes carried on other media. */
export interface KnownVolume {
  file: string;
  size: number;
  sha256: string;
}

/** The whole medium in one sentence, then what to do. */
export function mediaVerdict(result: MediaVerifyJobResult): { ok: boolean; title: string; text: string } {
  const label = result.media.label;
  const n = result.volumes.length;
  if (n === 0) {
    return {
      ok: false,
      title: `No volume found on ${label}`,
      text: `No volume of the bundle ${result.name} is in ${result.dir}. Check that this is the medium's folder, then verify again.`,
    };
  }
  const bad = result.volumes.filter((v) => v.status !== 'ok').length;
  if (result.ok && bad === 0) {
    const text =
      n === 1
        ? `The 1 volume on ${label} reads back and matches the signed SHA256SUMS.`
        : `All ${n} volumes on ${label} read back and match the signed SHA256SUMS.`;
    return { ok: true, title: `${label} is good`, text };
  }
  return {
    ok: false,
    title: `${label} does not match`,
    text: `${bad} of ${countOf(n, 'volume')} on ${label} ${bad === 1 ? 'does' : 'do'} not match the signed SHA256SUMS: do not use this medium. Rewrite this medium, or use another, then verify again.`,
  };
}

/** The read-back of one medium: the verdict, then every volume on it (and those on other media). */
export function MediaVerifyResult({
  result,
  knownVolumes = [],
  verifiedVolumes = [],
}: {
  result: MediaVerifyJobResult;
  knownVolumes?: KnownVolume[];
  verifiedVolumes?: string[];
}) {
  const verdict = mediaVerdict(result);
  const known = new Map(knownVolumes.map((v) => [v.file, v]));
  const unverifiedElsewhere = result.elsewhere.filter((f) => !verifiedVolumes.includes(f));
  return (
    <Stack spacing={2}>
      <Alert severity={verdict.ok ? 'success' : 'error'} role={verdict.ok ? 'status' : 'alert'}>
        <AlertTitle>{verdict.title}</AlertTitle>
        {verdict.text}
        {verdict.ok && unverifiedElsewhere.length > 0 && (
          <Box sx={{ mt: 0.5 }}>
            {countOf(unverifiedElsewhere.length, 'other volume')} of the bundle {unverifiedElsewhere.length === 1 ? 'is' : 'are'} on other media: verify{' '}
            {unverifiedElsewhere.length === 1 ? 'that medium' : 'those media'} too.
          </Box>
        )}
        <Box sx={{ mt: 0.5 }}>Recorded in the ledger (line {result.seq}).</Box>
      </Alert>
      <SimpleTable label="Volumes read back" columns={['File', { label: 'Size', align: 'right' }, 'Expected SHA-256', 'Result']}>
        {result.volumes.map((v) => (
          <TableRow key={v.file} data-volume={v.file} data-status={v.status}>
            <TableCell sx={monoSmall}>{v.file}</TableCell>
            <TableCell align="right">
              <Bytes value={v.size} />
            </TableCell>
            <TableCell>
              <Digest value={v.expected} label={`expected SHA-256 of ${v.file}`} short />
            </TableCell>
            <TableCell>
              <Typography variant="body2" sx={{ fontWeight: v.status === 'ok' ? 400 : 700, color: v.status === 'ok' ? 'success.main' : 'error.main' }}>
                {VOLUME_STATUS_WORDS[v.status]}
              </Typography>
              {v.status === 'mismatch' && v.actual && (
                <Typography variant="body2" color="text.secondary" component="div">
                  read back as <Digest value={v.actual} label={`read-back SHA-256 of ${v.file}`} short />
                </Typography>
              )}
            </TableCell>
          </TableRow>
        ))}
        {result.elsewhere.map((file) => {
          const v = known.get(file);
          return (
            <TableRow key={file} data-volume={file} data-status="elsewhere">
              <TableCell sx={{ ...monoSmall, color: 'text.secondary' }}>{file}</TableCell>
              <TableCell align="right">{v ? <Bytes value={v.size} /> : '—'}</TableCell>
              <TableCell>{v ? <Digest value={v.sha256} label={`expected SHA-256 of ${file}`} short /> : '—'}</TableCell>
              <TableCell>
                <Typography variant="body2" color="text.secondary">
                  on other media
                </Typography>
              </TableCell>
            </TableRow>
          );
        })}
      </SimpleTable>
      <Typography variant="body2" color="text.secondary">
        Read back from{' '}
        <Box component="span" sx={{ fontFamily: MONO, overflowWrap: 'anywhere' }}>
          {result.dir}
        </Box>
      </Typography>
    </Stack>
  );
}
