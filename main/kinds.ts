/**
 * The one place the artifact kinds meet the bundle format: each kind describes itself in its own
 * folder (main/<kind>/kind.ts) and is registered here. Every entry point imports this module for its
 * effect before it can read a bundle: the CLI (main/cli/main.ts), the dispatcher (main/rpc/dispatcher.ts,
 * behind Electron and the browser host) and the job worker thread (main/jobs/worker.ts); the
 * entry-points-register-kinds rule in .dependency-cruiser.cjs keeps it so.
 * A new kind: add it to ArtifactKind (shared/bundle.ts), write main/<kind>/kind.ts, register it here.
 */
import { registerArtifactKind } from './bundle/artifact-kinds.js';
import { filesKind } from './files/kind.js';
import { hfRepoKind } from './hf/kind.js';
import { ollamaModelKind } from './ollama/kind.js';
import { helmChartKind, imageKind } from './registry/kind.js';

for (const rules of [ollamaModelKind, hfRepoKind, imageKind, helmChartKind, filesKind]) registerArtifactKind(rules);
