import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { useState } from 'react';
import { ferry } from '../../client';
import { ErrorAlert } from '../../components/ErrorAlert';
import { FileBrowserDialog } from '../../components/FileBrowserDialog';
import { basename } from '../../lib/format';
import { useAppInfo } from '../../core/appInfoStore';
import { MONO } from '../../core/theme';

const TITLE = "Choose the registry's CA certificate";

export interface CaCertificateFieldProps {
  /** The chosen file's path on the Ferry host, or '' for none. */
  file: string;
  disabled?: boolean;
  onChange: (file: string) => void;
}

/**
 * A CA certificate file (PEM) on the Ferry host, trusted beside the system's. Only its path travels:
 * Ferry reads the file itself when it reaches the registry, so a large CA bundle is no burden.
 */
export function CaCertificateField({ file, disabled, onChange }: CaCertificateFieldProps) {
  const nativeDialogs = useAppInfo((s) => s.info?.nativeDialogs ?? false);
  const [browsing, setBrowsing] = useState(false);
  const [error, setError] = useState<unknown>(null);

  async function choose() {
    setError(null);
    if (!nativeDialogs) return setBrowsing(true);
    try {
      const { paths } = await ferry().call('dialog.pickFiles', { title: TITLE });
      if (paths[0]) onChange(paths[0]);
    } catch (err) {
      setError(err);
    }
  }

  return (
    <Box>
      <Stack direction="row" spacing={1.5} useFlexGap sx={{ alignItems: 'center', flexWrap: 'wrap' }}>
        <Button variant="outlined" size="small" disabled={disabled} onClick={() => void choose()}>
          Choose CA certificate…
        </Button>
        {file ? (
          <>
            <Typography variant="body2">
              CA certificate:{' '}
              <Box component="span" sx={{ fontFamily: MONO }} title={file}>
                {basename(file)}
              </Box>
            </Typography>
            <Button size="small" disabled={disabled} onClick={() => onChange('')}>
              Remove CA certificate
            </Button>
          </>
        ) : (
          <Typography variant="body2" color="text.secondary">
            Only for a registry whose certificate comes from a private CA; the system's CAs are always trusted.
          </Typography>
        )}
      </Stack>
      {error != null && (
        <Box sx={{ mt: 1 }}>
          <ErrorAlert error={error} />
        </Box>
      )}
      {!nativeDialogs && (
        <FileBrowserDialog
          open={browsing}
          title={TITLE}
          single
          {...(file ? { initialPath: file.slice(0, file.length - basename(file).length) } : {})}
          onClose={() => setBrowsing(false)}
          onAdd={(entries) => {
            setBrowsing(false);
            if (entries[0]) onChange(entries[0].path);
          }}
        />
      )}
    </Box>
  );
}
