import Inventory2OutlinedIcon from '@mui/icons-material/Inventory2Outlined';
import Alert from '@mui/material/Alert';
import AlertTitle from '@mui/material/AlertTitle';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Paper from '@mui/material/Paper';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useState } from 'react';
import type { Result } from '../../../../shared/rpc.js';
import { CopyBlock } from '../../components/CopyBlock';
import { DateTime } from '../../components/DateTime';
import { Digest } from '../../components/Digest';
import { ErrorAlert } from '../../components/ErrorAlert';
import { FolderField } from '../../components/FolderField';
import { ferry } from '../../client';
import { isoDate } from '../../lib/format';
import { MONO } from '../../core/theme';
import { serverStateChanged } from '../../core/serverState';
import { Term } from '../../components/Term';

type Kit = Result<'ledger.exportKit'>;

/** A kit folder name: no separators, nothing hidden. */
function kitNameProblem(name: string): string | null {
  const n = name.trim();
  if (!n) return 'Give the kit folder a name.';
  if (/[\\/]/.test(n) || n === '.' || n === '..') return 'A name only, without / or \\.';
  if (n.length > 120) return 'At most 120 characters.';
  return null;
}

/** The auditor's kit: the ledger's lines, a signed checkpoint, readable views and VERIFY.sh, in a new folder. */
export function ExportKitPanel() {
  const [destination, setDestination] = useState('');
  const [name, setName] = useState(() => `ferry-ledger-${isoDate()}`);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [kit, setKit] = useState<Kit | null>(null);
  const problem = kitNameProblem(name);

  async function exportKit() {
    setBusy(true);
    setError(null);
    try {
      setKit(await ferry().call('ledger.exportKit', { destination, name: name.trim() }));
      serverStateChanged();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  const head = kit ? kit.head.replace(/^sha256:/, '') : '';

  return (
    <Paper variant="outlined" sx={{ p: { xs: 2, md: 3 } }}>
      <Typography color="text.secondary" sx={{ mb: 2.5, maxWidth: '80ch' }}>
        Writes the auditor's kit into a new folder: <code>ledger.tsv</code> (every line), a checkpoint signed with this site's key, <code>site.pub.pem</code>,
        readable <code>ledger.csv</code> and <code>ledger.json</code>, and <code>VERIFY.sh</code>, which checks it all with sh, sha256sum and openssl alone.
        Exporting the kit is itself recorded in the ledger.
      </Typography>
      <Stack spacing={2} sx={{ maxWidth: 720 }}>
        <FolderField
          label="Kit destination folder"
          value={destination}
          onChange={setDestination}
          purpose="kit"
          dialogTitle="Choose where to write the auditor's kit"
          helperText="The kit folder is created inside this folder (a USB disk, a share)."
          disabled={busy}
        />
        <TextField
          label="Kit folder name"
          value={name}
          onChange={(e) => setName(e.target.value)}
          error={Boolean(problem)}
          helperText={problem ?? (destination ? `Written to ${destination.replace(/[\\/]+$/, '')}/${name.trim()}` : ' ')}
          disabled={busy}
          slotProps={{ htmlInput: { spellCheck: false, autoComplete: 'off' } }}
          sx={{ '& input': { fontFamily: MONO, fontSize: '0.9rem' } }}
        />
        <Box>
          <Button
            variant="contained"
            startIcon={<Inventory2OutlinedIcon />}
            disabled={!destination || Boolean(problem) || busy}
            onClick={() => void exportKit()}
          >
            {busy ? 'Exporting…' : "Export auditor's kit"}
          </Button>
          {!destination && (
            <Typography component="span" variant="body2" color="text.secondary" sx={{ ml: 2 }}>
              Choose the destination folder first.
            </Typography>
          )}
        </Box>
      </Stack>

      {error != null && (
        <Box sx={{ mt: 3 }}>
          <ErrorAlert error={error} title="The auditor's kit was not written">
            <Box sx={{ mt: 0.5 }}>Choose another destination folder or another name, then export again.</Box>
          </ErrorAlert>
        </Box>
      )}

      {kit && (
        <Box sx={{ mt: 3 }}>
          <Alert severity="success" role="status">
            <AlertTitle>The auditor's kit is written</AlertTitle>
            {kit.files.length} files, covering {kit.count} ledger entr{kit.count === 1 ? 'y' : 'ies'}, checkpoint signed <DateTime iso={kit.time} />.
          </Alert>
          <Box
            component="dl"
            sx={{ display: 'grid', gridTemplateColumns: { xs: '1fr', md: '180px minmax(0, 1fr)' }, columnGap: 2, rowGap: 1, m: 0, mt: 2, alignItems: 'center' }}
          >
            <Term>Kit folder</Term>
            <Box component="dd" sx={{ m: 0 }}>
              <Digest value={kit.dir} label="kit folder path" size="body" />
            </Box>
            <Term>Files</Term>
            <Box component="dd" sx={{ m: 0, fontFamily: MONO, fontSize: '0.875rem', overflowWrap: 'anywhere' }}>
              {kit.files.join(', ')}
            </Box>
            <Term>Entries (count)</Term>
            <Box component="dd" sx={{ m: 0, fontVariantNumeric: 'tabular-nums' }}>
              {kit.count}
            </Box>
            <Term>Head</Term>
            <Box component="dd" sx={{ m: 0 }}>
              <Digest value={kit.head} label="kit checkpoint head" size="body" />
            </Box>
            <Term>Signed by</Term>
            <Box component="dd" sx={{ m: 0 }}>
              <Digest value={kit.fingerprint} label="kit signer fingerprint" size="body" />
            </Box>
          </Box>

          <Typography sx={{ mt: 3, mb: 0.75 }}>
            Auditors run:{' '}
            <Typography component="span" variant="body2" color="text.secondary">
              (in the kit folder; it prints the count, the head and OK)
            </Typography>
          </Typography>
          <CopyBlock text="sh VERIFY.sh" label="auditor's verify command" />
          <Typography sx={{ mt: 2, mb: 0.75 }}>
            Later, check the ledger only grew:{' '}
            <Typography component="span" variant="body2" color="text.secondary">
              (keep the count and head, e.g. on a signed review form, and run this in a later kit)
            </Typography>
          </Typography>
          <CopyBlock text={`sh VERIFY.sh ${kit.count} ${head}`} label="ledger growth check command" />
        </Box>
      )}
    </Paper>
  );
}
