import FactCheckOutlinedIcon from '@mui/icons-material/FactCheckOutlined';
import MoveToInboxOutlinedIcon from '@mui/icons-material/MoveToInboxOutlined';
import OutboxOutlinedIcon from '@mui/icons-material/OutboxOutlined';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Card from '@mui/material/Card';
import CardActionArea from '@mui/material/CardActionArea';
import CardContent from '@mui/material/CardContent';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { useId, useMemo, type ReactNode } from 'react';
import { JobProgress } from '../../components/JobProgress';
import { PageHeading } from '../../components/PageHeading';
import { Section } from '../../components/Section';
import { useAppInfo } from '../../core/appInfoStore';
import { navigate, type Route } from '../../core/router';
import { cancelJob, useJobs } from '../../domain/jobs/jobs';
import type { HomeLinks } from './links';
import { NeedsAttention } from './NeedsAttention';
import { RecentActivity } from './RecentActivity';

/** Home: the three doors, what needs attention, what is running, and the latest ledger events. */
export function HomePage({ openJob, onApprovalDecided }: HomeLinks) {
  const operator = useAppInfo((s) => s.info?.operator);
  return (
    <>
      <PageHeading
        title="Home"
        lead={`${operator ? `Hello, ${operator.name}. ` : ''}Export on the connected side, carry the media across, import on the disconnected side. The ledger records every step.`}
      />
      <Box sx={{ display: 'grid', gridTemplateColumns: { xs: 'minmax(0, 1fr)', md: 'repeat(3, minmax(0, 1fr))' }, gap: 2.5, mb: 4 }}>
        <Door
          route="export"
          name="Export (connected side)"
          title="Export"
          side="Connected side"
          icon={<OutboxOutlinedIcon fontSize="large" />}
          description="Put Ollama models, Hugging Face repos, container images, Helm charts and files into a signed bundle, split into volumes for a USB disk or discs."
        />
        <Door
          route="import"
          name="Import (disconnected side)"
          title="Import"
          side="Disconnected side"
          icon={<MoveToInboxOutlinedIcon fontSize="large" />}
          description="Verify a bundle's signature and every volume (from a folder or disc by disc), then install models into an Ollama store, rebuild a Hugging Face cache, restore files, or push everything to a registry."
        />
        <Door
          route="ledger"
          name="Ledger (audit trail)"
          title="Ledger"
          side="Audit trail"
          icon={<FactCheckOutlinedIcon fontSize="large" />}
          description="Every transfer, refusal and key change, in a hash chain anyone can verify."
        />
      </Box>
      <Box
        sx={{
          display: 'grid',
          gridTemplateColumns: { xs: 'minmax(0, 1fr)', lg: 'minmax(0, 1fr) minmax(0, 1fr)' },
          gap: 2.5,
          alignItems: 'start',
          '& > *': { minWidth: 0 },
        }}
      >
        <Stack spacing={2.5}>
          <InProgress openJob={openJob} />
          <NeedsAttention openJob={openJob} onApprovalDecided={onApprovalDecided} />
        </Stack>
        <RecentActivity />
      </Box>
    </>
  );
}

function Door({
  route,
  name,
  title,
  side,
  icon,
  description,
}: {
  route: Route;
  name: string;
  title: string;
  side: string;
  icon: ReactNode;
  description: string;
}) {
  const descriptionId = useId();
  // The card's text is shown as is, and the button lies over the whole card (so all of it is the click
  // target) with the door's name; the text is hidden from assistive technology, which hears the
  // button's name and, as its description, the text under the title. A button wrapping the text would
  // have a visible label ("Export Connected side Put …") that its name does not contain (WCAG 2.5.3).
  return (
    <Card variant="outlined" sx={{ height: '100%', position: 'relative' }}>
      <CardContent sx={{ p: 3 }} aria-hidden="true">
        <Box sx={{ color: 'primary.main', mb: 1.5 }}>{icon}</Box>
        <Typography component="span" sx={{ display: 'block', fontSize: '1.375rem', fontWeight: 600 }}>
          {title}
        </Typography>
        <Typography component="span" variant="overline" color="primary" sx={{ display: 'block', lineHeight: 1.8, fontWeight: 600 }}>
          {side}
        </Typography>
        <Typography component="span" id={descriptionId} color="text.secondary" sx={{ display: 'block', mt: 0.5 }}>
          {description}
        </Typography>
      </CardContent>
      <CardActionArea onClick={() => navigate(route)} aria-label={name} aria-describedby={descriptionId} sx={{ position: 'absolute', inset: 0 }} />
    </Card>
  );
}

function InProgress({ openJob }: Pick<HomeLinks, 'openJob'>) {
  const jobs = useJobs();
  const running = useMemo(
    () =>
      Object.values(jobs)
        .filter((j) => j.state === 'running')
        .sort((a, b) => b.createdAt.localeCompare(a.createdAt)),
    [jobs],
  );
  if (running.length === 0) return null;
  return (
    <Section title="In progress">
      <Stack spacing={3}>
        {running.map((job) => (
          <Box key={job.id}>
            <JobProgress
              job={job}
              label={`Progress of ${job.title}`}
              onCancel={() => cancelJob(job.id)}
              cancelLabel={`Cancel ${job.title}`}
              actions={
                <Button size="small" onClick={() => openJob(job)} aria-label={`Open ${job.title}`}>
                  Open
                </Button>
              }
            />
          </Box>
        ))}
      </Stack>
    </Section>
  );
}
