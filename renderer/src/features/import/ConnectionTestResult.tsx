import Alert from '@mui/material/Alert';
import AlertTitle from '@mui/material/AlertTitle';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Stack from '@mui/material/Stack';
import type { CredentialStorage } from '../../../../shared/rpc.js';
import { ErrorAlert } from '../../components/ErrorAlert';
import { MONO } from '../../core/theme';
import { connectionAdvice } from '../../domain/registry/advice';
import { useImport, type ConnectionTest } from './importStore';

/** The last Test connection, in plain words: OK and which credentials, or the error and what to do. */
export function ConnectionTestResult() {
  const test = useImport((s) => s.test);
  const error = useImport((s) => s.testError);
  if (error) {
    return (
      <ErrorAlert error={error} title="The connection test failed">
        <Box sx={{ mt: 0.5 }}>{connectionAdvice(error.code)}</Box>
      </ErrorAlert>
    );
  }
  if (!test) return null;
  const { registry, prefix } = test.result;
  return (
    <Stack spacing={1.5}>
      <Alert severity="success">
        <AlertTitle>Connection OK</AlertTitle>
        <Box component="span" sx={{ fontFamily: MONO }}>
          {registry}
        </Box>{' '}
        answers the registry API{prefix ? ', and artifacts go under ' : '.'}
        {prefix && (
          <>
            <Box component="span" sx={{ fontFamily: MONO }}>
              {prefix}/
            </Box>
            .
          </>
        )}{' '}
        {credentialsSentence(test)}
      </Alert>
      {(test.remembered || test.result.credentials === 'remembered') && <StorageNote storage={test.result.storage} registry={registry} />}
    </Stack>
  );
}

function credentialsSentence(test: ConnectionTest): string {
  const { authenticated, credentials } = test.result;
  if (!authenticated) {
    return test.loginGiven ? 'It did not ask for credentials, so the ones you gave were not used.' : 'It did not ask for credentials: anonymous access.';
  }
  if (credentials === 'given') return 'Signed in with the username and password you gave.';
  if (credentials === 'remembered') return 'Signed in with the credentials remembered in Ferry.';
  if (credentials === 'docker-config') return "Signed in with credentials from docker's config.json.";
  if (credentials.startsWith('helper ')) return `Signed in with credentials from the docker credential helper ${credentials.slice('helper '.length)}.`;
  return `Signed in (credentials: ${credentials}).`;
}

function StorageNote({ storage, registry }: { storage: CredentialStorage; registry: string }) {
  const forget = useImport.getState().forgetCredentials;
  const action = (
    <Button color="inherit" size="small" onClick={() => void forget(registry)} aria-label={`Forget the credentials for ${registry}`}>
      Forget
    </Button>
  );
  if (storage === 'plain-text') {
    return (
      <Alert severity="warning" action={action}>
        <AlertTitle>Credentials stored unprotected</AlertTitle>
        The OS keychain is not available, so the credentials for {registry} are stored in Ferry's data folder without protection: anyone who can read that
        folder can read them. Forget them, or set up a keyring (GNOME Keyring or KWallet) and restart Ferry to protect them.
      </Alert>
    );
  }
  if (storage === 'memory') {
    return (
      <Alert severity="info" action={action}>
        Credentials for {registry} are kept for this session only: Ferry forgets them when it stops.
      </Alert>
    );
  }
  return (
    <Alert severity="info" action={action}>
      Credentials for {registry} are remembered in the OS keychain for later imports.
    </Alert>
  );
}
