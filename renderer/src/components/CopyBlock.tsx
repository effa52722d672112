import Box from '@mui/material/Box';
import { monoSmall } from '../core/theme';
import { CopyButton } from './CopyButton';

export interface CopyBlockProps {
  text: string;
  /** Completes the copy button's name: "Copy <label>". Defaults to the text itself. */
  label?: string;
}

/** A monospace block (a command, a PEM) with a Copy button. */
export function CopyBlock({ text, label }: CopyBlockProps) {
  return (
    <Box
      sx={{
        display: 'flex',
        alignItems: 'flex-start',
        gap: 1,
        bgcolor: 'action.hover',
        border: 1,
        borderColor: 'divider',
        borderRadius: 1,
        pl: 1.5,
        pr: 0.5,
        py: 0.5,
      }}
    >
      <Box component="pre" sx={{ m: 0, py: 0.75, flex: 1, minWidth: 0, ...monoSmall, lineHeight: 1.6, whiteSpace: 'pre-wrap', wordBreak: 'break-all' }}>
        <code>{text}</code>
      </Box>
      <CopyButton text={text} label={label ?? text} />
    </Box>
  );
}
