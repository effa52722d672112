import Box from '@mui/material/Box';
import Checkbox from '@mui/material/Checkbox';
import FormControlLabel from '@mui/material/FormControlLabel';
import Typography from '@mui/material/Typography';
import type { ReactNode } from 'react';
import { FolderField, type FolderFieldProps } from '../../components/FolderField';
import { Section } from '../../components/Section';

export interface LocalTargetSectionProps {
  title: string;
  /** The checkbox's label: "Install Ollama models into a store". */
  toggleLabel: string;
  checked: boolean;
  onToggle: (checked: boolean) => void;
  /** The bundle carries this target's kind; when not, the target is shown, off and disabled. */
  carried: boolean;
  /** What the target does, under the checkbox. */
  children: ReactNode;
  notCarried: string;
  field: Omit<FolderFieldProps, 'onSubmit'>;
}

/** One folder target on this side: on/off, what it does, and its folder while on. */
export function LocalTargetSection({ title, toggleLabel, checked, onToggle, carried, children, notCarried, field }: LocalTargetSectionProps) {
  const on = checked && carried;
  return (
    <Section title={title} headingLevel="h3">
      <TargetToggle checked={on} disabled={!carried} onChange={onToggle} label={toggleLabel}>
        {carried ? children : notCarried}
      </TargetToggle>
      {on && (
        <Box sx={{ mt: 2 }}>
          <FolderField {...field} />
        </Box>
      )}
    </Section>
  );
}

export function TargetToggle({
  checked,
  disabled,
  onChange,
  label,
  children,
}: {
  checked: boolean;
  disabled?: boolean;
  onChange: (checked: boolean) => void;
  label: string;
  children: ReactNode;
}) {
  return (
    <Box>
      <FormControlLabel control={<Checkbox checked={checked} disabled={disabled} onChange={(e) => onChange(e.target.checked)} />} label={label} />
      <Typography variant="body2" color="text.secondary" sx={{ ml: 4, mt: -0.5 }}>
        {children}
      </Typography>
    </Box>
  );
}
