import FolderOpenOutlinedIcon from '@mui/icons-material/FolderOpenOutlined';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import { useEffect, useRef, useState, type ReactNode } from 'react';
import type { ErrorEnvelope } from '../../../shared/errors.js';
import type { Params } from '../../../shared/rpc.js';
import { ferry, toErrorEnvelope } from '../client';
import { useAppInfo } from '../shell/appInfoStore';
import { MONO } from '../shell/theme';
import { trackFolderCheck } from '../lib/pendingFolders';
import { ErrorAlert } from './ErrorAlert';
import { FolderBrowserDialog } from './FolderBrowserDialog';

export type FolderPurpose = Params<'dialog.pickFolder'>['purpose'];

export interface FolderFieldProps {
  /** The field's label and accessible name, e.g. "Destination folder". */
  label: string;
  /** The chosen folder ('' for none). */
  value: string;
  /** Called with a folder the engine accepts (chosen, or typed and then checked), or '' when a typed one is not usable. */
  onChange: (path: string) => void;
  purpose: FolderPurpose;
  /** The picker's title, e.g. "Choose where to write the bundle". */
  dialogTitle: string;
  helperText?: ReactNode;
  error?: boolean;
  disabled?: boolean;
  /** Enter in the text field, after the typed folder was accepted. */
  onSubmit?: () => void;
}

/**
 * A folder: chosen with "Browse…" (the native dialog in Electron, the host's folder browser
 * otherwise), or typed. The engine accepts only folders handed out by its pickers, so in the browser
 * host a typed path is looked up with fs.list when the field is left (or on Enter), which both
 * checks and grants it; in Electron the field is read-only and Browse… is the way.
 */
export function FolderField({ label, value, onChange, purpose, dialogTitle, helperText, error, disabled, onSubmit }: FolderFieldProps) {
  const nativeDialogs = useAppInfo((s) => s.info?.nativeDialogs ?? false);
  const [browsing, setBrowsing] = useState(false);
  const [draft, setDraft] = useState(value);
  const [checking, setChecking] = useState(false);
  const [problem, setProblem] = useState<ErrorEnvelope | null>(null);
  const [pickError, setPickError] = useState<unknown>(null);
  /** The last value this field reported, so a '' it reported does not wipe what the user typed. */
  const reported = useRef<string | null>(null);

  useEffect(() => {
    if (reported.current !== null && value === reported.current) return;
    reported.current = null;
    setDraft(value);
    setProblem(null);
  }, [value]);

  function report(path: string) {
    reported.current = path;
    onChange(path);
  }

  /** Checks a typed path with the engine (browser host); resolves true when it was accepted. */
  function commit(): Promise<boolean> {
    return trackFolderCheck(check());
  }

  async function check(): Promise<boolean> {
    const typed = draft.trim();
    if (typed === value && !problem) return Boolean(typed);
    if (!typed) {
      setProblem(null);
      report('');
      return false;
    }
    setChecking(true);
    try {
      const listing = await ferry().call('fs.list', { path: typed });
      setProblem(null);
      setDraft(listing.path);
      report(listing.path);
      return true;
    } catch (err) {
      setProblem(toErrorEnvelope(err));
      report('');
      return false;
    } finally {
      setChecking(false);
    }
  }

  async function browse() {
    setPickError(null);
    if (!nativeDialogs) {
      setBrowsing(true);
      return;
    }
    try {
      const { path } = await ferry().call('dialog.pickFolder', { title: dialogTitle, purpose });
      if (path) {
        setDraft(path);
        setProblem(null);
        report(path);
      }
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
            if (!nativeDialogs) void commit();
          }}
          onKeyDown={(e) => {
            if (e.key !== 'Enter') return;
            e.preventDefault();
            if (nativeDialogs) {
              if (value && onSubmit) onSubmit();
              return;
            }
            void commit().then((ok) => ok && onSubmit?.());
          }}
          fullWidth
          disabled={disabled}
          error={error || Boolean(problem)}
          helperText={checking ? 'Checking the folder…' : problem ? ' ' : (helperText ?? ' ')}
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
      {problem && (
        <Box sx={{ mt: 1 }}>
          <ErrorAlert error={problem} title={`${label}: cannot use this folder`}>
            <Box sx={{ mt: 0.5 }}>Check the path, or choose the folder with Browse….</Box>
          </ErrorAlert>
        </Box>
      )}
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
            setDraft(path);
            setProblem(null);
            report(path);
          }}
        />
      )}
    </Box>
  );
}
