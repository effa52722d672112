import FolderOpenOutlinedIcon from '@mui/icons-material/FolderOpenOutlined';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import { useState, type ReactNode } from 'react';
import type { Params } from '../../../shared/rpc.js';
import { ferry } from '../client';
import { useAppInfo } from '../core/appInfoStore';
import { MONO } from '../core/theme';
import { ErrorAlert } from './ErrorAlert';
import { FolderBrowserDialog } from './FolderBrowserDialog';

export type FolderPurpose = Params<'dialog.pickFolder'>['purpose'];

export interface FolderFieldProps {
  /** The field's label and accessible name, e.g. "Destination folder". */
  label: string;
  /** The chosen folder ('' for none). */
  value: string;
  /** Called with the chosen folder, or the typed one when the field is left or Enter is pressed ('' for none). */
  onChange: (path: string) => void;
  purpose: FolderPurpose;
  /** The picker's title, e.g. "Choose where to write the bundle". */
  dialogTitle: string;
  helperText?: ReactNode;
  error?: boolean;
  disabled?: boolean;
  /** Enter in the text field, after the typed folder was reported. */
  onSubmit?: () => void;
}

/**
 * A folder: chosen with "Browse…" (the native dialog in Electron, the host's folder browser
 * otherwise), or typed. In the browser host a typed folder is reported as it stands when the field
 * is left or Enter is pressed (the engine checks it where it is used, and says so there); in Electron the
 * field is read-only and Browse… is the way, because there the native dialog grants the folder.
 */
export function FolderField({ label, value, onChange, purpose, dialogTitle, helperText, error, disabled, onSubmit }: FolderFieldProps) {
  const nativeDialogs = useAppInfo((s) => s.info?.nativeDialogs ?? false);
  const [browsing, setBrowsing] = useState(false);
  const [draft, setDraft] = useState(value);
  const [pickError, setPickError] = useState<unknown>(null);

  // The store's value wins whenever it changes (a default offered, a job reopened, the wizard reset).
  const [shown, setShown] = useState(value);
  if (value !== shown) {
    setShown(value);
    setDraft(value);
  }

  /** Reports the typed folder; returns it. Synchronous, so a button clicked right after typing reads it. */
  function commit(): string {
    const typed = draft.trim();
    if (typed !== value) onChange(typed);
    return typed;
  }

  function choose(path: string) {
    setDraft(path);
    onChange(path);
  }

  async function browse() {
    setPickError(null);
    if (!nativeDialogs) {
      setBrowsing(true);
      return;
    }
    try {
      const { path } = await ferry().call('dialog.pickFolder', { title: dialogTitle, purpose });
      if (path) choose(path);
    } catch (err) {
      setPickError(err);
    }
  }

  return (
    <Box>
      <Stack direction="row" spacing={1} sx={{ alignItems: 'flex-start' }}>
        <TextField
          label={label}
          value={draft}
          onChange={(e) => setDraft(e.target.value)}
          onBlur={() => {
            if (!nativeDialogs) commit();
          }}
          onKeyDown={(e) => {
            if (e.key !== 'Enter') return;
            e.preventDefault();
            if (nativeDialogs) {
              if (value && onSubmit) onSubmit();
              return;
            }
            if (commit()) onSubmit?.();
          }}
          fullWidth
          disabled={disabled}
          error={error}
          helperText={helperText ?? ' '}
          placeholder={nativeDialogs ? 'Choose a folder with Browse…' : 'Type a path or choose with Browse…'}
          slotProps={{ htmlInput: { spellCheck: false, autoComplete: 'off', readOnly: nativeDialogs } }}
          sx={{ '& input': { fontFamily: MONO, fontSize: '0.9rem' } }}
        />
        <Button
          variant="outlined"
          onClick={() => void browse()}
          disabled={disabled}
          startIcon={<FolderOpenOutlinedIcon />}
          aria-label={`Browse for ${label}`}
          sx={{ flexShrink: 0, height: 56 }}
        >
          Browse…
        </Button>
      </Stack>
      {pickError != null && (
        <Box sx={{ mt: 1 }}>
          <ErrorAlert error={pickError} />
        </Box>
      )}
      {!nativeDialogs && (
        <FolderBrowserDialog
          open={browsing}
          title={dialogTitle}
          initialPath={draft.trim() || value}
          onClose={() => setBrowsing(false)}
          onChoose={(path) => {
            setBrowsing(false);
            choose(path);
          }}
        />
      )}
    </Box>
  );
}
