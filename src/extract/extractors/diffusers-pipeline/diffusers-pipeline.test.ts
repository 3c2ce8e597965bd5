import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { extractFile } from "../../testing.js";
import { diffusersPipelineExtractor, partRole } from "./index.js";

const FIX = join(import.meta.dirname, "fixtures");

describe("diffusers-pipeline extractor", () => {
  it("yields EasyAnimate's pipeline with a Qwen2-VL text encoder part", async () => {
    const out = await extractFile(
      diffusersPipelineExtractor,
      FIX,
      "diffusers-easyanimate-qwen2vl-textencoder/model_index.json",
    );
    const [pipeline, ...parts] = out.components!;
    expect(pipeline).toMatchObject({ role: "diffusion", name: "EasyAnimateControlPipeline" });
    const te = parts.find((p) => p.facts?.subfolder === "text_encoder")!;
    expect(te).toMatchObject({
      role: "text-encoder",
      parent: pipeline!.key,
      facts: { library: "transformers", class: "Qwen2VLForConditionalGeneration" },
    });
    expect(te.location.line).toBeGreaterThan(1);
    expect(parts.find((p) => p.facts?.subfolder === "vae")?.role).toBe("vae");
    expect(parts.find((p) => p.facts?.subfolder === "transformer")?.role).toBe("diffusion");
  });

  it("yields SD3.5's three text encoders (2x CLIP, T5)", async () => {
    const out = await extractFile(diffusersPipelineExtractor, FIX, "diffusers-sd3.5-large-mirror/model_index.json");
    const encoders = out.components!.filter((c) => c.role === "text-encoder").map((c) => c.facts?.class);
    expect(encoders).toEqual(["CLIPTextModelWithProjection", "CLIPTextModelWithProjection", "T5EncoderModel"]);
  });

  it("records parts set to null (a removed safety checker) as absent, not as components", async () => {
    const out = await extractFile(
      diffusersPipelineExtractor,
      FIX,
      "diffusers-realistic-vision-v51-repost/model_index.json",
    );
    expect(out.components!.some((c) => c.facts?.subfolder === "unet" && c.role === "diffusion")).toBe(true);
    expect(out.components![0]!.facts?.["absent.image_encoder"]).toBe(true);
    expect(out.components!.some((c) => c.facts?.subfolder === "image_encoder")).toBe(false);
    expect(partRole("image_encoder", "CLIPVisionModelWithProjection")).toBe("vision-encoder");
  });
});
