import Typography from '@mui/material/Typography';

/** A label in a definition list (`dl`) of facts: bundle digest, signer, requested by, … */
export function Term({ children }: { children: string }) {
  return (
    <Typography component="dt" color="text.secondary">
      {children}
    </Typography>
  );
}
