/** Lineage declarations read from Hub files, on real card text (the fixture Hub's copies, see its SOURCES.md) and documented shapes. */
import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import {
  autoMapParents,
  cardParents,
  inferRelation,
  mergekitParents,
  peftParent,
  proseParents,
  tagRelations,
} from "./facts.js";

const HUB = join(import.meta.dirname, "..", "..", "..", "tests", "fixtures", "hub");
const SHA = "a".repeat(40);
const none = { adapter: false, quantized: false, merge: false };

describe("Hub lineage facts", () => {
  it("reads base_model lists with base_model_relation, tags, or the Hub's inference", () => {
    expect(
      cardParents("o/vlm", SHA, { base_model: ["a/vit", "b/llm"], base_model_relation: "merge" }, [], none).map((p) => [
        p.repo,
        p.relation,
      ]),
    ).toEqual([
      ["a/vit", "merge"],
      ["b/llm", "merge"],
    ]);
    expect(cardParents("o/q", SHA, { base_model: "a/m" }, ["base_model:quantized:a/m"], none)[0]!.relation).toBe(
      "quantized",
    );
    expect(cardParents("o/q", SHA, { base_model: "a/m" }, [], { ...none, adapter: true })[0]!.relation).toBe("adapter");
    expect(cardParents("o/q", SHA, { base_model: "a/m" }, [], none)[0]!.relation).toBe("finetune");
    // Tags alone, and the legacy base_model:<id> tag; a repo naming itself is a cycle and is dropped.
    expect(
      cardParents("o/q", SHA, undefined, ["base_model:finetune:a/m", "base_model:adapter:b/n"], none).map((p) => [
        p.repo,
        p.relation,
      ]),
    ).toEqual([
      ["a/m", "finetune"],
      ["b/n", "adapter"],
    ]);
    expect(cardParents("Q-bert/Merged-AGI-7B", SHA, undefined, ["base_model:Q-bert/Merged-AGI-7B"], none)).toEqual([]);
    expect(cardParents("o/q", SHA, { base_model: [] }, [], none)).toEqual([]);
    expect(tagRelations(["base_model:merge:x/y", "base_model:z/w", "license:mit"])).toEqual({
      relations: new Map([["x/y", { relation: "merge", tag: "base_model:merge:x/y" }]]),
      legacy: [{ id: "z/w", tag: "base_model:z/w" }],
    });
    expect(inferRelation({ adapter: false, quantized: true, merge: false }, 2)).toBe("merge");
  });

  it("reads mergekit configs (corpus mergekit-slerp-yi15-6b) and PEFT bases", () => {
    const text = readFileSync(join(HUB, "YouriLalain", "2PRYMMAL-Yi1.5-6B-SLERP", "mergekit_config.yml"), "utf8");
    expect(
      mergekitParents("YouriLalain/x", SHA, text).map((p) => [p.repo, p.relation, p.evidence[0]!.location.pointer]),
    ).toEqual([
      ["01-ai/Yi-1.5-6B-Chat", "merge", "/base_model"],
      ["01-ai/Yi-1.5-6B", "merge", "/slices/0/sources/1/model"],
    ]);
    expect(mergekitParents("o/x", SHA, "models:\n  - model: a/b+c/lora\n")).toHaveLength(2);
    expect(mergekitParents("o/x", SHA, "models: [")).toEqual([]);
    expect(peftParent("o/x", SHA, "./local/path", "adapter_config.json")).toBeUndefined();
    expect(peftParent("o/x", SHA, "vaiv/GeM2-Llamion-14B-Chat", "adapter_config.json")?.relation).toBe("adapter");
  });

  it("reads auto_map repo prefixes", () => {
    const ps = autoMapParents(
      "o/ft",
      SHA,
      { AutoConfig: "deepseek-ai/DeepSeek-V3--configuration_deepseek.DeepseekV3Config", AutoModel: "modeling_x.X" },
      "config.json",
    );
    expect(ps.map((p) => [p.repo, p.relation])).toEqual([["deepseek-ai/DeepSeek-V3", "initialised-from"]]);
  });

  it("finds prose bases in real cards as weak evidence, and attributes '(based on X)' to the linked model", () => {
    const starling = readFileSync(join(HUB, "berkeley-nest", "Starling-LM-7B-alpha", "README.md"), "utf8");
    const s = proseParents("berkeley-nest/Starling-LM-7B-alpha", SHA, starling);
    expect(s.parents.map((p) => [p.repo, p.relation])).toEqual([["openchat/openchat_3.5", "finetune"]]);
    expect(s.parents[0]!.evidence[0]).toMatchObject({
      code: "card-prose",
      strength: "declared",
      location: { line: 20 },
      args: { weak: true },
    });
    expect(s.hints).toEqual([
      expect.objectContaining({
        subject: "openchat/openchat_3.5",
        parent: expect.objectContaining({ repo: "mistralai/Mistral-7B-v0.1", relation: "finetune" }),
      }),
    ]);
    const juanako = readFileSync(join(HUB, "fblgit", "juanako-7b-UNA", "README.md"), "utf8");
    expect(proseParents("fblgit/juanako-7b-UNA", SHA, juanako).parents.map((p) => p.repo)).toEqual([
      "fblgit/juanako-7b-UNA-v2-phase-1",
    ]);
    // Code blocks and front matter are not prose.
    expect(proseParents("o/x", SHA, "---\nbase_model: a/b\n---\n```\nfine-tuned from c/d\n```\n").parents).toEqual([]);
  });
});
