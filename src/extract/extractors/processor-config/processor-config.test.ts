import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { extractFile } from "../../testing.js";
import { processorConfigExtractor } from "./index.js";

const FIX = join(import.meta.dirname, "fixtures");

describe("processor-config extractor", () => {
  it("Qwen2.5-VL: processor and image-processor classes on a processor component of the folder's model", async () => {
    const out = await extractFile(processorConfigExtractor, FIX, "qwen2.5-vl-7b-instruct/preprocessor_config.json");
    expect(out.components?.[0]).toMatchObject({
      role: "processor",
      parent: "folder:qwen2.5-vl-7b-instruct",
      facts: { processorClass: "Qwen2_5_VLProcessor", imageProcessorType: "Qwen2VLImageProcessor" },
    });
  });

  it("Ultravox: processor_config.json with a local auto_map", async () => {
    const out = await extractFile(processorConfigExtractor, FIX, "ultravox-whisper-llama31/processor_config.json");
    expect(out.components?.[0]?.facts).toMatchObject({
      processorClass: "UltravoxProcessor",
      "autoMap.AutoProcessor": "ultravox_processing.UltravoxProcessor",
    });
    expect(out.references).toEqual([]);
  });

  it("InfiMM: `_name_or_path: ./` names the folder itself, not another model", async () => {
    const out = await extractFile(processorConfigExtractor, FIX, "infimm-zephyr/preprocessor_config.json");
    expect(out.references).toEqual([]);
  });
});
