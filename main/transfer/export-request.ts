import path from 'node:path';
import type { ExportRequest as UiExportRequest } from '../../shared/rpc.js';
import type { RegistryAccess } from '../registry/clients.js';

/** An export as the engine runs it (the CLI builds it from flags, the wizard's request maps onto it). */
export interface ExportRequest {
  /** The bundle folder itself. */
  out: string;
  name?: string;
  volumeSize: number;
  ollama?: { store: string; models: string[] };
  /** Image and chart references (docker.io/library/nginx:1.27.3, oci://ghcr.io/org/charts/app:1.2.0). */
  images?: string[];
  charts?: string[];
  /** OS/ARCH[/VARIANT] to keep from multi-platform images; none means all. */
  platforms?: string[];
  registry?: RegistryAccess;
  /** Hugging Face repo revisions ([datasets/|spaces/]ORG/NAME[@REF|@COMMIT]) from a cache. */
  hf?: { cache: string; repos: string[] };
  /** Files or folders, each carried as one plain-file artifact. */
  files?: string[];
  /** Ferry's own installer (AppImage, deb or exe), carried as a plain-file artifact marked as such. */
  installer?: string;
}

/** The wizard's export request (a destination folder and a bundle name) as the engine takes it. */
export function exportRequestOf(r: UiExportRequest): ExportRequest {
  return {
    out: path.join(r.destination, r.name),
    name: r.name,
    volumeSize: r.volumeSize,
    ...(r.models.length > 0 && r.store ? { ollama: { store: r.store, models: r.models } } : {}),
    images: r.images,
    charts: r.charts,
    platforms: r.platforms,
    ...(r.registry ? { registry: r.registry } : {}),
    ...(r.hf.length > 0 && r.hfCache ? { hf: { cache: r.hfCache, repos: r.hf } } : {}),
    files: r.files,
  };
}
