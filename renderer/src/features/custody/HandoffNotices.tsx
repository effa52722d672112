import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import { ErrorAlert } from '../../components/ErrorAlert';
import { shortDigest } from '../../lib/format';

interface HandoffNoticesProps {
  bundlesError: unknown;
  reloadBundles: () => void;
  /** The address named a bundle this ledger does not know, and not by its full digest. */
  unknownWanted: string | null;
  /** The ledger has no bundle yet. */
  noBundles: boolean;
}

/** What the Handoff page says before its form: the bundles cannot be listed, the bundle asked for is unknown, or there are none yet. */
export function HandoffNotices({ bundlesError, reloadBundles, unknownWanted, noBundles }: HandoffNoticesProps) {
  return (
    <>
      {bundlesError != null && (
        <Box sx={{ mb: 3 }}>
          <ErrorAlert
            error={bundlesError}
            title="Cannot list the bundles"
            action={
              <Button color="inherit" onClick={reloadBundles}>
                Try again
              </Button>
            }
          />
        </Box>
      )}
      {unknownWanted && (
        <Alert severity="warning" sx={{ mb: 3 }}>
          This ledger knows no bundle {shortDigest(unknownWanted)}. Choose one below, or, for an arrival before the import, type or scan the bundle&apos;s full
          digest from the transfer form.
        </Alert>
      )}
      {noBundles && (
        <Alert severity="info" sx={{ mb: 3 }}>
          No bundles in this ledger yet. At a receiving gate, type or scan the bundle&apos;s full digest from the transfer form into Bundle to record the
          media&apos;s arrival before the import.
        </Alert>
      )}
    </>
  );
}
