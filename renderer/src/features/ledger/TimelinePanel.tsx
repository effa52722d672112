import FilterAltOffOutlinedIcon from '@mui/icons-material/FilterAltOffOutlined';
import RefreshIcon from '@mui/icons-material/Refresh';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import LinearProgress from '@mui/material/LinearProgress';
import MenuItem from '@mui/material/MenuItem';
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
import { useEffect, useMemo } from 'react';
import { EVENT_TYPE_LIST } from '../../../../shared/ledger-event-labels.js';
import type { LedgerFilter, Outcome } from '../../../../shared/rpc.js';
import { CopyButton } from '../../components/CopyButton';
import { DateTime } from '../../components/DateTime';
import { ErrorAlert } from '../../components/ErrorAlert';
import { eventTypeLabel, shortDigest } from '../../lib/format';
import { useLedgerEntries } from './api/queries';
import { BundleLink } from './BundleLink';
import { OUTCOME_LABELS } from '../../domain/ledger/labels';
import { bundleName, useLedgerBundles } from '../../domain/ledger/bundles';
import { NO_FILTERS, timeRange, useLedgerView } from './ledgerStore';
import { OutcomeChip } from './OutcomeChip';
import { useDebounced } from '../../components/useDebounced';

const LIMIT = 1000;
const ALL = 'all';

/** Every ledger event, newest first, filtered by date, type, person, bundle, media and outcome. */
export function TimelinePanel() {
  const filters = useLedgerView((s) => s.filters);
  const { bundles } = useLedgerBundles();
  const { setFilter, setFilters, setLedgerId } = useLedgerView.getState();
  // Typed filters query the engine once typing pauses.
  const person = useDebounced(filters.person.trim());
  const media = useDebounced(filters.media.trim());
  const { from, to, type, bundle, outcome } = filters;

  const query = useMemo<LedgerFilter>(
    () => ({
      ...(type ? { type } : {}),
      ...(bundle ? { bundle } : {}),
      ...(person ? { operator: person } : {}),
      ...(media ? { media } : {}),
      ...(outcome ? { outcome } : {}),
      ...timeRange(from, to),
      limit: LIMIT,
    }),
    [type, bundle, person, media, outcome, from, to],
  );
  const filtered = Object.keys(query).length > 1;

  const entries = useLedgerEntries(query);
  const rows = entries.data?.rows ?? null;
  const loading = entries.isFetching;
  const error = entries.error;
  const ledgerId = entries.data?.ledgerId;
  useEffect(() => {
    if (ledgerId) setLedgerId(ledgerId);
  }, [ledgerId, setLedgerId]);

  const types = [...new Set([...EVENT_TYPE_LIST, ...(rows ?? []).map((r) => r.type), ...(type ? [type] : [])])].sort();
  const bundleOptions = bundles ?? [];
  const unknownBundle = bundle && !bundleOptions.some((b) => b.bundle === bundle) ? bundle : null;
  const dateProblem = from && to && from > to ? 'The “to” date is before the “from” date.' : null;

  return (
    <Paper variant="outlined">
      <Box
        role="group"
        aria-label="Filters"
        sx={{ p: 2, display: 'grid', gap: 2, gridTemplateColumns: { xs: '1fr', sm: 'repeat(2, minmax(0, 1fr))', md: 'repeat(4, minmax(0, 1fr))' } }}
      >
        <TextField
          type="date"
          label="From date"
          size="small"
          value={from}
          onChange={(e) => setFilter('from', e.target.value)}
          slotProps={{ inputLabel: { shrink: true }, htmlInput: { max: to || undefined } }}
        />
        <TextField
          type="date"
          label="To date"
          size="small"
          value={to}
          onChange={(e) => setFilter('to', e.target.value)}
          error={Boolean(dateProblem)}
          helperText={dateProblem ?? undefined}
          slotProps={{ inputLabel: { shrink: true }, htmlInput: { min: from || undefined } }}
        />
        <TextField select label="Event type" value={type || ALL} onChange={(e) => setFilter('type', e.target.value === ALL ? '' : e.target.value)} size="small">
          <MenuItem value={ALL}>All events</MenuItem>
          {types.map((t) => (
            <MenuItem key={t} value={t}>
              {eventTypeLabel(t)} ({t})
            </MenuItem>
          ))}
        </TextField>
        <TextField
          select
          label="Outcome"
          value={outcome || ALL}
          onChange={(e) => setFilter('outcome', e.target.value === ALL ? '' : (e.target.value as Outcome))}
          size="small"
        >
          <MenuItem value={ALL}>Any outcome</MenuItem>
          {(Object.keys(OUTCOME_LABELS) as Outcome[]).map((o) => (
            <MenuItem key={o} value={o}>
              {OUTCOME_LABELS[o]}
            </MenuItem>
          ))}
        </TextField>
        <TextField label="Person" size="small" value={filters.person} onChange={(e) => setFilter('person', e.target.value)} placeholder="Name, or part of it" />
        <TextField select label="Bundle" value={bundle || ALL} onChange={(e) => setFilter('bundle', e.target.value === ALL ? '' : e.target.value)} size="small">
          <MenuItem value={ALL}>All bundles</MenuItem>
          {unknownBundle && <MenuItem value={unknownBundle}>{shortDigest(unknownBundle)}</MenuItem>}
          {bundleOptions.map((b) => (
            <MenuItem key={b.bundle} value={b.bundle}>
              {b.name ? `${b.name} (${shortDigest(b.bundle)})` : shortDigest(b.bundle)}
            </MenuItem>
          ))}
        </TextField>
        <TextField
          label="Media ID"
          size="small"
          value={filters.media}
          onChange={(e) => setFilter('media', e.target.value)}
          placeholder="Serial number or asset tag"
        />
        <Stack direction="row" spacing={1} sx={{ alignItems: 'center', justifyContent: 'flex-end' }}>
          <Button startIcon={<FilterAltOffOutlinedIcon />} onClick={() => setFilters(NO_FILTERS)} disabled={!filtered && !filters.person && !filters.media}>
            Clear filters
          </Button>
          <Button startIcon={<RefreshIcon />} onClick={() => void entries.refetch()} disabled={loading} aria-label="Reload ledger">
            Reload
          </Button>
        </Stack>
      </Box>
      <Box sx={{ px: 2, pb: 1.5, minHeight: 24 }}>
        {rows && (
          <Typography variant="body2" color="text.secondary" role="status">
            {rows.length === LIMIT
              ? `The latest ${LIMIT} entries${filtered ? ' that match the filters' : ''}`
              : `${rows.length} entr${rows.length === 1 ? 'y' : 'ies'}${filtered ? ` match${rows.length === 1 ? 'es' : ''} the filters` : ''}`}
          </Typography>
        )}
      </Box>
      {loading && <LinearProgress aria-label="Loading the ledger" />}
      {error != null && (
        <Box sx={{ px: 2, pb: 2 }}>
          <ErrorAlert error={error} title="Cannot read the ledger">
            <Box sx={{ mt: 0.5 }}>Check the filters, then press Reload.</Box>
          </ErrorAlert>
        </Box>
      )}
      {rows && rows.length === 0 && !loading && (
        <Typography color="text.secondary" sx={{ px: 2, pb: 2 }}>
          {filtered ? 'No entries match these filters. Clear or widen them to see more.' : 'The ledger is empty.'}
        </Typography>
      )}
      {rows && rows.length > 0 && (
        <TableContainer sx={{ borderTop: 1, borderColor: 'divider' }}>
          <Table size="small" aria-label="Ledger entries">
            <TableHead>
              <TableRow>
                <TableCell align="right" sx={{ width: 64 }}>
                  Seq
                </TableCell>
                <TableCell>Time</TableCell>
                <TableCell>Type</TableCell>
                <TableCell>Person</TableCell>
                <TableCell>Summary</TableCell>
                <TableCell>Bundle</TableCell>
                <TableCell>Media</TableCell>
                <TableCell>Outcome</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {rows.map((row) => {
                const name = row.bundle ? bundleName(bundles, row.bundle) : undefined;
                return (
                  <TableRow hover key={row.seq} data-seq={row.seq}>
                    <TableCell align="right" sx={{ fontVariantNumeric: 'tabular-nums' }}>
                      {row.seq}
                    </TableCell>
                    <TableCell>
                      <DateTime iso={row.time} />
                    </TableCell>
                    <TableCell>
                      <Typography variant="body2" sx={{ fontWeight: 500 }}>
                        {eventTypeLabel(row.type)}
                      </Typography>
                      <Typography variant="caption" color="text.secondary">
                        {row.type}
                      </Typography>
                    </TableCell>
                    <TableCell>
                      {row.operator || '—'}
                      {row.role && (
                        <Typography component="span" variant="body2" color="text.secondary">
                          {' '}
                          ({row.role})
                        </Typography>
                      )}
                    </TableCell>
                    <TableCell sx={{ minWidth: 200, overflowWrap: 'anywhere' }}>{row.summary}</TableCell>
                    <TableCell>
                      {row.bundle ? (
                        <Box component="span" sx={{ display: 'inline-flex', alignItems: 'center', gap: 0.25 }}>
                          <BundleLink digest={row.bundle} name={name} ariaLabel={`Open bundle ${name ?? shortDigest(row.bundle)} (entry ${row.seq})`} />
                          <CopyButton text={row.bundle} label={`bundle digest of entry ${row.seq}`} />
                        </Box>
                      ) : (
                        '—'
                      )}
                    </TableCell>
                    <TableCell sx={{ overflowWrap: 'anywhere' }}>{row.media && row.media.length > 0 ? row.media.join(', ') : '—'}</TableCell>
                    <TableCell>{row.outcome ? <OutcomeChip outcome={row.outcome} /> : '—'}</TableCell>
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
