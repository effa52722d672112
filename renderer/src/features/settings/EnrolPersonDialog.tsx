import Dialog from '@mui/material/Dialog';
import DialogContent from '@mui/material/DialogContent';
import DialogContentText from '@mui/material/DialogContentText';
import DialogTitle from '@mui/material/DialogTitle';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import { useId, useState } from 'react';
import type { PersonRecord, SignAs } from '../../../../shared/rpc.js';
import { MIN_PASSPHRASE } from '../../../../shared/passphrase.js';
import { ferry } from '../../client';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useOnOpen } from '../../components/useOnOpen';
import { EMPTY_SIGN_AS, SignAsFields, signAsReady } from '../../domain/people/SignAsFields';
import { ConfirmActions } from '../../components/ConfirmActions';

export interface EnrolPersonDialogProps {
  open: boolean;
  twoPersonRule: boolean;
  enrolledCount: number;
  onClose: () => void;
  onEnrolled: (person: PersonRecord) => void;
}

/** A new person: name, role and their own passphrase (typed twice); a second person signs it while the two-person rule is on. */
export function EnrolPersonDialog({ open, twoPersonRule, enrolledCount, onClose, onEnrolled }: EnrolPersonDialogProps) {
  const [name, setName] = useState('');
  const [role, setRole] = useState('');
  const [passphrase, setPassphrase] = useState('');
  const [again, setAgain] = useState('');
  const [sponsor, setSponsor] = useState<SignAs>(EMPTY_SIGN_AS);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const titleId = useId();
  const needsSponsor = twoPersonRule && enrolledCount >= 2;
  useOnOpen(open, () => {
    setName('');
    setRole('');
    setPassphrase('');
    setAgain('');
    setSponsor(EMPTY_SIGN_AS);
    setError(null);
  });

  const tooShort = passphrase !== '' && passphrase.length < MIN_PASSPHRASE;
  const mismatch = again !== '' && again !== passphrase;
  const ready =
    name.trim() !== '' && role.trim() !== '' && passphrase.length >= MIN_PASSPHRASE && again === passphrase && (!needsSponsor || signAsReady(sponsor));

  async function enrol() {
    setBusy(true);
    setError(null);
    try {
      const person = await ferry().call('people.add', { name: name.trim(), role: role.trim(), passphrase, ...(needsSponsor ? { sponsor } : {}) });
      onEnrolled(person);
    } catch (err) {
      setError(err);
      setSponsor((s) => ({ ...s, passphrase: '' }));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Dialog open={open} onClose={busy ? undefined : onClose} aria-labelledby={titleId} fullWidth maxWidth="sm">
      <DialogTitle id={titleId}>Enrol a person</DialogTitle>
      <DialogContent dividers>
        <Stack spacing={2}>
          <DialogContentText>
            Ferry makes a personal key for this person, sealed with a passphrase only they know. Hand them the keyboard to type it. Nobody can recover a
            forgotten passphrase: the person is then removed and enrolled again.
          </DialogContentText>
          <TextField
            label="Name"
            value={name}
            onChange={(e) => setName(e.target.value)}
            required
            disabled={busy}
            slotProps={{ htmlInput: { maxLength: 120 } }}
          />
          <TextField
            label="Role"
            value={role}
            onChange={(e) => setRole(e.target.value)}
            required
            disabled={busy}
            helperText="For example: security officer, field engineer."
            slotProps={{ htmlInput: { maxLength: 60 } }}
          />
          <TextField
            label="Passphrase"
            type="password"
            value={passphrase}
            onChange={(e) => setPassphrase(e.target.value)}
            required
            disabled={busy}
            error={tooShort}
            helperText={tooShort ? `At least ${MIN_PASSPHRASE} characters.` : 'Typed by the person being enrolled.'}
            slotProps={{ htmlInput: { autoComplete: 'new-password', maxLength: 1024 } }}
          />
          <TextField
            label="Passphrase again"
            type="password"
            value={again}
            onChange={(e) => setAgain(e.target.value)}
            required
            disabled={busy}
            error={mismatch}
            helperText={mismatch ? 'The two passphrases differ.' : ' '}
            slotProps={{ htmlInput: { autoComplete: 'new-password', maxLength: 1024 } }}
          />
          {needsSponsor && (
            <>
              <DialogContentText>The two-person rule is on: an enrolled person signs this enrolment with their passphrase.</DialogContentText>
              <SignAsFields value={sponsor} onChange={setSponsor} label="Enrolment signed by" disabled={busy} />
            </>
          )}
          {error != null && <ErrorAlert error={error} title="The person was not enrolled" />}
        </Stack>
      </DialogContent>
      <ConfirmActions onCancel={onClose} onConfirm={() => void enrol()} busy={busy} ready={ready} label="Enrol" busyLabel="Enrolling…" />
    </Dialog>
  );
}
