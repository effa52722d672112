import Checkbox from '@mui/material/Checkbox';
import FormControl from '@mui/material/FormControl';
import FormControlLabel from '@mui/material/FormControlLabel';
import FormLabel from '@mui/material/FormLabel';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import { MONO } from '../../core/theme';
import { useExport } from './exportStore';
import { COMMON_PLATFORMS, parsePlatforms } from './references';

/** Which platforms of multi-platform images to carry; none keeps them all, and the original index. */
export function PlatformsField() {
  const ticked = useExport((s) => s.tickedPlatforms);
  const other = useExport((s) => s.otherPlatforms);
  const { updateReferences } = useExport.getState();
  const parsed = parsePlatforms(ticked, other);
  const all = 'platforms' in parsed && parsed.platforms.length === 0;

  return (
    <FormControl component="fieldset" variant="standard">
      <FormLabel component="legend" sx={{ mb: 0.5 }}>
        Platforms
      </FormLabel>
      <Stack direction={{ xs: 'column', md: 'row' }} spacing={2} sx={{ alignItems: { md: 'flex-start' } }}>
        <Stack direction="row" spacing={1} sx={{ flexShrink: 0, pt: 0.5 }}>
          {COMMON_PLATFORMS.map((platform) => (
            <FormControlLabel
              key={platform}
              control={
                <Checkbox
                  checked={ticked.includes(platform)}
                  onChange={(e) => updateReferences({ tickedPlatforms: e.target.checked ? [...ticked, platform] : ticked.filter((p) => p !== platform) })}
                />
              }
              label={platform}
              sx={{ '& .MuiFormControlLabel-label': { fontFamily: MONO, fontSize: '0.875rem' } }}
            />
          ))}
        </Stack>
        <TextField
          label="Other platforms"
          size="small"
          value={other}
          onChange={(e) => updateReferences({ otherPlatforms: e.target.value })}
          error={'error' in parsed}
          helperText={
            'error' in parsed
              ? parsed.error
              : all
                ? 'None chosen: every platform is carried, and the image index stays byte-exact.'
                : 'OS/ARCH[/VARIANT], separated by spaces, e.g. linux/arm/v7. Only these are carried, in a new index.'
          }
          placeholder="linux/arm/v7"
          slotProps={{ htmlInput: { spellCheck: false, autoComplete: 'off' } }}
          sx={{ flex: 1, minWidth: 260, '& input': { fontFamily: MONO } }}
        />
      </Stack>
    </FormControl>
  );
}
