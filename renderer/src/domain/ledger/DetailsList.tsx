import Box from '@mui/material/Box';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import { Digest } from '../../components/Digest';
import { detailLabel, detailValue } from './detailWords';
import { jsonColumns, jsonRows, looksLikeDigest } from './labels';

/**
 * A step's label/value pairs; digests and hashes in full, monospace, with a copy button; a list of
 * records (import.completed's artifacts) as a small table.
 */
export function DetailsList({
  details,
  line,
  id,
}: {
  details: [string, string][];
  /** "line 12", "exporter's line 7": completes copy buttons' names. */ line: string;
  id?: string;
}) {
  return (
    <Box
      component="dl"
      id={id}
      sx={{
        display: 'grid',
        gridTemplateColumns: { xs: '1fr', sm: 'minmax(120px, max-content) minmax(0, 1fr)' },
        columnGap: 2,
        rowGap: 0.5,
        m: 0,
        alignItems: 'baseline',
      }}
    >
      {details.map(([label, value], i) => (
        <Box key={`${label}-${i}`} sx={{ display: 'contents' }}>
          <Typography component="dt" variant="body2" color="text.secondary">
            {detailLabel(label)}
          </Typography>
          <Box component="dd" sx={{ m: 0, minWidth: 0 }}>
            <DetailValue label={detailLabel(label)} value={value} line={line} />
          </Box>
        </Box>
      ))}
    </Box>
  );
}

export function DetailValue({ label, value, line }: { label: string; value: string; line: string }) {
  if (looksLikeDigest(value)) return <Digest value={value} label={`${label} of ${line}`} />;
  const rows = jsonRows(value);
  if (rows) return <RecordsTable rows={rows} label={`${label} of ${line}`} />;
  return (
    <Typography variant="body2" component="span" sx={{ display: 'block', overflowWrap: 'anywhere', whiteSpace: 'pre-wrap' }}>
      {detailValue(value) || '—'}
    </Typography>
  );
}

function RecordsTable({ rows, label }: { rows: Record<string, string>[]; label: string }) {
  const columns = jsonColumns(rows);
  return (
    <Box sx={{ overflowX: 'auto', my: 0.5 }}>
      <Table size="small" aria-label={label} sx={{ '& th, & td': { px: 1, py: 0.25, fontSize: '0.8125rem', verticalAlign: 'top' } }}>
        <TableHead>
          <TableRow>
            {columns.map((c) => (
              <TableCell key={c}>{detailLabel(c)}</TableCell>
            ))}
          </TableRow>
        </TableHead>
        <TableBody>
          {rows.map((row, i) => (
            <TableRow key={i}>
              {columns.map((c) => {
                const cell = row[c] ?? '';
                return (
                  <TableCell key={c} sx={{ overflowWrap: 'anywhere' }}>
                    {looksLikeDigest(cell) ? <Digest value={cell} label={`${c} of ${row.ref ?? `row ${i + 1}`} in ${label}`} short /> : cell || '—'}
                  </TableCell>
                );
              })}
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </Box>
  );
}
