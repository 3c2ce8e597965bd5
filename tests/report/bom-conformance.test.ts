/**
 * SPDX 3.0.1 and CycloneDX 1.6 AI-BOMs of every example and of representative fixtures, scanned by the built CLI
 * against the local Hub (so Hub lineage, licences, commits and release times are in them), checked the way their
 * consumers check them (tests/helpers/bom-checks.ts: JSON schema, AI profile, licence expressions and SHACL shapes
 * for SPDX; the strict validator, identities, reachability and error text for CycloneDX; the Jenkins XSD for JUnit),
 * and for what the knowledge base and the Hub say: supplier countries, model cards, dependencies of adapters,
 * quantizations and merges, the Hub's errors kept in annotations.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import parse from "spdx-expression-parse";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LocalHub, startLocalHub } from "../../src/local-hub/server.js";
import type { AuditResult } from "../../src/model/types.js";
import { componentIndex } from "../../src/report/common.js";
import { toCycloneDx } from "../../src/report/cyclonedx.js";
import { renderJunit } from "../../src/report/junit.js";
import { toSpdx } from "../../src/report/spdx.js";
import {
  AI_REQUIRED,
  allComponents,
  cyclonedxGraphProblems,
  cyclonedxSchemaProblems,
  junitProblems,
  spdxLicenceExpressions,
  spdxLicenceProblems,
  spdxProfileProblems,
  spdxSchemaProblems,
} from "../helpers/bom-checks.js";
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
  writeFileSync(
    join(root, "model", "README.md"),
    "---\nlicense: llama3.1\nbase_model: TheBloke/Merged-AGI-7B-GGUF\nbase_model_relation: quantized\n---\n# Assistant\n",
  );
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
  failingHub = await startLocalHub({
    fixtures: join(REPO_ROOT, "tests", "fixtures", "hub"),
    faults: [{ path: /Merged-AGI-7B-GGUF|InternVL3-1B/, kind: 500 }],
  });
  const product = hubProduct(tmp);
  const runs: [string, string, string[]][] = [
    ...CASES.map((c): [string, string, string[]] => [c, c, ["--hub-url", hub.url]]),
    ["hub-product", product, ["--hub-url", hub.url]],
    // Every pack whose messages name a failed lookup, so a tool error in a finding's text would reach a component.
    [
      "hub-product (Hub answers 500)",
      product,
      ["--hub-url", failingHub.url, "--timeout", "5", "--policy", "licence-duties", "--policy", "us-covered-adversary"],
    ],
    ["hub-product (offline)", product, ["--offline"]],
  ];
  for (const [i, [name, c, extra]] of runs.entries()) {
    const out = join(tmp, `r${i}.json`);
    const r = await aiprovAsync(
      [
        "scan",
        c,
        ...extra,
        "--policy",
        "kr-sovereign-from-scratch",
        "--json-output",
        out,
        "--format",
        "json",
        "--output",
        join(tmp, `s${i}.json`),
      ],
      {
        env: { ...env, AIPROV_CACHE_DIR: join(tmp, `cache${i}`) },
      },
    );
    expect(r.code, `${c}: ${r.stderr}`).toBeLessThan(2);
    results.set(name, JSON.parse(readFileSync(out, "utf8")) as AuditResult);
  }
}, 600_000);
afterAll(async () => {
  await hub.close();
  await failingHub?.close();
});

describe("SPDX 3.0.1 of every example and fixture", () => {
  it("scans a product with Hub lineage (so the checks below see Hub packages)", () => {
    const r = results.get("hub-product")!;
    expect(r.lineage.nodes.filter((n) => n.kind === "upstream" && n.releaseTime && n.revision).length).toBeGreaterThan(
      5,
    );
  });

  it("validates against the JSON schema and meets the AI profile's mandatory properties and licence relationships", () => {
    let packages = 0;
    let models = 0;
    for (const [name, r] of results) {
      const doc = toSpdx(r) as Json;
      expect(spdxSchemaProblems(doc), name).toEqual([]);
      expect(spdxProfileProblems(doc), name).toEqual([]);
      const graph = doc["@graph"] as Json[];
      packages += graph.filter((x) => x.type === "ai_AIPackage").length;
      models += graph.filter((x) => x.software_primaryPurpose === "model").length;
      // An AI package is written exactly where the Hub gave the model's release time, and carries that time.
      const released = new Set(r.lineage.nodes.filter((n) => n.releaseTime).map((n) => n.name));
      for (const p of graph.filter((x) => x.type === "ai_AIPackage")) expect(released, name).toContain(p.name);
    }
    expect(packages).toBeGreaterThan(15);
    expect(models).toBeGreaterThan(30);
  });

  it("writes every licence as an SPDX expression that spdx-expression-parse accepts, each LicenseRef- named and linked", () => {
    const expressions = new Set<string>();
    for (const [name, r] of results) {
      const doc = toSpdx(r) as Json;
      expect(spdxLicenceProblems(doc), name).toEqual([]);
      for (const expr of spdxLicenceExpressions(doc)) expressions.add(expr);
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

  it("the checks can fail: a package without releaseTime, or stamped with the audit's time, or with a lower-case id is caught", () => {
    const doc = toSpdx(results.get("hub-product")!) as Json;
    const [pkg, stamped] = (doc["@graph"] as Json[]).filter((x) => x.type === "ai_AIPackage");
    delete pkg!.releaseTime;
    expect(AI_REQUIRED.every((k) => pkg![k])).toBe(false);
    expect(spdxProfileProblems(doc)).toContain(`${pkg!.name} lacks releaseTime`);
    stamped!.releaseTime = (doc["@graph"] as Json[]).find((x) => x.type === "CreationInfo")!.created;
    expect(spdxProfileProblems(doc)).toContain(`${stamped!.name}: releaseTime is the document's creation time`);
    expect(() => parse("llama3.1")).toThrow();
    expect(() => parse("apache-2.0")).toThrow();
  });
});

describe("CycloneDX 1.6 of every example and fixture", () => {
  it("validates with the CycloneDX library's strict validator", async () => {
    for (const [name, r] of results) expect(await cyclonedxSchemaProblems(toCycloneDx(r)), name).toEqual([]);
  });

  it("has one component per identity, every component reachable from the product, no tool error in component data", () => {
    let components = 0;
    for (const [name, r] of results) {
      const bom = toCycloneDx(r) as Json;
      expect(cyclonedxGraphProblems(bom), name).toEqual([]);
      components += allComponents(bom).length;
    }
    expect(components).toBeGreaterThan(100);
  });

  it("keeps the Hub's errors: in annotations about the component and in metadata properties", () => {
    const r = results.get("hub-product (Hub answers 500)")!;
    const failed = r.lineage.nodes.filter((n) => n.statusReason?.code === "hub-error").map((n) => n.id);
    expect(failed.sort()).toEqual(["hub:OpenGVLab/InternVL3-1B", "hub:TheBloke/Merged-AGI-7B-GGUF"]);
    const bom = toCycloneDx(r) as Json;
    for (const id of failed)
      expect((bom.annotations as Json[]).find((a) => a.subjects.includes(id))?.text, id).toMatch(/500/);
    expect(
      ((bom.metadata.properties ?? []) as Json[]).filter((p) => p.name === "aiprov:diagnostic" && /500/.test(p.value))
        .length,
    ).toBeGreaterThan(0);
  });

  it("depends an adapter on its base, a quantized model on its source, a merge on its parents", () => {
    const bom = toCycloneDx(results.get("hub-product")!) as Json;
    const dependsOn = (ref: string): string[] =>
      ((bom.dependencies as Json[]).find((d) => d.ref === ref)?.dependsOn ?? []) as string[];
    expect(dependsOn("hub:DEVELOPERYUMIN/GeM2-14B-Korean-RAG-QLoRA")).toContain("hub:vaiv/GeM2-Llamion-14B-Chat");
    expect(dependsOn("hub:TheBloke/Merged-AGI-7B-GGUF")).toContain("hub:Q-bert/Merged-AGI-7B");
    expect(dependsOn("hub:YouriLalain/2PRYMMAL-Yi1.5-6B-SLERP")).toEqual(
      expect.arrayContaining(["hub:01-ai/Yi-1.5-6B", "hub:01-ai/Yi-1.5-6B-Chat"]),
    );
  });

  it("gives the supplier the knowledge base's country wherever it has one, and every Hub model a model card", () => {
    let hubModels = 0;
    for (const [name, r] of results) {
      const bom = toCycloneDx(r) as Json;
      const byRef = new Map(allComponents(bom).map((c) => [c["bom-ref"] as string, c]));
      const { canon } = componentIndex(r);
      for (const n of r.lineage.nodes) {
        // A node folded into another component (one model identity) is described by that component.
        const c = byRef.get(canon.get(n.id) ?? n.id)!;
        if (n.publisher && /^[A-Z]{2}$/.test(n.publisher.country))
          expect(c.supplier?.address?.country, `${name}: ${n.id}`).toBe(n.publisher.country);
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

  it("puts the Hub's task and the card's training datasets into the model card (CycloneDX) and the AI package (SPDX)", () => {
    const r = results.get("hub-product")!;
    const bom = toCycloneDx(r) as Json;
    const byRef = new Map(allComponents(bom).map((c) => [c["bom-ref"] as string, c]));
    // Q-bert/MetaMath-Cybertron-Starling's card (tests/fixtures/hub): pipeline_tag text-generation, MetaMathQA.
    const starling = byRef.get("hub:Q-bert/MetaMath-Cybertron-Starling")!.modelCard.modelParameters;
    expect(starling.task).toBe("text-generation");
    expect(starling.datasets).toContainEqual({
      type: "dataset",
      name: "meta-math/MetaMathQA",
      contents: { url: expect.stringMatching(/\/datasets\/meta-math\/MetaMathQA$/) },
    });
    const withTask = r.lineage.nodes.filter((n) => n.task);
    expect(withTask.length).toBeGreaterThan(3);
    for (const n of withTask) expect(byRef.get(n.id)?.modelCard?.modelParameters?.task, n.id).toBe(n.task);
    const spdx = (toSpdx(r) as Json)["@graph"] as Json[];
    const pkg = spdx.find((x) => x.type === "ai_AIPackage" && x.name === "Q-bert/MetaMath-Cybertron-Starling")!;
    expect(pkg.ai_informationAboutApplication).toContain("text-generation");
    expect(pkg.ai_informationAboutTraining).toContain("meta-math/MetaMathQA");
    // An AI package carries the Hub's commit and creation time, never the audit's time.
    expect(pkg.software_packageVersion).toMatch(/^[0-9a-f]{40}$/);
    expect(pkg.releaseTime).toBe(
      r.lineage.nodes
        .find((n) => n.id === "hub:Q-bert/MetaMath-Cybertron-Starling")!
        .releaseTime!.replace(/\.\d+Z$/, "Z"),
    );
  });

  it("the checks can fail: a second ref for a model, an unreachable component and an error description are caught", () => {
    const bom = toCycloneDx(results.get("hub-product (Hub answers 500)")!) as Json;
    const comps = bom.components as Json[];
    const copy = { ...comps[0], "bom-ref": "copy-of-first" };
    const broken = {
      ...bom,
      components: [
        ...comps.map((c, i) => (i === 1 ? { ...c, description: "model; undetermined: hub-error status=500" } : c)),
        copy,
      ],
    };
    const problems = cyclonedxGraphProblems(broken);
    expect(problems.some((p) => p.includes("appears as"))).toBe(true);
    expect(problems).toContain("copy-of-first is not reachable from the product");
    expect(problems.some((p) => p.includes("tool error text: status=500"))).toBe(true);
  });
});

describe("JUnit of every example and fixture", () => {
  it("is valid against the common Jenkins JUnit XSD (schemas/junit-jenkins-10.xsd)", async () => {
    for (const [name, r] of results) expect(await junitProblems(renderJunit(r)), name).toEqual([]);
  });
});
