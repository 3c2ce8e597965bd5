import { trimEndChars } from "../util/text.js";
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
  BOOL: 8,
  U8: 8,
  I8: 8,
  F8_E5M2: 8,
  F8_E4M3: 8,
  F8_E8M0: 8,
  F8_E4M3FNUZ: 8,
  F8_E5M2FNUZ: 8,
  E8M0: 8,
  I16: 16,
  U16: 16,
  F16: 16,
  BF16: 16,
  I32: 32,
  U32: 32,
  F32: 32,
  I64: 64,
  U64: 64,
  F64: 64,
  C64: 64,
  F4: 4,
  FP4: 4,
  F6_E2M3: 6,
  F6_E3M2: 6,
  UE8: 8,
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
  if (first8.length < 8)
    throw new SafetensorsError(
      `file is ${first8.length} bytes, shorter than the 8-byte header length (HeaderTooSmall)`,
    );
  const n = new DataView(first8.buffer, first8.byteOffset, 8).getBigUint64(0, true);
  if (n === 0n) throw new SafetensorsError("header length is 0");
  if (n > BigInt(maxHeader))
    throw new SafetensorsError(`header length ${n} exceeds the ${maxHeader}-byte limit (HeaderTooLarge)`);
  if (8n + n > BigInt(fileSize))
    throw new SafetensorsError(
      `header length ${n} runs past the end of the ${fileSize}-byte file (InvalidHeaderLength)`,
    );
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
    json = JSON.parse(trimEndChars(text, " "));
  } catch (err) {
    throw new SafetensorsError(`header is not valid JSON: ${(err as Error).message} (InvalidHeaderDeserialization)`);
  }
  if (typeof json !== "object" || json === null || Array.isArray(json))
    throw new SafetensorsError("header is not a JSON object");
  const dataStart = 8 + header.length;
  const metadata: Record<string, string> = {};
  const tensors: TensorInfo[] = [];
  for (const [name, v] of Object.entries(json as Record<string, unknown>)) {
    if (name === "__metadata__") {
      if (typeof v !== "object" || v === null || Array.isArray(v))
        throw new SafetensorsError("__metadata__ is not an object");
      for (const [k, mv] of Object.entries(v as Record<string, unknown>)) {
        if (typeof mv !== "string") throw new SafetensorsError(`__metadata__.${k} is not a string`);
        metadata[k] = mv;
      }
      continue;
    }
    const e = v as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
    if (typeof e !== "object" || e === null) throw new SafetensorsError(`tensor ${name}: entry is not an object`);
    if (typeof e.dtype !== "string" || !(e.dtype in DTYPE_BITS))
      throw new SafetensorsError(`tensor ${name}: unknown dtype ${JSON.stringify(e.dtype)}`);
    if (
      !Array.isArray(e.shape) ||
      !e.shape.every((d) => Number.isSafeInteger(d) && (d as number) >= 0 && (d as number) <= 2 ** 32)
    )
      throw new SafetensorsError(`tensor ${name}: invalid shape ${JSON.stringify(e.shape)}`);
    if (
      !Array.isArray(e.data_offsets) ||
      e.data_offsets.length !== 2 ||
      !e.data_offsets.every((d) => Number.isSafeInteger(d) && (d as number) >= 0)
    )
      throw new SafetensorsError(`tensor ${name}: invalid data_offsets ${JSON.stringify(e.data_offsets)}`);
    const [b, en] = e.data_offsets as [number, number];
    if (en < b) throw new SafetensorsError(`tensor ${name}: data_offsets end ${en} before begin ${b} (InvalidOffset)`);
    const elements = (e.shape as number[]).reduce((a, d) => a * BigInt(d), 1n);
    const bits = elements * BigInt(DTYPE_BITS[e.dtype]!);
    if (bits % 8n !== 0n)
      throw new SafetensorsError(`tensor ${name}: size is not a whole number of bytes (MisalignedSlice)`);
    if (bits / 8n !== BigInt(en - b))
      throw new SafetensorsError(
        `tensor ${name}: ${en - b} bytes for shape ${JSON.stringify(e.shape)} of ${e.dtype} needs ${bits / 8n} (TensorInvalidInfo)`,
      );
    tensors.push({ name, dtype: e.dtype, shape: e.shape as number[], start: dataStart + b, end: dataStart + en });
  }
  const sorted = [...tensors].sort((a, b) => a.start - b.start || a.end - b.end);
  let expected = dataStart;
  for (const t of sorted) {
    if (t.start !== expected)
      throw new SafetensorsError(
        `tensor ${t.name}: starts at byte ${t.start - dataStart} of the buffer, expected ${expected - dataStart} (InvalidOffset: hole or overlap)`,
      );
    expected = t.end;
  }
  if (fileSize !== undefined && expected !== fileSize)
    throw new SafetensorsError(
      `tensor data ends at byte ${expected} but the file has ${fileSize} bytes (MetadataIncompleteBuffer)`,
    );
  tensors.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { headerLength: header.length, dataStart, metadata, tensors };
}

/**
 * Reads a header through a byte-range reader (a local file or a remote blob), reading only 8 + N bytes.
 * @param read returns bytes [start, end) of the file.
 * @throws SafetensorsError as {@link readHeaderLength} and {@link parseHeader}.
 */
export async function readSafetensorsHeader(
  read: (start: number, end: number) => Promise<Uint8Array>,
  fileSize: number,
  opts: { maxHeader?: number; checkCoverage?: boolean } = {},
): Promise<SafetensorsHeader> {
  const n = readHeaderLength(await read(0, Math.min(8, fileSize)), fileSize, opts.maxHeader ?? MAX_LOCAL_HEADER_BYTES);
  return parseHeader(await read(8, 8 + n), opts.checkCoverage === false ? undefined : fileSize);
}

/** Floating-point dtypes whose values aiprov decodes and compares (converted to float32 in bounded chunks). */
export const COMPARABLE_DTYPES: ReadonlySet<string> = new Set(["F32", "F16", "BF16"]);

/** Relative rounding step (unit roundoff) of each comparable dtype: 2^-(mantissa bits). */
export const DTYPE_UNIT_ROUNDOFF: Readonly<Record<string, number>> = { F32: 2 ** -24, F16: 2 ** -11, BF16: 2 ** -8 };

const F16_TABLE = ((): Float32Array => {
  const t = new Float32Array(65536);
  for (let h = 0; h < 65536; h++) {
    const s = h & 0x8000 ? -1 : 1;
    const e = (h >> 10) & 0x1f;
    const m = h & 0x3ff;
    t[h] = e === 0 ? s * m * 2 ** -24 : e === 31 ? (m ? NaN : s * Infinity) : s * (1 + m / 1024) * 2 ** (e - 15);
  }
  return t;
})();

/**
 * Decodes little-endian F32, F16 or BF16 bytes into float32 values (IEEE 754 binary32/binary16; bfloat16 is the top
 * 16 bits of a binary32). `bytes.length` must be a multiple of the dtype width.
 * @param out optional buffer to fill (at least `bytes.length / width` long); a new one is allocated otherwise.
 * @returns the decoded values (a view of `out` when given).
 * @throws SafetensorsError for any other dtype (quantized and integer dtypes are not compared).
 */
export function decodeFloats(bytes: Uint8Array, dtype: string, out?: Float32Array): Float32Array {
  const width = dtype === "F32" ? 4 : dtype === "F16" || dtype === "BF16" ? 2 : 0;
  if (width === 0) throw new SafetensorsError(`dtype ${dtype} is not decoded (only F32, F16, BF16 are compared)`);
  const n = Math.floor(bytes.length / width);
  const res = out ? out.subarray(0, n) : new Float32Array(n);
  if (dtype === "F32") {
    if (bytes.byteOffset % 4 === 0) res.set(new Float32Array(bytes.buffer, bytes.byteOffset, n));
    else res.set(new Float32Array(bytes.slice(0, n * 4).buffer));
    return res;
  }
  const u16 =
    bytes.byteOffset % 2 === 0
      ? new Uint16Array(bytes.buffer, bytes.byteOffset, n)
      : new Uint16Array(bytes.slice(0, n * 2).buffer);
  if (dtype === "F16") {
    for (let i = 0; i < n; i++) res[i] = F16_TABLE[u16[i]!]!;
    return res;
  }
  const u32 = new Uint32Array(res.buffer, res.byteOffset, n);
  for (let i = 0; i < n; i++) u32[i] = u16[i]! << 16;
  return res;
}

/**
 * Encodes float32 values as little-endian F32, F16 (round to nearest even) or BF16 (round to nearest even) bytes.
 * Used by tests, benchmarks and calibration to write generated models.
 * @throws SafetensorsError for other dtypes.
 */
export function encodeFloats(values: Float32Array, dtype: string): Uint8Array {
  if (dtype === "F32")
    return new Uint8Array(values.buffer.slice(values.byteOffset, values.byteOffset + values.byteLength));
  const out = new Uint16Array(values.length);
  const f = new Float32Array(1);
  const u = new Uint32Array(f.buffer);
  if (dtype === "BF16") {
    for (let i = 0; i < values.length; i++) {
      f[0] = values[i]!;
      const x = u[0]!;
      out[i] = (x + 0x7fff + ((x >>> 16) & 1)) >>> 16;
    }
  } else if (dtype === "F16") {
    for (let i = 0; i < values.length; i++) out[i] = toHalf(values[i]!);
  } else throw new SafetensorsError(`dtype ${dtype} is not encoded (only F32, F16, BF16)`);
  return new Uint8Array(out.buffer);
}

function toHalf(v: number): number {
  const sign = v < 0 || Object.is(v, -0) ? 0x8000 : 0;
  const a = Math.abs(v);
  if (Number.isNaN(v)) return 0x7e00;
  if (a >= 65520) return sign | 0x7c00;
  if (a < 2 ** -24 / 2) return sign;
  if (a < 2 ** -14) return sign | Math.round(a / 2 ** -24);
  let e = Math.floor(Math.log2(a));
  let m = Math.round((a / 2 ** e - 1) * 1024);
  if (m === 1024) {
    m = 0;
    e += 1;
  }
  return sign | ((e + 15) << 10) | m;
}

/**
 * Builds a complete safetensors file in memory (header padded with spaces to a multiple of 8, tensors in the given
 * order). For tests, calibration and benchmarks; tensors are given as already-encoded bytes.
 */
export function buildSafetensors(
  tensors: readonly { name: string; dtype: string; shape: number[]; data: Uint8Array }[],
  metadata?: Record<string, string>,
): Uint8Array {
  const header: Record<string, unknown> = {};
  if (metadata) header.__metadata__ = metadata;
  let off = 0;
  for (const t of tensors) {
    header[t.name] = { dtype: t.dtype, shape: t.shape, data_offsets: [off, off + t.data.length] };
    off += t.data.length;
  }
  const raw = new TextEncoder().encode(JSON.stringify(header));
  const hb = new Uint8Array(raw.length + ((8 - (raw.length % 8)) % 8)).fill(0x20);
  hb.set(raw);
  const out = new Uint8Array(8 + hb.length + off);
  new DataView(out.buffer).setBigUint64(0, BigInt(hb.length), true);
  out.set(hb, 8);
  let p = 8 + hb.length;
  for (const t of tensors) {
    out.set(t.data, p);
    p += t.data.length;
  }
  return out;
}
