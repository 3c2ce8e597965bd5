/**
 * safetensors header reader: the 8-byte little-endian header length, then the UTF-8 JSON header, and nothing else.
 * Never loads tensor data. Format and limits from huggingface/safetensors (README "Format"; `safetensors/src/tensor.rs`):
 * header length must be > 0 and at most {@link MAX_LOCAL_HEADER_BYTES}; the header must start with `{`; offsets are
 * relative to the byte buffer that follows the header, END is exclusive; the buffer must be covered with no holes or
 * overlaps; `end - begin` must equal the tensor's element count times its dtype width; `__metadata__` is string->string.
 */

/** Upper bound on a local header, as the reference implementation's MAX_HEADER_SIZE (100 MB). */
export const MAX_LOCAL_HEADER_BYTES = 100_000_000;
/** Upper bound on a remote header, as `@huggingface/hub`'s parseSafetensorsMetadata (25 MB). */
export const MAX_REMOTE_HEADER_BYTES = 25_000_000;

/** Bits per element of each safetensors dtype (sub-byte types included). */
export const DTYPE_BITS: Readonly<Record<string, number>> = {
  BOOL: 8, U8: 8, I8: 8, F8_E5M2: 8, F8_E4M3: 8, F8_E8M0: 8, F8_E4M3FNUZ: 8, F8_E5M2FNUZ: 8, E8M0: 8,
  I16: 16, U16: 16, F16: 16, BF16: 16,
  I32: 32, U32: 32, F32: 32,
  I64: 64, U64: 64, F64: 64, C64: 64,
  F4: 4, FP4: 4, F6_E2M3: 6, F6_E3M2: 6, UE8: 8,
};

/** One tensor entry of the header. Offsets are absolute in the file (8 + header length + relative offset). */
export interface TensorInfo {
  name: string;
  dtype: string;
  shape: number[];
  /** Absolute byte offset of the first byte in the file. */
  start: number;
  /** Absolute byte offset one past the last byte. */
  end: number;
}

/** A parsed header. */
export interface SafetensorsHeader {
  headerLength: number;
  /** Absolute offset where the tensor buffer starts (8 + headerLength). */
  dataStart: number;
  metadata: Record<string, string>;
  tensors: TensorInfo[];
}

/** The file is not a valid safetensors file; `message` says why. */
export class SafetensorsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SafetensorsError";
  }
}

/**
 * Reads the header length from the first 8 bytes.
 * @throws SafetensorsError when fewer than 8 bytes, zero, over `maxHeader`, or past the end of a `fileSize`-byte file.
 */
export function readHeaderLength(first8: Uint8Array, fileSize: number, maxHeader = MAX_LOCAL_HEADER_BYTES): number {
  if (first8.length < 8) throw new SafetensorsError(`file is ${first8.length} bytes, shorter than the 8-byte header length (HeaderTooSmall)`);
  const n = new DataView(first8.buffer, first8.byteOffset, 8).getBigUint64(0, true);
  if (n === 0n) throw new SafetensorsError("header length is 0");
  if (n > BigInt(maxHeader)) throw new SafetensorsError(`header length ${n} exceeds the ${maxHeader}-byte limit (HeaderTooLarge)`);
  if (8n + n > BigInt(fileSize)) throw new SafetensorsError(`header length ${n} runs past the end of the ${fileSize}-byte file (InvalidHeaderLength)`);
  return Number(n);
}

/**
 * Parses and validates the JSON header.
 * @param header the `headerLength` bytes after the first 8; @param fileSize total file size, for the coverage check
 *   (pass undefined when unknown, e.g. a remote file read by range).
 * @throws SafetensorsError on invalid UTF-8 or JSON, bad entries, overlapping or holed offsets, size mismatches.
 */
export function parseHeader(header: Uint8Array, fileSize?: number): SafetensorsHeader {
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(header);
  } catch {
    throw new SafetensorsError("header is not valid UTF-8 (InvalidHeader)");
  }
  if (!text.startsWith("{")) throw new SafetensorsError("header does not start with '{' (InvalidHeaderStart)");
  let json: unknown;
  try {
    json = JSON.parse(text.replace(/ +$/, ""));
  } catch (err) {
    throw new SafetensorsError(`header is not valid JSON: ${(err as Error).message} (InvalidHeaderDeserialization)`);
  }
  if (typeof json !== "object" || json === null || Array.isArray(json)) throw new SafetensorsError("header is not a JSON object");
  const dataStart = 8 + header.length;
  const metadata: Record<string, string> = {};
  const tensors: TensorInfo[] = [];
  for (const [name, v] of Object.entries(json as Record<string, unknown>)) {
    if (name === "__metadata__") {
      if (typeof v !== "object" || v === null || Array.isArray(v)) throw new SafetensorsError("__metadata__ is not an object");
      for (const [k, mv] of Object.entries(v as Record<string, unknown>)) {
        if (typeof mv !== "string") throw new SafetensorsError(`__metadata__.${k} is not a string`);
        metadata[k] = mv;
      }
      continue;
    }
    const e = v as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
    if (typeof e !== "object" || e === null) throw new SafetensorsError(`tensor ${name}: entry is not an object`);
    if (typeof e.dtype !== "string" || !(e.dtype in DTYPE_BITS)) throw new SafetensorsError(`tensor ${name}: unknown dtype ${JSON.stringify(e.dtype)}`);
    if (!Array.isArray(e.shape) || !e.shape.every((d) => Number.isSafeInteger(d) && (d as number) >= 0 && (d as number) <= 2 ** 32)) throw new SafetensorsError(`tensor ${name}: invalid shape ${JSON.stringify(e.shape)}`);
    if (!Array.isArray(e.data_offsets) || e.data_offsets.length !== 2 || !e.data_offsets.every((d) => Number.isSafeInteger(d) && (d as number) >= 0)) throw new SafetensorsError(`tensor ${name}: invalid data_offsets ${JSON.stringify(e.data_offsets)}`);
    const [b, en] = e.data_offsets as [number, number];
    if (en < b) throw new SafetensorsError(`tensor ${name}: data_offsets end ${en} before begin ${b} (InvalidOffset)`);
    const elements = (e.shape as number[]).reduce((a, d) => a * BigInt(d), 1n);
    const bits = elements * BigInt(DTYPE_BITS[e.dtype]!);
    if (bits % 8n !== 0n) throw new SafetensorsError(`tensor ${name}: size is not a whole number of bytes (MisalignedSlice)`);
    if (bits / 8n !== BigInt(en - b)) throw new SafetensorsError(`tensor ${name}: ${en - b} bytes for shape ${JSON.stringify(e.shape)} of ${e.dtype} needs ${bits / 8n} (TensorInvalidInfo)`);
    tensors.push({ name, dtype: e.dtype, shape: e.shape as number[], start: dataStart + b, end: dataStart + en });
  }
  const sorted = [...tensors].sort((a, b) => a.start - b.start || a.end - b.end);
  let expected = dataStart;
  for (const t of sorted) {
    if (t.start !== expected) throw new SafetensorsError(`tensor ${t.name}: starts at byte ${t.start - dataStart} of the buffer, expected ${expected - dataStart} (InvalidOffset: hole or overlap)`);
    expected = t.end;
  }
  if (fileSize !== undefined && expected !== fileSize) throw new SafetensorsError(`tensor data ends at byte ${expected} but the file has ${fileSize} bytes (MetadataIncompleteBuffer)`);
  tensors.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { headerLength: header.length, dataStart, metadata, tensors };
}

/**
 * Reads a header through a byte-range reader (a local file or a remote blob), reading only 8 + N bytes.
 * @param read returns bytes [start, end) of the file.
 * @throws SafetensorsError as {@link readHeaderLength} and {@link parseHeader}.
 */
export async function readSafetensorsHeader(read: (start: number, end: number) => Promise<Uint8Array>, fileSize: number, opts: { maxHeader?: number; checkCoverage?: boolean } = {}): Promise<SafetensorsHeader> {
  const n = readHeaderLength(await read(0, Math.min(8, fileSize)), fileSize, opts.maxHeader ?? MAX_LOCAL_HEADER_BYTES);
  return parseHeader(await read(8, 8 + n), opts.checkCoverage === false ? undefined : fileSize);
}
