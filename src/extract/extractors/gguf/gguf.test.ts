import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { checkGgufHeader, GgufError } from "../../../formats/gguf.js";
import { extractFile } from "../../testing.js";
import { ggufExtractor } from "./index.js";

const FIX = join(import.meta.dirname, "fixtures");
const LLAMA = "Meta-Llama-3.1-8B-Instruct-Q4_K_M.gguf";
const EXAONE = "EXAONE-3.5-7.8B-Instruct-abliterated-Q8_0.gguf";

async function run(bytes: Uint8Array) {
  const root = mkdtempSync(join(tmpdir(), "aiprov-gguf-"));
  writeFileSync(join(root, "m.gguf"), bytes);
  return extractFile(ggufExtractor, root, "m.gguf");
}

describe("gguf extractor", () => {
  it("reads a llama.cpp model file: architecture, tokenizer, licence, file type", async () => {
    const out = await extractFile(ggufExtractor, FIX, LLAMA);
    expect(out.components?.[0]).toMatchObject({
      role: "model",
      name: "Meta Llama 3.1 8B Instruct",
      license: "llama3.1",
      facts: {
        architecture: "llama",
        generalType: "model",
        tokenizerModel: "gpt2",
        tokenizerPre: "llama-bpe",
        fileType: 15,
        tensorCount: 0,
      },
    });
    expect(out.references).toEqual([]);
  });

  it("source is quantized-from; base_model.N with a repo_url is an id; a display name with a re-packager org stays an alias", async () => {
    const out = await extractFile(ggufExtractor, FIX, EXAONE);
    expect(out.components?.[0]?.license).toBe("other:exaone");
    const source = out.references!.find((r) => r.location.pointer === "/general.source.url");
    expect(source).toMatchObject({
      kind: "hub-id",
      target: "huihui-ai/EXAONE-3.5-7.8B-Instruct-abliterated",
      relation: "quantized",
      location: { pointer: "/general.source.url" },
    });
    const bases = out.references!.filter((r) => r.location.pointer?.startsWith("/general.base_model"));
    expect(bases.find((r) => r.kind === "hub-id")).toMatchObject({
      target: "LGAI-EXAONE/EXAONE-3.5-7.8B-Instruct",
      relation: "finetune",
    });
    expect(bases.find((r) => r.kind !== "hub-id")).toMatchObject({
      kind: "known-component",
      skipReason: "unknown-alias",
      facts: { organization: "Bartowski", organizationMayBeRepackager: true },
    });
    expect(bases.length).toBe(2);
  });

  it("an mmproj file is the vision tower of a multimodal model", async () => {
    const out = await extractFile(ggufExtractor, FIX, "mmproj-model-f16.gguf");
    expect(out.components?.[0]).toMatchObject({
      role: "vision-encoder",
      facts: { generalType: "mmproj", projectorType: "qwen2.5vl_merger" },
    });
    expect(out.references?.[0]?.target).toBe("Qwen/Qwen2.5-VL-7B-Instruct");
  });

  it("property: every truncation of a valid file is a diagnostic (the library alone would read zeros)", async () => {
    const good = readFileSync(join(FIX, EXAONE));
    // Bytes after the header are alignment padding (no tensors here): cutting only those leaves a valid header.
    const { headerEnd } = checkGgufHeader(good, good.length);
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: headerEnd - 1 }), async (cut) => {
        const out = await run(good.subarray(0, cut));
        expect(out.diagnostics?.[0]?.code).toBe("invalid-gguf");
        expect(out.components).toBeUndefined();
      }),
      { numRuns: 60 },
    );
  });

  it("property: corrupted bytes never throw or hang; counts and lengths are bounded by the file", async () => {
    const good = readFileSync(join(FIX, LLAMA));
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: good.length - 1 }),
        fc.integer({ min: 0, max: 255 }),
        async (at, byte) => {
          const bad = Buffer.from(good);
          bad[at] = byte;
          const out = await run(bad);
          expect((out.diagnostics?.length ?? 0) + (out.components?.length ?? 0)).toBeGreaterThan(0);
        },
      ),
      { numRuns: 80 },
    );
  });

  it("the structural check rejects lying counts without allocating", () => {
    const b = Buffer.alloc(24);
    b.write("GGUF", 0, "latin1");
    b.writeUInt32LE(3, 4);
    b.writeBigUInt64LE(0n, 8);
    b.writeBigUInt64LE(2n ** 40n, 16);
    expect(() => checkGgufHeader(b, b.length)).toThrow(GgufError);
    b.writeUInt32LE(1, 4);
    expect(() => checkGgufHeader(b, b.length)).toThrow(/version 1/);
    expect(() => checkGgufHeader(Buffer.from("PK\x03\x04"), 4)).toThrow(/magic/);
  });
});
