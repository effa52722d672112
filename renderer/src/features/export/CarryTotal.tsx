import Typography from '@mui/material/Typography';
import { Bytes } from '../../components/Bytes';
import { countOf } from '../../../../shared/count.js';
import { revisionSizes } from './hf/revisions';
import { useHfRepos, useOllamaModels } from './api/queries';
import { useExport } from './exportStore';
import { currentItems } from './references';

type CarryState = ReturnType<typeof useExport.getState>;

/** "1 file and 1 folder added", or '' when none. */
function filesPart(files: CarryState['files']): string {
  const of = (kind: 'file' | 'folder' | undefined) => files.filter((f) => f.kind === kind).length;
  const counts = [
    of('file') > 0 ? countOf(of('file'), 'file') : '',
    of('folder') > 0 ? countOf(of('folder'), 'folder') : '',
    of(undefined) > 0 ? countOf(of(undefined), 'file or folder', 'files or folders') : '',
  ].filter(Boolean);
  return counts.length > 0 ? `${counts.join(' and ')} added` : '';
}

/** The running total of everything chosen: models and revisions ticked, images and charts resolved, files added. */
export function CarryTotal() {
  const s = useExport();
  const models = useOllamaModels(s.store.trim()).data?.models ?? [];
  const hfRepos = useHfRepos(s.hfCache.trim(), s.hfSelected.length > 0).data?.repos ?? [];
  const chosen = models.filter((m) => s.selected.includes(m.name));
  const resolved = currentItems(s);
  const images = resolved.filter((r) => r.kind === 'image').length;
  const charts = resolved.filter((r) => r.kind === 'helm-chart').length;
  const hfSizes = revisionSizes(hfRepos);
  const unsized = s.files.filter((f) => f.size === undefined);
  const total =
    chosen.reduce((sum, m) => sum + m.size, 0) +
    resolved.reduce((sum, r) => sum + (r.size ?? 0), 0) +
    s.hfSelected.reduce((sum, spec) => sum + (hfSizes.get(spec) ?? 0), 0) +
    s.files.reduce((sum, f) => sum + (f.size ?? 0), 0);

  const parts: string[] = [];
  if (models.length > 0) parts.push(`${chosen.length} of ${countOf(models.length, 'model')} selected`);
  const refs = [images > 0 ? countOf(images, 'image') : '', charts > 0 ? countOf(charts, 'chart') : ''].filter(Boolean);
  if (refs.length > 0) parts.push(`${refs.join(' and ')} resolved`);
  if (s.hfSelected.length > 0) parts.push(`${countOf(s.hfSelected.length, 'Hugging Face revision')} selected`);
  const added = filesPart(s.files);
  if (added) parts.push(added);
  const nothing = chosen.length === 0 && resolved.length === 0 && s.hfSelected.length === 0 && s.files.length === 0;
  const allFolders = unsized.every((f) => f.kind === 'folder');

  return (
    <Typography role="status" sx={{ mt: 2 }}>
      {nothing ? (
        'Nothing selected yet: tick models or Hugging Face revisions, resolve images and charts, or add files.'
      ) : (
        <>
          <strong>{parts.join(', ')}</strong>, <Bytes value={total} /> in all
          {unsized.length > 0 && `, plus ${allFolders ? countOf(unsized.length, 'folder') : countOf(unsized.length, 'item')} sized on the Media step`}.
        </>
      )}
    </Typography>
  );
}
