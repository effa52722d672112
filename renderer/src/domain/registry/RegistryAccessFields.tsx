import Alert from '@mui/material/Alert';
import Checkbox from '@mui/material/Checkbox';
import FormControlLabel from '@mui/material/FormControlLabel';
import FormHelperText from '@mui/material/FormHelperText';
import Stack from '@mui/material/Stack';
import { useId } from 'react';
import type { AccessForm } from './access';
import { CaCertificateField } from './CaCertificateField';

export interface RegistryAccessFieldsProps {
  value: AccessForm;
  onChange: (patch: Partial<AccessForm>) => void;
  disabled?: boolean;
}

/** How to reach a registry that is not on public TLS: plain HTTP, skip verification, or a private CA. */
export function RegistryAccessFields({ value, onChange, disabled }: RegistryAccessFieldsProps) {
  const plainId = useId();
  const skipId = useId();
  const tlsOff = disabled || value.plainHttp;
  return (
    <Stack spacing={1}>
      <div>
        <FormControlLabel
          control={
            <Checkbox
              checked={value.plainHttp}
              disabled={disabled}
              onChange={(e) => onChange({ plainHttp: e.target.checked })}
              slotProps={{ input: { 'aria-describedby': plainId } }}
            />
          }
          label="Plain HTTP"
        />
        <FormHelperText id={plainId} sx={{ mt: -0.75, ml: 4 }}>
          No TLS at all: only for a registry on a closed network.
        </FormHelperText>
      </div>
      <div>
        <FormControlLabel
          control={
            <Checkbox
              checked={value.skipTlsVerify}
              disabled={tlsOff}
              onChange={(e) => onChange({ skipTlsVerify: e.target.checked })}
              slotProps={{ input: { 'aria-describedby': skipId } }}
            />
          }
          label="Skip TLS verification"
        />
        <FormHelperText id={skipId} sx={{ mt: -0.75, ml: 4 }}>
          TLS without checking the registry's certificate.
        </FormHelperText>
      </div>
      {value.skipTlsVerify && !value.plainHttp && (
        <Alert severity="warning">
          Ferry will not check who answers: anyone on the network path could stand in for the registry. Prefer choosing the registry's CA certificate below.
        </Alert>
      )}
      <CaCertificateField file={value.caFile} disabled={tlsOff} onChange={(caFile) => onChange({ caFile })} />
    </Stack>
  );
}
