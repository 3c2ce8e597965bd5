import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  buildSafetensors,
  decodeFloats,
  encodeFloats,
  parseHeader,
  readSafetensorsHeader,
  SafetensorsError,
} from "./safetensors.js";

const enc = new TextEncoder();

/** Reads a header from an in-memory file the way a range reader would. */
function readBytes(file: Uint8Array) {
  return readSafetensorsHeader(async (s, e) => file.subarray(s, e), file.length);
}

const dtype = fc.constantFrom("F32", "F16", "BF16", "I8", "U8", "F64", "I64", "BOOL", "F4", "Q4", "");
const entry = fc.record({
  dtype,
  shape: fc.array(fc.integer({ min: -2, max: 40 }), { maxLength: 4 }),
  data_offsets: fc.array(fc.integer({ min: -5, max: 5000 }), { minLength: 0, maxLength: 3 }),
});
const header = fc.dictionary(
  fc.string({ maxLength: 12 }),
  fc.oneof(entry, fc.anything(), fc.dictionary(fc.string(), fc.string())),
  { maxKeys: 6 },
);

describe("safetensors header parser (property)", () => {
  it("random headers either parse or throw SafetensorsError, never anything else", () => {
    fc.assert(
      fc.property(header, fc.integer({ min: 0, max: 6000 }), (h, size) => {
        try {
          const r = parseHeader(enc.encode(JSON.stringify(h)), size);
          // When it parses, every tensor lies inside the file and the buffer is covered without holes.
          for (const t of r.tensors) expect(t.end).toBeLessThanOrEqual(size);
        } catch (err) {
          expect(err).toBeInstanceOf(SafetensorsError);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it("mutated valid files either parse or throw SafetensorsError", async () => {
    const valid = buildSafetensors([
      { name: "a.weight", dtype: "F32", shape: [4, 4], data: encodeFloats(new Float32Array(16).fill(0.5), "F32") },
      { name: "b.bias", dtype: "BF16", shape: [4], data: encodeFloats(new Float32Array(4), "BF16") },
    ]);
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.nat(valid.length - 1), fc.integer({ min: 0, max: 255 })), { maxLength: 8 }),
        fc.nat(valid.length),
        async (edits, cut) => {
          const f = valid.slice(0, Math.max(cut, 1));
          for (const [i, v] of edits) if (i < f.length) f[i] = v;
          try {
            const r = await readBytes(f);
            for (const t of r.tensors) expect(t.end).toBeLessThanOrEqual(f.length);
          } catch (err) {
            expect(err).toBeInstanceOf(SafetensorsError);
          }
        },
      ),
      { numRuns: 2000 },
    );
  });

  it("random bytes either parse or throw SafetensorsError", async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 300 }), async (bytes) => {
        await readBytes(bytes).then(
          () => undefined,
          (err: unknown) => expect(err).toBeInstanceOf(SafetensorsError),
        );
      }),
      { numRuns: 2000 },
    );
  });
});

describe("float decoding", () => {
  it("round-trips F32 exactly and F16/BF16 within their rounding", () => {
    const v = Float32Array.from([0, 1, -1, 0.02, -3.5e-3, 1234.5, 6.1e-5, 3e-7]);
    expect(Array.from(decodeFloats(encodeFloats(v, "F32"), "F32"))).toEqual(Array.from(v));
    const bf = decodeFloats(encodeFloats(v, "BF16"), "BF16");
    const hf = decodeFloats(encodeFloats(v, "F16"), "F16");
    v.forEach((x, i) => {
      expect(Math.abs(bf[i]! - x)).toBeLessThanOrEqual(Math.abs(x) * 2 ** -8);
      expect(Math.abs(hf[i]! - x)).toBeLessThanOrEqual(Math.abs(x) * 2 ** -11 + 2 ** -25);
    });
    // Known encodings: 1.0 is 0x3f80 in bfloat16 and 0x3c00 in binary16.
    expect(Array.from(encodeFloats(Float32Array.from([1]), "BF16"))).toEqual([0x80, 0x3f]);
    expect(Array.from(encodeFloats(Float32Array.from([1]), "F16"))).toEqual([0x00, 0x3c]);
  });

  it("refuses quantized dtypes", () => {
    expect(() => decodeFloats(new Uint8Array(4), "I8")).toThrow(SafetensorsError);
    expect(() => decodeFloats(new Uint8Array(4), "F8_E4M3")).toThrow(/only F32, F16, BF16/);
  });
});
