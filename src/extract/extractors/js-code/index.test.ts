import { describe, expect, it } from "vitest";
import { fileURLToPath } from "node:url";
import { jsCodeExtractor } from "./index.js";
import { runOn } from "../../test-run.js";

const FIX = fileURLToPath(new URL("./fixtures", import.meta.url));

describe("js-code extractor", () => {
  it("reads transformers.js pipeline calls: constants resolve, run-time models and revisions stay dynamic", async () => {
    const out = await runOn(jsCodeExtractor, FIX, "worker.js");
    const refs = out.references ?? [];
    expect(refs.find((r) => r.location.line === 9)).toMatchObject({ skipReason: "dynamic-value", facts: { expression: "this.model" } });
    expect(refs.find((r) => r.location.line === 9)?.facts?.revisionExpression).toMatch(/no_attentions/);
    expect(refs.find((r) => r.location.line === 19)).toMatchObject({ target: "Xenova/all-MiniLM-L6-v2", facts: { variable: "EMBEDDER", library: "@xenova/transformers" } });
    expect(refs.find((r) => r.location.line === 20)).toMatchObject({ target: "Xenova/vit-gpt2-image-captioning", revision: "main", facts: { dtype: "q8" } });
  });

  it("reads model-named keys and keeps dataset URLs and MIME types out", async () => {
    const out = await runOn(jsCodeExtractor, FIX, "Constants.ts");
    expect(out.references?.map((r) => [r.target, r.location.line])).toEqual([["Xenova/whisper-tiny", 5]]);
  });

  it("reads a model menu whose keys are Hub ids (TSX)", async () => {
    const out = await runOn(jsCodeExtractor, FIX, "AudioManager.tsx");
    expect(out.references?.filter((r) => !r.skipReason).map((r) => r.target)).toEqual(["Xenova/whisper-tiny", "Xenova/whisper-base", "distil-whisper/distil-medium.en"]);
    // The menu's setter chooses the model at run time.
    expect(out.references?.filter((r) => r.skipReason)).toMatchObject([{ skipReason: "dynamic-value", location: { line: 8 }, facts: { setter: "setModel", expression: "e.target.value" } }]);
  });

  it("reads @huggingface/inference calls and from_pretrained, with process.env as ${VAR}", async () => {
    const out = await runOn(jsCodeExtractor, FIX, "inference.mjs");
    const refs = out.references ?? [];
    expect(refs.map((r) => r.target ?? r.raw)).toEqual(["meta-llama/Llama-3.1-8B-Instruct", "onnx-community/Qwen2.5-0.5B-Instruct", "${TOKENIZER_ID}"]);
    expect(refs[2]).toMatchObject({ role: "tokenizer", skipReason: "dynamic-value" });
  });

  it("does not want minified bundles or type declarations", () => {
    expect(jsCodeExtractor.matches("dist/app.js", "app.js")).toBe(false);
    expect(jsCodeExtractor.matches("src/types.d.ts", "types.d.ts")).toBe(false);
    expect(jsCodeExtractor.matches("src/app.tsx", "app.tsx")).toBe(true);
  });
});
