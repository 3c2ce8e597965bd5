/**
 * SPDX 3.0.1 and CycloneDX 1.6 AI-BOMs of every example and of representative fixtures, scanned by the built CLI
 * against the local Hub (so Hub lineage, licences, commits and release times are in them), checked the way their
 * consumers check them:
 * - SPDX: the published 3.0.1 JSON schema (schemas/spdx-json-schema-3.0.1.json), the AI profile's mandatory
 *   properties of every ai_AIPackage (AIPackage "External properties cardinality updates": releaseTime, suppliedBy,
 *   downloadLocation, packageVersion, primaryPurpose; and exactly one hasDeclaredLicense / hasConcludedLicense
 *   relationship, the profile's conformance clause), every licence expression parsed by spdx-expression-parse, every
 *   LicenseRef- linked, every reference resolving to an element of the document.
 * - CycloneDX: the CycloneDX library's strict 1.6 JSON validator.
 * - JUnit: the common Jenkins JUnit XSD (schemas/junit-jenkins-10.xsd) through libxml2 (xmllint-wasm).
 * The SHACL shapes are not checked here (see the closing note of issue 14).
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
  for (const [i, c] of [...CASES, hubProduct(tmp)].entries()) {
    const out = join(tmp, `r${i}.json`);
    const r = await aiprovAsync(["scan", c, "--hub-url", hub.url, "--json-output", out, "--format", "json", "--output", join(tmp, `s${i}.json`)], { env });
    expect(r.code, `${c}: ${r.stderr}`).toBeLessThan(2);
    results.set(c.startsWith(tmp) ? "hub-product" : c, JSON.parse(readFileSync(out, "utf8")) as AuditResult);
  }
}, 600_000);
afterAll(async () => {
  await hub.close();
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

describe("CycloneDX 1.6 of every example and fixture", () => {
  it("validates with the CycloneDX library's strict validator", async () => {
    for (const [name, r] of results) expect(await cdxValidator.validate(JSON.stringify(toCycloneDx(r))), name).toBeNull();
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
