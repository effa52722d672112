import Autocomplete from '@mui/material/Autocomplete';
import Box from '@mui/material/Box';
import Dialog from '@mui/material/Dialog';
import DialogContent from '@mui/material/DialogContent';
import DialogContentText from '@mui/material/DialogContentText';
import DialogTitle from '@mui/material/DialogTitle';
import FormControl from '@mui/material/FormControl';
import FormControlLabel from '@mui/material/FormControlLabel';
import FormLabel from '@mui/material/FormLabel';
import Radio from '@mui/material/Radio';
import RadioGroup from '@mui/material/RadioGroup';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import { useId, useState } from 'react';
import type { SignAs, TransferReport } from '../../../../../shared/rpc.js';
import { OptionalSignature, signatureProblem } from '../../../domain/people/OptionalSignature';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { ferry } from '../../../client';
import { DISPOSITION_ACTIONS, DISPOSITION_LABELS, type DispositionAction } from '../../../domain/ledger/labels';
import { useOnOpen } from '../../../components/useOnOpen';
import { ConfirmActions } from '../../../components/ConfirmActions';

export interface DispositionDialogProps {
  open: boolean;
  report: TransferReport;
  onClose: () => void;
  onRecorded: (seq: number, media: string, action: DispositionAction) => void;
}

const METHOD_HINTS: Record<DispositionAction, string> = {
  returned: 'e.g. handed back to the courier, returned to the media store',
  retained: 'e.g. kept in the safe, room 2.14, as evidence',
  sanitized: 'e.g. NIST SP 800-88 purge with shred -n 3, full overwrite',
  destroyed: 'e.g. shredded, degaussed, disc cut in pieces',
};

/** media.disposition: what became of one medium afterwards, and who saw it done. */
export function DispositionDialog({ open, report, onClose, onRecorded }: DispositionDialogProps) {
  const undisposed = report.media.filter((m) => !m.disposition);
  const [medium, setMedium] = useState('');
  const [action, setAction] = useState<DispositionAction | ''>('');
  const [method, setMethod] = useState('');
  const [verifierName, setVerifierName] = useState('');
  const [verifierRole, setVerifierRole] = useState('');
  const [notes, setNotes] = useState('');
  const [witness, setWitness] = useState<SignAs | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const titleId = useId();
  const actionLabelId = useId();

  useOnOpen(open, () => {
    setMedium(undisposed.length === 1 ? undisposed[0]!.id : report.media.length === 1 ? report.media[0]!.id : '');
    setAction('');
    setMethod('');
    setVerifierName('');
    setVerifierRole('');
    setNotes('');
    setWitness(null);
    setError(null);
  });

  const roleWithoutName = Boolean(verifierRole.trim() && !verifierName.trim());
  const ready = Boolean(medium.trim() && action && method.trim()) && !roleWithoutName && !signatureProblem(witness, 'witness');

  async function record() {
    if (!action) return;
    setBusy(true);
    setError(null);
    try {
      const { seq } = await ferry().call('media.dispose', {
        bundle: report.bundle,
        media: medium.trim(),
        action,
        method: method.trim(),
        ...(verifierName.trim() && !witness
          ? { verifiedBy: { name: verifierName.trim(), ...(verifierRole.trim() ? { role: verifierRole.trim() } : {}) } }
          : {}),
        notes: notes.trim(),
        ...(witness ? { witness } : {}),
      });
      onRecorded(seq, medium.trim(), action);
    } catch (err) {
      setError(err);
      setWitness((w) => (w ? { ...w, passphrase: '' } : w));
    } finally {
      setBusy(false);
    }
  }

  const known = report.media.find((m) => m.id === medium.trim());

  return (
    <Dialog open={open} onClose={busy ? undefined : onClose} aria-labelledby={titleId} fullWidth maxWidth="sm">
      <DialogTitle id={titleId}>Record a disposition</DialogTitle>
      <DialogContent dividers>
        <Stack spacing={2.5}>
          <DialogContentText>
            What became of a medium that carried this bundle: returned, retained, sanitized or destroyed, how, and who saw it done.
          </DialogContentText>
          <Autocomplete
            freeSolo
            options={report.media.map((m) => m.id)}
            inputValue={medium}
            onInputChange={(_e, value) => setMedium(value)}
            renderOption={(props, id) => {
              const { key, ...rest } = props as typeof props & { key: string };
              const m = report.media.find((x) => x.id === id);
              return (
                <li key={key} {...rest}>
                  {id}
                  {m?.label ? ` — ${m.label}` : ''}
                  {m?.disposition ? ` (already ${m.disposition})` : ''}
                </li>
              );
            }}
            renderInput={(params) => (
              <TextField
                {...params}
                label="Medium"
                required
                helperText={
                  known
                    ? [known.label, known.seal ? `seal ${known.seal}` : null, known.disposition ? `already recorded as ${known.disposition}` : null]
                        .filter(Boolean)
                        .join(' · ') || ' '
                    : report.media.length > 0
                      ? 'Choose one of this bundle’s media, or type its serial number or asset tag.'
                      : 'Type the medium’s serial number or asset tag.'
                }
              />
            )}
          />
          <FormControl required>
            <FormLabel id={actionLabelId} sx={{ color: 'text.primary', fontWeight: 600 }}>
              Action
            </FormLabel>
            <RadioGroup row aria-labelledby={actionLabelId} value={action} onChange={(e) => setAction(e.target.value as DispositionAction)}>
              {DISPOSITION_ACTIONS.map((a) => (
                <FormControlLabel key={a} value={a} control={<Radio />} label={DISPOSITION_LABELS[a]} />
              ))}
            </RadioGroup>
          </FormControl>
          <TextField
            label="Method"
            required
            value={method}
            onChange={(e) => setMethod(e.target.value)}
            helperText={action ? METHOD_HINTS[action] : 'How it was done.'}
            fullWidth
          />
          <OptionalSignature value={witness} onChange={setWitness} offer="The witness signs with their passphrase" label="Witness" disabled={busy} />
          <Stack direction={{ xs: 'column', sm: 'row' }} spacing={2} sx={{ display: witness ? 'none' : undefined }}>
            <TextField
              label="Verified by (name)"
              value={verifierName}
              onChange={(e) => setVerifierName(e.target.value)}
              helperText="A second person who saw it done (optional)"
              fullWidth
            />
            <TextField
              label="Verified by (role)"
              value={verifierRole}
              onChange={(e) => setVerifierRole(e.target.value)}
              error={roleWithoutName}
              helperText={roleWithoutName ? 'Give the name too.' : ' '}
              fullWidth
            />
          </Stack>
          <TextField
            label="Notes"
            multiline
            minRows={2}
            maxRows={8}
            value={notes}
            onChange={(e) => setNotes(e.target.value)}
            slotProps={{ htmlInput: { maxLength: 2000 } }}
            fullWidth
          />
          {error != null && (
            <ErrorAlert error={error} title="The disposition was not recorded">
              <Box sx={{ mt: 0.5 }}>Check the medium and the method, then record again.</Box>
            </ErrorAlert>
          )}
        </Stack>
      </DialogContent>
      <ConfirmActions onCancel={onClose} onConfirm={() => void record()} busy={busy} ready={ready} label="Record disposition" busyLabel="Recording…" />
    </Dialog>
  );
}
