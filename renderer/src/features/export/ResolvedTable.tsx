import Box from '@mui/material/Box';
import TableCell from '@mui/material/TableCell';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import { attachedWords } from '../../../../shared/attachments.js';
import type { ResolvedReference } from '../../../../shared/rpc.js';
import { Bytes } from '../../components/Bytes';
import { Digest } from '../../components/Digest';
import { ErrorAlert } from '../../components/ErrorAlert';
import { SimpleTable } from '../../components/SimpleTable';
import { kindLabel } from '../../lib/artifacts';
import { monoSmall } from '../../core/theme';
import { credentialsLabel, resolveAdvice } from '../../domain/registry/advice';

/** Each reference as the bundle will record it: digest, platforms, size, credentials found; or why it did not resolve. */
export function ResolvedTable({ items }: { items: ResolvedReference[] }) {
  return (
    <SimpleTable
      label="Images and charts"
      columns={['Reference', 'Kind', 'Digest', 'Platforms', { label: 'Size', align: 'right' }, 'Signatures', 'Credentials']}
    >
      {items.map((item) => (
        <TableRow key={`${item.kind} ${item.input}`} data-reference={item.input}>
          <TableCell sx={{ ...monoSmall, minWidth: 220, maxWidth: 360, overflowWrap: 'anywhere' }}>
            {item.ref ?? item.input}
            {item.ref && item.ref !== item.input && (
              <Typography variant="caption" color="text.secondary" sx={{ display: 'block' }}>
                typed as {item.input}
              </Typography>
            )}
          </TableCell>
          <TableCell>{kindLabel(item.kind)}</TableCell>
          {item.ok ? <ResolvedCells item={item} /> : <FailedCell item={item} />}
          <TableCell>{credentialsLabel(item.credentials)}</TableCell>
        </TableRow>
      ))}
    </SimpleTable>
  );
}

function ResolvedCells({ item }: { item: ResolvedReference }) {
  const carried = item.platforms ?? [];
  const offered = item.available ?? [];
  return (
    <>
      <TableCell>{item.digest ? <Digest value={item.digest} label={`digest of ${item.ref ?? item.input}`} short /> : '—'}</TableCell>
      <TableCell sx={monoSmall}>
        {carried.length > 0 ? carried.map((p) => <Box key={p}>{p}</Box>) : '—'}
        {offered.length > carried.length && (
          <Typography variant="caption" color="text.secondary" sx={{ display: 'block', fontFamily: 'inherit' }}>
            {carried.length} of {offered.length} offered
          </Typography>
        )}
      </TableCell>
      <TableCell align="right">{item.size !== undefined ? <Bytes value={item.size} /> : '—'}</TableCell>
      <TableCell>
        {item.attached ? attachedWords(item.attached) : 'Left out'}
        {item.warnings?.map((w) => (
          <Typography key={w} variant="caption" color="text.secondary" sx={{ display: 'block' }}>
            Not carried: {w}
          </Typography>
        ))}
      </TableCell>
    </>
  );
}

function FailedCell({ item }: { item: ResolvedReference }) {
  return (
    <TableCell colSpan={4} sx={{ py: 1 }}>
      <ErrorAlert error={item.error ?? { code: 'INTERNAL', message: 'The engine gave no reason.' }} title={`Cannot resolve ${item.input}`}>
        <Box sx={{ mt: 0.5 }}>{resolveAdvice(item.error?.code)}</Box>
      </ErrorAlert>
    </TableCell>
  );
}
