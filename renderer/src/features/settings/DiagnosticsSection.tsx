import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import Checkbox from '@mui/material/Checkbox';
import FormControlLabel from '@mui/material/FormControlLabel';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { useState } from 'react';
import type { Result } from '../../../../shared/rpc.js';
import { ferry } from '../../client';
import { Digest } from '../../components/Digest';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Section } from '../../components/Section';
import { downloadBase64 } from '../../lib/download';

/** One archive to send to whoever supports this site, saved as a download; never a password, token or passphrase. */
export function DiagnosticsSection() {
  const [withLedger, setWithLedger] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [made, setMade] = useState<Omit<Result<'app.diagnostics'>, 'base64'> | null>(null);

  async function save() {
    setBusy(true);
    setError(null);
    try {
      const result = await ferry().call('app.diagnostics', withLedger ? { withLedger: true } : {});
      downloadBase64(result.name, result.base64, 'application/gzip');
      const { base64: _saved, ...shown } = result;
      setMade(shown);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <Section title="Diagnostics for support">
      <Typography color="text.secondary" sx={{ maxWidth: '80ch', mb: 1 }}>
        One archive for whoever supports this site: Ferry's and Node's versions, the platform, settings, every job's state and last error, the ledger's line
        count and head, the last failures and the free space of the folders Ferry uses. It never holds a password, token, passphrase or key. Read it before you
        send it.
      </Typography>
      <Stack direction="row" spacing={2} sx={{ alignItems: 'center', flexWrap: 'wrap', rowGap: 1 }}>
        <FormControlLabel
          control={<Checkbox checked={withLedger} onChange={(e) => setWithLedger(e.target.checked)} />}
          label="Include the newest ledger lines (they name bundles, people and media)"
        />
        <Button variant="outlined" disabled={busy} onClick={() => void save()}>
          Save diagnostics
        </Button>
      </Stack>
      {error != null && <ErrorAlert error={error} title="Cannot make the diagnostics archive" />}
      {made && (
        <Alert severity="success" role="status" sx={{ mt: 1.5 }} onClose={() => setMade(null)}>
          Saved {made.name} ({made.bytes.toLocaleString()} bytes) to your downloads: {made.entries.length} files.{' '}
          <Digest value={made.sha256} label="SHA-256 of the diagnostics archive" />
        </Alert>
      )}
    </Section>
  );
}
