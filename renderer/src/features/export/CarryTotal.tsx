import Typography from '@mui/material/Typography';
import { Bytes } from '../../components/Bytes';
import { countOf } from '../../lib/artifacts';
import { useExport } from './exportStore';
import { currentItems } from './references';

/** The running total of everything chosen: models ticked, images and charts resolved. */
export function CarryTotal() {
  const s = useExport();
  const chosen = s.models.filter((m) => s.selected.includes(m.name));
  const resolved = currentItems(s);
  const images = resolved.filter((r) => r.kind === 'image').length;
  const charts = resolved.filter((r) => r.kind === 'helm-chart').length;
  const total = chosen.reduce((sum, m) => sum + m.size, 0) + resolved.reduce((sum, r) => sum + (r.size ?? 0), 0);

  const parts: string[] = [];
  if (s.models.length > 0) parts.push(`${chosen.length} of ${countOf(s.models.length, 'model')} selected`);
  const refs = [images > 0 ? countOf(images, 'image') : '', charts > 0 ? countOf(charts, 'chart') : ''].filter(Boolean);
  if (refs.length > 0) parts.push(`${refs.join(' and ')} resolved`);
  const nothing = chosen.length === 0 && resolved.length === 0;

  return (
    <Typography role="status" sx={{ mt: 2 }}>
      {nothing ? (
        'Nothing selected yet: tick models, or resolve images and charts.'
      ) : (
        <>
          <strong>{parts.join(', ')}</strong>, <Bytes value={total} /> in all.
        </>
      )}
    </Typography>
  );
}
