import Button from '@mui/material/Button';
import List from '@mui/material/List';
import ListItem from '@mui/material/ListItem';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { DateTime } from '../../components/DateTime';
import { Digest } from '../../components/Digest';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Section } from '../../components/Section';
import { eventTypeLabel } from '../../lib/format';
import { navigate } from '../../core/router';
import { useRecentLedgerEvents } from './api/queries';
import { FailedAttempts } from './FailedAttempts';
import { useMemo } from 'react';
import { isNotice, useJobs } from '../../domain/jobs/jobs';

/** The latest ledger events, with the way into the ledger. */
export function RecentActivity() {
  const { data: rows, error } = useRecentLedgerEvents();
  const jobs = useJobs();
  const notices = useMemo(
    () =>
      Object.values(jobs)
        .filter(isNotice)
        .sort((a, b) => b.updatedAt.localeCompare(a.updatedAt)),
    [jobs],
  );
  return (
    <Section
      title="Recent activity"
      actions={
        <Button size="small" onClick={() => navigate('ledger')}>
          Open the ledger
        </Button>
      }
    >
      {notices.length > 0 && <FailedAttempts jobs={notices} />}
      {error != null && <ErrorAlert error={error} title="Cannot read the ledger" />}
      {rows && rows.length === 0 && <Typography color="text.secondary">Nothing yet. Exports and imports appear here.</Typography>}
      {rows && rows.length > 0 && (
        <List disablePadding aria-label="Recent ledger events">
          {rows.map((row) => (
            <ListItem key={row.seq} disableGutters divider sx={{ display: 'block', py: 1 }}>
              <Stack direction="row" spacing={1} sx={{ alignItems: 'baseline', justifyContent: 'space-between' }}>
                <Typography sx={{ fontWeight: 500 }}>{eventTypeLabel(row.type)}</Typography>
                <Typography variant="body2" color="text.secondary">
                  <DateTime iso={row.time} />
                </Typography>
              </Stack>
              <Stack direction="row" spacing={1} sx={{ alignItems: 'center', minHeight: 30 }}>
                <Typography variant="body2" color="text.secondary">
                  {row.operator}
                  {row.role ? ` (${row.role})` : ''}
                </Typography>
                {row.bundle && (
                  <>
                    <Typography variant="body2" color="text.secondary">
                      ·
                    </Typography>
                    <Digest value={row.bundle} label={`bundle digest of entry ${row.seq}`} short />
                  </>
                )}
              </Stack>
            </ListItem>
          ))}
        </List>
      )}
    </Section>
  );
}
