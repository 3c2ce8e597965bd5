import { describe, expect, it } from "vitest";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { loadKnowledgeBase } from "./knowledge-base.js";
import { matchPathSegments, matchSignatures } from "./signatures.js";
import { extractFiles } from "../../extract/testing.js";

const here = dirname(fileURLToPath(import.meta.url));
/** Config files copied from the corpus cases (values are facts; see tests/fixtures/SOURCES.md). */
const FIXTURES = join(here, "..", "..", "..", "tests", "fixtures");
const kb = loadKnowledgeBase();

async function componentsOf(abs: string, rel = "config.json") {
  return (await extractFiles([{ abs, rel }])).components;
}

async function matchesOf(abs: string, rel?: string) {
  const comps = await componentsOf(abs, rel);
  return comps.flatMap((c) =>
    matchSignatures(c, kb).map((m) => ({
      component: c.name,
      role: c.role,
      known: m.known.id,
      level: m.level,
      checkpoint: m.checkpoint,
    })),
  );
}

describe("component signatures: positives on real configs", () => {
  it("the Qwen2.5-VL-7B-Instruct config's nested vision_config matches the 7B checkpoint of the Qwen2.5-VL ViT", async () => {
    const m = await matchesOf(join(FIXTURES, "qwen2.5-vl-7b-instruct", "config.json"));
    expect(m.filter((x) => x.role === "vision-encoder")).toEqual([
      {
        component: "config/vision_config",
        role: "vision-encoder",
        known: "qwen2.5-vl-vit",
        level: "checkpoint",
        checkpoint: 0,
      },
    ]);
    // The top-level block is the language model: Qwen2/Qwen2.5 7B's configuration, shared by several releases.
    expect(m.filter((x) => x.component === "config").map((x) => x.known)).toEqual(expect.arrayContaining(["qwen2-7b"]));
  });

  it("the OmniServe vision encoder config matches the 32B/72B release (intermediate_size 3456), not the 7B", async () => {
    const m = await matchesOf(
      join(FIXTURES, "hyperclovax-omniserve", "encoder/vision/track_b/app/model/configs/omni_cont_config.yaml"),
      "encoder/vision/track_b/app/model/configs/omni_cont_config.yaml",
    );
    expect(m).toHaveLength(1);
    expect(m[0]).toMatchObject({ known: "qwen2.5-vl-vit", level: "checkpoint" });
    expect(kb.component("qwen2.5-vl-vit")!.checkpoints[m[0]!.checkpoint!]!.repos).toContain(
      "Qwen/Qwen2.5-VL-32B-Instruct",
    );
  });

  it("out_hidden_size (set by the paired LLM) is not part of the identity", async () => {
    const comps = await componentsOf(
      join(FIXTURES, "hyperclovax-omniserve", "encoder/vision/track_b/app/model/configs/omni_cont_config.yaml"),
      "x/omni_cont_config.yaml",
    );
    const c = { ...comps[0]!, config: { ...comps[0]!.config, out_hidden_size: 1234 } };
    expect(matchSignatures(c, kb).map((m) => m.level)).toEqual(["checkpoint"]);
  });

  it("the OmniServe audio encoder config matches the Qwen2-Audio encoder and Whisper large-v3's (shared configuration: both candidates, the name as evidence)", async () => {
    const file = "encoder/audio/track_b/app/model/weights/qwen2-audio-encoder-from-qwen2-audio-7b-instruct/config.json";
    const comps = await componentsOf(join(FIXTURES, "hyperclovax-omniserve", file), file);
    const m = comps.flatMap((c) => matchSignatures(c, kb));
    expect(m.map((x) => x.known.id).sort()).toEqual(["qwen2-audio-encoder", "whisper-large-v3-encoder"]);
    expect(m.find((x) => x.known.id === "qwen2-audio-encoder")!.names).toEqual([
      "model_type=qwen2_audio_encoder",
      "architectures=Qwen2AudioEncoder",
    ]);
    expect(m.find((x) => x.known.id === "whisper-large-v3-encoder")!.names).toEqual([]);
  });

  it("Whisper large-v3 matches both encoders of its configuration; large-v2 (80 mel bins) matches its own entry, not large-v3's", async () => {
    expect((await matchesOf(join(here, "fixtures/whisper-large-v3.config.json"))).map((x) => x.known).sort()).toEqual([
      "qwen2-audio-encoder",
      "whisper-large-v3-encoder",
    ]);
    expect((await matchesOf(join(here, "fixtures/whisper-large-v2.config.json"))).map((x) => x.known)).toEqual([
      "whisper-large-v2-encoder",
    ]);
  });
});

describe("component signatures: other encoders match their own entries, never another's", () => {
  it.each([
    ["CLIP ViT-L/14", "clip-vit-large-patch14.config.json", "clip-vit-large-patch14-vision"],
    ["SigLIP so400m", "siglip-so400m-patch14-384.config.json", "siglip-so400m-patch14-384"],
  ])("%s", async (_name, file, own) => {
    const m = await matchesOf(join(here, "fixtures", file));
    expect(m.filter((x) => x.role === "vision-encoder").map((x) => x.known)).toContain(own);
    for (const other of ["qwen2.5-vl-vit", "qwen2-audio-encoder", "whisper-large-v3-encoder"])
      expect(m.map((x) => x.known)).not.toContain(other);
  });

  it("a home-made ViT with other dimensions on the Qwen2.5-VL code path matches nothing", async () => {
    expect(await matchesOf(join(here, "fixtures", "homemade-vit.config.json"))).toEqual([]);
  });

  it("CLIP dimensions match CLIP by numbers alone (no model_type, no architectures), and nothing of another family", async () => {
    const comps = await componentsOf(join(here, "fixtures/clip-vit-large-patch14.config.json"));
    const vision = comps.find((c) => c.role === "vision-encoder")!;
    const bare = { ...vision, modelType: undefined, architectures: undefined } as typeof vision;
    const ids = matchSignatures(bare, kb).map((x) => x.known.id);
    expect(ids).toContain("clip-vit-large-patch14-vision");
    expect(ids.every((id) => id.includes("clip"))).toBe(true);
  });
});

describe("path segments naming a known checkpoint", () => {
  it("a weights folder named after Qwen2-Audio-7B-Instruct names that release only (longest match)", () => {
    const m = matchPathSegments("app/weights/qwen2-audio-encoder-from-qwen2-audio-7b-instruct/config.json", kb);
    expect(m.map((x) => x.repo)).toEqual(["Qwen/Qwen2-Audio-7B-Instruct"]);
  });

  it("does not match part of a longer word or the file name itself", () => {
    expect(matchPathSegments("models/myqwen2-audio-7bx/config.json", kb)).toEqual([]);
    expect(matchPathSegments("whisper-large-v3-notes.md", kb)).toEqual([]);
  });
});
