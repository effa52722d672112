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
import { memo, useDeferredValue, useEffect, useMemo, useState } from 'react';
import { EVENT_TYPE_LIST } from '../../../../shared/ledger-event-labels.js';
import type { LedgerFilter, LedgerRow, Outcome } from '../../../../shared/rpc.js';
import { DateTime } from '../../components/DateTime';
import { ErrorAlert } from '../../components/ErrorAlert';
import { eventTypeLabel, shortDigest } from '../../lib/format';
import { useLedgerEntries } from './api/queries';
import { BundleLink } from './BundleLink';
import { OUTCOME_LABELS } from '../../domain/ledger/labels';
import { BundlePicker } from '../../domain/ledger/BundlePicker';
import { NO_FILTERS, timeRange, useLedgerView } from './ledgerStore';
import { OutcomeChip } from './OutcomeChip';
import { useDebounced } from '../../components/useDebounced';

/** Entries on one page: the engine pages and filters, so the screen stays quick whatever the ledger's length. */
const PAGE = 50;
const ALL = 'all';

/** Every ledger event, newest first, a page at a time, filtered by date, type, person, bundle, media and outcome. */
export function TimelinePanel() {
  const filters = useLedgerView((s) => s.filters);
  const { setFilter, setFilters, setLedgerId } = useLedgerView.getState();
  // Each older page starts below the last entry of the page before; going back pops the stack.
  const [cursors, setCursors] = useState<number[]>([]);
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
    }),
    [type, bundle, person, media, outcome, from, to],
  );
  const filtered = Object.keys(query).length > 0;
  // New filters start again from the newest entries.
  const [seenQuery, setSeenQuery] = useState(query);
  if (seenQuery !== query) {
    setSeenQuery(query);
    setCursors([]);
  }
  const before = cursors[cursors.length - 1];

  const entries = useLedgerEntries({ ...query, limit: PAGE, ...(before ? { before } : {}) });
  // A new page of rows is rendered as a transition, in slices between frames; until it shows, the page is still loading.
  const shown = useDeferredValue(entries.data);
  const rows = shown?.rows ?? null;
  const loading = entries.isFetching || shown !== entries.data;
  const error = entries.error;
  const ledgerId = shown?.ledgerId;
  useEffect(() => {
    if (ledgerId) setLedgerId(ledgerId);
  }, [ledgerId, setLedgerId]);

  const types = useMemo(() => [...new Set([...EVENT_TYPE_LIST, ...(rows ?? []).map((r) => r.type), ...(type ? [type] : [])])].sort(), [rows, type]);
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
        <BundlePicker label="Bundle" size="small" value={bundle} onChange={(digest) => setFilter('bundle', digest)} />
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
            {pageStatus(rows, cursors.length, filtered)}
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
      {rows && rows.length === 0 && cursors.length === 0 && !loading && (
        <Typography color="text.secondary" sx={{ px: 2, pb: 2 }}>
          {filtered ? 'No entries match these filters. Clear or widen them to see more.' : 'The ledger is empty.'}
        </Typography>
      )}
      {rows && rows.length > 0 && <EntriesTable rows={rows} />}
      {rows && (cursors.length > 0 || rows.length === PAGE) && (
        <Stack direction="row" spacing={1} component="nav" aria-label="Ledger pages" sx={{ p: 1.5, justifyContent: 'flex-end' }}>
          <Button onClick={() => setCursors((c) => c.slice(0, -1))} disabled={cursors.length === 0 || loading}>
            Newer entries
          </Button>
          <Button onClick={() => setCursors((c) => [...c, rows[rows.length - 1]!.seq])} disabled={rows.length < PAGE || loading}>
            Older entries
          </Button>
        </Stack>
      )}
    </Paper>
  );
}

// Cells are styled once here, by class, rather than each with its own sx: a page of rows then costs no style work per cell.
const ROW_STYLES = {
  '& .seq': { textAlign: 'right', fontVariantNumeric: 'tabular-nums' },
  '& .label': { display: 'block', fontWeight: 500 },
  '& .secondary': { color: 'text.secondary', typography: 'caption' },
  '& .role': { color: 'text.secondary' },
  '& .summary': { minWidth: 200, overflowWrap: 'anywhere' },
  '& .media': { overflowWrap: 'anywhere' },
} as const;

/** A page of entries; memoised so the filters' updates do not render its rows again. */
const EntriesTable = memo(function EntriesTable({ rows }: { rows: LedgerRow[] }) {
  return (
    <TableContainer sx={{ borderTop: 1, borderColor: 'divider' }}>
      <Table size="small" aria-label="Ledger entries" sx={ROW_STYLES}>
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
          {rows.map((row) => (
            <TimelineRow key={row.seq} row={row} />
          ))}
        </TableBody>
      </Table>
    </TableContainer>
  );
});

/** One entry of the timeline. */
const TimelineRow = memo(function TimelineRow({ row }: { row: LedgerRow }) {
  const name = row.bundleName;
  return (
    <TableRow hover data-seq={row.seq}>
      <TableCell className="seq">{row.seq}</TableCell>
      <TableCell>
        <DateTime iso={row.time} />
      </TableCell>
      <TableCell>
        <span className="label">{eventTypeLabel(row.type)}</span>
        <span className="secondary">{row.type}</span>
      </TableCell>
      <TableCell>
        {row.operator || '—'}
        {row.role && <span className="role"> ({row.role})</span>}
      </TableCell>
      <TableCell className="summary">{row.summary}</TableCell>
      <TableCell>
        {row.bundle ? <BundleLink digest={row.bundle} name={name} ariaLabel={`Open bundle ${name ?? shortDigest(row.bundle)} (entry ${row.seq})`} /> : '—'}
      </TableCell>
      <TableCell className="media">{row.media && row.media.length > 0 ? row.media.join(', ') : '—'}</TableCell>
      <TableCell>{row.outcome ? <OutcomeChip outcome={row.outcome} /> : '—'}</TableCell>
    </TableRow>
  );
});

/** Which entries the page shows: "Entries 140,001 to 139,902" reads the ledger's own line numbers. */
function pageStatus(rows: LedgerRow[], pagesBack: number, filtered: boolean): string {
  const match = filtered ? ' that match the filters' : '';
  if (rows.length === 0) return pagesBack > 0 ? `No older entries${match}.` : '';
  const newest = rows[0]!.seq.toLocaleString();
  const oldest = rows[rows.length - 1]!.seq.toLocaleString();
  const which = pagesBack === 0 ? `The latest ${rows.length === 1 ? 'entry' : `${rows.length} entries`}` : `${rows.length} older entries`;
  return `${which}${match}: lines ${newest} to ${oldest}.`;
}
