import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { extractFile } from "../../testing.js";
import { peftAdapterExtractor } from "./index.js";

const FIX = join(import.meta.dirname, "fixtures");

describe("peft-adapter extractor", () => {
  it("ColPali: a relative local base path, resolved against the adapter's folder", async () => {
    const out = await extractFile(peftAdapterExtractor, FIX, "colpali-paligemma-lora/adapter_config.json");
    expect(out.components?.[0]).toMatchObject({ role: "adapter", config: { peft_type: "LORA", r: 32 } });
    expect(out.references?.[0]).toMatchObject({
      kind: "local-path",
      target: "colpali-paligemma-lora/models/paligemma-3b-mix-448",
      relation: "adapter",
      skipReason: "local-path",
      location: { line: 4 },
    });
  });

  it("JoyCaption: a base that is itself a bnb-4bit re-upload", async () => {
    const out = await extractFile(peftAdapterExtractor, FIX, "joycaption-siglip-llama31-lora/adapter_config.json");
    expect(out.references?.[0]).toMatchObject({
      kind: "hub-id",
      target: "unsloth/Meta-Llama-3.1-8B-Instruct-bnb-4bit",
      relation: "adapter",
    });
  });

  it("SmolVLM CLIP adapter: base_model_name_or_path null is kept as missing", async () => {
    const out = await extractFile(
      peftAdapterExtractor,
      FIX,
      "peft-smolvlm-adapters-null-base/homework/clip/adapter_config.json",
    );
    expect(out.references?.[0]?.skipReason).toBe("missing-value");
    expect(out.references?.[0]?.location.pointer).toBe("/base_model_name_or_path");
  });
});
