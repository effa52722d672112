import Box from '@mui/material/Box';
import Tooltip from '@mui/material/Tooltip';
import { groupedHex, shortDigest } from '../lib/format';
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
  /** A fingerprint to read aloud: shown in groups of four hex digits (the copy button copies it whole). */
  grouped?: boolean;
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

const GROUPED_STYLES = {
  small: { ...textStyle('0.8125rem', false), wordBreak: 'normal' },
  body: { ...textStyle('0.9375rem', false), wordBreak: 'normal' },
} as const;

/** A digest or fingerprint: monospace, optionally shortened with the full value on hover, with a copy button. */
export function Digest({ value, label, short = false, copy = true, size = 'small', grouped = false }: DigestProps) {
  const text = short ? shortDigest(value) : grouped ? groupedHex(value) : value;
  const shortened = short && text !== value;
  const span = (
    <span data-digest={value} style={grouped && !short ? GROUPED_STYLES[size] : TEXT_STYLES[`${size} ${shortened ? 'short' : 'full'}`]}>
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
