import { mkdtempSync, readFileSync, writeFileSync, openSync, ftruncateSync, closeSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { extractFile } from "../../testing.js";
import { safetensorsHeaderExtractor } from "./index.js";

const FIX = join(import.meta.dirname, "fixtures");
const GOOD = readFileSync(join(FIX, "model.safetensors"));

function header(len: bigint, json: Buffer | string, pad = 0): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigUInt64LE(len);
  return Buffer.concat([b, Buffer.isBuffer(json) ? json : Buffer.from(json), Buffer.alloc(pad)]);
}

async function run(bytes: Buffer) {
  const root = mkdtempSync(join(tmpdir(), "aiprov-st-"));
  writeFileSync(join(root, "model.safetensors"), bytes);
  return extractFile(safetensorsHeaderExtractor, root, "model.safetensors");
}

describe("safetensors-header extractor", () => {
  it("reads a Qwen2.5-VL-shaped header: tensor count, dtypes, the visual.* group", async () => {
    const out = await extractFile(safetensorsHeaderExtractor, FIX, "model.safetensors");
    const [weights, ...parts] = out.components!;
    expect(weights).toMatchObject({
      role: "other",
      facts: { tensorCount: 6, dtypes: ["BF16"], "metadata.format": "pt" },
    });
    expect(parts.map((p) => [p.role, p.facts?.tensorPrefix, p.facts?.tensorCount])).toEqual([
      ["vision-encoder", "visual.", 3],
    ]);
    expect(out.diagnostics ?? []).toEqual([]);
  });

  it("copies kohya LoRA metadata naming the base model", async () => {
    const out = await extractFile(safetensorsHeaderExtractor, FIX, "lora-kohya.safetensors");
    expect(out.components![0]!.facts).toMatchObject({
      "metadata.ss_sd_model_name": "runwayml/stable-diffusion-v1-5",
      "metadata.ss_base_model_version": "sd_v1",
    });
  });

  it("malformed files yield a diagnostic, never an exception", async () => {
    const cases: [string, Buffer][] = [
      ["shorter than 8 bytes", Buffer.from([1, 2, 3])],
      ["length past EOF", header(10_000n, '{"a":1}')],
      ["200 MB claimed header", header(200_000_000n, "{}")],
      ["invalid UTF-8", header(4n, Buffer.from([0x7b, 0xff, 0xfe, 0x7d]))],
      ["not JSON", header(4n, "{abc")],
      [
        "lying offsets",
        header(
          BigInt('{"t":{"dtype":"F32","shape":[2],"data_offsets":[0,16]}}'.length),
          '{"t":{"dtype":"F32","shape":[2],"data_offsets":[0,16]}}',
          8,
        ),
      ],
      ["truncated data", GOOD.subarray(0, GOOD.length - 3)],
    ];
    for (const [what, bytes] of cases) {
      const out = await run(bytes);
      expect(out.diagnostics?.[0]?.code, what).toBe("invalid-safetensors");
      expect(out.components, what).toBeUndefined();
    }
  });

  it("property: any truncation or byte corruption of a valid file is a diagnostic or a valid reading", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: GOOD.length - 1 }),
        fc.integer({ min: 0, max: GOOD.length - 1 }),
        fc.integer({ min: 0, max: 255 }),
        async (cut, at, byte) => {
          const truncated = await run(GOOD.subarray(0, cut));
          expect(truncated.diagnostics?.[0]?.code).toBe("invalid-safetensors");
          const corrupt = Buffer.from(GOOD);
          corrupt[at] = byte;
          const out = await run(corrupt);
          expect(out.diagnostics?.length === 1 || out.components!.length >= 1).toBe(true);
        },
      ),
      { numRuns: 60 },
    );
  });

  it("property: any claimed header length is checked before anything is read", async () => {
    const root = mkdtempSync(join(tmpdir(), "aiprov-st-"));
    const path = join(root, "model.safetensors");
    await fc.assert(
      fc.asyncProperty(fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }), async (n) => {
        writeFileSync(path, header(n, "{}"));
        const out = await extractFile(safetensorsHeaderExtractor, root, "model.safetensors");
        if (n === 2n) expect(out.components?.[0]?.facts?.tensorCount).toBe(0);
        else expect(out.diagnostics?.[0]?.code).toBe("invalid-safetensors");
      }),
      { numRuns: 100 },
    );
    // A sparse 300 MB file claiming a 200 MB header: refused by the limit, not read.
    const fd = openSync(path, "w");
    ftruncateSync(fd, 300_000_000);
    closeSync(fd);
    const big = Buffer.alloc(8);
    big.writeBigUInt64LE(200_000_000n);
    const fd2 = openSync(path, "r+");
    writeFileSync(fd2, big);
    closeSync(fd2);
    const out = await extractFile(safetensorsHeaderExtractor, root, "model.safetensors");
    rmSync(root, { recursive: true, force: true });
    expect(out.diagnostics?.[0]?.message).toMatch(/HeaderTooLarge/);
  });
});
