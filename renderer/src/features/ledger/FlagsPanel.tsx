import RefreshIcon from '@mui/icons-material/Refresh';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import LinearProgress from '@mui/material/LinearProgress';
import Link from '@mui/material/Link';
import Paper from '@mui/material/Paper';
import Stack from '@mui/material/Stack';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableContainer from '@mui/material/TableContainer';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import type { ReconciliationFlag } from '../../../../shared/rpc.js';
import { useState } from 'react';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageControls } from '../../components/PageControls';
import { shortDigest } from '../../lib/format';
import { hrefs } from '../../core/router';
import { BundleLink } from './BundleLink';
import { flagKindLabel } from '../../domain/ledger/labels';
import { useLedgerFlags } from './api/queries';
import { useLedgerView } from './ledgerStore';
import { KitChooser } from './KitChooser';

const PAGE_SIZE = 100;

/** Reconciliation flags: gaps in an exporter's chain, refused imports, failed or undisposed media, … */
export function FlagsPanel() {
  const withKit = useLedgerView((s) => s.withKit);
  const [pageNumber, setPageNumber] = useState(0);
  const [seenKit, setSeenKit] = useState(withKit);
  if (withKit !== seenKit) {
    setSeenKit(withKit);
    setPageNumber(0);
  }
  const { flags, total, compared, error, loading, reload } = useLedgerFlags(withKit, pageNumber, PAGE_SIZE);

  return (
    <Paper variant="outlined">
      <Stack direction="row" spacing={2} sx={{ p: 2, alignItems: 'center' }}>
        <Typography color="text.secondary" sx={{ flex: 1 }}>
          What does not reconcile: a missing bundle in an exporter's chain, an import without an export record, a refused bundle, media that failed their check
          or were never returned, retained, sanitized or destroyed.
        </Typography>
        <Button startIcon={<RefreshIcon />} onClick={reload} disabled={loading} aria-label="Reload flags" sx={{ flexShrink: 0 }}>
          Reload
        </Button>
      </Stack>
      <Box sx={{ px: 2, pb: 2 }}>
        <KitChooser
          label="Another site's auditor's kit"
          helperText="Optional: with the other side's kit (ferry ledger export), bundles exported there and never imported here, or the reverse, are flagged too, and media it dispositioned or read back are settled. Its chain is checked first."
        />
      </Box>
      {compared && (
        <Typography sx={{ px: 2, pb: 2 }} role="status">
          Compared with the ledger in {compared.dir} ({compared.lines} lines).
        </Typography>
      )}
      {loading && <LinearProgress aria-label="Loading the flags" />}
      {error != null && (
        <Box sx={{ px: 2, pb: 2 }}>
          <ErrorAlert error={error} title="Cannot check the ledger for flags">
            <Box sx={{ mt: 0.5 }}>Press Reload to try again.</Box>
          </ErrorAlert>
        </Box>
      )}
      {flags && flags.length === 0 && (
        <Typography sx={{ px: 2, pb: 2 }} role="status">
          No reconciliation flags
        </Typography>
      )}
      {flags && flags.length > 0 && (
        <Typography variant="body2" color="text.secondary" sx={{ px: 2, pb: 1 }}>
          {total.toLocaleString()} open flag{total === 1 ? '' : 's'}, the newest first
        </Typography>
      )}
      {flags && flags.length > 0 && (
        <TableContainer sx={{ borderTop: 1, borderColor: 'divider' }}>
          <Table size="small" aria-label="Reconciliation flags">
            <TableHead>
              <TableRow>
                <TableCell>Severity</TableCell>
                <TableCell>Kind</TableCell>
                <TableCell>Message</TableCell>
                <TableCell>Bundle</TableCell>
                <TableCell>Media</TableCell>
                <TableCell align="right">Line</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {flags.map((flag, i) => (
                <FlagRow key={`${flag.kind}-${flag.bundle ?? ''}-${flag.media ?? ''}-${flag.seq ?? i}`} flag={flag} name={flag.bundleName} />
              ))}
            </TableBody>
          </Table>
          <PageControls total={total} page={pageNumber} pageSize={PAGE_SIZE} onPage={setPageNumber} />
        </TableContainer>
      )}
    </Paper>
  );
}

export function SeverityChip({ severity }: { severity: ReconciliationFlag['severity'] }) {
  return <Chip size="small" color={severity === 'error' ? 'error' : 'warning'} label={severity === 'error' ? 'Error' : 'Warning'} />;
}

function FlagRow({ flag, name }: { flag: ReconciliationFlag; name: string | undefined }) {
  return (
    <TableRow data-flag={flag.kind}>
      <TableCell>
        <SeverityChip severity={flag.severity} />
      </TableCell>
      <TableCell sx={{ whiteSpace: 'nowrap' }}>{flagKindLabel(flag.kind)}</TableCell>
      <TableCell sx={{ overflowWrap: 'anywhere' }}>{flag.message}</TableCell>
      <TableCell>{flag.bundle ? <BundleLink digest={flag.bundle} name={name} ariaLabel={`Open bundle ${name ?? shortDigest(flag.bundle)}`} /> : '—'}</TableCell>
      <TableCell sx={{ overflowWrap: 'anywhere' }}>{flag.media ?? '—'}</TableCell>
      <TableCell align="right" sx={{ whiteSpace: 'nowrap' }}>
        {flag.seq === undefined ? (
          '—'
        ) : flag.bundle ? (
          <Link href={hrefs.bundle(flag.bundle, flag.seq)} aria-label={`Ledger line ${flag.seq} in its chain of custody`}>
            Line {flag.seq}
          </Link>
        ) : (
          `Line ${flag.seq}`
        )}
      </TableCell>
    </TableRow>
  );
}
