import { describe, expect, it } from "vitest";
import { aggregateFindings, foldKey } from "./aggregate.js";
import { evaluatePacks } from "./engine.js";
import { loadPacks } from "./load.js";
import { applyWaivers, type LoadedWaiver } from "./waivers.js";
import { buildLineage } from "../lineage/build.js";
import { loadKnowledgeBase } from "../resolve/knowledge/knowledge-base.js";
import type { ModelReference } from "../model/types.js";
import { createOfflineResolver } from "../resolve/offline.js";

const kb = loadKnowledgeBase();

// Reference shapes as python-code writes them for an alignment-model registry and run-time loads (ids are public
// Hub repos; the registry layout follows a language -> model dict such as whisperX's DEFAULT_ALIGN_MODELS_HF).
function ref(over: Partial<ModelReference> & { id: string; raw: string }): ModelReference {
  return {
    extractor: "python-code",
    kind: "hub-id",
    strength: "declared",
    location: { file: "app/align.py", line: 1 },
    ...over,
  };
}
const registry = [
  "jonatasgrosman/wav2vec2-large-xlsr-53-japanese",
  "jonatasgrosman/wav2vec2-large-xlsr-53-dutch",
  "KBLab/wav2vec2-large-voxrex-swedish",
].map((id, i) =>
  ref({
    id: `reg${i}`,
    raw: id,
    target: id,
    location: { file: "app/align.py", line: 10 + i, column: 11 },
    facts: { registry: "ALIGN_MODELS", registryKey: ["ja", "nl", "sv"][i]! },
  }),
);
const direct = ref({
  id: "direct",
  raw: "pyannote/segmentation",
  target: "pyannote/segmentation",
  location: { file: "app/vad.py", line: 5 },
});
const runTime = [
  ref({
    id: "rt1",
    kind: "local-path",
    raw: "model_path",
    skipReason: "dynamic-value",
    location: { file: "app/load.py", line: 3 },
    facts: { function: "load", expression: "model_path" },
  }),
  ref({
    id: "rt2",
    kind: "local-path",
    raw: "args.checkpoint",
    skipReason: "dynamic-value",
    location: { file: "app/cli.py", line: 8 },
    facts: { expression: "args.checkpoint" },
  }),
  ref({
    id: "rt3",
    kind: "local-path",
    raw: "/path/to/pretrained_checkpoint",
    skipReason: "local-path-outside-root",
    location: { file: "configs/train.yaml", line: 7 },
  }),
  ref({
    id: "rt4",
    kind: "local-path",
    raw: "pytorch_model-*.bin",
    skipReason: "unknown-alias",
    location: { file: "app/delta.py", line: 31 },
    facts: { joinedWith: "model_path" },
  }),
];
const literal = [
  ref({
    id: "l1",
    kind: "local-path",
    raw: "qwen3.5:9b",
    skipReason: "unknown-alias",
    location: { file: "a.py", line: 4 },
  }),
  ref({
    id: "l2",
    kind: "local-path",
    raw: "qwen3.5:9b",
    skipReason: "unknown-alias",
    location: { file: "b.py", line: 9 },
  }),
];
const references = [...registry, direct, ...runTime, ...literal];
const { graph } = buildLineage({ components: [], references, kb, organization: [], upstream: new Map() });
const packs = loadPacks(["kr-sovereign-from-scratch", "supply-chain-hygiene"]);
const evaluated = evaluatePacks(graph, packs, {}, { references });

describe("aggregateFindings", () => {
  const folded = aggregateFindings(evaluated.findings, graph, references);
  const of = (rule: string) => folded.filter((f) => f.rule === rule);

  it("folds a registry's alternatives into one finding per rule naming every alternative, each located", () => {
    const used = of("third-party-model-used");
    expect(used).toHaveLength(2);
    const reg = used.find((f) => f.count === 3)!;
    expect([...reg.nodes!].sort()).toEqual(registry.map((r) => `hub:${r.target}`).sort());
    expect(reg.message.args.foldedAs).toBe("registry");
    expect(reg.message.text).toMatch(/the same for 2 more alternatives of the registry ALIGN_MODELS in app\/align\.py/);
    expect(reg.evidence.map((e) => e.location.line).sort()).toEqual([10, 11, 12]);
    // A model named outside the registry stays its own finding.
    expect(used.find((f) => f.node === "hub:pyannote/segmentation")?.count).toBeUndefined();
  });

  it("folds every reference read at run time (dynamic values, placeholders, file names joined to a run-time folder) into one finding per rule", () => {
    const und = of("undetermined-lineage");
    const rt = und.filter((f) => f.message.args.foldedAs === "run-time");
    expect(rt).toHaveLength(1);
    expect(rt[0]!.count).toBe(4);
    expect(rt[0]!.message.text).toMatch(/also 3 more model references read at run time/);
    expect(new Set(rt[0]!.evidence.map((e) => e.location.file))).toEqual(
      new Set(["app/load.py", "app/cli.py", "configs/train.yaml", "app/delta.py"]),
    );
    // The same literal in two files is one unresolved identity with both places; the count says how many nodes.
    const lit = und.find((f) => f.message.text.includes("qwen3.5:9b"))!;
    expect(lit.message.args.foldedAs).toBeUndefined();
    expect(lit.evidence.map((e) => e.location.file).sort()).toEqual(["a.py", "b.py"]);
    expect(und).toHaveLength(2);
  });

  it("keeps the pack's verdict: a folded undetermined finding keeps the rule's severity", () => {
    expect(of("undetermined-lineage").every((f) => f.severity === "error" && f.verdict === "undetermined")).toBe(true);
  });

  it("never folds a waived finding with one its waiver does not name", () => {
    const waiver: LoadedWaiver = {
      rule: "third-party-model-used",
      component: "KBLab/*",
      reason: "risk-accepted",
      comment: "reviewed",
      owner: "a@b.c",
      source: { file: "aiprov.yaml", pointer: "/waivers/0" },
    };
    const waived = applyWaivers(
      evaluated.findings,
      [waiver],
      graph.nodes,
      evaluated.runs,
      new Date("2026-12-07T00:00:00Z"),
    ).findings;
    const used = aggregateFindings(waived, graph, references).filter((f) => f.rule === "third-party-model-used");
    expect(used.filter((f) => f.waived).map((f) => f.node)).toEqual(["hub:KBLab/wav2vec2-large-voxrex-swedish"]);
    expect(used.find((f) => !f.waived && f.count === 2)?.nodes).not.toContain(
      "hub:KBLab/wav2vec2-large-voxrex-swedish",
    );
  });

  it("keeps each unread file its own finding (a bracketed sentence is no placeholder)", () => {
    const unread = ["a.py", "b.py"].map((file, i) =>
      ref({
        id: `u${i}`,
        raw: `<${file} not read: not valid UTF-8>`,
        skipReason: "parse-error",
        location: { file },
        facts: { notRead: "not valid UTF-8" },
      }),
    );
    const g = buildLineage({ components: [], references: unread, kb, organization: [], upstream: new Map() }).graph;
    const f = aggregateFindings(evaluatePacks(g, packs, {}, { references: unread }).findings, g, unread).filter(
      (x) => x.rule === "undetermined-lineage",
    );
    expect(f.map((x) => x.count ?? 1)).toEqual([1, 1]);
  });

  it("folds the undetermined findings an offline run leaves on every Hub model into one per rule; failures stay apart", async () => {
    const hub = [
      ref({
        id: "h1",
        raw: "Qwen/Qwen2.5-7B-Instruct",
        target: "Qwen/Qwen2.5-7B-Instruct",
        location: { file: "a.py" },
      }),
      ref({ id: "h2", raw: "meta-llama/Llama-3.1-8B", target: "meta-llama/Llama-3.1-8B", location: { file: "b.py" } }),
      ref({ id: "h3", raw: "google/gemma-2-9b-it", target: "google/gemma-2-9b-it", location: { file: "c.py" } }),
    ];
    const upstream = await createOfflineResolver(kb).resolve(hub.map((r) => r.target!));
    const g = buildLineage({ components: [], references: hub, kb, organization: [], upstream }).graph;
    expect(g.nodes.filter((n) => n.statusReason?.code === "lineage-not-looked-up")).toHaveLength(3);
    const lookupPacks = loadPacks(["kr-sovereign-from-scratch", "licence-duties", "eu-ai-act-gpai"]);
    const raw = evaluatePacks(g, lookupPacks, {}, { references: hub }).findings;
    const f = aggregateFindings(raw, g, hub);
    const lookup = f.filter((x) => x.rule === "ancestor-lookup-failed");
    expect(raw.filter((x) => x.rule === "ancestor-lookup-failed")).toHaveLength(6);
    expect(lookup.map((x) => [x.pack, x.count, x.message.args.foldedAs])).toEqual([
      ["licence-duties", 3, "not-looked-up"],
      ["eu-ai-act-gpai", 3, "not-looked-up"],
    ]);
    expect(lookup[0]!.message.text).toMatch(
      /the same for 2 more models whose lineage .* was not looked up \(offline\)/,
    );
    expect(new Set(lookup[0]!.evidence.map((e) => e.location.file))).toEqual(new Set(["a.py", "b.py", "c.py"]));
    // What fails stays one finding per model: each is its own fact.
    expect(f.filter((x) => x.rule === "third-party-model-used").map((x) => x.count ?? 1)).toEqual([1, 1, 1]);
  });

  it("folds literals no table identifies into one finding per rule naming each, apart from run-time values", () => {
    const names = ["buffalo_l", "eva_clip_g", "https://example.org/ckpt/model_final.pth"].map((raw, i) =>
      ref({
        id: `n${i}`,
        kind: "known-component",
        raw,
        target: raw,
        skipReason: "unknown-alias",
        location: { file: `m${i}.py`, line: 3 },
      }),
    );
    const refs = [...names, ...runTime];
    const g = buildLineage({ components: [], references: refs, kb, organization: [], upstream: new Map() }).graph;
    const und = aggregateFindings(evaluatePacks(g, packs, {}, { references: refs }).findings, g, refs).filter(
      (x) => x.rule === "undetermined-lineage",
    );
    expect(und.map((x) => [x.message.args.foldedAs, x.count])).toEqual([
      ["unidentified", 3],
      ["run-time", 4],
    ]);
    const lit = und[0]!;
    expect(lit.verdict).toBe("undetermined");
    expect(lit.message.text).toMatch(
      /the same for 2 more model references written in the tree that aiprov could not identify/,
    );
    expect(lit.evidence.map((e) => e.location.file).sort()).toEqual(["m0.py", "m1.py", "m2.py"]);
  });

  it("reads `?.` and an empty fallback as the same expression", () => {
    expect(foldKey('settings?.ModelPref || ""')).toBe("settings.ModelPref");
    expect(foldKey("cfg.get('m') or None")).toBe("cfg.get('m')");
  });
});
