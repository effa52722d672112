import UploadFileOutlinedIcon from '@mui/icons-material/UploadFileOutlined';
import Button, { type ButtonProps } from '@mui/material/Button';
import { useRef, type ReactNode } from 'react';

export interface TextFileButtonProps {
  children: ReactNode;
  /** File types the chooser offers, as the accept attribute takes them. */
  accept: string;
  /** Names the hidden file input, so tests can set its files. */
  inputLabel: string;
  onText: (text: string, fileName: string) => void;
  disabled?: boolean;
  variant?: ButtonProps['variant'];
  size?: ButtonProps['size'];
}

/** A button that opens the file chooser and hands over the chosen file's text; nothing leaves the page. */
export function TextFileButton({ children, accept, inputLabel, onText, disabled, variant, size }: TextFileButtonProps) {
  const input = useRef<HTMLInputElement>(null);
  return (
    <>
      <input
        ref={input}
        type="file"
        accept={accept}
        hidden
        aria-label={inputLabel}
        tabIndex={-1}
        onChange={async (e) => {
          const file = e.target.files?.[0];
          e.target.value = '';
          if (file) onText(await file.text(), file.name);
        }}
      />
      <Button
        startIcon={<UploadFileOutlinedIcon />}
        disabled={disabled}
        onClick={() => input.current?.click()}
        {...(variant ? { variant } : {})}
        {...(size ? { size } : {})}
      >
        {children}
      </Button>
    </>
  );
}
