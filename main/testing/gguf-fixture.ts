/** Builds GGUF v3 headers for tests: real bytes in the on-disk layout llama.cpp writes. */

export interface GgufTensorSpec {
  name: string;
  dims: number[];
  /** A GGMLQuantizationType number: 0 F32, 1 F16, 8 Q8_0, 12 Q4_K ... */
  type: number;
}

export interface GgufHeaderOptions {
  architecture: string;
  name?: string;
  sizeLabel?: string;
  /** A GGMLFileQuantizationType number, e.g. 15 for Q4_K_M. */
  fileType?: number;
  contextLength?: number;
  tensors?: GgufTensorSpec[];
}

const ALIGNMENT = 32;
const TYPE_UINT32 = 4;
const TYPE_STRING = 8;

function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n);
  return b;
}

function u64(n: number | bigint): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigUInt64LE(BigInt(n));
  return b;
}

function ggufString(s: string): Buffer {
  const bytes = Buffer.from(s, 'utf8');
  return Buffer.concat([u64(bytes.length), bytes]);
}

// [elements per block, bytes per block] for the types tests use; anything else counts 1 byte per element.
const BLOCK: Record<number, [number, number]> = {
  0: [1, 4], // F32
  1: [1, 2], // F16
  2: [32, 18], // Q4_0
  8: [32, 34], // Q8_0
  12: [256, 144], // Q4_K
  14: [256, 210], // Q6_K
  30: [1, 2], // BF16
};

function tensorBytes(t: GgufTensorSpec): number {
  const elements = t.dims.reduce((a, b) => a * b, 1);
  const [perBlock, blockBytes] = BLOCK[t.type] ?? [1, 1];
  return Math.ceil(elements / perBlock) * blockBytes;
}

/** Bytes of tensor data the header's tensors describe, each padded to the alignment. */
export function ggufTensorDataSize(tensors: GgufTensorSpec[]): number {
  return tensors.reduce((sum, t) => sum + Math.ceil(tensorBytes(t) / ALIGNMENT) * ALIGNMENT, 0);
}

/** The header only: magic, version, counts, key/values, tensor infos, padding to 32 bytes. */
export function makeGgufHeader(opts: GgufHeaderOptions): Buffer {
  const kv: Buffer[] = [];
  const addString = (key: string, value: string) => kv.push(Buffer.concat([ggufString(key), u32(TYPE_STRING), ggufString(value)]));
  const addU32 = (key: string, value: number) => kv.push(Buffer.concat([ggufString(key), u32(TYPE_UINT32), u32(value)]));

  addString('general.architecture', opts.architecture);
  if (opts.name !== undefined) addString('general.name', opts.name);
  if (opts.sizeLabel !== undefined) addString('general.size_label', opts.sizeLabel);
  if (opts.fileType !== undefined) addU32('general.file_type', opts.fileType);
  if (opts.contextLength !== undefined) addU32(`${opts.architecture}.context_length`, opts.contextLength);

  const tensors = opts.tensors ?? [];
  const infos: Buffer[] = [];
  let offset = 0;
  for (const t of tensors) {
    infos.push(Buffer.concat([ggufString(t.name), u32(t.dims.length), ...t.dims.map((d) => u64(d)), u32(t.type), u64(offset)]));
    offset += Math.ceil(tensorBytes(t) / ALIGNMENT) * ALIGNMENT;
  }

  const body = Buffer.concat([Buffer.from('GGUF', 'latin1'), u32(3), u64(tensors.length), u64(kv.length), ...kv, ...infos]);
  const padded = Math.ceil(body.length / ALIGNMENT) * ALIGNMENT;
  return Buffer.concat([body, Buffer.alloc(padded - body.length)]);
}
