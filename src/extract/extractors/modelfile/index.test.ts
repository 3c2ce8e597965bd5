import { describe, expect, it } from "vitest";
import { fileURLToPath } from "node:url";
import { modelfileExtractor, parseModelfile } from "./index.js";
import { extractFile } from "../../testing.js";

const FIX = fileURLToPath(new URL("./fixtures", import.meta.url));

describe("modelfile extractor", () => {
  it("makes the built model a component whose FROM and ADAPTER are references, and reads LICENSE", async () => {
    const out = await extractFile(modelfileExtractor, FIX, "Modelfile");
    expect(out.components?.[0]).toMatchObject({
      key: "Modelfile#",
      role: "model",
      license: "EXAONE AI Model License Agreement 1.1 - NC",
    });
    expect(out.references?.map((r) => [r.kind, r.target, r.relation, r.location.line, r.facts?.weightFormat])).toEqual([
      ["local-path", "EXAONE-3.5-7.8B-Instruct-Q8_0.gguf", "initialised-from", 2, "gguf"],
      ["local-path", "lora/ko-adapter.gguf", "adapter", 3, "gguf"],
    ]);
    expect(out.references?.every((r) => r.subject === "Modelfile#")).toBe(true);
  });

  it("reads library tags (case-insensitive keywords) and hf.co repos", async () => {
    const lib = await extractFile(modelfileExtractor, FIX, "library/Modelfile");
    expect(lib.references?.[0]).toMatchObject({ kind: "ollama-tag", target: "qwen2.5:7b" });
    const hf = await extractFile(modelfileExtractor, FIX, "hf/Modelfile");
    expect(hf.references?.[0]).toMatchObject({
      kind: "hub-id",
      target: "bartowski/Llama-3.2-3B-Instruct-GGUF",
      facts: { quantization: "Q4_K_M" },
    });
  });

  it("joins multi-line strings", () => {
    expect(parseModelfile('TEMPLATE """a\nb"""\nFROM x').map((i) => [i.keyword, i.value, i.line])).toEqual([
      ["TEMPLATE", "a\nb", 1],
      ["FROM", "x", 3],
    ]);
  });
});
