import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { useState } from 'react';
import { TextFileButton } from '../../components/TextFileButton';
import { MONO } from '../../shell/theme';

const MAX_PEM = 200_000;

function certificateCount(text: string): number {
  return (text.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? []).length;
}

/** Why a file's text is not a CA bundle Ferry can send, or null when it is one. */
function pemProblem(text: string): string | null {
  if (text.length > MAX_PEM) return 'This file is too large for a CA certificate (at most 200 KB of PEM text).';
  if (certificateCount(text) === 0) return 'This file holds no PEM certificate: it should contain -----BEGIN CERTIFICATE----- … -----END CERTIFICATE-----.';
  return null;
}

export interface CaCertificateFieldProps {
  pem: string;
  fileName: string;
  disabled?: boolean;
  onChange: (pem: string, fileName: string) => void;
}

/** A CA certificate (PEM) read here from a file the user chose, trusted beside the system's. */
export function CaCertificateField({ pem, fileName, disabled, onChange }: CaCertificateFieldProps) {
  const [problem, setProblem] = useState<string | null>(null);
  const count = certificateCount(pem);

  return (
    <Box>
      <Stack direction="row" spacing={1.5} useFlexGap sx={{ alignItems: 'center', flexWrap: 'wrap' }}>
        <TextFileButton
          variant="outlined"
          size="small"
          disabled={disabled}
          accept=".pem,.crt,.cer,application/x-pem-file,application/x-x509-ca-cert"
          inputLabel="CA certificate file"
          onText={(text, name) => {
            const why = pemProblem(text);
            setProblem(why);
            if (!why) onChange(text, name);
          }}
        >
          Choose CA certificate…
        </TextFileButton>
        {pem ? (
          <>
            <Typography variant="body2">
              CA certificate:{' '}
              <Box component="span" sx={{ fontFamily: MONO }}>
                {fileName}
              </Box>{' '}
              ({count} certificate{count === 1 ? '' : 's'})
            </Typography>
            <Button size="small" disabled={disabled} onClick={() => onChange('', '')}>
              Remove CA certificate
            </Button>
          </>
        ) : (
          <Typography variant="body2" color="text.secondary">
            Only for a registry whose certificate comes from a private CA; the system's CAs are always trusted.
          </Typography>
        )}
      </Stack>
      {problem && (
        <Alert severity="error" sx={{ mt: 1 }}>
          {problem}
        </Alert>
      )}
    </Box>
  );
}
