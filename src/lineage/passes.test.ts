import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { GraphBuilder } from "./graph.js";
import { addLocalNodes } from "./build.js";
import { addStructuralEvidence, type CheckedLog } from "./knowledge-evidence.js";
import { addReferences, unresolvedKey } from "./references.js";
import { settleLocalStatuses, settleParts } from "./settle.js";
import { loadKnowledgeBase } from "../resolve/knowledge/knowledge-base.js";
import type { LocalComponent, ModelReference } from "../model/types.js";
import type { UpstreamInfo } from "../resolve/types.js";

const kb = loadKnowledgeBase();
const builder = (upstream: Map<string, UpstreamInfo> = new Map()) =>
  new GraphBuilder({ kb, organization: ["acme"], upstream });
function ref(over: Partial<ModelReference> & { id: string; raw: string }): ModelReference {
  return {
    extractor: "python-code",
    kind: "local-path",
    strength: "declared",
    location: { file: "app/load.py", line: 1 },
    ...over,
  };
}

describe("lineage pass: references", () => {
  it("keys a run-time value by file and function, a literal by its text wherever it is written", () => {
    const inLoad = ref({ id: "a", raw: "model_path", skipReason: "dynamic-value", facts: { function: "load" } });
    const inSave = ref({ id: "b", raw: "model_path", skipReason: "dynamic-value", facts: { function: "save" } });
    expect(unresolvedKey(inLoad)).not.toBe(unresolvedKey(inSave));
    const here = ref({ id: "c", raw: "qwen3.5:9b", skipReason: "unknown-alias", location: { file: "a.py", line: 4 } });
    const there = ref({
      id: "d",
      raw: "qwen3.5:9b",
      skipReason: "unknown-alias",
      location: { file: "b.yaml", line: 9 },
    });
    expect(unresolvedKey(here)).toBe(unresolvedKey(there));

    const b = builder();
    addReferences(
      b,
      [inLoad, inSave, here, there, ref({ id: "e", raw: "auto", skipReason: "not-a-model" })],
      new Map(),
    );
    const unresolved = [...b.nodes.values()].filter((n) => n.statusReason?.code === "unresolved-reference");
    expect(unresolved.map((n) => [n.name, n.locations?.length])).toEqual([
      ["model_path", 1],
      ["model_path", 1],
      ["qwen3.5:9b", 2],
    ]);
    expect(unresolved[2]!.statusReason!.args!.count).toBe(2);
  });

  it("gives a Hub repo loaded under a role key that role, but never from a tokenizer load, and keeps every place", () => {
    const b = builder();
    const tok = ref({
      id: "t",
      kind: "hub-id",
      raw: "openai/clip-vit-large-patch14",
      target: "openai/clip-vit-large-patch14",
      role: "tokenizer",
      location: { file: "t.py", line: 2 },
    });
    const tower = ref({
      id: "v",
      kind: "hub-id",
      raw: "openai/clip-vit-large-patch14",
      target: "openai/clip-vit-large-patch14",
      role: "vision-encoder",
      location: { file: "v.py", line: 7 },
    });
    addReferences(b, [tok], new Map());
    expect(b.nodes.get("hub:openai/clip-vit-large-patch14")?.role).toBe("model");
    addReferences(b, [tower], new Map());
    const node = [...b.nodes.values()].find((n) => n.references?.includes("v"))!;
    expect(node.inProduct).toBe(true);
    expect(node.locations?.map((l) => l.file)).toContain("v.py");
  });

  it("leaves a component with an unresolved reference open, and a write from an unresolved model undetermined", () => {
    const comp: LocalComponent = {
      key: "out/config.json#",
      role: "model",
      name: "out",
      location: { file: "out/config.json", line: 1 },
    };
    const b = builder();
    addLocalNodes(b, [comp]);
    const open = addReferences(
      b,
      [ref({ id: "w", usage: "write", raw: "out", localTarget: comp.key, facts: { derivedFrom: "/data/base" } })],
      new Map(),
    );
    expect(open.get(`local:${comp.key}`)?.map((r) => r.skipReason)).toEqual(["local-path-outside-root"]);
  });
});

describe("lineage pass: knowledge evidence", () => {
  it("matches a released configuration to its known component and records what was compared", () => {
    // Qwen2.5-VL-7B-Instruct's vision tower, as released (tests/fixtures/qwen2.5-vl-7b-instruct/config.json).
    const config = JSON.parse(
      readFileSync(
        fileURLToPath(new URL("../../tests/fixtures/qwen2.5-vl-7b-instruct/config.json", import.meta.url)),
        "utf8",
      ),
    ) as { vision_config: Record<string, unknown> };
    const tower: LocalComponent = {
      key: "vl/config.json#/vision_config",
      role: "vision-encoder",
      name: "vl/vision_config",
      location: { file: "vl/config.json", line: 20, pointer: "/vision_config" },
      config: config.vision_config as LocalComponent["config"],
    };
    const b = builder();
    const checked: CheckedLog = new Map();
    addLocalNodes(b, [tower]);
    addStructuralEvidence(b, [tower], checked);
    const same = [...b.edges.values()].filter((e) => e.relation === "same-architecture");
    expect(same.length).toBeGreaterThan(0);
    expect(same[0]!.evidence[0]).toMatchObject({ code: "signature-match", strength: "structural" });
    expect(checked.get(`local:${tower.key}`)?.[0]).toMatch(
      /config identity compared with \d+ known component signatures/,
    );
  });
});

describe("lineage pass: status settlement", () => {
  const model: LocalComponent = {
    key: "m/config.json#",
    role: "model",
    name: "m",
    location: { file: "m/config.json", line: 1 },
  };
  const part: LocalComponent = {
    key: "m/config.json#/audio",
    role: "audio-encoder",
    name: "m/audio",
    parent: model.key,
    location: { file: "m/config.json", line: 9, pointer: "/audio" },
  };

  it("reads a third-party weight edge before an open reference, and an open reference as undetermined", () => {
    const b = builder();
    addLocalNodes(b, [model, part]);
    b.addEdge(`local:${part.key}`, b.hubNode("openai/whisper-large-v3", false), "initialised-from", {
      code: "reference:hf-config",
      strength: "declared",
      location: { file: "m/config.json", line: 9 },
    });
    const open = new Map([
      [`local:${part.key}`, [ref({ id: "x", raw: "args.ckpt", skipReason: "dynamic-value" })]],
      [`local:${model.key}`, []],
    ]);
    settleLocalStatuses(b, open, new Map(), []);
    expect(b.nodes.get(`local:${part.key}`)?.status).toBe("third-party");
    expect(b.nodes.get(`local:${model.key}`)?.status).toBe("no-third-party-lineage");
    settleParts(b);
    // The whole takes on its part's origin.
    expect(b.nodes.get(`local:${model.key}`)).toMatchObject({
      status: "third-party",
      statusReason: { code: "part-third-party", args: { parts: ["m/audio"] } },
    });
  });

  it("says undetermined with the first open reference and how many there are", () => {
    const b = builder();
    addLocalNodes(b, [model]);
    settleLocalStatuses(
      b,
      new Map([
        [
          `local:${model.key}`,
          [
            ref({ id: "x", raw: "args.ckpt", skipReason: "dynamic-value" }),
            ref({ id: "y", raw: "cfg.base", skipReason: "dynamic-value" }),
          ],
        ],
      ]),
      new Map([[`local:${model.key}`, ["config identity compared"]]]),
      [],
    );
    expect(b.nodes.get(`local:${model.key}`)).toMatchObject({
      status: "undetermined",
      statusReason: { code: "unresolved-reference", args: { raw: "args.ckpt", count: 2 } },
    });
    expect(b.nodes.get(`local:${model.key}`)?.checked).toBeUndefined();
  });
});

describe("ModelScope ids (break-14 B13)", () => {
  it("gives a literal ModelScope id the publisher the knowledge base knows for its org, and no other reference", () => {
    const b = builder();
    addReferences(
      b,
      [
        ref({ id: "ms", kind: "modelscope-id", raw: "qwen/Qwen-VL-Chat" }),
        ref({ id: "unknown", kind: "modelscope-id", raw: "someone-unlisted/model-x" }),
        ref({ id: "expr", kind: "modelscope-id", raw: "args.checkpoint_path" }),
      ],
      new Map(),
    );
    const byName = new Map([...b.nodes.values()].map((n) => [n.name, n]));
    expect(byName.get("qwen/Qwen-VL-Chat")?.publisher?.country).toBe("CN");
    expect(byName.get("qwen/Qwen-VL-Chat")?.publisher?.entity).toMatch(/Alibaba/);
    expect(byName.get("someone-unlisted/model-x")?.publisher).toBeUndefined();
    expect(byName.get("args.checkpoint_path")?.publisher).toBeUndefined();
  });
});
