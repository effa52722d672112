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
import Typography from '@mui/material/Typography';
import { DateTime } from '../../components/DateTime';
import { Digest } from '../../components/Digest';
import { ErrorAlert } from '../../components/ErrorAlert';
import { eventTypeLabel, shortDigest } from '../../lib/format';
import { BundleLink } from './BundleLink';
import { SIDE_LABELS } from '../../domain/ledger/labels';
import { useLedgerBundles } from '../../domain/ledger/bundles';

/** Every bundle the ledger knows, newest first; each opens its chain of custody. */
export function BundlesPanel() {
  const { bundles, error, loading, reload } = useLedgerBundles();

  return (
    <Paper variant="outlined">
      <Stack direction="row" spacing={2} sx={{ p: 2, alignItems: 'center' }}>
        <Typography color="text.secondary" sx={{ flex: 1 }}>
          Each bundle exported or imported here. Open one to see its whole chain of custody, print its transfer form or receipt, and record handoffs and
          dispositions.
        </Typography>
        {bundles && (
          <Typography variant="body2" color="text.secondary" role="status" sx={{ whiteSpace: 'nowrap' }}>
            {bundles.length} bundle{bundles.length === 1 ? '' : 's'}
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
          No bundles yet. Bundles appear here once one is exported or imported on this machine.
        </Typography>
      )}
      {bundles && bundles.length > 0 && (
        <TableContainer sx={{ borderTop: 1, borderColor: 'divider' }}>
          <Table size="small" aria-label="Bundles">
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
                      <Typography variant="body2" sx={{ fontWeight: 500 }}>
                        {eventTypeLabel(b.lastType)}
                      </Typography>
                      <Typography variant="caption" color="text.secondary">
                        <DateTime iso={b.lastTime} />
                      </Typography>
                    </TableCell>
                    <TableCell sx={{ overflowWrap: 'anywhere' }}>{b.media.length > 0 ? b.media.join(', ') : '—'}</TableCell>
                    <TableCell align="right">
                      {b.flags > 0 ? (
                        <Chip size="small" color="warning" label={`${b.flags} flag${b.flags === 1 ? '' : 's'}`} />
                      ) : (
                        <Typography variant="body2" color="text.secondary">
                          None
                        </Typography>
                      )}
                    </TableCell>
                  </TableRow>
                );
              })}
            </TableBody>
          </Table>
        </TableContainer>
      )}
    </Paper>
  );
}
