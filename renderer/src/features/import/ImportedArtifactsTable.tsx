import Chip from '@mui/material/Chip';
import TableCell from '@mui/material/TableCell';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import type { ImportJobResult } from '../../../../shared/rpc.js';
import { Digest } from '../../components/Digest';
import { SimpleTable } from '../../components/SimpleTable';
import { artifactKindText } from '../../lib/artifacts';
import { MONO, monoSmall } from '../../core/theme';

type Imported = ImportJobResult['artifacts'][number];

const TARGET_LABEL: Record<NonNullable<Imported['target']>, string> = {
  'ollama-store': 'Ollama store',
  'hf-cache': 'Hugging Face cache',
  dir: 'Folder',
  installer: "Ferry's installer folder",
  registry: 'Registry',
};

/** Copy-button names: a local target's rows keep the plain names, the registry's say so (an artifact can go to both). */
function labelsOf(a: Imported) {
  const where = a.target === 'registry' ? 'registry ' : '';
  return { location: `${where}location of ${a.ref}`, digest: `${where}digest of ${a.ref}` };
}

/** Where each artifact now is: target, destination and destination digest, blobs written, the outcome. */
export function ImportedArtifactsTable({ artifacts }: { artifacts: Imported[] }) {
  return (
    <SimpleTable
      label="Imported artifacts"
      columns={[
        'Artifact',
        'Target',
        'Destination',
        'Digest',
        { label: 'Blobs written', align: 'right' },
        { label: 'Already present', align: 'right' },
        'Result',
      ]}
    >
      {artifacts.map((a) => {
        const labels = labelsOf(a);
        return (
          <TableRow key={`${a.target ?? 'none'} ${a.kind} ${a.ref}`}>
            <TableCell sx={{ ...monoSmall, minWidth: 200, maxWidth: 300, overflowWrap: 'anywhere' }}>
              {a.ref}
              <Typography variant="caption" color="text.secondary" sx={{ display: 'block', fontFamily: 'inherit' }}>
                {artifactKindText(a.kind, a.attachment)}
                {a.modelId && (
                  <>
                    {' · ID '}
                    <Typography component="span" variant="caption" sx={{ fontFamily: MONO, fontWeight: 600, color: 'text.primary' }}>
                      {a.modelId}
                    </Typography>
                  </>
                )}
              </Typography>
            </TableCell>
            <TableCell>{a.target ? TARGET_LABEL[a.target] : '—'}</TableCell>
            <TableCell sx={{ minWidth: 220, maxWidth: 360 }}>{a.destination ? <Digest value={a.destination} label={labels.location} /> : '—'}</TableCell>
            <TableCell>{a.destination ? <Digest value={a.digest} label={labels.digest} short /> : '—'}</TableCell>
            <TableCell align="right">{a.blobsWritten ?? '—'}</TableCell>
            <TableCell align="right">{a.blobsAlreadyPresent ?? '—'}</TableCell>
            <TableCell>
              {a.status === 'imported' ? <Chip size="small" color="success" variant="outlined" label="Imported" /> : <Chip size="small" label="Skipped" />}
              {a.status === 'skipped' && a.reason && (
                <Typography variant="caption" color="text.secondary" sx={{ display: 'block' }}>
                  {a.reason}
                </Typography>
              )}
            </TableCell>
          </TableRow>
        );
      })}
    </SimpleTable>
  );
}
