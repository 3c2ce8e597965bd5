/**
 * SPDX 3.0.1 and CycloneDX 1.6 AI-BOMs of every example and of representative fixtures, scanned by the built CLI
 * against the local Hub (so Hub lineage, licences, commits and release times are in them), checked the way their
 * consumers check them:
 * - SPDX: the published 3.0.1 JSON schema (schemas/spdx-json-schema-3.0.1.json), the AI profile's mandatory
 *   properties of every ai_AIPackage (AIPackage "External properties cardinality updates": releaseTime, suppliedBy,
 *   downloadLocation, packageVersion, primaryPurpose; and exactly one hasDeclaredLicense / hasConcludedLicense
 *   relationship, the profile's conformance clause), every licence expression parsed by spdx-expression-parse, every
 *   LicenseRef- linked, every reference resolving to an element of the document.
 * - CycloneDX: the CycloneDX library's strict 1.6 JSON validator, plus what its consumers assume of an AI-BOM: one
 *   component per identity (bom-ref, purl, name/version; pedigree ancestors name their top-level component), every
 *   component reachable from the product along `dependencies`, no tool error text in component data (it belongs in
 *   annotations or metadata properties), supplier country wherever the knowledge base has one, a model card for
 *   every Hub model.
 * - JUnit: the common Jenkins JUnit XSD (schemas/junit-jenkins-10.xsd) through libxml2 (xmllint-wasm).
 * - SPDX also against the official SPDX 3.0.1 SHACL shapes (schemas/spdx-model-3.0.1.ttl) with rdf-validate-shacl,
 *   offline: jsonld expands the document with the 3.0.1 context kept in schemas/ (tests/helpers/spdx-shacl.ts).
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as CDX from "@cyclonedx/cyclonedx-library";
import { Ajv2020 } from "ajv/dist/2020.js";
import parse from "spdx-expression-parse";
import { validateXML } from "xmllint-wasm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LocalHub, startLocalHub } from "../../src/local-hub/server.js";
import type { AuditResult } from "../../src/model/types.js";
import { toCycloneDx } from "../../src/report/cyclonedx.js";
import { renderJunit } from "../../src/report/junit.js";
import { toSpdx } from "../../src/report/spdx.js";
import { aiprovAsync, REPO_ROOT } from "../helpers/cli.js";
import { spdxShaclProblems } from "../helpers/spdx-shacl.js";

type Json = Record<string, any>;

const CASES = [
  "examples/app-product",
  "examples/clean-submission",
  "examples/llama-finetune",
  "examples/omni-submission",
  "tests/fixtures/hyperclovax-omniserve",
  "tests/fixtures/qwen2.5-vl-7b-instruct",
  "tests/fixtures/secrets-app",
];

let hub: LocalHub;
let failingHub: LocalHub;
const results = new Map<string, AuditResult>();

/** A product that loads Hub repos of every lineage shape the fixture Hub serves (adapter, merge, GGUF, VLM). */
function hubProduct(dir: string): string {
  const root = join(dir, "hub-product");
  mkdirSync(join(root, "model"), { recursive: true });
  writeFileSync(join(root, "model", "README.md"), "---\nlicense: llama3.1\nbase_model: TheBloke/Merged-AGI-7B-GGUF\nbase_model_relation: quantized\n---\n# Assistant\n");
  writeFileSync(
    join(root, "app.py"),
    [
      "from transformers import AutoModel",
      'a = AutoModel.from_pretrained("DEVELOPERYUMIN/GeM2-14B-Korean-RAG-QLoRA")',
      'b = AutoModel.from_pretrained("YouriLalain/2PRYMMAL-Yi1.5-6B-SLERP")',
      'c = AutoModel.from_pretrained("OpenGVLab/InternVL3-1B")',
      'd = AutoModel.from_pretrained("fixie-ai/ultravox-v0_6-llama-3_1-8b")',
      'e = AutoModel.from_pretrained("Q-bert/MetaMath-Cybertron-Starling")',
      "",
    ].join("\n"),
  );
  return root;
}

beforeAll(async () => {
  hub = await startLocalHub({ fixtures: join(REPO_ROOT, "tests", "fixtures", "hub") });
  const tmp = mkdtempSync(join(tmpdir(), "aiprov-bom-"));
  const env = { HF_HUB_OFFLINE: "0", AIPROV_CACHE_DIR: join(tmp, "cache"), HF_HOME: join(tmp, "hf") };
  // The same product against a fixture Hub that answers 500 for two of its repos, and offline (knowledge base only).
  failingHub = await startLocalHub({ fixtures: join(REPO_ROOT, "tests", "fixtures", "hub"), faults: [{ path: /Merged-AGI-7B-GGUF|InternVL3-1B/, kind: 500 }] });
  const product = hubProduct(tmp);
  const runs: [string, string, string[]][] = [
    ...CASES.map((c): [string, string, string[]] => [c, c, ["--hub-url", hub.url]]),
    ["hub-product", product, ["--hub-url", hub.url]],
    ["hub-product (Hub answers 500)", product, ["--hub-url", failingHub.url, "--timeout", "5"]],
    ["hub-product (offline)", product, ["--offline"]],
  ];
  for (const [i, [name, c, extra]] of runs.entries()) {
    const out = join(tmp, `r${i}.json`);
    const r = await aiprovAsync(["scan", c, ...extra, "--policy", "kr-sovereign-from-scratch", "--json-output", out, "--format", "json", "--output", join(tmp, `s${i}.json`)], {
      env: { ...env, AIPROV_CACHE_DIR: join(tmp, `cache${i}`) },
    });
    expect(r.code, `${c}: ${r.stderr}`).toBeLessThan(2);
    results.set(name, JSON.parse(readFileSync(out, "utf8")) as AuditResult);
  }
}, 600_000);
afterAll(async () => {
  await hub.close();
  await failingHub?.close();
});

const validateSpdx = new Ajv2020({ allErrors: true, strict: false }).compile(JSON.parse(readFileSync(join(REPO_ROOT, "schemas", "spdx-json-schema-3.0.1.json"), "utf8")) as object);
const AI_REQUIRED = ["releaseTime", "suppliedBy", "software_downloadLocation", "software_packageVersion", "software_primaryPurpose"];

describe("SPDX 3.0.1 of every example and fixture", () => {
  it("scans a product with Hub lineage (so the checks below see Hub packages)", () => {
    const r = results.get("hub-product")!;
    expect(r.lineage.nodes.filter((n) => n.kind === "upstream" && n.releaseTime && n.revision).length).toBeGreaterThan(5);
  });

  it("validates against the JSON schema and meets the AI profile's mandatory properties and licence relationships", () => {
    let packages = 0;
    for (const [name, r] of results) {
      const doc = toSpdx(r) as Json;
      expect(validateSpdx(doc), `${name}: ${JSON.stringify(validateSpdx.errors?.slice(0, 3))}`).toBe(true);
      const graph = doc["@graph"] as Json[];
      const ids = new Set(graph.map((x) => x.spdxId).filter(Boolean));
      const rels = graph.filter((x) => x.type === "Relationship");
      for (const p of graph.filter((x) => x.type === "ai_AIPackage")) {
        packages++;
        for (const k of AI_REQUIRED) expect(p[k], `${name}: ${p.name} lacks ${k}`).toBeTruthy();
        expect(ids.has(p.suppliedBy), `${name}: ${p.name} supplier`).toBe(true);
        for (const t of ["hasDeclaredLicense", "hasConcludedLicense"]) expect(rels.filter((x) => x.from === p.spdxId && x.relationshipType === t), `${name}: ${p.name} ${t}`).toHaveLength(1);
      }
      for (const rel of rels) for (const to of rel.to as string[]) expect(ids.has(to) || to.startsWith("expandedlicensing_"), `${name}: dangling ${to}`).toBe(true);
    }
    expect(packages).toBeGreaterThan(30);
  });

  it("writes every licence as an SPDX expression that spdx-expression-parse accepts, each LicenseRef- named and linked", () => {
    const expressions = new Set<string>();
    for (const [name, r] of results) {
      const graph = (toSpdx(r) as Json)["@graph"] as Json[];
      for (const e of graph.filter((x) => x.type === "simplelicensing_LicenseExpression")) {
        const expr = e.simplelicensing_licenseExpression as string;
        expressions.add(expr);
        expect(() => parse(expr), `${name}: ${expr}`).not.toThrow();
        if (expr.includes("LicenseRef-")) {
          expect(e.comment, `${name}: ${expr}`).toMatch(/Not on the SPDX License List/);
          for (const m of (e.simplelicensing_customIdToUri ?? []) as Json[]) expect(expr).toContain(m.key);
        }
      }
    }
    // The Hub's lower-case ids become SPDX ids; a licence that is not on the list stays named, as a LicenseRef.
    expect(expressions).toContain("Apache-2.0");
    expect(expressions).toContain("CC-BY-NC-4.0");
    expect(expressions).toContain("LicenseRef-llama3.1");
    expect([...expressions].filter((x) => /^(apache-2\.0|mit|llama3\.1)$/.test(x))).toEqual([]);
  });

  it("conforms to the official SPDX 3.0.1 SHACL shapes", async () => {
    for (const [name, r] of results) expect(await spdxShaclProblems(toSpdx(r) as object), name).toEqual([]);
  }, 120_000);

  it("the SHACL check can fail: a package without creationInfo, an unknown purpose and relationship type are caught", async () => {
    const doc = toSpdx(results.get("hub-product")!) as Json;
    const graph = doc["@graph"] as Json[];
    const pkg = graph.find((x) => x.type === "ai_AIPackage")!;
    delete pkg.creationInfo;
    pkg.software_primaryPurpose = "banana";
    graph.find((x) => x.type === "Relationship")!.relationshipType = "likes";
    const problems = await spdxShaclProblems(doc);
    expect(problems.some((p) => p.startsWith(`${pkg.spdxId} `) && p.includes("Core/creationInfo"))).toBe(true);
    expect(problems.some((p) => p.startsWith(`${pkg.spdxId} `) && p.includes("Software/primaryPurpose"))).toBe(true);
    expect(problems.some((p) => p.includes("Core/relationshipType"))).toBe(true);
  });

  it("the checks can fail: a package without releaseTime or with a lower-case id is caught", () => {
    const doc = toSpdx(results.get("hub-product")!) as Json;
    const pkg = (doc["@graph"] as Json[]).find((x) => x.type === "ai_AIPackage")!;
    delete pkg.releaseTime;
    expect(AI_REQUIRED.every((k) => pkg[k])).toBe(false);
    expect(() => parse("llama3.1")).toThrow();
    expect(() => parse("apache-2.0")).toThrow();
  });
});

const cdxValidator = new CDX.Validation.JsonStrictValidator(CDX.Spec.Version.v1dot6);

/** Every component of a BOM with a bom-ref, nested ones included (pedigree ancestors have none: see below). */
function allComponents(bom: Json): Json[] {
  const out: Json[] = [];
  const walk = (cs: Json[] | undefined): void => {
    for (const c of cs ?? []) {
      out.push(c);
      walk(c.components as Json[] | undefined);
    }
  };
  walk(bom.components as Json[]);
  return out;
}

/** An identity: the purl when there is one, else group/name@version. */
function identity(c: Json): string {
  return (c.purl as string | undefined) ?? `${c.group ?? ""}/${c.name}@${c.version ?? ""}`;
}

/** Problems of one BOM: duplicate identities, components the product does not reach, tool errors in component data. */
function bomProblems(bom: Json): string[] {
  const problems: string[] = [];
  const comps = allComponents(bom);
  const byRef = new Map<string, Json>();
  const byIdentity = new Map<string, string>();
  for (const c of comps) {
    const ref = c["bom-ref"] as string;
    if (byRef.has(ref)) problems.push(`duplicate bom-ref ${ref}`);
    byRef.set(ref, c);
    const id = identity(c);
    if (byIdentity.has(id)) problems.push(`${id} appears as ${byIdentity.get(id)} and ${ref}`);
    byIdentity.set(id, ref);
  }
  // A pedigree ancestor names its top-level component and carries the same identity; it has no bom-ref of its own.
  for (const c of comps) {
    for (const a of (c.pedigree?.ancestors ?? []) as Json[]) {
      if (a["bom-ref"]) problems.push(`ancestor of ${c["bom-ref"]} has its own bom-ref ${a["bom-ref"]}`);
      const ref = ((a.properties ?? []) as Json[]).find((p) => p.name === "aiprov:ref")?.value as string | undefined;
      const target = ref ? byRef.get(ref) : undefined;
      if (!target) problems.push(`ancestor of ${c["bom-ref"]} names no component (${ref})`);
      else if (identity(target) !== identity(a)) problems.push(`ancestor ${ref} of ${c["bom-ref"]} has identity ${identity(a)}, its component ${identity(target)}`);
    }
  }
  const deps = new Map<string, string[]>(((bom.dependencies ?? []) as Json[]).map((d) => [d.ref as string, (d.dependsOn ?? []) as string[]]));
  const root = bom.metadata.component["bom-ref"] as string;
  const seen = new Set([root]);
  const queue = [root];
  while (queue.length > 0) {
    for (const n of deps.get(queue.shift()!) ?? []) {
      if (seen.has(n)) continue;
      seen.add(n);
      queue.push(n);
    }
  }
  for (const ref of byRef.keys()) if (!seen.has(ref)) problems.push(`${ref} is not reachable from the product`);
  for (const c of comps) {
    const text = JSON.stringify(c);
    const m = TOOL_ERROR.exec(text);
    if (m) problems.push(`${c["bom-ref"]} carries tool error text: ${m[0]}`);
  }
  return problems;
}

/** What a tool error looks like in text: an HTTP status, a Hub error code, a Node network error, an exception. */
const TOOL_ERROR = /status=\d{3}|errorCode=|\bE(?:NOTFOUND|CONNREFUSED|CONNRESET|TIMEDOUT|AI_AGAIN)\b|\bHTTP [45]\d\d\b|answered [45]\d\d|\b(?:Type|Syntax|Range)?Error: /;

describe("CycloneDX 1.6 of every example and fixture", () => {
  it("validates with the CycloneDX library's strict validator", async () => {
    for (const [name, r] of results) expect(await cdxValidator.validate(JSON.stringify(toCycloneDx(r))), name).toBeNull();
  });

  it("has one component per identity, every component reachable from the product, no tool error in component data", () => {
    let components = 0;
    for (const [name, r] of results) {
      const bom = toCycloneDx(r) as Json;
      expect(bomProblems(bom), name).toEqual([]);
      components += allComponents(bom).length;
    }
    expect(components).toBeGreaterThan(100);
  });

  it("keeps the Hub's errors: in annotations about the component and in metadata properties", () => {
    const r = results.get("hub-product (Hub answers 500)")!;
    const failed = r.lineage.nodes.filter((n) => n.statusReason?.code === "hub-error").map((n) => n.id);
    expect(failed.sort()).toEqual(["hub:OpenGVLab/InternVL3-1B", "hub:TheBloke/Merged-AGI-7B-GGUF"]);
    const bom = toCycloneDx(r) as Json;
    for (const id of failed) expect((bom.annotations as Json[]).find((a) => a.subjects.includes(id))?.text, id).toMatch(/500/);
    expect(((bom.metadata.properties ?? []) as Json[]).filter((p) => p.name === "aiprov:diagnostic" && /500/.test(p.value)).length).toBeGreaterThan(0);
  });

  it("depends an adapter on its base, a quantized model on its source, a merge on its parents", () => {
    const bom = toCycloneDx(results.get("hub-product")!) as Json;
    const dependsOn = (ref: string): string[] => ((bom.dependencies as Json[]).find((d) => d.ref === ref)?.dependsOn ?? []) as string[];
    expect(dependsOn("hub:DEVELOPERYUMIN/GeM2-14B-Korean-RAG-QLoRA")).toContain("hub:vaiv/GeM2-Llamion-14B-Chat");
    expect(dependsOn("hub:TheBloke/Merged-AGI-7B-GGUF")).toContain("hub:Q-bert/Merged-AGI-7B");
    expect(dependsOn("hub:YouriLalain/2PRYMMAL-Yi1.5-6B-SLERP")).toEqual(expect.arrayContaining(["hub:01-ai/Yi-1.5-6B", "hub:01-ai/Yi-1.5-6B-Chat"]));
  });

  it("gives the supplier the knowledge base's country wherever it has one, and every Hub model a model card", () => {
    let hubModels = 0;
    for (const [name, r] of results) {
      const bom = toCycloneDx(r) as Json;
      const byRef = new Map(allComponents(bom).map((c) => [c["bom-ref"] as string, c]));
      for (const n of r.lineage.nodes) {
        const c = byRef.get(n.id)!;
        if (n.publisher && /^[A-Z]{2}$/.test(n.publisher.country)) expect(c.supplier?.address?.country, `${name}: ${n.id}`).toBe(n.publisher.country);
        expect(c.supplier?.address?.country, `${name}: ${n.id}`).not.toBe("unknown");
        if (n.kind !== "upstream" || !n.repo) continue;
        hubModels++;
        const card = c.modelCard as Json | undefined;
        expect(card, `${name}: ${n.id}`).toBeDefined();
        const props = ((card!.properties ?? []) as Json[]).map((p) => `${p.name}=${p.value}`);
        if (n.license) expect(props, `${name}: ${n.id}`).toContain(`aiprov:declared-license=${n.license}`);
        for (const a of (c.pedigree?.ancestors ?? []) as Json[]) {
          const rel = (a.properties as Json[]).find((p) => p.name === "aiprov:relation")!.value;
          const ref = (a.properties as Json[]).find((p) => p.name === "aiprov:ref")!.value;
          expect(props, `${name}: ${n.id}`).toContain(`aiprov:base-model=${rel} ${ref}`);
        }
      }
    }
    expect(hubModels).toBeGreaterThan(30);
  });

  it("the checks can fail: a second ref for a model, an unreachable component and an error description are caught", () => {
    const bom = toCycloneDx(results.get("hub-product (Hub answers 500)")!) as Json;
    const comps = bom.components as Json[];
    const copy = { ...comps[0], "bom-ref": "copy-of-first" };
    const broken = {
      ...bom,
      components: [...comps.map((c, i) => (i === 1 ? { ...c, description: "model; undetermined: hub-error status=500" } : c)), copy],
    };
    const problems = bomProblems(broken);
    expect(problems.some((p) => p.includes("appears as"))).toBe(true);
    expect(problems).toContain("copy-of-first is not reachable from the product");
    expect(problems.some((p) => p.includes("tool error text: status=500"))).toBe(true);
  });
});

describe("JUnit of every example and fixture", () => {
  it("is valid against the common Jenkins JUnit XSD (schemas/junit-jenkins-10.xsd)", async () => {
    const xsd = readFileSync(join(REPO_ROOT, "schemas", "junit-jenkins-10.xsd"), "utf8");
    for (const [name, r] of results) {
      const v = await validateXML({ xml: [{ fileName: "junit.xml", contents: renderJunit(r) }], schema: [xsd] });
      expect(v.errors.map((e) => e.message), name).toEqual([]);
    }
  });
});
