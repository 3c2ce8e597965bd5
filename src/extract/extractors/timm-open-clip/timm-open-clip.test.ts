import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { extractFile } from "../../testing.js";
import { timmHubId, timmOpenClipExtractor } from "./index.js";

const FIX = join(import.meta.dirname, "fixtures");

describe("timm-open-clip extractor", () => {
  it("MiniCPM-V 2 names its SigLIP by a timm id with a pretrained tag", async () => {
    const out = await extractFile(timmOpenClipExtractor, FIX, "minicpm-v-2/config.json");
    expect(out.references).toHaveLength(1);
    expect(out.references![0]).toMatchObject({
      kind: "hub-id",
      target: "timm/vit_so400m_patch14_siglip_384.webli",
      role: "vision-encoder",
      relation: "initialised-from",
      subject: "minicpm-v-2/config.json#",
      location: { line: 43, pointer: "/vision_encoder" },
    });
  });

  it("a timm Hub config.json: a vision backbone initialised from timm/<arch>.<tag>", async () => {
    const out = await extractFile(timmOpenClipExtractor, FIX, "vit_base_patch16_224.augreg2_in21k_ft_in1k/config.json");
    expect(out.components?.[0]).toMatchObject({
      role: "vision-encoder",
      facts: { architecture: "vit_base_patch16_224", pretrainedTag: "augreg2_in21k_ft_in1k" },
    });
    expect(out.references?.[0]).toMatchObject({
      target: "timm/vit_base_patch16_224.augreg2_in21k_ft_in1k",
      location: { pointer: "/pretrained_cfg/tag" },
    });
  });

  it("open_clip_config.json: the timm vision tower (no tag: an alias) and the tokenizer repo", async () => {
    const out = await extractFile(timmOpenClipExtractor, FIX, "ViT-SO400M-14-SigLIP-384/open_clip_config.json");
    expect(out.references!.find((r) => r.role === "vision-encoder")).toMatchObject({
      kind: "known-component",
      target: "vit_so400m_patch14_siglip_384",
      skipReason: "unknown-alias",
    });
    expect(out.references!.find((r) => r.role === "tokenizer")).toMatchObject({
      kind: "hub-id",
      target: "timm/ViT-B-16-SigLIP",
    });
  });

  it("timm names: only backbone-shaped names with an optional tag", () => {
    expect(timmHubId("vit_so400m_patch14_siglip_384.webli")).toEqual({
      id: "timm/vit_so400m_patch14_siglip_384.webli",
      name: "vit_so400m_patch14_siglip_384",
    });
    expect(timmHubId("convnext_base")).toEqual({ name: "convnext_base" });
    expect(timmHubId("eva-clip-l-14-336")).toBeUndefined();
    expect(timmHubId("llama")).toBeUndefined();
  });
});
