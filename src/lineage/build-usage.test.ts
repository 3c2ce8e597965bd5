import { describe, expect, it } from "vitest";
import { buildLineage } from "./build.js";
import { loadKnowledgeBase } from "../resolve/knowledge/knowledge-base.js";
import type { LocalComponent, ModelReference } from "../model/types.js";

const kb = loadKnowledgeBase();
const out: LocalComponent = {
  key: "models/w8a8/config.json#",
  role: "model",
  name: "w8a8",
  location: { file: "models/w8a8/config.json", line: 1 },
};

function ref(over: Partial<ModelReference>): ModelReference {
  return {
    id: over.id ?? "r",
    extractor: "python-code",
    kind: "hub-id",
    raw: over.raw ?? "x",
    strength: "declared",
    location: { file: "quantize.py", line: 9 },
    ...over,
  };
}

const build = (references: ModelReference[]) =>
  buildLineage({ components: [out], references, kb, organization: [], upstream: new Map() });

describe("buildLineage reference usages", () => {
  it("never turns a name into a dependency or an undetermined node", () => {
    const { graph } = build([
      ref({
        id: "n1",
        usage: "name",
        kind: "known-component",
        raw: "qwen3vl",
        target: "qwen3vl",
        skipReason: "unknown-alias",
      }),
      ref({
        id: "n2",
        usage: "name",
        raw: "meta-llama/Llama-3.1-8B-Instruct",
        target: "meta-llama/Llama-3.1-8B-Instruct",
      }),
      ref({ id: "n3", usage: "name", raw: "x", skipReason: "dynamic-value", subject: out.key }),
    ]);
    expect(graph.nodes.map((n) => n.id)).toEqual([`local:${out.key}`]);
    expect(graph.nodes[0]!.status).toBe("no-third-party-lineage");
  });

  it("adds no dependency for a transform or a write it cannot place, and no undetermined node for them", () => {
    const { graph } = build([
      ref({ id: "t", usage: "transform", relation: "quantized", raw: "self.model_name", skipReason: "dynamic-value" }),
      ref({
        id: "w",
        usage: "write",
        kind: "local-path",
        raw: "/data/out",
        target: "/data/out",
        skipReason: "local-path-outside-root",
        facts: { derivedFrom: "meta-llama/Llama-3.1-8B-Instruct" },
      }),
    ]);
    expect(graph.nodes.map((n) => n.id)).toEqual([`local:${out.key}`]);
    expect(graph.edges).toEqual([]);
  });

  it("derives the in-tree folder a write lands in from the Hub model it was loaded from, with the transform's relation", () => {
    const { graph } = build([
      ref({
        id: "w",
        usage: "write",
        relation: "quantized",
        kind: "local-path",
        raw: "/data/models/w8a8",
        target: "/data/models/w8a8",
        localTarget: out.key,
        facts: { derivedFrom: "meta-llama/Llama-3.1-8B-Instruct" },
      }),
    ]);
    expect(graph.edges).toMatchObject([
      { from: `local:${out.key}`, to: "hub:meta-llama/Llama-3.1-8B-Instruct", relation: "quantized" },
    ]);
    expect(graph.nodes.find((n) => n.id === "hub:meta-llama/Llama-3.1-8B-Instruct")?.inProduct).toBe(false);
    expect(graph.nodes.find((n) => n.id === `local:${out.key}`)?.status).toBe("third-party");
  });

  it("does not read a local path the write derived from as a Hub id: the written folder is undetermined", () => {
    const { graph } = build([
      ref({
        id: "w",
        usage: "write",
        kind: "local-path",
        raw: "/data/models/w8a8",
        target: "/data/models/w8a8",
        localTarget: out.key,
        facts: { derivedFrom: "/home/u/models/lora_merged" },
      }),
    ]);
    expect(graph.edges).toEqual([]);
    // The code says where the folder comes from, and the scan cannot see it: never "no third-party lineage".
    expect(graph.nodes.find((n) => n.id === `local:${out.key}`)).toMatchObject({
      status: "undetermined",
      statusReason: {
        code: "unresolved-reference",
        args: { reason: "local-path-outside-root", raw: "/home/u/models/lora_merged" },
      },
    });
  });

  it("takes the parent from the load reference the write names when the value came from elsewhere", () => {
    const load = ref({
      id: "l",
      raw: "env.BASE",
      target: "meta-llama/Llama-3.1-8B",
      location: { file: "merge.py", line: 7 },
    });
    const write = ref({
      id: "w",
      usage: "write",
      kind: "local-path",
      raw: "/data/models/w8a8",
      target: "/data/models/w8a8",
      localTarget: out.key,
      location: { file: "merge.py", line: 8 },
      derivedFromLoad: { file: "merge.py", line: 7 },
      facts: { derivedFromExpression: "env.BASE" },
    });
    const { graph } = build([load, write]);
    expect(graph.edges).toMatchObject([
      { from: `local:${out.key}`, to: "hub:meta-llama/Llama-3.1-8B", relation: "initialised-from" },
    ]);
  });

  it("derives a written folder from a model folder of the tree the code loaded", () => {
    const merged: LocalComponent = {
      key: "merged/config.json#",
      role: "model",
      name: "merged",
      location: { file: "merged/config.json", line: 1 },
    };
    const load = ref({
      id: "l",
      kind: "local-path",
      raw: "./merged",
      target: "merged",
      localTarget: merged.key,
      location: { file: "q.py", line: 3 },
    });
    const write = ref({
      id: "w",
      usage: "write",
      relation: "quantized",
      kind: "local-path",
      raw: "./models/w8a8",
      target: "models/w8a8",
      localTarget: out.key,
      location: { file: "q.py", line: 9 },
      derivedFromLoad: { file: "q.py", line: 3 },
      facts: { derivedFrom: "./merged" },
    });
    const { graph } = buildLineage({
      components: [out, merged],
      references: [load, write],
      kb,
      organization: [],
      upstream: new Map(),
    });
    expect(graph.edges).toMatchObject([{ from: `local:${out.key}`, to: `local:${merged.key}`, relation: "quantized" }]);
  });
});
