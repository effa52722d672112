import RefreshIcon from '@mui/icons-material/Refresh';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import LinearProgress from '@mui/material/LinearProgress';
import Paper from '@mui/material/Paper';
import Stack from '@mui/material/Stack';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableContainer from '@mui/material/TableContainer';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useState } from 'react';
import { DateTime } from '../../components/DateTime';
import { Digest } from '../../components/Digest';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageControls } from '../../components/PageControls';
import { eventTypeLabel, shortDigest } from '../../lib/format';
import { BundleLink } from './BundleLink';
import { SIDE_LABELS } from '../../domain/ledger/labels';
import { useBundlePage } from '../../domain/ledger/bundles';
import { useDebounced } from '../../components/useDebounced';

const PAGE_SIZE = 25;

// Cells styled once here, by class: a page of rows costs no style work per cell.
const ROW_STYLES = {
  '& .label': { display: 'block', fontWeight: 500 },
  '& .secondary': { color: 'text.secondary', typography: 'body2' },
  '& .media': { overflowWrap: 'anywhere' },
} as const;

/** Every bundle the ledger knows, newest first, a page at a time and searched by the engine; each opens its chain of custody. */
export function BundlesPanel() {
  const [typed, setTyped] = useState('');
  const search = useDebounced(typed.trim());
  const [pageNumber, setPageNumber] = useState(0);
  const [seenSearch, setSeenSearch] = useState(search);
  if (search !== seenSearch) {
    setSeenSearch(search);
    setPageNumber(0);
  }
  const { page, error, loading, reload } = useBundlePage(search, pageNumber, PAGE_SIZE);
  const bundles = page?.bundles ?? null;
  const total = page?.total ?? 0;

  return (
    <Paper variant="outlined">
      <Stack direction="row" spacing={2} sx={{ p: 2, alignItems: 'center' }}>
        <Typography color="text.secondary" sx={{ flex: 1 }}>
          Each bundle exported or imported here. Open one to see its whole chain of custody, print its transfer form or receipt, and record handoffs and
          dispositions.
        </Typography>
        <TextField
          size="small"
          label="Find a bundle"
          placeholder="Part of a name or digest"
          value={typed}
          onChange={(e) => setTyped(e.target.value)}
          sx={{ width: 260, flexShrink: 0 }}
        />
        {page && (
          <Typography variant="body2" color="text.secondary" role="status" sx={{ whiteSpace: 'nowrap' }}>
            {total.toLocaleString()} bundle{total === 1 ? '' : 's'}
            {search ? ' match' : ''}
          </Typography>
        )}
        <Button startIcon={<RefreshIcon />} onClick={reload} disabled={loading} aria-label="Reload bundles" sx={{ flexShrink: 0 }}>
          Reload
        </Button>
      </Stack>
      {loading && <LinearProgress aria-label="Loading the bundles" />}
      {error && (
        <Box sx={{ px: 2, pb: 2 }}>
          <ErrorAlert error={error} title="Cannot list the bundles">
            <Box sx={{ mt: 0.5 }}>Press Reload to try again.</Box>
          </ErrorAlert>
        </Box>
      )}
      {bundles && bundles.length === 0 && (
        <Typography color="text.secondary" sx={{ px: 2, pb: 2 }}>
          {search
            ? 'No bundle matches. Type part of its name, or the first characters of its digest.'
            : 'No bundles yet. Bundles appear here once one is exported or imported on this machine.'}
        </Typography>
      )}
      {bundles && bundles.length > 0 && (
        <TableContainer sx={{ borderTop: 1, borderColor: 'divider' }}>
          <Table size="small" aria-label="Bundles" sx={ROW_STYLES}>
            <TableHead>
              <TableRow>
                <TableCell>Name</TableCell>
                <TableCell>Digest</TableCell>
                <TableCell>Side</TableCell>
                <TableCell>Last event</TableCell>
                <TableCell>Media</TableCell>
                <TableCell align="right">Flags</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {bundles.map((b) => {
                const what = b.name ?? shortDigest(b.bundle);
                return (
                  <TableRow hover key={b.bundle} data-bundle={b.bundle}>
                    <TableCell>
                      <BundleLink
                        digest={b.bundle}
                        name={b.name ?? 'Unnamed bundle'}
                        ariaLabel={b.name ? undefined : `Unnamed bundle ${shortDigest(b.bundle)}`}
                      />
                    </TableCell>
                    <TableCell>
                      <Digest value={b.bundle} label={`digest of ${what}`} short />
                    </TableCell>
                    <TableCell>{SIDE_LABELS[b.side] ?? b.side}</TableCell>
                    <TableCell>
                      <span className="label">{eventTypeLabel(b.lastType)}</span>
                      <span className="secondary">
                        <DateTime iso={b.lastTime} />
                      </span>
                    </TableCell>
                    <TableCell className="media">{b.media.length > 0 ? b.media.join(', ') : '—'}</TableCell>
                    <TableCell align="right">
                      {b.flags > 0 ? (
                        <Chip size="small" color="warning" label={`${b.flags} flag${b.flags === 1 ? '' : 's'}`} />
                      ) : (
                        <span className="secondary">None</span>
                      )}
                    </TableCell>
                  </TableRow>
                );
              })}
            </TableBody>
          </Table>
          <PageControls total={total} page={pageNumber} pageSize={PAGE_SIZE} onPage={setPageNumber} />
        </TableContainer>
      )}
    </Paper>
  );
}
