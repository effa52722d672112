import fs from 'node:fs/promises';
import type { GgufDetails } from './gguf-details.js';

export interface OllamaModelDetails {
  format?: string;
  family?: string;
  families?: string[];
  modelType?: string;
  parameters?: string;
  parameterCount?: number;
  quantization?: string;
  architecture?: string;
  contextLength?: number;
}

/** Where a cloud model runs: Ollama marks a stub with remote_host / remote_model in its config (types/model/config.go). */
export interface OllamaRemote {
  host?: string;
  model?: string;
}

// Ollama's config blob is a few hundred bytes; anything huge is not one and is not worth reading.
const MAX_CONFIG_BYTES = 1 << 20;

export async function readConfigJson(file: string): Promise<Record<string, unknown>> {
  try {
    const stat = await fs.stat(file);
    if (stat.size > MAX_CONFIG_BYTES) return {};
    const json: unknown = JSON.parse(await fs.readFile(file, 'utf8'));
    return json && typeof json === 'object' && !Array.isArray(json) ? (json as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

function nonEmptyString(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/** Config blob wins where it says something; the GGUF header fills the gaps. */
export function mergeDetails(config: Record<string, unknown>, gguf: GgufDetails): OllamaModelDetails {
  const families =
    Array.isArray(config.model_families) && config.model_families.every((f) => typeof f === 'string') ? (config.model_families as string[]) : undefined;
  const modelType = nonEmptyString(config.model_type);
  const details: OllamaModelDetails = {
    format: nonEmptyString(config.model_format) ?? (gguf.architecture ? 'gguf' : undefined),
    family: nonEmptyString(config.model_family) ?? gguf.architecture,
    families: families && families.length > 0 ? families : gguf.architecture ? [gguf.architecture] : undefined,
    modelType,
    parameters: modelType ?? gguf.sizeLabel ?? (gguf.parameterCount !== undefined ? humanCount(gguf.parameterCount) : undefined),
    parameterCount: gguf.parameterCount,
    quantization: nonEmptyString(config.file_type) ?? gguf.quantization,
    architecture: gguf.architecture,
    contextLength: gguf.contextLength,
  };
  for (const key of Object.keys(details) as (keyof OllamaModelDetails)[]) if (details[key] === undefined) delete details[key];
  return details;
}

/** 8030261248 → "8.0B", 135000000 → "135M": the style of Ollama's parameter_size. */
export function humanCount(n: number): string {
  const units: [number, string][] = [
    [1e12, 'T'],
    [1e9, 'B'],
    [1e6, 'M'],
    [1e3, 'K'],
  ];
  for (const [scale, suffix] of units) {
    if (n >= scale) {
      const v = n / scale;
      return `${Number.isInteger(v) ? v.toFixed(0) : v.toFixed(1)}${suffix}`;
    }
  }
  return String(n);
}

/** The remote a cloud stub points at, or undefined for a model with local weights (as Ollama decides: either field set). */
export function remoteOf(config: Record<string, unknown>): OllamaRemote | undefined {
  const host = nonEmptyString(config.remote_host);
  const model = nonEmptyString(config.remote_model);
  if (host === undefined && model === undefined) return undefined;
  return { ...(host !== undefined ? { host } : {}), ...(model !== undefined ? { model } : {}) };
}

/** Why a cloud model is not carried, as a phrase. */
export function cloudModelReason(remote: OllamaRemote): string {
  const where = remote.host ? `on ${remote.host}` : `remotely as ${remote.model}`;
  return `a cloud model: it runs ${where}, and this store holds no weights for it to carry`;
}
