import FactCheckOutlinedIcon from '@mui/icons-material/FactCheckOutlined';
import RefreshIcon from '@mui/icons-material/Refresh';
import Alert from '@mui/material/Alert';
import AlertTitle from '@mui/material/AlertTitle';
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
import { useEffect, useState } from 'react';
import type { LedgerRow, Result } from '../../../../shared/rpc.js';
import { DateTime } from '../../components/DateTime';
import { Digest } from '../../components/Digest';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeading } from '../../components/PageHeading';
import { ferry, useConnection } from '../../client';
import { eventTypeLabel } from '../../lib/format';
import { KNOWN_EVENT_TYPES } from './eventTypes';

const LIMIT = 1000;
const ALL = 'all';

/** The ledger: every event, newest first, a type filter, and verify-the-chain in plain words. */
export function LedgerPage() {
  const [type, setType] = useState(ALL);
  const [rows, setRows] = useState<LedgerRow[] | null>(null);
  const [ledgerId, setLedgerId] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [seenTypes, setSeenTypes] = useState<string[]>([]);
  const [reload, setReload] = useState(0);
  const [check, setCheck] = useState<{ loading: boolean; result?: Result<'ledger.verify'>; error?: unknown } | null>(null);
  const generation = useConnection((s) => s.generation);

  useEffect(() => {
    let live = true;
    setLoading(true);
    ferry()
      .call('ledger.list', { ...(type !== ALL ? { type } : {}), limit: LIMIT })
      .then(
        (result) => {
          if (!live) return;
          const sorted = [...result.entries].sort((a, b) => b.seq - a.seq);
          setRows(sorted);
          setLedgerId(result.ledgerId);
          setError(null);
          if (type === ALL) setSeenTypes([...new Set(sorted.map((r) => r.type))]);
        },
        (err: unknown) => live && setError(err),
      )
      .finally(() => live && setLoading(false));
    return () => {
      live = false;
    };
  }, [type, reload, generation]);

  async function verifyChain() {
    setCheck({ loading: true });
    try {
      setCheck({ loading: false, result: await ferry().call('ledger.verify', {}) });
    } catch (err) {
      setCheck({ loading: false, error: err });
    }
  }

  const types = [...new Set([...KNOWN_EVENT_TYPES, ...seenTypes, ...(type !== ALL ? [type] : [])])].sort();

  return (
    <>
      <PageHeading
        title="Ledger"
        lead={
          <>
            Every export, import, refusal and key change, in an append-only hash chain.
            {ledgerId && (
              <>
                {' '}
                Ledger ID <Digest value={ledgerId} label="ledger ID" />
              </>
            )}
          </>
        }
        actions={
          <Button variant="contained" startIcon={<FactCheckOutlinedIcon />} onClick={() => void verifyChain()} disabled={check?.loading}>
            {check?.loading ? 'Verifying…' : 'Verify chain'}
          </Button>
        }
      />

      {check && !check.loading && (
        <Box sx={{ mb: 3 }}>
          {check.error != null ? (
            <ErrorAlert error={check.error} title="The chain could not be verified" />
          ) : check.result?.ok ? (
            <Alert severity="success">
              <AlertTitle>The hash chain is intact</AlertTitle>
              {check.result.count} entr{check.result.count === 1 ? 'y' : 'ies'}, head <Digest value={check.result.head} label="chain head" />
            </Alert>
          ) : check.result ? (
            <Alert severity="error">
              <AlertTitle>The hash chain is broken</AlertTitle>
              {check.result.count} entr{check.result.count === 1 ? 'y' : 'ies'} checked. An entry was changed, removed or inserted after it was written:
              <Box component="ul" sx={{ m: 0, mt: 1, pl: 3 }}>
                {check.result.problems.map((p) => (
                  <li key={`${p.seq}-${p.message}`}>
                    Entry {p.seq}: {p.message}
                  </li>
                ))}
              </Box>
            </Alert>
          ) : null}
        </Box>
      )}

      <Paper variant="outlined">
        <Stack direction="row" spacing={2} sx={{ p: 2, alignItems: 'center' }}>
          <TextField select label="Event type" value={type} onChange={(e) => setType(e.target.value)} size="small" sx={{ minWidth: 260 }}>
            <MenuItem value={ALL}>All events</MenuItem>
            {types.map((t) => (
              <MenuItem key={t} value={t}>
                {eventTypeLabel(t)} ({t})
              </MenuItem>
            ))}
          </TextField>
          <Box sx={{ flex: 1 }} />
          {rows && (
            <Typography variant="body2" color="text.secondary" role="status">
              {rows.length === LIMIT ? `The latest ${LIMIT} entries` : `${rows.length} entr${rows.length === 1 ? 'y' : 'ies'}`}
            </Typography>
          )}
          <Button startIcon={<RefreshIcon />} onClick={() => setReload((n) => n + 1)} disabled={loading} aria-label="Reload ledger">
            Reload
          </Button>
        </Stack>
        {loading && <LinearProgress aria-label="Loading the ledger" />}
        {error != null && (
          <Box sx={{ px: 2, pb: 2 }}>
            <ErrorAlert error={error} title="Cannot read the ledger" />
          </Box>
        )}
        {rows && rows.length === 0 && !loading && (
          <Typography color="text.secondary" sx={{ px: 2, pb: 2 }}>
            {type !== ALL ? `No “${eventTypeLabel(type)}” events yet.` : 'The ledger is empty.'}
          </Typography>
        )}
        {rows && rows.length > 0 && (
          <TableContainer sx={{ borderTop: 1, borderColor: 'divider' }}>
            <Table size="small" aria-label="Ledger entries">
              <TableHead>
                <TableRow>
                  <TableCell align="right" sx={{ width: 72 }}>
                    Seq
                  </TableCell>
                  <TableCell>Time</TableCell>
                  <TableCell>Type</TableCell>
                  <TableCell>Person</TableCell>
                  <TableCell>Bundle</TableCell>
                </TableRow>
              </TableHead>
              <TableBody>
                {rows.map((row) => (
                    <TableRow hover key={row.seq}>
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
                        {row.operator}
                        {row.role && (
                          <Typography component="span" variant="body2" color="text.secondary">
                            {' '}
                            ({row.role})
                          </Typography>
                        )}
                      </TableCell>
                      <TableCell>{row.bundle ? <Digest value={row.bundle} label={`bundle digest of entry ${row.seq}`} short /> : '—'}</TableCell>
                    </TableRow>
                ))}
              </TableBody>
            </Table>
          </TableContainer>
        )}
      </Paper>
    </>
  );
}

