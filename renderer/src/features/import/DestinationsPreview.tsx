import Box from '@mui/material/Box';
import TableCell from '@mui/material/TableCell';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import type { BundleArtifact } from '../../../../shared/bundle.js';
import { SimpleTable } from '../../components/SimpleTable';
import { artifactKindText, bundleAttachment } from '../../lib/artifacts';
import { monoSmall } from '../../core/theme';
import { relocatedArtifactRef, type RegistryTarget } from '../../domain/registry/relocation';

/** Where each artifact will land: `host/prefix/<source path>:tag`, digests unchanged. */
export function DestinationsPreview({ artifacts, target }: { artifacts: BundleArtifact[]; target: RegistryTarget }) {
  return (
    <Box>
      <Typography variant="body2" color="text.secondary" sx={{ mb: 1 }}>
        Each artifact keeps its path under the prefix:{' '}
        <Box component="span" sx={monoSmall}>
          {target.registry}/{target.prefix ? `${target.prefix}/` : ''}&lt;source path&gt;:&lt;tag&gt;
        </Box>
        . Digests do not change: the registry gets the same manifests and blobs, byte for byte.
      </Typography>
      <SimpleTable label="Destinations" columns={['Artifact', 'Kind', 'Destination']}>
        {artifacts.map((a) => (
          <TableRow key={a.kind + a.ref}>
            <TableCell sx={{ ...monoSmall, overflowWrap: 'anywhere' }}>{a.ref}</TableCell>
            <TableCell>{artifactKindText(a.kind, bundleAttachment(a))}</TableCell>
            <TableCell sx={{ ...monoSmall, overflowWrap: 'anywhere' }}>{relocatedArtifactRef(a.kind, a.ref, target)}</TableCell>
          </TableRow>
        ))}
      </SimpleTable>
    </Box>
  );
}
