import CheckIcon from '@mui/icons-material/Check';
import ContentCopyIcon from '@mui/icons-material/ContentCopy';
import IconButton from '@mui/material/IconButton';
import Tooltip from '@mui/material/Tooltip';
import { useEffect, useState } from 'react';
import { copyText } from '../lib/clipboard';
import { VisuallyHidden } from './VisuallyHidden';

export interface CopyButtonProps {
  text: string;
  /** Completes the accessible name: "Copy <label>". */
  label: string;
  size?: 'small' | 'medium';
}

/** An icon button that copies `text`; its accessible name is always "Copy <label>". */
export function CopyButton({ text, label, size = 'small' }: CopyButtonProps) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  useEffect(() => {
    if (state === 'idle') return;
    const timer = setTimeout(() => setState('idle'), 1800);
    return () => clearTimeout(timer);
  }, [state]);
  const name = `Copy ${label}`;
  const tip = state === 'copied' ? 'Copied' : state === 'failed' ? 'Could not copy: select the text and copy it by hand' : name;
  return (
    <>
      <Tooltip title={tip}>
        <IconButton
          aria-label={name}
          size={size}
          color={state === 'copied' ? 'success' : 'default'}
          onClick={async () => setState((await copyText(text)) ? 'copied' : 'failed')}
        >
          {state === 'copied' ? <CheckIcon fontSize="inherit" /> : <ContentCopyIcon fontSize="inherit" />}
        </IconButton>
      </Tooltip>
      <VisuallyHidden role="status">{state === 'copied' ? `Copied ${label}` : state === 'failed' ? `Could not copy ${label}` : ''}</VisuallyHidden>
    </>
  );
}
