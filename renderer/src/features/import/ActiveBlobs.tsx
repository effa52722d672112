import Box from '@mui/material/Box';
import LinearProgress from '@mui/material/LinearProgress';
import List from '@mui/material/List';
import ListItem from '@mui/material/ListItem';
import Typography from '@mui/material/Typography';
import type { JobProgress } from '../../../../shared/rpc.js';
import { Bytes } from '../../components/Bytes';
import { Digest } from '../../components/Digest';
import { formatBytes, shortDigest } from '../../lib/format';

type ActiveBlob = NonNullable<JobProgress['active']>[number];

/** The blobs a registry push is sending right now, each with its own progress. */
export function ActiveBlobs({ blobs }: { blobs: ActiveBlob[] }) {
  if (blobs.length === 0) return null;
  return (
    <Box sx={{ mt: 2 }}>
      <Typography variant="h3" sx={{ mb: 0.5 }} id="blobs-in-flight">
        Blobs in flight
      </Typography>
      <List dense disablePadding aria-labelledby="blobs-in-flight">
        {blobs.map((blob) => (
          <BlobRow key={`${blob.repository ?? ''} ${blob.digest}`} blob={blob} />
        ))}
      </List>
    </Box>
  );
}

function BlobRow({ blob }: { blob: ActiveBlob }) {
  const fraction = blob.bytesTotal > 0 ? Math.min(1, blob.bytesDone / blob.bytesTotal) : 0;
  const percent = Math.floor(fraction * 100);
  return (
    <ListItem disableGutters sx={{ display: 'grid', gridTemplateColumns: { xs: '1fr', md: '240px 1fr 200px' }, columnGap: 2, alignItems: 'center' }}>
      <Box sx={{ minWidth: 0 }}>
        <Digest value={blob.digest} label={`digest of blob ${shortDigest(blob.digest)}`} short copy={false} />
        {blob.repository && (
          <Typography variant="caption" component="div" color="text.secondary" noWrap title={blob.repository}>
            to {blob.repository}
          </Typography>
        )}
      </Box>
      <LinearProgress
        variant="determinate"
        value={fraction * 100}
        aria-label={`Upload of ${shortDigest(blob.digest)}`}
        aria-valuetext={`${formatBytes(blob.bytesDone)} of ${formatBytes(blob.bytesTotal)} (${percent}%)`}
        sx={{ height: 6, borderRadius: 3 }}
      />
      <Typography variant="body2" sx={{ fontVariantNumeric: 'tabular-nums', textAlign: { md: 'right' } }}>
        <Bytes value={blob.bytesDone} /> of <Bytes value={blob.bytesTotal} />
      </Typography>
    </ListItem>
  );
}
