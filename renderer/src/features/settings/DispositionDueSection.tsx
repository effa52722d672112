import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useState } from 'react';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Section } from '../../components/Section';
import { ferry } from '../../client';
import { useAppInfo } from '../../core/appInfoStore';
import { queryClient } from '../../core/serverState';

const MAX_DAYS = 3650;

/** When Home asks for a medium's disposition: the site's number of days, recorded in the ledger when changed. */
export function DispositionDueSection() {
  const days = useAppInfo((s) => s.info?.dispositionDueDays);
  const [typed, setTyped] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [saved, setSaved] = useState<number | null>(null);
  const [error, setError] = useState<unknown>(null);

  const text = typed ?? (days === undefined ? '' : String(days));
  const value = Number(text);
  const valid = /^[0-9]+$/.test(text) && value >= 1 && value <= MAX_DAYS;
  const dirty = days !== undefined && valid && value !== days;

  async function save() {
    setSaving(true);
    setSaved(null);
    setError(null);
    try {
      const result = await ferry().call('settings.setDispositionDueDays', { days: value });
      useAppInfo.setState((s) => (s.info ? { info: { ...s.info, dispositionDueDays: result.days } } : s));
      setTyped(null);
      setSaved(result.days);
      await queryClient.invalidateQueries({ queryKey: ['ledger.attention'] });
    } catch (err) {
      setError(err);
    } finally {
      setSaving(false);
    }
  }

  return (
    <Section title="Media disposition">
      <Typography color="text.secondary" sx={{ mb: 2, maxWidth: '80ch' }}>
        Home asks what became of a medium (returned, retained, sanitized or destroyed) once this site records the import of its bundle, or this many days after
        the medium was first written, read back or handed over. Changing it is recorded in the ledger.
      </Typography>
      <Stack
        component="form"
        direction={{ xs: 'column', md: 'row' }}
        spacing={2}
        sx={{ alignItems: 'flex-start' }}
        onSubmit={(e) => {
          e.preventDefault();
          if (dirty) void save();
        }}
      >
        <TextField
          label="Days until a disposition is due"
          value={text}
          disabled={days === undefined}
          onChange={(e) => {
            setTyped(e.target.value.trim());
            setSaved(null);
          }}
          error={!valid && text !== ''}
          helperText={valid || text === '' ? `1 to ${MAX_DAYS} days.` : `Type a whole number of days from 1 to ${MAX_DAYS}.`}
          slotProps={{ htmlInput: { inputMode: 'numeric', pattern: '[0-9]*', maxLength: 4 } }}
          sx={{ width: 280 }}
        />
        <Button type="submit" variant="contained" disabled={!dirty || saving} sx={{ height: 56 }}>
          {saving ? 'Saving…' : 'Save days'}
        </Button>
      </Stack>
      {saved !== null && (
        <Alert severity="success" role="status" sx={{ mt: 1 }}>
          Saved. A medium&apos;s disposition is now due {saved} day{saved === 1 ? '' : 's'} after it is first noted. The change is recorded in the ledger.
        </Alert>
      )}
      {error != null && (
        <Box sx={{ mt: 1 }}>
          <ErrorAlert error={error} title="The days were not saved" />
        </Box>
      )}
    </Section>
  );
}
