import { describe, expect, it } from "vitest";
import { buildLineage, type WeightEvidenceInput } from "./build.js";
import { loadKnowledgeBase } from "../resolve/knowledge/knowledge-base.js";
import type { LocalComponent } from "../model/types.js";

const kb = loadKnowledgeBase();
const model: LocalComponent = { key: "vlm/config.json#", role: "model", name: "vlm", location: { file: "vlm/config.json", line: 1 } };
const tower: LocalComponent = { key: "vlm/config.json#/vision_config", role: "vision-encoder", name: "vlm/vision_config", parent: model.key, location: { file: "vlm/config.json", line: 15, pointer: "/vision_config" } };

function weight(target: WeightEvidenceInput["target"], strength: "weight-identical" | "weight-similar"): WeightEvidenceInput {
  return { subject: tower.key, target, evidence: { code: "weight-fingerprint-match", strength, location: { file: "vlm/model.safetensors" }, args: { entry: target.entry } } };
}

const build = (weights: WeightEvidenceInput[]) => buildLineage({ components: [model, tower], references: [], kb, organization: [], upstream: new Map(), weights });

describe("buildLineage weight evidence seam", () => {
  it("links a weight match to the entry's known component and makes the tower third-party", () => {
    const { graph } = build([weight({ entry: "qwen-vit", name: "Qwen ViT", role: "vision-encoder", knownComponent: "qwen2.5-vl-vit" }, "weight-identical")]);
    const e = graph.edges.find((x) => x.from === `local:${tower.key}` && x.relation === "initialised-from")!;
    expect(e).toMatchObject({ to: "known:qwen2.5-vl-vit", strength: "weight-identical" });
    expect(graph.nodes.find((n) => n.id === `local:${tower.key}`)!.status).toBe("third-party");
  });

  it("falls back to the entry's Hub repo, then to a fingerprint node", () => {
    const viaRepo = build([weight({ entry: "some-vit", name: "Some ViT", role: "vision-encoder", repo: "example-org/some-vit" }, "weight-similar")]);
    expect(viaRepo.graph.edges.find((x) => x.from === `local:${tower.key}`)).toMatchObject({ to: "hub:example-org/some-vit", strength: "weight-similar" });
    const bare = build([weight({ entry: "local-upstream", name: "local upstream", role: "vision-encoder" }, "weight-similar")]);
    expect(bare.graph.edges.find((x) => x.from === `local:${tower.key}`)).toMatchObject({ to: "fingerprint:local-upstream", relation: "initialised-from" });
    expect(bare.graph.nodes.find((n) => n.id === "fingerprint:local-upstream")).toMatchObject({ status: "third-party", inProduct: false });
  });

  it("adds nothing without weight evidence, and ignores evidence for unknown components", () => {
    const none = build([]);
    expect(none.graph.edges.filter((e) => e.relation === "initialised-from")).toEqual([]);
    const stray = buildLineage({ components: [model], references: [], kb, organization: [], upstream: new Map(), weights: [weight({ entry: "x", name: "x", role: "vision-encoder" }, "weight-identical")] });
    expect(stray.graph.edges).toEqual([]);
  });
});
