import Box from '@mui/material/Box';
import Tooltip from '@mui/material/Tooltip';
import { shortDigest } from '../lib/format';
import { MONO } from '../core/theme';
import { CopyButton } from './CopyButton';

export interface DigestProps {
  value: string;
  /** What it is, for the copy button's name: "Copy <label>". */
  label: string;
  /** Shortened (for tables), the full value on hover. */
  short?: boolean;
  copy?: boolean;
  size?: 'small' | 'body';
}

/** A digest or fingerprint: monospace, optionally shortened with the full value on hover, with a copy button. */
export function Digest({ value, label, short = false, copy = true, size = 'small' }: DigestProps) {
  const text = short ? shortDigest(value) : value;
  const shortened = text !== value;
  const span = (
    <Box
      component="span"
      data-digest={value}
      sx={{
        fontFamily: MONO,
        fontSize: size === 'small' ? '0.8125rem' : '0.9375rem',
        wordBreak: shortened ? 'normal' : 'break-all',
        whiteSpace: shortened ? 'nowrap' : 'normal',
      }}
    >
      {text}
    </Box>
  );
  return (
    <Box component="span" sx={{ display: 'inline-flex', alignItems: 'center', gap: 0.25, maxWidth: '100%', verticalAlign: 'middle' }}>
      {shortened ? (
        <Tooltip describeChild title={<Box sx={{ fontFamily: MONO, wordBreak: 'break-all' }}>{value}</Box>}>
          {span}
        </Tooltip>
      ) : (
        span
      )}
      {copy && <CopyButton text={value} label={label} />}
    </Box>
  );
}
