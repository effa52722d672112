import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Checkbox from '@mui/material/Checkbox';
import Chip from '@mui/material/Chip';
import Stack from '@mui/material/Stack';
import TableCell from '@mui/material/TableCell';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import { Fragment, type ReactNode } from 'react';
import type { HfRepoRow } from '../../../../../shared/rpc.js';
import { Bytes } from '../../../components/Bytes';
import { Digest } from '../../../components/Digest';
import { SimpleTable } from '../../../components/SimpleTable';
import { monoSmall } from '../../../core/theme';
import { hfTypeLabel, orderedRevisions, revisionSpec, type HfRevision } from './revisions';

const COLUMNS = ['Carry', 'Repository', 'Type', 'Revision', 'Commit', { label: 'Files', align: 'right' as const }, { label: 'Size', align: 'right' as const }];

export interface HfReposTableProps {
  repos: HfRepoRow[];
  selected: string[];
  onToggle: (spec: string) => void;
}

/** The cache's repos, one row per revision with its refs; a tick carries that revision. Problems show where they are. */
export function HfReposTable({ repos, selected, onToggle }: HfReposTableProps) {
  return (
    <SimpleTable label="Hugging Face repositories" columns={COLUMNS}>
      {repos.map((repo) => {
        const revisions = orderedRevisions(repo);
        const span = revisions.length + (repo.problem ? 1 : 0);
        const repoCells = (
          <>
            <TableCell rowSpan={span} sx={{ ...monoSmall, verticalAlign: 'top', overflowWrap: 'anywhere', maxWidth: 260 }}>
              {repo.repoId}
            </TableCell>
            <TableCell rowSpan={span} sx={{ verticalAlign: 'top' }}>
              {hfTypeLabel(repo.type)}
            </TableCell>
          </>
        );
        return (
          <Fragment key={`${repo.type} ${repo.repoId}`}>
            {revisions.map((revision, i) => (
              <RevisionRow
                key={revision.commit}
                repo={repo}
                revision={revision}
                selected={selected}
                onToggle={onToggle}
                repoCells={i === 0 ? repoCells : null}
              />
            ))}
            {repo.problem && (
              <TableRow>
                <TableCell padding="checkbox" />
                {revisions.length === 0 && repoCells}
                <TableCell colSpan={4}>
                  <Alert severity="warning" sx={{ py: 0 }}>
                    {repo.problem}
                  </Alert>
                </TableCell>
              </TableRow>
            )}
          </Fragment>
        );
      })}
    </SimpleTable>
  );
}

interface RevisionRowProps extends Omit<HfReposTableProps, 'repos'> {
  repo: HfRepoRow;
  revision: HfRevision;
  repoCells: ReactNode;
}

function RevisionRow({ repo, revision, selected, onToggle, repoCells }: RevisionRowProps) {
  const spec = revisionSpec(repo, revision);
  const ticked = selected.includes(spec);
  const usable = !revision.problem;
  return (
    <TableRow hover={usable} selected={ticked} data-spec={spec}>
      <TableCell padding="checkbox">
        <Checkbox checked={ticked} disabled={!usable && !ticked} onChange={() => onToggle(spec)} slotProps={{ input: { 'aria-label': `Select ${spec}` } }} />
      </TableCell>
      {repoCells}
      <TableCell>
        {revision.refs.length > 0 ? (
          <Stack direction="row" spacing={0.5} useFlexGap sx={{ flexWrap: 'wrap' }}>
            {revision.refs.map((ref) => (
              <Chip key={ref} size="small" label={ref} variant={ref === 'main' ? 'filled' : 'outlined'} sx={monoSmall} />
            ))}
          </Stack>
        ) : (
          <Typography variant="body2" color="text.secondary">
            no ref
          </Typography>
        )}
        {revision.problem && (
          <Typography variant="body2" color="warning.main" sx={{ mt: 0.5, maxWidth: 360 }}>
            {revision.problem}
          </Typography>
        )}
      </TableCell>
      <TableCell>
        <Digest value={revision.commit} label={`commit of ${spec}`} short />
      </TableCell>
      <TableCell align="right">{usable ? revision.files : '—'}</TableCell>
      <TableCell align="right">{usable ? <Bytes value={revision.size} /> : <Box component="span">—</Box>}</TableCell>
    </TableRow>
  );
}
