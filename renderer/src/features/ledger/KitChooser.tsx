import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Stack from '@mui/material/Stack';
import { FolderField } from '../../components/FolderField';
import { useLedgerView } from './ledgerStore';

/** The other site's auditor's kit this ledger is compared with: one choice for the Flags tab and every bundle page. */
export function KitChooser({ label, helperText }: { label: string; helperText: string }) {
  const withKit = useLedgerView((s) => s.withKit);
  const setWithKit = useLedgerView((s) => s.setWithKit);
  return (
    <Stack direction={{ xs: 'column', md: 'row' }} spacing={2} sx={{ alignItems: { md: 'flex-start' } }}>
      <Box sx={{ flex: 1 }}>
        <FolderField
          label={label}
          value={withKit}
          onChange={setWithKit}
          purpose="kit"
          dialogTitle="Choose the other site's auditor's kit (the folder holding ledger.tsv)"
          helperText={helperText}
        />
      </Box>
      {withKit && (
        <Button onClick={() => setWithKit('')} sx={{ flexShrink: 0, mt: { md: 1 } }}>
          Stop comparing
        </Button>
      )}
    </Stack>
  );
}
