import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Checkbox from '@mui/material/Checkbox';
import FormControlLabel from '@mui/material/FormControlLabel';
import FormHelperText from '@mui/material/FormHelperText';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useId } from 'react';
import type { BundleArtifact } from '../../../../shared/bundle.js';
import { MONO } from '../../core/theme';
import { parseTarget } from '../../domain/registry/relocation';
import { RegistryAccessFields } from '../../domain/registry/RegistryAccessFields';
import { ConnectionTestResult } from './ConnectionTestResult';
import { DestinationsPreview } from './DestinationsPreview';
import { loginProblem, useImport } from './importStore';

/** The registry target: where, who, how to connect, a connection test and where each artifact will go. */
export function RegistryTargetFields({ artifacts }: { artifacts: BundleArtifact[] }) {
  const { registry: form, access, testing } = useImport();
  const { updateRegistry, updateAccess, testConnection } = useImport.getState();
  const rememberId = useId();
  const target = parseTarget(form.target);
  const badTarget = form.target.trim() !== '' && !target;
  const halfLogin = loginProblem(form);

  return (
    <Stack spacing={2.5}>
      <TextField
        label="Registry and prefix"
        value={form.target}
        onChange={(e) => updateRegistry({ target: e.target.value })}
        error={badTarget}
        helperText={
          badTarget
            ? 'Not a registry: give HOST[:PORT][/PREFIX], lowercase path parts, e.g. harbor.internal/airgap.'
            : 'HOST[:PORT][/PREFIX], e.g. harbor.internal/airgap. Every artifact goes under the prefix.'
        }
        placeholder="harbor.internal/airgap"
        slotProps={{ htmlInput: { spellCheck: false, autoComplete: 'off', autoCapitalize: 'off' } }}
        sx={{ maxWidth: 720, '& input': { fontFamily: MONO } }}
      />

      <Box>
        <Stack direction={{ xs: 'column', md: 'row' }} spacing={2} sx={{ maxWidth: 720 }}>
          <TextField
            label="Username"
            value={form.username}
            onChange={(e) => updateRegistry({ username: e.target.value })}
            error={halfLogin === 'Give the username too.'}
            fullWidth
            slotProps={{ htmlInput: { spellCheck: false, autoComplete: 'username', autoCapitalize: 'off' } }}
          />
          <TextField
            label="Password"
            type="password"
            value={form.password}
            onChange={(e) => updateRegistry({ password: e.target.value })}
            error={halfLogin === 'Give the password too.'}
            fullWidth
            slotProps={{ htmlInput: { autoComplete: 'current-password' } }}
          />
        </Stack>
        <FormHelperText error={Boolean(halfLogin)} sx={{ mx: 1.75 }}>
          {halfLogin ??
            "Leave both empty to use credentials remembered in Ferry, then docker's config.json, else anonymous access. A robot account and its token work too."}
        </FormHelperText>
        <FormControlLabel
          sx={{ mt: 0.5 }}
          control={
            <Checkbox
              checked={form.remember}
              disabled={!form.username.trim() || !form.password}
              onChange={(e) => updateRegistry({ remember: e.target.checked })}
              slotProps={{ input: { 'aria-describedby': rememberId } }}
            />
          }
          label="Remember credentials"
        />
        <FormHelperText id={rememberId} sx={{ mt: -0.75, ml: 4 }}>
          For later imports to this registry. Where they are kept shows after Test connection.
        </FormHelperText>
      </Box>

      <RegistryAccessFields value={access} onChange={updateAccess} />

      <Box>
        <Button variant="outlined" onClick={() => void testConnection()} disabled={!target || Boolean(halfLogin) || testing}>
          {testing ? 'Testing…' : 'Test connection'}
        </Button>
      </Box>
      <ConnectionTestResult />

      {target && artifacts.length > 0 && (
        <Box>
          <Typography variant="h3" component="h4" sx={{ mb: 0.5, fontSize: '1rem' }}>
            Where artifacts will go
          </Typography>
          <DestinationsPreview artifacts={artifacts} target={target} />
        </Box>
      )}
    </Stack>
  );
}
