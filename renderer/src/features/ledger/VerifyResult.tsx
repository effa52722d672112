import Alert from '@mui/material/Alert';
import AlertTitle from '@mui/material/AlertTitle';
import Box from '@mui/material/Box';
import type { Result } from '../../../../shared/rpc.js';
import { Digest } from '../../components/Digest';
import { ErrorAlert } from '../../components/ErrorAlert';

export interface ChainCheck {
  loading: boolean;
  result?: Result<'ledger.verify'>;
  error?: unknown;
}

/** verify-the-chain, in plain words: intact (count, head), or which entries broke it. */
export function VerifyResult({ check }: { check: ChainCheck }) {
  if (check.loading) return null;
  if (check.error != null) return <ErrorAlert error={check.error} title="The chain could not be verified" />;
  const result = check.result;
  if (!result) return null;
  const entries = `${result.count} entr${result.count === 1 ? 'y' : 'ies'}`;
  if (result.ok) {
    return (
      <Alert severity="success">
        <AlertTitle>The hash chain is intact</AlertTitle>
        {entries}, head <Digest value={result.head} label="chain head" />
      </Alert>
    );
  }
  return (
    <Alert severity="error">
      <AlertTitle>The hash chain is broken</AlertTitle>
      {entries} checked. An entry was changed, removed or inserted after it was written:
      <Box component="ul" sx={{ m: 0, mt: 1, pl: 3 }}>
        {result.problems.map((p) => (
          <li key={`${p.seq}-${p.message}`}>
            Entry {p.seq}: {p.message}
          </li>
        ))}
      </Box>
    </Alert>
  );
}
