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

// Plain styles rather than sx: tables hold many digests, and each sx is style work on every render.
const WRAPPER = { display: 'inline-flex', alignItems: 'center', gap: 2, maxWidth: '100%', verticalAlign: 'middle' } as const;
const textStyle = (fontSize: string, shortened: boolean) =>
  ({ fontFamily: MONO, fontSize, wordBreak: shortened ? 'normal' : 'break-all', whiteSpace: shortened ? 'nowrap' : 'normal' }) as const;
const TEXT_STYLES = {
  'small short': textStyle('0.8125rem', true),
  'small full': textStyle('0.8125rem', false),
  'body short': textStyle('0.9375rem', true),
  'body full': textStyle('0.9375rem', false),
};

/** A digest or fingerprint: monospace, optionally shortened with the full value on hover, with a copy button. */
export function Digest({ value, label, short = false, copy = true, size = 'small' }: DigestProps) {
  const text = short ? shortDigest(value) : value;
  const shortened = text !== value;
  const span = (
    <span data-digest={value} style={TEXT_STYLES[`${size} ${shortened ? 'short' : 'full'}`]}>
      {text}
    </span>
  );
  return (
    <span style={WRAPPER}>
      {shortened ? (
        <Tooltip describeChild title={<Box sx={{ fontFamily: MONO, wordBreak: 'break-all' }}>{value}</Box>}>
          {span}
        </Tooltip>
      ) : (
        span
      )}
      {copy && <CopyButton text={value} label={label} />}
    </span>
  );
}
