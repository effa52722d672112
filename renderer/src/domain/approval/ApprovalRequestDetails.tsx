import Box from '@mui/material/Box';
import TableCell from '@mui/material/TableCell';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import type { ReactNode } from 'react';
import type { ArtifactKind } from '../../../../shared/bundle.js';
import type { ApprovalRequestInfo } from '../../../../shared/rpc.js';
import { Bytes } from '../../components/Bytes';
import { DateTime } from '../../components/DateTime';
import { Digest } from '../../components/Digest';
import { SimpleTable } from '../../components/SimpleTable';
import { kindLabel } from '../../lib/artifacts';
import { countOf } from '../../../../shared/count.js';
import { monoSmall } from '../../core/theme';
import { ONE_VOLUME, personLabel } from './approvals';
import { Term } from '../../components/Term';

/** The request as the ledger recorded it: who asked, the bundle, where it goes, and every artifact with its digest and size. */
export function ApprovalRequestDetails({ info }: { info: ApprovalRequestInfo }) {
  return (
    <Box>
      <Box component="dl" sx={{ display: 'grid', gridTemplateColumns: { xs: '1fr', md: '180px 1fr' }, columnGap: 2, rowGap: 1, m: 0, alignItems: 'center' }}>
        <Term>Requested by</Term>
        <Detail>
          <strong>{personLabel(info.requester)}</strong> at <DateTime iso={info.requestedAt} />
        </Detail>
        <Term>Bundle name</Term>
        <Detail>
          <Box component="span" sx={monoSmall}>
            {info.name}
          </Box>
        </Detail>
        <Term>Destination</Term>
        <Detail>
          <Digest value={info.out} label="destination of the request" />
        </Detail>
        <Term>Volume size</Term>
        <Detail>{info.volumeSize >= ONE_VOLUME ? 'One volume (the whole bundle in one file)' : <Bytes value={info.volumeSize} />}</Detail>
        <Term>Request</Term>
        <Detail>
          <Digest value={info.id} label="request ID" /> (ledger line {info.seq})
        </Detail>
      </Box>

      <Typography variant="h3" sx={{ mt: 3, mb: 1 }}>
        What leaves
      </Typography>
      <SimpleTable label="Artifacts to approve" columns={['Kind', 'Reference', 'Digest', { label: 'Size', align: 'right' }]}>
        {info.artifacts.map((a) => (
          <TableRow key={`${a.kind} ${a.ref} ${a.digest}`} data-reference={a.ref}>
            <TableCell>{kindLabel(a.kind as ArtifactKind)}</TableCell>
            <TableCell sx={{ ...monoSmall, overflowWrap: 'anywhere', minWidth: 200 }}>{a.ref}</TableCell>
            <TableCell>
              <Digest value={a.digest} label={`digest of ${a.ref}`} short />
            </TableCell>
            <TableCell align="right">
              <Bytes value={a.size} />
            </TableCell>
          </TableRow>
        ))}
        <TableRow>
          <TableCell colSpan={3} sx={{ fontWeight: 600 }}>
            Total: {countOf(info.artifacts.length, 'artifact')}
          </TableCell>
          <TableCell align="right" sx={{ fontWeight: 600 }}>
            <Bytes value={info.totalSize} />
          </TableCell>
        </TableRow>
      </SimpleTable>
    </Box>
  );
}

function Detail({ children }: { children: ReactNode }) {
  return (
    <Typography component="dd" sx={{ m: 0 }}>
      {children}
    </Typography>
  );
}
