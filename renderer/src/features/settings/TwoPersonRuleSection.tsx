import Alert from '@mui/material/Alert';
import AlertTitle from '@mui/material/AlertTitle';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { ferry, useConnection } from '../../client';
import { DateTime } from '../../components/DateTime';
import { Section } from '../../components/Section';
import { useAppInfo } from '../../core/appInfoStore';
import { RuleChangeDialog, type RuleChange } from './RuleChangeDialog';

/** The two-person rule: on or off, changed only by a signed decision; turning it off takes a second person. */
export function TwoPersonRuleSection() {
  const connected = useConnection((s) => s.generation > 0);
  const listed = useQuery({ queryKey: ['approval.list', 'with rule requests'], queryFn: () => ferry().call('approval.list', {}), enabled: connected });
  const [change, setChange] = useState<RuleChange | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const on = listed.data?.twoPersonRule;
  const waiting = listed.data?.ruleRequests.find((r) => r.status === 'pending');

  return (
    <Section title="Two-person rule">
      <Stack direction="row" spacing={2} sx={{ alignItems: 'center', flexWrap: 'wrap', rowGap: 1 }}>
        <Typography role="status" aria-label="Two-person rule" sx={{ fontWeight: 600 }}>
          {on === undefined ? 'Reading…' : on ? 'The two-person rule is on' : 'The two-person rule is off'}
        </Typography>
        {on === false && (
          <Button variant="outlined" onClick={() => setChange({ kind: 'on' })}>
            Turn on…
          </Button>
        )}
        {on === true && !waiting && (
          <Button variant="outlined" color="error" onClick={() => setChange({ kind: 'off' })}>
            Ask to turn off…
          </Button>
        )}
      </Stack>
      <Typography color="text.secondary" sx={{ mt: 0.5, maxWidth: '80ch' }}>
        While it is on, exports wait until an enrolled second person approves exactly what leaves, signing with their passphrase. Turning it on is signed by one
        enrolled person (two must be enrolled); turning it off needs a second person's approval.
      </Typography>
      {waiting && (
        <Alert severity="warning" sx={{ mt: 1.5 }}>
          <AlertTitle>Waiting for a second person</AlertTitle>
          {waiting.requester.name} asked at <DateTime iso={waiting.requestedAt} /> to turn the rule off. Someone else enrolled approves or rejects it.
          <Box sx={{ mt: 1, display: 'flex', gap: 1 }}>
            <Button variant="contained" color="error" size="small" onClick={() => setChange({ kind: 'off', waiting })}>
              Approve turning off…
            </Button>
            <Button variant="outlined" size="small" onClick={() => setChange({ kind: 'reject', request: waiting })}>
              Reject…
            </Button>
          </Box>
        </Alert>
      )}
      {notice && (
        <Alert severity="success" role="status" sx={{ mt: 1.5 }} onClose={() => setNotice(null)}>
          {notice}
        </Alert>
      )}
      <RuleChangeDialog
        change={change}
        onClose={() => setChange(null)}
        onDone={(result) => {
          setChange(null);
          if ('enabled' in result) {
            setNotice(
              result.request?.status === 'pending'
                ? 'Your signed request to turn the rule off is recorded. It stays on until a second enrolled person approves.'
                : result.enabled
                  ? "The two-person rule is on: new exports wait for a second person's approval. The signed change is recorded in the ledger."
                  : 'The two-person rule is off: exports no longer wait for approval. Both signatures are recorded in the ledger.',
            );
          } else {
            setNotice(`The request was ${result.status}; the signed decision is recorded in the ledger.`);
          }
          void useAppInfo.getState().load();
        }}
      />
    </Section>
  );
}
