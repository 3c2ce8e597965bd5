import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { extractAndLink, extractFile } from "../../testing.js";
import { hfConfigExtractor } from "../hf-config/index.js";
import { quantizationConfigExtractor } from "./index.js";

const FIX = join(import.meta.dirname, "fixtures");

describe("quantization-config extractor", () => {
  it("Molmo NF4: bitsandbytes 4-bit with the vision backbone left unquantized", async () => {
    const out = await extractFile(quantizationConfigExtractor, FIX, "molmo-7b-d-nf4-quant/config.json");
    expect(out.folders?.[0]?.facts).toMatchObject({ quantMethod: "bitsandbytes", quantBits: 4, quantType: "nf4" });
    expect(out.folders?.[0]?.facts?.quantSkippedModules).toContain("model.vision_backbone");
    expect(out.folders?.[0]?.location.line).toBe(24);
  });

  it("EXAONE W8A8: compressed-tensors scheme from config_groups", async () => {
    const out = await extractFile(quantizationConfigExtractor, FIX, "exaone-4.0-1.2b-quantized-derivative/config.json");
    expect(out.folders?.[0]?.facts).toMatchObject({
      quantMethod: "compressed-tensors",
      quantScheme: "W8A8",
      quantFormat: "int-quantized",
      quantSkippedModules: ["lm_head"],
    });
  });

  it("AutoGPTQ quantize_config.json and MLX quantization blocks", async () => {
    const gptq = await extractFile(quantizationConfigExtractor, FIX, "Llama-2-7B-GPTQ/quantize_config.json");
    expect(gptq.folders?.[0]?.facts).toMatchObject({ quantMethod: "gptq", quantBits: 4, quantGroupSize: 128 });
    const mlx = await extractFile(quantizationConfigExtractor, FIX, "mlx-Qwen2.5-7B-Instruct-4bit/config.json");
    expect(mlx.folders?.[0]?.facts).toMatchObject({ quantMethod: "mlx", quantBits: 4, quantGroupSize: 64 });
  });

  it("a config.json without a block yields nothing", async () => {
    const { mkdtempSync, writeFileSync } = await import("node:fs");
    const { tmpdir } = await import("node:os");
    const root = mkdtempSync(join(tmpdir(), "aiprov-q-"));
    writeFileSync(join(root, "config.json"), '{"model_type": "llama", "_name_or_path": "meta-llama/Llama-3.1-8B"}');
    expect(await extractFile(quantizationConfigExtractor, root, "config.json")).toEqual({});
    // With a block, hf-config marks the root _name_or_path as the model that was quantized.
    writeFileSync(
      join(root, "config.json"),
      '{"model_type": "llama", "_name_or_path": "meta-llama/Llama-3.1-8B", "quantization_config": {"quant_method": "awq", "bits": 4}}',
    );
    const linked = await extractAndLink(root, [
      [hfConfigExtractor, "config.json"],
      [quantizationConfigExtractor, "config.json"],
    ]);
    expect(linked.references[0]).toMatchObject({ target: "meta-llama/Llama-3.1-8B", relation: "quantized" });
    expect(linked.components[0]?.facts).toMatchObject({ quantMethod: "awq", quantBits: 4 });
  });
});
