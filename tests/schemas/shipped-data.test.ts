import { describe, expect, it } from "vitest";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { Ajv } from "ajv";
import { REPO_ROOT } from "../helpers/cli.js";
import { validate, validatorFor } from "../../src/util/schema.js";
import { loadKnowledgeBase } from "../../src/resolve/knowledge/knowledge-base.js";
import { bundledPackIds, loadPacks } from "../../src/policy/load.js";

const schemaFiles = readdirSync(join(REPO_ROOT, "schemas")).filter((f) => f.endsWith(".schema.json"));

describe("schemas", () => {
  it.each(schemaFiles)("%s is a valid draft-07 schema and compiles", (f) => {
    const schema = JSON.parse(readFileSync(join(REPO_ROOT, "schemas", f), "utf8")) as Record<string, unknown>;
    expect(new Ajv({ strict: false }).validateSchema(schema)).toBe(true);
    expect(() => validatorFor(f)).not.toThrow();
  });
});

describe("every shipped YAML validates", () => {
  it("the bundled knowledge base loads and validates (publishers, components, manifest)", () => {
    const kb = loadKnowledgeBase();
    expect(kb.version).toMatch(/^aiprov-bundled@\d{4}\.\d+\.\d+$/);
    expect(kb.components.map((c) => c.id)).toEqual(expect.arrayContaining(["qwen2.5-vl-vit", "qwen2-audio-encoder", "whisper-large-v3-encoder"]));
  });

  it("publishers cover the required organizations, each with a source, and countries are ISO codes or 'unknown'", () => {
    const kb = loadKnowledgeBase();
    for (const org of ["Qwen", "deepseek-ai", "baidu", "moonshotai", "THUDM", "zai-org", "meta-llama", "google", "openai", "microsoft", "mistralai", "nvidia", "naver-hyperclovax", "LGAI-EXAONE", "upstage", "skt", "kakaocorp", "NCSOFT", "K-intelligence"]) {
      const p = kb.publisherForOrg(org);
      expect(p, org).toBeDefined();
      expect(p!.source.title.length).toBeGreaterThan(0);
    }
    for (const org of ["unsloth", "bartowski", "TheBloke", "lmstudio-community", "mlx-community", "QuantFactory"]) expect(kb.publisherForOrg(org)?.repackager, org).toBe(true);
  });

  it("every knowledge component value cites a source and every checkpoint repo is an org/name id", () => {
    for (const c of loadKnowledgeBase().components) {
      expect(c.sources.length).toBeGreaterThan(0);
      for (const cp of c.checkpoints) expect(cp.source.title.length).toBeGreaterThan(0);
    }
  });

  it.each(bundledPackIds())("rule pack %s validates and loads", (id) => {
    expect(loadPacks([id])[0]!.id).toBe(id);
  });

  it("every YAML under rules/ parses", () => {
    const walkYaml = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walkYaml(join(dir, e.name)) : /\.ya?ml$/.test(e.name) ? [join(dir, e.name)] : []));
    for (const f of walkYaml(join(REPO_ROOT, "rules"))) expect(() => parse(readFileSync(f, "utf8")), f).not.toThrow();
  });
});

describe("schema negatives: malformed data fails with file and path", () => {
  it("a report with an unknown property or a bad enum fails report.schema.json", () => {
    const bad = { schemaVersion: "1.0.0", tool: { name: "aiprov", version: "0", knowledgeBaseVersion: "x" }, createdAt: "2026-01-01T00:00:00Z", root: ".", settings: { policies: [], failOn: "sometimes", offline: true, organization: [], knowledge: [] }, components: [], references: [], mentions: [], lineage: { nodes: [], edges: [] }, policies: [], findings: [], coverage: { filesSeen: 0, filesScanned: 0, bytesRead: 0, skipped: [], skippedByReason: {}, byExtractor: {} }, diagnostics: [], summary: { components: 0, references: 0, findings: { error: 0, warning: 0, note: 0 }, undetermined: 0, verdict: "pass" }, extra: 1 };
    const problems = validate("report.schema.json", bad, "r.json");
    expect(problems).toEqual(expect.arrayContaining(["r.json:/: unknown property 'extra'", expect.stringMatching(/^r\.json:\/settings\/failOn: must be equal to one of the allowed values/)]));
  });

  it("a rule pack with an unknown predicate or a missing source reports every problem at once", () => {
    const pack = { id: "x", version: "1", title: "t", description: "d", undetermined: "fail", rules: [{ id: "r", title: "t", severity: "error", verdict: "fail", description: "d", messages: { m: "x" }, when: { colour: ["red"] } }] };
    const problems = validate("rule-pack.schema.json", pack, "x.yaml");
    expect(problems.some((p) => p.startsWith("x.yaml:/rules/0: must have required property 'source'"))).toBe(true);
    expect(problems.some((p) => p.includes("x.yaml:/rules/0/when: unknown property 'colour'"))).toBe(true);
  });

  it("a publisher with an invented country format fails", () => {
    const problems = validate("knowledge-publishers.schema.json", { publishers: [{ id: "x", entity: "X", country: "China", orgs: ["x"], source: { title: "t" } }] }, "p.yaml");
    expect(problems).toEqual([expect.stringMatching(/^p\.yaml:\/publishers\/0\/country: must match pattern/)]);
  });
});
