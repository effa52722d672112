import Autocomplete from '@mui/material/Autocomplete';
import TextField from '@mui/material/TextField';
import { useState } from 'react';
import type { BundleSummary } from '../../../../shared/rpc.js';
import { useDebounced } from '../../components/useDebounced';
import { shortDigest } from '../../lib/format';
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
  /** Also offer a full digest this ledger does not know: the media's arrival at a gate, before the import. */
  arrival?: boolean;
}

/** `sha256:<64 hex>` from what was typed or scanned (with or without the prefix, any case), or null. */
export function fullDigest(text: string): string | null {
  const hex = text
    .trim()
    .toLowerCase()
    .replace(/^sha256:/, '');
  return /^[0-9a-f]{64}$/.test(hex) ? `sha256:${hex}` : null;
}

/** A bundle this ledger has no line of yet, offered for its arrival. */
function unknownBundle(digest: string): BundleSummary {
  return { bundle: digest, side: 'arriving', firstTime: '', lastTime: '', lastType: '', media: [], flags: 0 };
}
const isUnknown = (b: BundleSummary) => b.lastType === '';

/** Chooses a bundle by typing part of its name or digest; the most recent ones are offered first. */
export function BundlePicker({ label, value, onChange, disabled, required, helperText, size, arrival }: BundlePickerProps) {
  const [typed, setTyped] = useState('');
  const search = useDebounced(typed.trim());
  const { page, loading } = useBundlePage(search, 0, SUGGESTIONS);
  const known = useBundleSummary(value);
  const selected = known ?? (arrival && fullDigest(value) ? unknownBundle(fullDigest(value)!) : null);
  const found = page?.bundles ?? [];
  const typedDigest = arrival && !loading ? fullDigest(search) : null;
  const newcomer = typedDigest && !found.some((b) => b.bundle === typedDigest) ? [unknownBundle(typedDigest)] : [];
  const listed = [...found, ...newcomer];
  const options = selected && !listed.some((b) => b.bundle === selected.bundle) ? [selected, ...listed] : listed;
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
      renderOption={({ key, ...props }, option) => (
        <li key={key} {...props}>
          {isUnknown(option) ? `Record its arrival: ${shortDigest(option.bundle)} (not in this ledger yet)` : bundleLabel(option)}
        </li>
      )}
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
      noOptionsText={
        search
          ? arrival
            ? 'No bundle matches. For an arrival before the import, type or scan the full digest from the transfer form.'
            : 'No bundle matches'
          : 'No bundles in this ledger yet'
      }
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
