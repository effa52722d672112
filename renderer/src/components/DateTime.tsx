import { formatLocalTime, formatUtcTime } from '../lib/format';

const NO_WRAP = { whiteSpace: 'nowrap' } as const;

/** A time in local time; UTC on hover (a plain title and style: lists show hundreds of these, and styled components cost more than the row). */
export function DateTime({ iso }: { iso: string }) {
  return (
    <time dateTime={iso} title={formatUtcTime(iso)} style={NO_WRAP}>
      {formatLocalTime(iso)}
    </time>
  );
}
