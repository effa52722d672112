export interface GgufDetails {
  architecture?: string;
  sizeLabel?: string;
  quantization?: string;
  contextLength?: number;
  parameterCount?: number;
}

function asNumber(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'bigint' && v <= BigInt(Number.MAX_SAFE_INTEGER)) return Number(v);
  return undefined;
}

function quantizationName(names: Record<number, string | undefined>, fileType: number | undefined): string | undefined {
  if (fileType === undefined) return undefined;
  const name = names[fileType];
  return name ?? `file_type ${fileType}`;
}

/**
 * Reads the GGUF header of a model blob. Only the header is read (the library fetches 2 MB
 * chunks as needed), never the weights. Anything that is not a readable GGUF yields {}:
 * a strange model layer must not stop a listing.
 */
export async function readGgufDetails(file: string): Promise<GgufDetails> {
  // Loaded with the first model read (it brings @huggingface/tasks, about 60 ms): commands that read
  // none start without it. Outside the try: a library missing from the install is not a strange layer.
  const { GGMLFileQuantizationType, gguf } = await import('@huggingface/gguf');
  try {
    const { metadata, parameterCount } = await gguf(file, { allowLocalFile: true, computeParametersCount: true });
    const meta = metadata as unknown as Record<string, unknown>;
    const architecture = typeof meta['general.architecture'] === 'string' ? (meta['general.architecture'] as string) : undefined;
    const details: GgufDetails = {
      architecture,
      sizeLabel: typeof meta['general.size_label'] === 'string' && meta['general.size_label'] !== '' ? (meta['general.size_label'] as string) : undefined,
      quantization: quantizationName(GGMLFileQuantizationType as unknown as Record<number, string | undefined>, asNumber(meta['general.file_type'])),
      contextLength: architecture ? asNumber(meta[`${architecture}.context_length`]) : undefined,
      parameterCount: Number.isSafeInteger(parameterCount) ? parameterCount : undefined,
    };
    for (const key of Object.keys(details) as (keyof GgufDetails)[]) if (details[key] === undefined) delete details[key];
    return details;
  } catch {
    return {};
  }
}
