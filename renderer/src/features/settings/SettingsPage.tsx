import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import LinearProgress from '@mui/material/LinearProgress';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useEffect, useState } from 'react';
import type { Result } from '../../../../shared/rpc.js';
import { CopyBlock } from '../../components/CopyBlock';
import { Digest } from '../../components/Digest';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeading } from '../../components/PageHeading';
import { Section } from '../../components/Section';
import { TrustedKeysSection } from './TrustedKeysSection';
import { PeopleSection } from './PeopleSection';
import { TwoPersonRuleSection } from './TwoPersonRuleSection';
import { ferry, useConnection } from '../../client';
import { useAppInfo } from '../../core/appInfoStore';
import { MONO } from '../../core/theme';
import { Term } from '../../components/Term';
import { DispositionDueSection } from './DispositionDueSection';
import { DiagnosticsSection } from './DiagnosticsSection';

/** Settings: who is at the keyboard, the people who sign decisions, the two-person rule, when a medium's disposition is due, this site's key, the keys it trusts. */
export function SettingsPage() {
  return (
    <>
      <PageHeading title="Settings" />
      <Stack spacing={3}>
        <OperatorSection />
        <PeopleSection />
        <TwoPersonRuleSection />
        <DispositionDueSection />
        <KeysSection />
        <AboutSection />
        <DiagnosticsSection />
      </Stack>
    </>
  );
}

function OperatorSection() {
  const operator = useAppInfo((s) => s.info?.operator);
  const [name, setName] = useState(operator?.name ?? '');
  const [role, setRole] = useState(operator?.role ?? '');
  const [saving, setSaving] = useState(false);
  const [saved, setSaved] = useState(false);
  const [error, setError] = useState<unknown>(null);

  // The fields follow the engine's operator when it changes (adjusted while rendering, not in an effect).
  const [seenOperator, setSeenOperator] = useState(operator);
  if (operator !== seenOperator) {
    setSeenOperator(operator);
    if (operator) {
      setName(operator.name);
      setRole(operator.role ?? '');
    }
  }

  const dirty = operator ? name.trim() !== operator.name || role.trim() !== (operator.role ?? '') : false;

  async function save() {
    setSaving(true);
    setSaved(false);
    setError(null);
    try {
      const result = await ferry().call('settings.setOperator', { name: name.trim(), ...(role.trim() ? { role: role.trim() } : {}) });
      useAppInfo.getState().setOperator(result);
      setSaved(true);
    } catch (err) {
      setError(err);
    } finally {
      setSaving(false);
    }
  }

  return (
    <Section title="Operator">
      <Typography color="text.secondary" sx={{ mb: 2, maxWidth: '80ch' }}>
        The person at the keyboard, as the ledger records them on every event. Ferry takes this as asserted; it does not check it.
      </Typography>
      <Stack
        component="form"
        direction={{ xs: 'column', md: 'row' }}
        spacing={2}
        sx={{ alignItems: 'flex-start' }}
        onSubmit={(e) => {
          e.preventDefault();
          if (name.trim() && dirty) void save();
        }}
      >
        <TextField
          label="Operator name"
          value={name}
          onChange={(e) => {
            setName(e.target.value);
            setSaved(false);
          }}
          required
          error={!name.trim()}
          helperText={!name.trim() ? 'A name is required.' : ' '}
          slotProps={{ htmlInput: { maxLength: 120 } }}
          sx={{ minWidth: 280 }}
        />
        <TextField
          label="Role"
          value={role}
          onChange={(e) => {
            setRole(e.target.value);
            setSaved(false);
          }}
          helperText="For example: field engineer, security officer."
          slotProps={{ htmlInput: { maxLength: 60 } }}
          sx={{ minWidth: 280 }}
        />
        <Button type="submit" variant="contained" disabled={!name.trim() || !dirty || saving} sx={{ height: 56 }}>
          {saving ? 'Saving…' : 'Save operator'}
        </Button>
      </Stack>
      {saved && (
        <Alert severity="success" role="status" sx={{ mt: 1 }}>
          Saved. New ledger events name {name.trim()}
          {role.trim() ? ` (${role.trim()})` : ''}.
        </Alert>
      )}
      {error != null && (
        <Box sx={{ mt: 1 }}>
          <ErrorAlert error={error} title="The operator was not saved" />
        </Box>
      )}
    </Section>
  );
}

function KeysSection() {
  const [keys, setKeys] = useState<Result<'keys.show'> | null>(null);
  const [error, setError] = useState<unknown>(null);
  const generation = useConnection((s) => s.generation);

  useEffect(() => {
    let live = true;
    ferry()
      .call('keys.show', {})
      .then(
        (result) => {
          if (!live) return;
          setKeys(result);
          setError(null);
        },
        (err: unknown) => live && setError(err),
      );
    return () => {
      live = false;
    };
  }, [generation]);

  return (
    <>
      <Section title="Site key">
        <Typography color="text.secondary" sx={{ mb: 2, maxWidth: '80ch' }}>
          This site signs every bundle it exports with this key. Give the public key and its fingerprint to the sites that import your bundles, through a
          channel other than the bundle itself (the transfer form, a phone call).
        </Typography>
        {!keys && error == null && <LinearProgress aria-label="Loading keys" />}
        {error != null && <ErrorAlert error={error} title="Cannot read the keys" />}
        {keys && (
          <Stack spacing={2}>
            <Box>
              <Typography variant="body2" color="text.secondary" sx={{ mb: 0.5 }}>
                Fingerprint (SHA-256 of the public key)
              </Typography>
              <Digest value={keys.fingerprint} label="site key fingerprint" size="body" />
            </Box>
            <Box>
              <Typography variant="body2" color="text.secondary" sx={{ mb: 0.5 }}>
                Public key (PEM)
              </Typography>
              <CopyBlock text={keys.publicKeyPem.trimEnd()} label="public key" />
            </Box>
          </Stack>
        )}
      </Section>

      <TrustedKeysSection />
    </>
  );
}

function AboutSection() {
  const info = useAppInfo((s) => s.info);
  if (!info) return null;
  return (
    <Section title="This installation">
      <Box component="dl" sx={{ display: 'grid', gridTemplateColumns: '200px 1fr', columnGap: 2, rowGap: 1, m: 0 }}>
        <Term>Ferry version</Term>
        <Typography component="dd" sx={{ m: 0 }}>
          {info.version} (commit <code>{info.commit.slice(0, 12)}</code>), on Node {info.node}
        </Typography>
        <Term>Data folder</Term>
        <Typography component="dd" sx={{ m: 0, fontFamily: MONO, fontSize: '0.875rem' }}>
          {info.home}
        </Typography>
        <Term>Default Ollama store</Term>
        <Typography component="dd" sx={{ m: 0, fontFamily: MONO, fontSize: '0.875rem' }}>
          {info.defaultOllamaStore}
        </Typography>
        <Term>Running as</Term>
        <Typography component="dd" sx={{ m: 0 }}>
          {info.transport === 'electron' ? 'Desktop app' : 'Browser host on this machine'}
        </Typography>
      </Box>
    </Section>
  );
}
