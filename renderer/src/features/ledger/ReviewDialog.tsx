import Alert from '@mui/material/Alert';
import AlertTitle from '@mui/material/AlertTitle';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
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
import type { Result, SignAs } from '../../../../shared/rpc.js';
import { Digest } from '../../components/Digest';
import { ErrorAlert } from '../../components/ErrorAlert';
import { ferry } from '../../client';
import { EMPTY_SIGN_AS, SignAsFields, signAsReady } from '../../domain/people/SignAsFields';
import { serverStateChanged } from '../../core/serverState';
import { useOnOpen } from '../../components/useOnOpen';
import { ConfirmActions } from '../../components/ConfirmActions';

type ReviewResult = 'no-findings' | 'findings';

/** A line number typed into a field: '' (open), a positive whole number, or a problem. */
function lineOf(text: string): { value?: number; problem?: string } {
  const t = text.trim();
  if (!t) return {};
  if (!/^\d+$/.test(t) || Number(t) < 1) return { problem: 'A ledger line number: 1, 2, 3, …' };
  return { value: Number(t) };
}

/** review.signed: an enrolled reviewer signs off a range of ledger lines, with or without findings, with their passphrase. */
export function ReviewDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const [signedBy, setSignedBy] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [result, setResult] = useState<ReviewResult | ''>('');
  const [notes, setNotes] = useState('');
  const [reviewer, setReviewer] = useState<SignAs>(EMPTY_SIGN_AS);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [recorded, setRecorded] = useState<Result<'ledger.review'> | null>(null);
  const titleId = useId();
  const resultLabelId = useId();

  useOnOpen(open, () => {
    setFrom('');
    setTo('');
    setResult('');
    setNotes('');
    setReviewer(EMPTY_SIGN_AS);
    setError(null);
    setRecorded(null);
  });

  const fromLine = lineOf(from);
  const toLine = lineOf(to);
  const rangeProblem =
    fromLine.value !== undefined && toLine.value !== undefined && fromLine.value > toLine.value ? 'The last line is before the first.' : null;
  const notesNeeded = result === 'findings' && !notes.trim();
  const ready = Boolean(result) && !fromLine.problem && !toLine.problem && !rangeProblem && !notesNeeded && signAsReady(reviewer);

  async function record() {
    if (!result) return;
    setBusy(true);
    setError(null);
    try {
      const answer = await ferry().call('ledger.review', {
        ...(fromLine.value !== undefined ? { from: fromLine.value } : {}),
        ...(toLine.value !== undefined ? { to: toLine.value } : {}),
        result,
        notes: notes.trim(),
        as: reviewer,
      });
      setRecorded(answer);
      setSignedBy(reviewer.name);
      serverStateChanged();
    } catch (err) {
      setError(err);
      setReviewer((r) => ({ ...r, passphrase: '' }));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Dialog open={open} onClose={busy ? undefined : onClose} aria-labelledby={titleId} fullWidth maxWidth="sm">
      <DialogTitle id={titleId}>Record a review sign-off</DialogTitle>
      <DialogContent dividers>
        {recorded ? (
          <Stack spacing={2}>
            <Alert severity="success" role="status">
              <AlertTitle>Recorded as ledger line {recorded.seq}</AlertTitle>
              Lines {recorded.from} to {recorded.to} reviewed and signed by {signedBy}. Head at sign-off:{' '}
              <Digest value={recorded.head} label="head at sign-off" />
            </Alert>
            {!recorded.chainOk && (
              <Alert severity="error">
                <AlertTitle>The hash chain did not verify at sign-off</AlertTitle>
                Use Verify chain on the Ledger page to see which entries are affected, and record them as findings.
              </Alert>
            )}
          </Stack>
        ) : (
          <Stack spacing={2.5}>
            <DialogContentText>
              Signs off the ledger lines the reviewer checked, with the reviewer's own passphrase. Leave both lines empty to cover everything since the last
              review, up to now.
            </DialogContentText>
            <Stack direction="row" spacing={2}>
              <TextField
                label="From line"
                value={from}
                onChange={(e) => setFrom(e.target.value)}
                error={Boolean(fromLine.problem)}
                helperText={fromLine.problem ?? 'Empty: after the last review'}
                slotProps={{ htmlInput: { inputMode: 'numeric' } }}
                fullWidth
              />
              <TextField
                label="To line"
                value={to}
                onChange={(e) => setTo(e.target.value)}
                error={Boolean(toLine.problem || rangeProblem)}
                helperText={toLine.problem ?? rangeProblem ?? 'Empty: the latest line'}
                slotProps={{ htmlInput: { inputMode: 'numeric' } }}
                fullWidth
              />
            </Stack>
            <FormControl>
              <FormLabel id={resultLabelId} sx={{ color: 'text.primary', fontWeight: 600 }}>
                Result
              </FormLabel>
              <RadioGroup row aria-labelledby={resultLabelId} value={result} onChange={(e) => setResult(e.target.value as ReviewResult)}>
                <FormControlLabel value="no-findings" control={<Radio />} label="No findings" />
                <FormControlLabel value="findings" control={<Radio />} label="Findings" />
              </RadioGroup>
            </FormControl>
            <TextField
              label="Notes"
              multiline
              minRows={3}
              maxRows={10}
              value={notes}
              onChange={(e) => setNotes(e.target.value)}
              helperText={result === 'findings' ? 'Describe the findings: which lines, what you saw, what follows.' : 'Optional: what you checked.'}
              error={notesNeeded && notes.length > 0}
              slotProps={{ htmlInput: { maxLength: 4000 } }}
              fullWidth
            />
            <SignAsFields value={reviewer} onChange={setReviewer} label="Reviewer" disabled={busy} />
            {error != null && (
              <ErrorAlert error={error} title="The review was not recorded">
                <Box sx={{ mt: 0.5 }}>Check the line numbers and the reviewer's passphrase, then record again.</Box>
              </ErrorAlert>
            )}
          </Stack>
        )}
      </DialogContent>
      {recorded ? (
        <DialogActions sx={{ px: 3, py: 1.5 }}>
          <Button variant="contained" onClick={onClose}>
            Close
          </Button>
        </DialogActions>
      ) : (
        <ConfirmActions onCancel={onClose} onConfirm={() => void record()} busy={busy} ready={ready} label="Record sign-off" busyLabel="Recording…" />
      )}
    </Dialog>
  );
}
