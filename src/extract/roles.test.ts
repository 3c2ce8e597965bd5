import { describe, expect, it } from "vitest";
import { ROLE_KEYS, contextNames, normaliseKey, roleFromContext, roleOfKey } from "./roles.js";

describe("role-key table", () => {
  it("holds each key once, already normalised", () => {
    const keys = ROLE_KEYS.map((r) => r.key);
    expect(new Set(keys).size).toBe(keys.length);
    for (const k of keys) expect(normaliseKey(k)).toBe(k);
  });

  it("normalises flags, attribute reads, subscripts and camelCase", () => {
    expect(normaliseKey("--vision-tower")).toBe("vision_tower");
    expect(normaliseKey("args.mm_vision_tower")).toBe("mm_vision_tower");
    expect(normaliseKey('cfg["model"]["vit_model"]')).toBe("vit_model");
    expect(normaliseKey("imageEncoderPath")).toBe("image_encoder_path");
    expect(normaliseKey("self.config.audio_model")).toBe("audio_model");
    expect(normaliseKey('""')).toBe("");
  });

  it("gives the role of the part a key names, with or without a locator suffix", () => {
    expect(roleOfKey("vision_tower")).toBe("vision-encoder");
    expect(roleOfKey("--vision_tower")).toBe("vision-encoder");
    expect(roleOfKey("vision_tower_name_or_path")).toBe("vision-encoder");
    expect(roleOfKey("audio_model_id")).toBe("audio-encoder");
    expect(roleOfKey("image_encoder_path")).toBe("vision-encoder");
    expect(roleOfKey("text_encoder_2")).toBe("text-encoder");
    expect(roleOfKey("llm_path")).toBe("backbone");
    expect(roleOfKey("model_name_or_path")).toBeUndefined();
    expect(roleOfKey("output_dir")).toBeUndefined();
    expect(roleOfKey("path")).toBeUndefined();
  });

  it("reads a reference's keyword, flag, variable, expression and pointer, nearest first", () => {
    expect(
      contextNames({ facts: { variable: "vision_path", expression: "args.x" }, location: { pointer: "/a/b" } }),
    ).toEqual(["vision_path", "args.x", "b"]);
    expect(roleFromContext({ facts: { expression: "model_args.vision_tower" }, location: {} })).toBe("vision-encoder");
    expect(roleFromContext({ location: { pointer: "/model/vit_model" } })).toBe("vision-encoder");
    expect(roleFromContext({ location: { pointer: "/model/vision_tower/0" } })).toBe("vision-encoder");
    expect(roleFromContext({ facts: { variable: "base_model_path" }, location: {} })).toBeUndefined();
  });

  it("reads a name ending in a multi-word row after a qualifier, and the class a value is built with", () => {
    // DeepSeek-VL builds its towers as CLIPVisionTower(model_name="siglip_large_patch16_384", ...).
    expect(roleFromContext({ facts: { keyword: "model_name", constructs: "CLIPVisionTower" }, location: {} })).toBe(
      "vision-encoder",
    );
    expect(roleOfKey("siglip_vision_model")).toBe("vision-encoder");
    expect(roleOfKey("whisper_audio_encoder_path")).toBe("audio-encoder");
    // One-word rows are whole names only: `gpt_vit`-like tails and `my_tokenizer` take no role from the tail.
    expect(roleOfKey("pretrained_vae")).toBeUndefined();
    expect(roleOfKey("model_name")).toBeUndefined();
  });
});

describe("link: roles from the names a reference was written under", () => {
  it("gives a Hub id read through a role-named variable or attribute its role", async () => {
    const { extractPythonModule } = await import("./extractors/python-code/index.js");
    const { link } = await import("./link.js");
    const text = [
      "from transformers import AutoModel, CLIPVisionModel",
      'vision_tower = "google/siglip-so400m-patch14-384"',
      "enc = CLIPVisionModel.from_pretrained(vision_tower)",
      "def load(args):",
      "    return AutoModel.from_pretrained(args.audio_model)",
      'llm = AutoModel.from_pretrained("Qwen/Qwen2-7B")',
      "",
    ].join("\n");
    const r = await extractPythonModule(text, { file: "train.py" });
    const out = link([{ references: r.references, codeModules: [r.module], pendingCode: r.pending }]);
    const byLine = (line: number) => out.references.filter((x) => x.location.line === line && x.facts?.loader);
    expect(byLine(3).map((x) => [x.target, x.role])).toEqual([["google/siglip-so400m-patch14-384", "vision-encoder"]]);
    expect(byLine(5).map((x) => x.role)).toEqual(["audio-encoder"]);
    expect(byLine(6).map((x) => x.role ?? "none")).toEqual(["none"]);
  });
});
