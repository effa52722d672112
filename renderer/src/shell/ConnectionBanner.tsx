import Alert from '@mui/material/Alert';
import AlertTitle from '@mui/material/AlertTitle';
import Button from '@mui/material/Button';
import { useConnection } from '../client';

/** Shown while the browser host cannot be reached; calls fail clearly meanwhile. */
export function ConnectionBanner() {
  const { status, retryInSeconds, retryNow, generation } = useConnection();
  if (status !== 'down') return null;
  const everConnected = generation > 0;
  return (
    <Alert
      severity="error"
      variant="filled"
      square
      action={
        <Button color="inherit" size="small" onClick={retryNow}>
          Retry now
        </Button>
      }
      sx={{ borderRadius: 0 }}
    >
      <AlertTitle>{everConnected ? 'Lost connection to the Ferry host' : 'Cannot reach the Ferry host'}</AlertTitle>
      {retryInSeconds ? `Trying again in ${retryInSeconds} s. ` : 'Trying again… '}
      Work the host had started keeps running. If the host was restarted, open the new address it printed (with ?token=…): each address opens Ferry once, and
      pressing Enter where the host runs prints a fresh one.
    </Alert>
  );
}
