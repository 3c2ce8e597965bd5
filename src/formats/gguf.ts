/**
 * A bounded structural check of a GGUF header, run before `@huggingface/gguf` parses the file. The library reads
 * past the end of a local file as zeros and trusts every count and length it meets, so a truncated file yields
 * garbage and a lying array length can make it loop for a very long time; this walk enforces the format's limits
 * without allocating anything proportional to a claimed size.
 *
 * Layout (ggml `docs/gguf.md`, https://github.com/ggml-org/ggml/blob/master/docs/gguf.md): magic `GGUF`, uint32
 * version (2 or 3: version 1 used 32-bit counts and is obsolete), uint64 tensor count, uint64 metadata KV count;
 * then each KV as a string key (uint64 length + UTF-8), a uint32 value type and the value (strings and arrays carry
 * uint64 lengths; arrays a uint32 element type first); then each tensor info as a name, uint32 n_dims, n_dims uint64
 * dims, uint32 ggml type, uint64 offset. Little-endian is assumed; a big-endian file is detected by its version.
 */

/** The file is not a GGUF file within the limits; `message` says why. */
export class GgufError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "GgufError";
  }
}

/** Limits enforced by {@link checkGgufHeader}. */
export const GGUF_LIMITS = {
  /** Metadata key-value pairs (real files hold under 100). */
  maxKv: 65_536,
  /** Tensors (the largest released models hold under 10,000). */
  maxTensors: 1_048_576,
  /** Bytes of one key (ggml caps keys at 65,535). */
  maxKeyBytes: 65_535,
  /** Dimensions of one tensor (ggml's GGML_MAX_DIMS is 4). */
  maxDims: 8,
  /** Array nesting depth. */
  maxDepth: 4,
} as const;

/** Fixed sizes of the scalar value types (GGUF value type id -> bytes); 8 = string and 9 = array are variable. */
const SCALAR_BYTES: Record<number, number> = { 0: 1, 1: 1, 2: 2, 3: 2, 4: 4, 5: 4, 6: 4, 7: 1, 10: 8, 11: 8, 12: 8 };

/** What the walk learned. */
export interface GgufHeaderShape {
  version: number;
  tensorCount: number;
  kvCount: number;
  /** Byte offset one past the last tensor info (the data section starts at the next alignment boundary). */
  headerEnd: number;
}

/**
 * Walks the header in `bytes` (the first bytes of a `fileSize`-byte file).
 * @throws GgufError on a wrong magic or version, a count past the limits, a length that runs past the bytes or the
 *   file, an unknown value type, or when `bytes` ends before the header does (`needMore` is then set on the error).
 */
export function checkGgufHeader(bytes: Uint8Array, fileSize: number): GgufHeaderShape {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const available = Math.min(bytes.length, fileSize);
  let pos = 0;
  const need = (n: number, what: string): void => {
    if (pos + n > fileSize)
      throw new GgufError(`${what} at byte ${pos} runs past the end of the ${fileSize}-byte file (truncated)`);
    if (pos + n > available)
      throw Object.assign(new GgufError(`${what} at byte ${pos} lies past the ${available} bytes read`), {
        needMore: true,
      });
  };
  const u32 = (what: string): number => {
    need(4, what);
    const v = view.getUint32(pos, true);
    pos += 4;
    return v;
  };
  const u64 = (what: string): number => {
    need(8, what);
    const v = view.getBigUint64(pos, true);
    pos += 8;
    if (v > BigInt(Number.MAX_SAFE_INTEGER))
      throw new GgufError(`${what} at byte ${pos - 8} is ${v}, beyond any real file`);
    return Number(v);
  };
  const skipString = (what: string, max = Number.MAX_SAFE_INTEGER): void => {
    const n = u64(`${what} length`);
    if (n > max) throw new GgufError(`${what} is ${n} bytes, over the ${max}-byte limit`);
    need(n, what);
    pos += n;
  };
  const skipValue = (type: number, what: string, depth: number): void => {
    const fixed = SCALAR_BYTES[type];
    if (fixed !== undefined) {
      need(fixed, what);
      pos += fixed;
    } else if (type === 8) skipString(what);
    else if (type === 9) {
      if (depth >= GGUF_LIMITS.maxDepth)
        throw new GgufError(`${what}: arrays nested deeper than ${GGUF_LIMITS.maxDepth}`);
      const sub = u32(`${what} element type`);
      const n = u64(`${what} element count`);
      const w = SCALAR_BYTES[sub];
      if (w !== undefined) {
        // A fixed-width array must fit in what is left of the file: no loop over a claimed count.
        if (n * w > fileSize - pos)
          throw new GgufError(
            `${what}: ${n} elements of ${w} bytes run past the end of the file (truncated or corrupt)`,
          );
        need(n * w, what);
        pos += n * w;
      } else {
        // Each variable element takes at least 8 bytes (its length): bound the count by the bytes left.
        if (n * 8 > fileSize - pos)
          throw new GgufError(`${what}: ${n} elements cannot fit in the rest of the file (truncated or corrupt)`);
        for (let i = 0; i < n; i++) skipValue(sub, what, depth + 1);
      }
    } else throw new GgufError(`${what}: unknown value type ${type}`);
  };

  need(4, "magic");
  if (bytes[0] !== 0x47 || bytes[1] !== 0x47 || bytes[2] !== 0x55 || bytes[3] !== 0x46)
    throw new GgufError("not a GGUF file (magic is not 'GGUF')");
  pos = 4;
  const version = u32("version");
  if (version === 1) throw new GgufError("GGUF version 1 (32-bit counts, obsolete since 2023) is not supported");
  if (version !== 2 && version !== 3)
    throw new GgufError(`unsupported GGUF version ${version}${version > 0xffff ? " (a big-endian file?)" : ""}`);
  const tensorCount = u64("tensor count");
  if (tensorCount > GGUF_LIMITS.maxTensors)
    throw new GgufError(`tensor count ${tensorCount} is over the ${GGUF_LIMITS.maxTensors} limit`);
  const kvCount = u64("metadata count");
  if (kvCount > GGUF_LIMITS.maxKv)
    throw new GgufError(`metadata count ${kvCount} is over the ${GGUF_LIMITS.maxKv} limit`);
  for (let i = 0; i < kvCount; i++) {
    skipString(`metadata key #${i}`, GGUF_LIMITS.maxKeyBytes);
    skipValue(u32(`metadata #${i} type`), `metadata #${i}`, 0);
  }
  for (let i = 0; i < tensorCount; i++) {
    skipString(`tensor #${i} name`, GGUF_LIMITS.maxKeyBytes);
    const dims = u32(`tensor #${i} n_dims`);
    if (dims > GGUF_LIMITS.maxDims)
      throw new GgufError(`tensor #${i} has ${dims} dimensions, over the ${GGUF_LIMITS.maxDims} limit`);
    need(dims * 8 + 12, `tensor #${i} info`);
    pos += dims * 8 + 12;
  }
  return { version, tensorCount, kvCount, headerEnd: pos };
}
