import Autocomplete from '@mui/material/Autocomplete';
import TextField from '@mui/material/TextField';
import { useState } from 'react';
import type { BundleSummary } from '../../../../shared/rpc.js';
import { useDebounced } from '../../components/useDebounced';
import { bundleLabel, useBundlePage, useBundleSummary } from './bundles';

/** Suggestions shown at a time: the engine searches, so a ledger of years still sends only these. */
const SUGGESTIONS = 20;

interface BundlePickerProps {
  label: string;
  /** The chosen bundle's digest, '' for none. */
  value: string;
  onChange: (digest: string) => void;
  disabled?: boolean;
  required?: boolean;
  helperText?: string;
  size?: 'small' | 'medium';
}

/** Chooses a bundle by typing part of its name or digest; the most recent ones are offered first. */
export function BundlePicker({ label, value, onChange, disabled, required, helperText, size }: BundlePickerProps) {
  const [typed, setTyped] = useState('');
  const search = useDebounced(typed.trim());
  const { page, loading } = useBundlePage(search, 0, SUGGESTIONS);
  const selected = useBundleSummary(value);
  const found = page?.bundles ?? [];
  const options = selected && !found.some((b) => b.bundle === selected.bundle) ? [selected, ...found] : found;
  const more = page && page.total > found.length ? page.total - found.length : 0;

  return (
    <Autocomplete<BundleSummary>
      options={options}
      value={selected}
      loading={loading}
      disabled={disabled}
      size={size}
      // The engine has already searched; the list is shown as it came.
      filterOptions={(list) => list}
      getOptionLabel={bundleLabel}
      getOptionKey={(b) => b.bundle}
      isOptionEqualToValue={(a, b) => a.bundle === b.bundle}
      onChange={(_e, picked) => {
        setTyped('');
        onChange(picked?.bundle ?? '');
      }}
      onInputChange={(_e, text, reason) => {
        if (reason === 'input') setTyped(text);
        else if (reason === 'clear') setTyped('');
      }}
      noOptionsText={search ? 'No bundle matches' : 'No bundles in this ledger yet'}
      renderInput={(params) => (
        <TextField
          {...params}
          label={label}
          required={required}
          placeholder="Type part of a name or digest"
          helperText={helperText ?? (more > 0 ? `${SUGGESTIONS} most recent shown; type to find any of ${page!.total}.` : undefined)}
        />
      )}
    />
  );
}
