import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import List from '@mui/material/List';
import ListItem from '@mui/material/ListItem';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { useState } from 'react';
import type { PersonRecord } from '../../../../shared/rpc.js';
import { DateTime } from '../../components/DateTime';
import { Digest } from '../../components/Digest';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Section } from '../../components/Section';
import { usePeople } from '../../domain/people/api';
import { EnrolPersonDialog } from './EnrolPersonDialog';
import { RemovePersonDialog } from './RemovePersonDialog';

/** The people whose personal keys sign decisions here: enrol one, or remove one. */
export function PeopleSection() {
  const people = usePeople();
  const [enrolling, setEnrolling] = useState(false);
  const [removing, setRemoving] = useState<PersonRecord | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const list = people.data?.people ?? [];

  return (
    <Section
      title="People"
      actions={
        <Button variant="outlined" onClick={() => setEnrolling(true)}>
          Enrol a person…
        </Button>
      }
    >
      <Typography color="text.secondary" sx={{ mb: 1.5, maxWidth: '80ch' }}>
        Each person has a personal key, opened only by their own passphrase. Approvals, rejections, changes to the two-person rule and key revocations are
        signed with it, and an auditor checks every signature with standard tools.
      </Typography>
      {notice && (
        <Alert severity="success" role="status" sx={{ mb: 1.5 }} onClose={() => setNotice(null)}>
          {notice}
        </Alert>
      )}
      {people.error != null && <ErrorAlert error={people.error} title="The people could not be listed" />}
      {people.isSuccess && list.length === 0 && <Typography>Nobody is enrolled yet. The two-person rule needs two people.</Typography>}
      {list.length > 0 && (
        <List aria-label="Enrolled people" disablePadding>
          {list.map((p) => (
            <ListItem key={p.fingerprint} divider sx={{ display: 'block', px: 0, py: 1.5 }}>
              <Stack direction="row" spacing={1} sx={{ alignItems: 'center', flexWrap: 'wrap', rowGap: 0.5 }}>
                <Typography sx={{ fontWeight: 600 }}>{p.name}</Typography>
                {p.role && <Typography color="text.secondary">{p.role}</Typography>}
                {p.removed && <Chip size="small" color="default" label="Removed" />}
                <Box sx={{ flexGrow: 1 }} />
                {!p.removed && (
                  <Button size="small" color="error" onClick={() => setRemoving(p)} aria-label={`Remove ${p.name}…`}>
                    Remove…
                  </Button>
                )}
              </Stack>
              <Digest value={p.fingerprint} label={`fingerprint of ${p.name}'s personal key`} grouped />
              <Typography variant="body2" color="text.secondary">
                Enrolled <DateTime iso={p.enrolledAt} />, {p.enrolledBy.name === p.name ? 'signed by their own key' : `sponsored by ${p.enrolledBy.name}`}
                {p.removed && (
                  <>
                    ; removed <DateTime iso={p.removed.at} /> by {p.removed.by.name}: {p.removed.reason}
                  </>
                )}
              </Typography>
            </ListItem>
          ))}
        </List>
      )}
      <EnrolPersonDialog
        open={enrolling}
        twoPersonRule={people.data?.twoPersonRule ?? false}
        enrolledCount={list.filter((p) => !p.removed).length}
        onClose={() => setEnrolling(false)}
        onEnrolled={(p) => {
          setEnrolling(false);
          setNotice(`${p.name} is enrolled. Their decisions are now signed with their own key.`);
        }}
      />
      <RemovePersonDialog
        person={removing}
        onClose={() => setRemoving(null)}
        onRemoved={(p) => {
          setRemoving(null);
          setNotice(`${p.name} is removed: their key signs nothing from now on.`);
        }}
      />
    </Section>
  );
}
