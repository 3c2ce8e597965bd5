import { describe, expect, it } from "vitest";
import { buildLineage, type WeightEvidenceInput } from "./build.js";
import { loadKnowledgeBase } from "../resolve/knowledge/knowledge-base.js";
import type { LocalComponent } from "../model/types.js";

const kb = loadKnowledgeBase();
const model: LocalComponent = {
  key: "vlm/config.json#",
  role: "model",
  name: "vlm",
  location: { file: "vlm/config.json", line: 1 },
};
const tower: LocalComponent = {
  key: "vlm/config.json#/vision_config",
  role: "vision-encoder",
  name: "vlm/vision_config",
  parent: model.key,
  location: { file: "vlm/config.json", line: 15, pointer: "/vision_config" },
};

function weight(
  target: WeightEvidenceInput["target"],
  strength: "weight-identical" | "weight-similar",
): WeightEvidenceInput {
  return {
    subject: tower.key,
    target,
    evidence: {
      code: "weight-fingerprint-match",
      strength,
      location: { file: "vlm/model.safetensors" },
      args: { entry: target.entry },
    },
  };
}

const build = (weights: WeightEvidenceInput[]) =>
  buildLineage({ components: [model, tower], references: [], kb, organization: [], upstream: new Map(), weights });

describe("buildLineage weight evidence seam", () => {
  it("links a weight match to the entry's known component and makes the tower third-party", () => {
    const { graph } = build([
      weight(
        { entry: "qwen-vit", name: "Qwen ViT", role: "vision-encoder", knownComponent: "qwen2.5-vl-vit" },
        "weight-identical",
      ),
    ]);
    const e = graph.edges.find((x) => x.from === `local:${tower.key}` && x.relation === "initialised-from")!;
    expect(e).toMatchObject({ to: "known:qwen2.5-vl-vit", strength: "weight-identical" });
    expect(graph.nodes.find((n) => n.id === `local:${tower.key}`)!.status).toBe("third-party");
  });

  it("falls back to the entry's Hub repo, then to a fingerprint node", () => {
    const viaRepo = build([
      weight(
        { entry: "some-vit", name: "Some ViT", role: "vision-encoder", repo: "example-org/some-vit" },
        "weight-similar",
      ),
    ]);
    expect(viaRepo.graph.edges.find((x) => x.from === `local:${tower.key}`)).toMatchObject({
      to: "hub:example-org/some-vit",
      strength: "weight-similar",
    });
    const bare = build([
      weight({ entry: "local-upstream", name: "local upstream", role: "vision-encoder" }, "weight-similar"),
    ]);
    expect(bare.graph.edges.find((x) => x.from === `local:${tower.key}`)).toMatchObject({
      to: "fingerprint:local-upstream",
      relation: "initialised-from",
    });
    expect(bare.graph.nodes.find((n) => n.id === "fingerprint:local-upstream")).toMatchObject({
      status: "third-party",
      inProduct: false,
    });
  });

  it("adds nothing without weight evidence, and ignores evidence for unknown components", () => {
    const none = build([]);
    expect(none.graph.edges.filter((e) => e.relation === "initialised-from")).toEqual([]);
    const stray = buildLineage({
      components: [model],
      references: [],
      kb,
      organization: [],
      upstream: new Map(),
      weights: [weight({ entry: "x", name: "x", role: "vision-encoder" }, "weight-identical")],
    });
    expect(stray.graph.edges).toEqual([]);
  });
});

describe("buildLineage: a configuration match settled by a weight comparison", () => {
  // The Qwen2.5-VL-7B-Instruct vision_config values (rules/knowledge/components/qwen2.5-vl-vit.yaml cites them).
  const qwenTower: LocalComponent = {
    ...tower,
    modelType: "qwen2_5_vl",
    config: {
      depth: 32,
      hidden_size: 1280,
      num_heads: 16,
      patch_size: 14,
      spatial_merge_size: 2,
      temporal_patch_size: 2,
      window_size: 112,
      fullatt_block_indexes: [7, 15, 23, 31],
      hidden_act: "silu",
      in_chans: 3,
      intermediate_size: 3420,
      out_hidden_size: 3584,
    },
  };
  const comparison = (
    outcome: "not-derived" | "undetermined",
    extra: Record<string, string | number> = {},
  ): WeightEvidenceInput => ({
    subject: qwenTower.key,
    target: {
      entry: "Qwen/Qwen2.5-VL-7B-Instruct",
      name: "Qwen/Qwen2.5-VL-7B-Instruct",
      role: "model",
      knownComponent: "qwen2.5-vl-vit",
      repo: "Qwen/Qwen2.5-VL-7B-Instruct",
      node: "known:qwen2.5-vl-vit",
    },
    outcome,
    evidence: {
      code: "weight-comparison",
      strength: "structural",
      location: { file: "vlm/model.safetensors" },
      args: {
        outcome,
        upstream: "Qwen/Qwen2.5-VL-7B-Instruct",
        command: "aiprov compare ./vlm Qwen/Qwen2.5-VL-7B-Instruct --component vision",
        ...extra,
      },
    },
  });
  const run = (weights: WeightEvidenceInput[]) =>
    buildLineage({ components: [model, qwenTower], references: [], kb, organization: [], upstream: new Map(), weights })
      .graph;
  const node = (g: ReturnType<typeof run>) => g.nodes.find((n) => n.id === `local:${qwenTower.key}`)!;

  it("leaves the tower undetermined without a comparison", () => {
    expect(node(run([]))).toMatchObject({
      status: "undetermined",
      statusReason: { code: "checkpoint-signature-match" },
    });
  });

  it("settles the match when the weights are not derived, keeping the figures on the edge", () => {
    const g = run([comparison("not-derived", { pearson: 0.002, controlPearson: -0.004, bytesRead: 262144 })]);
    expect(node(g).status).toBe("no-third-party-lineage");
    expect(
      node(g).checked?.some((c) => c.startsWith("weights compared with Qwen/Qwen2.5-VL-7B-Instruct: not-derived")),
    ).toBe(true);
    const e = g.edges.find((x) => x.from === `local:${qwenTower.key}` && x.relation === "same-architecture")!;
    expect(e.strength).toBe("structural");
    expect(e.evidence.map((x) => x.code)).toEqual(["signature-match", "weight-comparison"]);
    expect(g.nodes.find((n) => n.id === `local:${model.key}`)!.status).toBe("no-third-party-lineage");
  });

  it("keeps an undetermined comparison undetermined, with the upstream and the command in the reason", () => {
    const g = run([comparison("undetermined", { reason: "offline" })]);
    expect(node(g)).toMatchObject({
      status: "undetermined",
      statusReason: {
        code: "checkpoint-signature-match",
        args: {
          weights: ["offline"],
          upstreams: ["Qwen/Qwen2.5-VL-7B-Instruct"],
          compare: ["aiprov compare ./vlm Qwen/Qwen2.5-VL-7B-Instruct --component vision"],
        },
      },
    });
  });

  it("does not settle the match when one of its checkpoints' comparisons is not conclusive", () => {
    const other = comparison("undetermined", { reason: "gated" });
    other.evidence.args!.upstream = "Qwen/Qwen2.5-VL-3B-Instruct";
    const g = run([comparison("not-derived"), other]);
    expect(node(g).status).toBe("undetermined");
  });
});
