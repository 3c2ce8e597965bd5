import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { extractFile } from "../../testing.js";
import { hfConfigExtractor, roleFromArchitectures } from "./index.js";

const FIX = join(import.meta.dirname, "fixtures");

describe("hf-config extractor", () => {
  it("leaves other *config.json formats to their own extractors", () => {
    for (const b of [
      "adapter_config.json",
      "tokenizer_config.json",
      "generation_config.json",
      "preprocessor_config.json",
      "tsconfig.json",
    ])
      expect(hfConfigExtractor.matches(b, b)).toBe(false);
    expect(hfConfigExtractor.matches("m/config.json", "config.json")).toBe(true);
  });

  it("InfiMM: nested language config names Zephyr, visual config names EVA-CLIP; `./` is not a reference", async () => {
    const out = await extractFile(hfConfigExtractor, FIX, "infimm-zephyr/config.json");
    const zephyr = out.references!.find((r) => r.target === "HuggingFaceH4/zephyr-7b-beta")!;
    expect(zephyr).toMatchObject({
      kind: "hub-id",
      relation: "initialised-from",
      location: { line: 41, pointer: "/language/_name_or_path" },
    });
    expect(zephyr.subject).toBe("infimm-zephyr/config.json#/language");
    const eva = out.references!.find((r) => r.location.pointer === "/visual/eva_model_name")!;
    expect(eva).toMatchObject({
      kind: "known-component",
      target: "eva-clip-l-14-336",
      role: "vision-encoder",
      skipReason: "unknown-alias",
      location: { line: 29 },
    });
    const visual = out.components!.find((c) => c.location.pointer === "/visual")!;
    expect(visual.role).toBe("vision-encoder");
    expect(out.components!.find((c) => c.location.pointer === "/language")?.role).toBe("backbone");
    expect(out.references!.some((r) => r.location.pointer === "/_name_or_path")).toBe(false);
  });

  it("Ultravox: Whisper audio encoder and Llama 3.1 text model", async () => {
    const out = await extractFile(hfConfigExtractor, FIX, "ultravox-whisper-llama31/config.json");
    expect(out.references!.find((r) => r.target === "openai/whisper-large-v3-turbo")).toMatchObject({
      location: { line: 6, pointer: "/audio_config/_name_or_path" },
      role: "audio-encoder",
    });
    expect(out.references!.find((r) => r.target === "meta-llama/Llama-3.1-8B-Instruct")).toMatchObject({
      role: "backbone",
      location: { line: 75 },
    });
    expect(out.components!.find((c) => c.location.pointer === "/audio_config")?.role).toBe("audio-encoder");
  });

  it("a malformed config.json becomes an unparsable component and a diagnostic", async () => {
    const { mkdtempSync, writeFileSync } = await import("node:fs");
    const { tmpdir } = await import("node:os");
    const root = mkdtempSync(join(tmpdir(), "aiprov-hf-"));
    writeFileSync(join(root, "config.json"), '{"model_type": "llama",');
    const out = await extractFile(hfConfigExtractor, root, "config.json");
    expect(out.components?.[0]?.unparsable).toBe(true);
    expect(out.diagnostics?.[0]?.code).toBe("parse-error");
  });

  it("roles from architecture names", () => {
    expect(roleFromArchitectures(["Qwen2_5_VisionTransformerPretrainedModel"], "qwen2_5_vl")).toBe("vision-encoder");
    expect(roleFromArchitectures(["CLIPTextModelWithProjection"], "clip_text_model")).toBe("text-encoder");
    expect(roleFromArchitectures(["LlamaForCausalLM"], "llama")).toBe("model");
  });
});
