import { describe, expect, it } from "vitest";
import { evaluatePacks } from "./engine.js";
import { loadPacks } from "./load.js";
import type { LineageGraph, ModelReference } from "../model/types.js";

const graph: LineageGraph = {
  nodes: [
    {
      id: "hub:meta-llama/Llama-3.1-8B-Instruct",
      kind: "upstream",
      role: "model",
      name: "meta-llama/Llama-3.1-8B-Instruct",
      repo: "meta-llama/Llama-3.1-8B-Instruct",
      publisher: { org: "meta-llama", entity: "Meta", country: "US" },
      status: "third-party",
      inProduct: true,
    },
  ],
  edges: [],
};
const ref = (over: Partial<ModelReference>): ModelReference => ({
  id: over.id ?? "r",
  extractor: "python-code",
  kind: "hub-id",
  raw: "meta-llama/Llama-3.1-8B-Instruct",
  target: "meta-llama/Llama-3.1-8B-Instruct",
  strength: "declared",
  location: { file: "q.py", line: 3 },
  ...over,
});
const unpinned = (references: ModelReference[]) =>
  evaluatePacks(graph, loadPacks(["supply-chain-hygiene"]), {}, { references }).findings.filter(
    (f) => f.rule === "unpinned-revision",
  );

describe("policy reference predicate and usages", () => {
  it("judges how a model is loaded from its loads, not from names or transforms of it", () => {
    const load = ref({ id: "load", revision: "0e9e39f249a16976918f6564b8830bc894c89659" });
    expect(
      unpinned([
        load,
        ref({ id: "rec", usage: "name" }),
        ref({ id: "q", usage: "transform", relation: "quantized", location: { file: "q.py", line: 9 } }),
      ]),
    ).toEqual([]);
    expect(unpinned([ref({ id: "load" })])).toHaveLength(1);
  });
});
