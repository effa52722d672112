import RefreshIcon from '@mui/icons-material/Refresh';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Checkbox from '@mui/material/Checkbox';
import LinearProgress from '@mui/material/LinearProgress';
import Stack from '@mui/material/Stack';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableContainer from '@mui/material/TableContainer';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import type { UnavailableModelRow } from '../../../../shared/rpc.js';
import { Bytes } from '../../components/Bytes';
import { ErrorAlert } from '../../components/ErrorAlert';
import { FolderField } from '../../components/FolderField';
import { splitModelName } from '../../lib/format';
import { MONO } from '../../core/theme';
import { useOllamaModels } from './api/queries';
import { useExport } from './exportStore';

/** The Ollama models tab: the store folder and its models, to tick. */
export function OllamaModelsPanel() {
  const { store, selected } = useExport();
  const { setStore, toggle, setSelected } = useExport.getState();
  const loadedStore = store.trim();
  const list = useOllamaModels(loadedStore);
  const models = list.data?.models ?? [];
  const unavailable = list.data?.unavailable ?? [];
  const modelsLoading = list.isFetching;
  const modelsError = list.error;
  const loadModels = () => void list.refetch();
  const chosen = models.filter((m) => selected.includes(m.name));
  const allSelected = models.length > 0 && chosen.length === models.length;

  return (
    <Box>
      <FolderField
        label="Ollama store folder"
        value={store}
        onChange={setStore}
        onSubmit={loadModels}
        purpose="ollama-store"
        dialogTitle="Choose the Ollama store folder"
        helperText="Where Ollama keeps its models: the models folder that holds blobs and manifests."
        error={Boolean(modelsError)}
      />

      <Stack direction="row" sx={{ alignItems: 'center', justifyContent: 'space-between', mt: 3, mb: 1 }}>
        <Typography variant="h3" component="h3">
          Ollama models
        </Typography>
        <Button startIcon={<RefreshIcon />} onClick={loadModels} disabled={!store.trim() || modelsLoading} aria-label="Reload models">
          Reload
        </Button>
      </Stack>

      {modelsLoading && <LinearProgress aria-label="Reading the Ollama store" sx={{ mb: 1 }} />}

      {modelsError != null && (
        <ErrorAlert error={modelsError} title="Cannot read the Ollama store">
          <Box sx={{ mt: 0.5 }}>Choose the folder where Ollama keeps its models with Browse…, or type its path above.</Box>
        </ErrorAlert>
      )}

      {!modelsError && list.data && !modelsLoading && models.length === 0 && unavailable.length === 0 && (
        <Alert severity="info">
          No models in {loadedStore}. Pull models with Ollama first (<code>ollama pull NAME</code>), or choose the folder of another Ollama store.
        </Alert>
      )}

      {models.length + unavailable.length > 0 && (
        <TableContainer sx={{ border: 1, borderColor: 'divider', borderRadius: 1, maxHeight: 380 }}>
          <Table size="small" stickyHeader aria-label="Ollama models">
            <TableHead>
              <TableRow>
                <TableCell padding="checkbox">
                  <Checkbox
                    checked={allSelected}
                    disabled={models.length === 0}
                    indeterminate={chosen.length > 0 && !allSelected}
                    onChange={() => setSelected(allSelected ? [] : models.map((m) => m.name))}
                    slotProps={{ input: { 'aria-label': 'Select all models' } }}
                  />
                </TableCell>
                <TableCell>Name</TableCell>
                <TableCell>Tag</TableCell>
                <TableCell align="right">Size</TableCell>
                <TableCell>Family</TableCell>
                <TableCell>Parameters</TableCell>
                <TableCell>Quantization</TableCell>
                <TableCell>Licence</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {models.map((m) => {
                const { name, tag } = splitModelName(m.name);
                const isSelected = selected.includes(m.name);
                return (
                  <TableRow key={m.name} hover selected={isSelected} onClick={() => toggle(m.name)} sx={{ cursor: 'pointer' }}>
                    <TableCell padding="checkbox">
                      <Checkbox
                        checked={isSelected}
                        onClick={(e) => e.stopPropagation()}
                        onChange={() => toggle(m.name)}
                        slotProps={{ input: { 'aria-label': `Select ${m.name}` } }}
                      />
                    </TableCell>
                    <TableCell>
                      <Typography variant="body2" sx={{ fontWeight: 600 }}>
                        {name}
                      </Typography>
                      <Typography variant="caption" color="text.secondary" sx={{ fontFamily: MONO }}>
                        ID {m.id}
                      </Typography>
                    </TableCell>
                    <TableCell>{tag}</TableCell>
                    <TableCell align="right">
                      <Bytes value={m.size} />
                    </TableCell>
                    <TableCell>{m.family ?? '—'}</TableCell>
                    <TableCell>{m.parameters ?? '—'}</TableCell>
                    <TableCell>{m.quantization ?? '—'}</TableCell>
                    <TableCell>{m.licensePresent ? 'Included' : 'None found'}</TableCell>
                  </TableRow>
                );
              })}
              {unavailable.map((m) => (
                <UnavailableModel key={m.name} model={m} />
              ))}
            </TableBody>
          </Table>
        </TableContainer>
      )}
    </Box>
  );
}

/** A broken or cloud model: listed so nothing seems missing, with why it cannot be carried, and no way to pick it. */
function UnavailableModel({ model }: { model: UnavailableModelRow }) {
  const { name, tag } = splitModelName(model.name);
  const label = model.kind === 'cloud' ? 'Cloud model' : 'Broken';
  return (
    <TableRow data-unavailable={model.kind} sx={{ color: 'text.disabled' }}>
      <TableCell padding="checkbox">
        <Checkbox disabled checked={false} slotProps={{ input: { 'aria-label': `Select ${model.name}` } }} />
      </TableCell>
      <TableCell>
        <Typography variant="body2" sx={{ fontWeight: 600 }} color="text.secondary">
          {name}
        </Typography>
        <Typography variant="caption" color={model.kind === 'cloud' ? 'text.secondary' : 'error'}>
          {label}
        </Typography>
      </TableCell>
      <TableCell>{tag}</TableCell>
      <TableCell colSpan={5}>
        <Typography variant="body2" color="text.secondary">
          {model.reason.charAt(0).toUpperCase() + model.reason.slice(1)}.
        </Typography>
      </TableCell>
    </TableRow>
  );
}
