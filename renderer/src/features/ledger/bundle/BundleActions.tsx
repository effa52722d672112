import DownloadOutlinedIcon from '@mui/icons-material/DownloadOutlined';
import FactCheckOutlinedIcon from '@mui/icons-material/FactCheckOutlined';
import HandshakeOutlinedIcon from '@mui/icons-material/HandshakeOutlined';
import PrintOutlinedIcon from '@mui/icons-material/PrintOutlined';
import ReceiptLongOutlinedIcon from '@mui/icons-material/ReceiptLongOutlined';
import RecyclingOutlinedIcon from '@mui/icons-material/RecyclingOutlined';
import RefreshIcon from '@mui/icons-material/Refresh';
import Button from '@mui/material/Button';
import Stack from '@mui/material/Stack';
import type { TransferReport } from '../../../../../shared/rpc.js';
import { hrefs, navigateTo } from '../../../core/router';
import { hex12 } from '../../../domain/ledger/labels';
import { downloadText } from '../../../lib/download';

export interface BundleActionsProps {
  report: TransferReport;
  loading: boolean;
  reload: () => void;
  onReadBack: () => void;
  onDispose: () => void;
}

/** What a person can do from a bundle's page: its papers, a read-back, a handoff, a disposition, the JSON. */
export function BundleActions({ report, loading, reload, onReadBack, onDispose }: BundleActionsProps) {
  return (
    <Stack direction="row" spacing={1} useFlexGap sx={{ flexWrap: 'wrap', mb: 3 }} role="group" aria-label="Bundle actions">
      <Button variant="contained" startIcon={<PrintOutlinedIcon />} onClick={() => navigateTo(hrefs.transferForm(report.bundle))}>
        Print transfer form
      </Button>
      <Button variant="outlined" startIcon={<ReceiptLongOutlinedIcon />} onClick={() => navigateTo(hrefs.receipt(report.bundle))}>
        Print receipt
      </Button>
      <Button variant="outlined" startIcon={<FactCheckOutlinedIcon />} onClick={onReadBack}>
        Read media back…
      </Button>
      <Button variant="outlined" startIcon={<HandshakeOutlinedIcon />} onClick={() => navigateTo(hrefs.handoff(report.bundle))}>
        Record handoff
      </Button>
      <Button variant="outlined" startIcon={<RecyclingOutlinedIcon />} onClick={onDispose}>
        Record disposition…
      </Button>
      <Button
        variant="outlined"
        startIcon={<DownloadOutlinedIcon />}
        onClick={() => downloadText(`transfer-${hex12(report.bundle)}.json`, `${JSON.stringify(report, null, 2)}\n`, 'application/json')}
      >
        Save as JSON
      </Button>
      <Button startIcon={<RefreshIcon />} onClick={reload} disabled={loading} aria-label="Reload chain of custody">
        Reload
      </Button>
    </Stack>
  );
}
