import * as CDX from "@cyclonedx/cyclonedx-library";
import { describe, expect, it } from "vitest";
import { PRODUCT_REF, canonicalNodeIds, dependencyGraph, reachable, toCycloneDx } from "../../src/report/cyclonedx.js";
import { omniResult, omniWithWaiverAndHubPin } from "../helpers/results.js";

type Json = Record<string, any>;

/** The CycloneDX library's strict validator: the official 1.6 JSON schema it ships (bom-1.6 + spdx + jsf). */
const validator = new CDX.Validation.JsonStrictValidator(CDX.Spec.Version.v1dot6);

function prop(c: Json, name: string): string[] {
  return ((c.properties ?? []) as Json[]).filter((p) => p.name === name).map((p) => p.value as string);
}

describe("CycloneDX 1.6 reporter", () => {
  it("validates against the official CycloneDX 1.6 schema (strict), also with a waiver and a Hub pin", async () => {
    for (const r of [omniResult(), omniWithWaiverAndHubPin()]) {
      const bom = toCycloneDx(r);
      expect(bom.specVersion).toBe("1.6");
      expect(await validator.validate(JSON.stringify(bom))).toBeNull();
    }
  });

  it("the validator rejects a broken BOM (so the check above can fail)", async () => {
    const bom = toCycloneDx(omniResult()) as Json;
    bom.components[0].type = "neural-net";
    expect(await validator.validate(JSON.stringify(bom))).not.toBeNull();
  });

  it("writes every lineage node as a machine-learning-model with supplier country, licence and relation properties", () => {
    const r = omniResult();
    const bom = toCycloneDx(r) as Json;
    const comps = bom.components as Json[];
    expect(comps.map((c) => c["bom-ref"]).sort()).toEqual(r.lineage.nodes.map((n) => n.id).sort());
    expect(new Set(comps.map((c) => c.type))).toEqual(new Set(["machine-learning-model"]));
    const qwen = comps.find((c) => c["bom-ref"] === "known:qwen2-audio-encoder")!;
    expect(qwen.supplier).toEqual({ name: "Alibaba Cloud (Alibaba Group Holding Ltd.)", address: { country: "CN" } });
    const whisper = comps.find((c) => c["bom-ref"] === "known:whisper-large-v3-encoder")!;
    // The knowledge base says "apache-2.0" (the Hub's spelling); the BOM carries the SPDX id.
    expect(r.lineage.nodes.find((n) => n.id === "known:whisper-large-v3-encoder")!.license).toBe("apache-2.0");
    expect(whisper.licenses).toEqual([{ license: { id: "Apache-2.0" } }]);
    const root = comps.find((c) => c["bom-ref"] === "local:README.md#")!;
    expect(root.licenses).toEqual([{ license: { name: "other:omni-submission-license" } }]);
  });

  it("records the lineage in pedigree.ancestors with the relation type, strength and evidence", () => {
    const bom = toCycloneDx(omniResult()) as Json;
    const audio = (bom.components as Json[]).find((c) => c["bom-ref"] === "local:model/config.json#/audio_config")!;
    const ancestors = audio.pedigree.ancestors as Json[];
    const init = ancestors.find((a) => prop(a, "aiprov:relation")[0] === "initialised-from")!;
    expect(prop(init, "aiprov:ref")).toEqual(["known:qwen2-audio-encoder"]);
    expect(prop(init, "aiprov:strength")).toEqual(["declared"]);
    expect(prop(init, "aiprov:evidence")[0]).toContain("model/config.json:37:5 /audio_config/_name_or_path");
    expect(init.supplier.address.country).toBe("CN");
    // The encoder's own upstream is on its component: Qwen2-Audio encoder <- Whisper large-v3 encoder.
    const qwen = (bom.components as Json[]).find((c) => c["bom-ref"] === "known:qwen2-audio-encoder")!;
    expect((qwen.pedigree.ancestors as Json[]).flatMap((a) => prop(a, "aiprov:ref"))).toContain(
      "known:whisper-large-v3-encoder",
    );
    // A local model depends on its nested parts.
    const deps = (bom.dependencies as Json[]).find((d) => d.ref === "local:model/config.json#")!;
    expect(deps.dependsOn).toEqual(
      expect.arrayContaining(["local:model/config.json#/audio_config", "local:model/config.json#/vision_config"]),
    );
  });

  it("fills modelCard.modelParameters from the config where known, and carries findings and waivers as properties", () => {
    const r = omniWithWaiverAndHubPin();
    const bom = toCycloneDx(r) as Json;
    const withCard = (bom.components as Json[]).filter((c) => c.modelCard);
    expect(withCard.length).toBeGreaterThan(0);
    // Local models carry the architecture read from their config.
    const params = withCard.filter((c) => c.modelCard.modelParameters).map((c) => c.modelCard.modelParameters as Json);
    expect(params.some((p) => p.modelArchitecture && p.architectureFamily)).toBe(true);
    for (const c of withCard) expect(prop(c.modelCard, "aiprov:role")).toEqual(prop(c, "aiprov:role"));
    const findings = (bom.components as Json[]).flatMap((c) => prop(c, "aiprov:finding"));
    expect(findings).toHaveLength(r.findings.length);
    expect(findings.filter((f) => f.includes("waived by ml-platform@example.com until 2026-06-30"))).toHaveLength(1);
  });
});

describe("CycloneDX dependency graph passes", () => {
  it("reaches every node from the product; a released part depends on its checkpoint, a checkpoint on its other parts", () => {
    const base = omniResult();
    // The checkpoint's LLM backbone, as a Hub scan records it (a known part of Qwen2-Audio-7B-Instruct).
    const backbone = {
      id: "part:Qwen/Qwen2-Audio-7B-Instruct#backbone",
      kind: "upstream" as const,
      role: "backbone" as const,
      name: "Qwen/Qwen2-Audio-7B-Instruct backbone",
      status: "third-party" as const,
      inProduct: false,
    };
    const edge = {
      id: "e-backbone",
      from: backbone.id,
      to: "hub:Qwen/Qwen2-Audio-7B-Instruct",
      relation: "component-of" as const,
      strength: "declared" as const,
      evidence: [],
    };
    const r = { ...base, lineage: { nodes: [...base.lineage.nodes, backbone], edges: [...base.lineage.edges, edge] } };
    const { deps, unattached } = dependencyGraph(r);
    expect(unattached).toEqual([]);
    const reached = reachable(deps, PRODUCT_REF);
    for (const n of r.lineage.nodes) expect(reached.has(n.id), n.id).toBe(true);
    const on = (ref: string): string[] => [...(deps.get(ref) ?? [])];
    // The product's audio encoder comes from the Qwen2-Audio encoder, which is released in Qwen2-Audio-7B-Instruct.
    expect(on("local:model/config.json#/audio_config")).toContain("known:qwen2-audio-encoder");
    expect(on("known:qwen2-audio-encoder")).toContain("hub:Qwen/Qwen2-Audio-7B-Instruct");
    // That checkpoint is made of its backbone too (nothing in the product reaches the backbone another way).
    expect(on("hub:Qwen/Qwen2-Audio-7B-Instruct")).toContain("part:Qwen/Qwen2-Audio-7B-Instruct#backbone");
    expect(on("part:Qwen/Qwen2-Audio-7B-Instruct#backbone")).not.toContain("hub:Qwen/Qwen2-Audio-7B-Instruct");
    // A local model depends on its nested parts, not the other way round.
    expect(on("local:model/config.json#")).toContain("local:model/config.json#/audio_config");
  });

  it("hangs lineage no product component leads to off the product, and says which", () => {
    const r = omniResult();
    const orphan = {
      ...r,
      lineage: {
        ...r.lineage,
        nodes: [
          ...r.lineage.nodes,
          {
            id: "hub:someone/unrelated",
            kind: "upstream" as const,
            role: "model" as const,
            name: "someone/unrelated",
            repo: "someone/unrelated",
            status: "undetermined" as const,
            inProduct: false,
          },
        ],
      },
    };
    const { deps, unattached } = dependencyGraph(orphan);
    expect(unattached).toEqual(["hub:someone/unrelated"]);
    expect([...deps.get(PRODUCT_REF)!]).toContain("hub:someone/unrelated");
  });
});

describe("CycloneDX identities", () => {
  it("folds unresolved references with the same expression into one component with every place, and keeps hosted models per provider", () => {
    const base = omniResult();
    const unresolved = (id: string, file: string, raw: string) => ({
      id,
      kind: "upstream" as const,
      role: "model" as const,
      name: raw,
      status: "undetermined" as const,
      statusReason: { code: "unresolved-reference", args: { reason: "dynamic-value", raw } },
      inProduct: true,
      location: { file, line: 3 },
      locations: [{ file, line: 3 }],
    });
    const hosted = (provider: string) => ({
      id: `hosted:${provider}/deepseek-chat`,
      kind: "hosted" as const,
      role: "model" as const,
      name: "deepseek-chat",
      provider: { id: provider, name: provider },
      status: "third-party" as const,
      inProduct: true,
    });
    const nodes = [
      ...base.lineage.nodes,
      unresolved("ref:a", "train.py", "model_path"),
      unresolved("ref:b", "serve.py", "model_path"),
      unresolved("ref:c", "eval.py", "ckpt"),
      hosted("deepseek"),
      hosted("openai"),
    ];
    const r = { ...base, lineage: { ...base.lineage, nodes } };
    expect(canonicalNodeIds(r).get("ref:b")).toBe("ref:a");
    const bom = toCycloneDx(r) as Json;
    const comps = bom.components as Json[];
    const folded = comps.find((c) => c["bom-ref"] === "ref:a")!;
    expect(comps.some((c) => c["bom-ref"] === "ref:b")).toBe(false);
    expect(prop(folded, "aiprov:location")).toEqual(expect.arrayContaining(["train.py:3", "serve.py:3"]));
    expect(prop(folded, "aiprov:folded-node")).toEqual(["ref:b"]);
    expect(comps.some((c) => c["bom-ref"] === "ref:c")).toBe(true);
    const deepseek = comps.filter((c) => c.name === "deepseek-chat").map((c) => `${c.group}/${c.name}`);
    expect(deepseek.sort()).toEqual(["deepseek/deepseek-chat", "openai/deepseek-chat"]);
    // The product calls the hosted models: they are dependencies, not unattached lineage.
    const product = (bom.dependencies as Json[]).find((d) => d.ref === "product")!;
    expect(product.dependsOn).toEqual(
      expect.arrayContaining(["hosted:deepseek/deepseek-chat", "hosted:openai/deepseek-chat", "ref:a", "ref:c"]),
    );
    expect(((bom.metadata.properties ?? []) as Json[]).filter((p) => p.name === "aiprov:unattached")).toEqual([]);
  });

  it("names a local component with its location when another component has the same name, so no two share an identity", () => {
    const base = omniResult();
    const local = (file: string, name: string, pointer?: string) => ({
      id: `local:${file}#${pointer ?? ""}`,
      kind: "local" as const,
      role: "text-encoder" as const,
      name,
      status: "undetermined" as const,
      inProduct: true,
      location: { file, line: 1, ...(pointer ? { pointer } : {}) },
    });
    const known = {
      id: "known:enc-1b",
      kind: "upstream" as const,
      role: "backbone" as const,
      name: "enc-1B",
      status: "third-party" as const,
      inProduct: false,
    };
    const nodes = [
      ...base.lineage.nodes,
      local("a/text_encoder/config.json", "text_encoder"),
      local("b/text_encoder/config.json", "text_encoder"),
      local("c/config.json", "enc-1B", "/text_config"),
      known,
      local("d/config.json", "unique-name"),
    ];
    const bom = toCycloneDx({ ...base, lineage: { ...base.lineage, nodes } }) as Json;
    const name = (ref: string): string => (bom.components as Json[]).find((c) => c["bom-ref"] === ref)!.name as string;
    expect(name("local:a/text_encoder/config.json#")).toBe("text_encoder (a/text_encoder/config.json)");
    expect(name("local:b/text_encoder/config.json#")).toBe("text_encoder (b/text_encoder/config.json)");
    expect(name("local:c/config.json#/text_config")).toBe("enc-1B (c/config.json#/text_config)");
    // The knowledge base's model has no location and keeps its name; a name no other component carries is unchanged.
    expect(name("known:enc-1b")).toBe("enc-1B");
    expect(name("local:d/config.json#")).toBe("unique-name");
  });
});
