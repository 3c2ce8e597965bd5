import { readFileSync } from "node:fs";
import { Ajv2020 } from "ajv/dist/2020.js";
import { validateXML } from "xmllint-wasm";
import { describe, expect, it } from "vitest";
import type { Finding } from "../../src/model/types.js";
import { caseNodeName, renderJunit } from "../../src/report/junit.js";
import { MARKDOWN_MAX_CHARS, mdProse, mermaidGraph, renderMarkdown } from "../../src/report/markdown.js";
import { SPDX_CONTEXT, toSpdx } from "../../src/report/spdx.js";
import { packagePath } from "../../src/util/package-root.js";
import { omniResult, omniWithWaiverAndHubPin } from "../helpers/results.js";

type Json = Record<string, any>;

describe("Markdown reporter", () => {
  it("gives the verdict, a component table with origin and country, findings with evidence, and folds the rest", () => {
    const md = renderMarkdown(omniResult());
    expect(md.split("\n")[0]).toBe("## ❌ aiprov: FAIL · kr-sovereign-from-scratch");
    expect(md).toContain("| Component | Role | Status | Origin | Country | Licence | Relation |");
    const audioRow = md.split("\n").find((l) => l.startsWith("| **model/audio_config**"))!;
    expect(audioRow).toContain("Qwen2-Audio encoder (Alibaba Cloud");
    expect(audioRow).toContain("| CN |");
    expect(audioRow).toContain("initialised-from (declared)");
    expect(md).toContain("`model/config.json:37:5 /audio_config/_name_or_path`");
    expect(md).toContain("<details><summary>Lineage graph</summary>");
    expect(md).toContain("```mermaid\nflowchart LR");
  });

  it("draws every lineage node and edge in the Mermaid graph", () => {
    const r = omniResult();
    const g = mermaidGraph(r);
    r.lineage.nodes.forEach((_, i) => expect(g).toMatch(new RegExp(`^  n${i}[\\[(]`, "m")));
    expect(g.split("\n").filter((l) => /^ {2}n\d+ (-->|-\.->)\|[a-z-]+\| n\d+$/.test(l))).toHaveLength(
      r.lineage.edges.length,
    );
  });

  it("shows waivers with owner and expiry", () => {
    expect(renderMarkdown(omniWithWaiverAndHubPin())).toContain(
      "_Waived by ml-platform@example.com until 2026-06-30: architecture-only:",
    );
  });

  it("stays under GitHub's comment size with thousands of findings and components and says what it left out", () => {
    const r = omniResult();
    const f = r.findings[0]!;
    const upstream = r.lineage.nodes.find((n) => n.kind === "upstream")!;
    for (let i = 0; i < 1000; i++) {
      const id = `local:synthetic/${i}/adapter_config.json#`;
      r.lineage.nodes.push({
        id,
        kind: "local",
        role: "adapter",
        name: `adapter-${i}`,
        status: "third-party",
        inProduct: true,
        location: { file: `synthetic/${i}/adapter_config.json`, line: 1 },
      });
      r.lineage.edges.push({
        id: `e${i}`,
        from: id,
        to: upstream.id,
        relation: "adapter",
        strength: "declared",
        evidence: [],
      });
    }
    r.findings = Array.from({ length: 3000 }, (_, i): Finding => ({ ...f, id: `x${i}`, node: `${f.node}${i}` }));
    const md = renderMarkdown(r);
    expect(md.length).toBeLessThanOrEqual(MARKDOWN_MAX_CHARS);
    expect(md).toMatch(/… \d+ more findings not shown/);
    expect(md).toMatch(/… \d+ more components not shown/);
    expect(md).toContain("is too large for a comment; the HTML report draws it");
    expect(md).toContain("<details><summary>Scan settings</summary>");
  });
});

describe("Markdown How to fix", () => {
  it("renders a rule's commands as code spans, not literal backticks, and still escapes the prose", () => {
    const md = renderMarkdown(omniResult());
    expect(md).toContain("run `aiprov compare <your-component-folder> <upstream>` to compare tensors");
    expect(md).not.toContain("\\`aiprov compare");
    expect(mdProse("a `b|c` <d> `e")).toBe("a `b|c` &lt;d&gt; \\`e");
  });
});

/** The Jenkins JUnit XSD (schemas/junit-jenkins-10.xsd) through libxml2's validator (xmllint-wasm); [] when valid. */
async function validateJunit(xml: string): Promise<string[]> {
  const r = await validateXML({
    xml: [{ fileName: "junit.xml", contents: xml }],
    schema: [readFileSync(packagePath("schemas", "junit-jenkins-10.xsd"), "utf8")],
  });
  return r.valid ? [] : r.errors.map((e) => e.message);
}

describe("JUnit XML reporter", () => {
  it("has one suite per pack, one case per rule and node (failing where the rule found something), and escapes text", () => {
    const r = omniResult();
    r.findings[0]!.message.text = `a <b> & "c" 'd'`;
    const xml = renderJunit(r);
    expect(xml.startsWith(`<?xml version="1.0" encoding="UTF-8"?>\n<testsuites `)).toBe(true);
    expect(xml.match(/<testsuite /g)).toHaveLength(r.policies.length);
    const failing = new Set(r.findings.filter((f) => !f.waived).map((f) => `${f.pack}/${f.rule}/${f.node}`));
    expect(xml.match(/<failure /g)).toHaveLength(failing.size);
    const cases = r.policies.reduce((n, p) => n + p.rules.length * r.lineage.nodes.length, 0);
    expect(xml.match(/<testcase /g)).toHaveLength(cases);
    expect(xml.match(/<testcase [^>]*\/>/g)).toHaveLength(cases - failing.size);
    expect(xml).toContain("a &lt;b&gt; &amp; &quot;c&quot; &apos;d&apos;");
    expect(xml).not.toContain("a <b>");
    expect(xml).toContain("at model/config.json:37");
  });

  it("names a finding's case as it names the passing case once the finding is fixed, so CI pairs them", () => {
    const r = omniResult();
    const f = r.findings.find((x) => !x.waived)!;
    const name = (xml: string): string[] =>
      [...xml.matchAll(/<testcase name="([^"]*)" classname="([^"]*)"/g)].map((m) => `${m[2]} ${m[1]}`);
    const before = renderJunit(r);
    const caseName = `name="${f.rule}: ${caseNodeName(r.lineage.nodes.find((n) => n.id === f.node)!)}" classname="aiprov.${f.pack}" time="0"`;
    expect(before).toContain(`<testcase ${caseName}>\n      <failure `);
    r.findings = r.findings.filter((x) => !(x.rule === f.rule && x.node === f.node));
    const after = renderJunit(r);
    expect(name(after)).toEqual(name(before));
    expect(after).toContain(`<testcase ${caseName}/>`);
  });

  it("is valid against the common Jenkins JUnit XSD (schemas/junit-jenkins-10.xsd), with waivers and diagnostics", async () => {
    const r = omniWithWaiverAndHubPin();
    r.diagnostics.push({
      code: "file-unreadable",
      severity: "error",
      message: 'model/x.json: <bad> & "worse"',
      location: { file: "model/x.json", line: 2 },
    } as never);
    for (const xml of [renderJunit(omniResult()), renderJunit(r)]) expect(await validateJunit(xml)).toEqual([]);
    // The check can fail: the attributes the XSD leaves out are rejected.
    expect(await validateJunit(renderJunit(omniResult()).replace("<testcase ", `<testcase file="a.py" `))).not.toEqual(
      [],
    );
  });

  it("reports a waived finding as skipped with its owner and expiry", () => {
    const r = omniWithWaiverAndHubPin();
    const xml = renderJunit(r);
    expect(
      xml.match(/<skipped message="waived by ml-platform@example.com until 2026-06-30: architecture-only: [^"]*"\/>/g),
    ).toHaveLength(1);
    const failing = new Set(r.findings.filter((f) => !f.waived).map((f) => `${f.pack}/${f.rule}/${f.node}`));
    expect(xml).toMatch(new RegExp(`<testsuites [^>]*failures="${failing.size}"`));
    expect(xml.match(/<skipped /g)).toHaveLength(1);
  });
});

/** The published SPDX 3.0.1 JSON schema (schemas/spdx-json-schema-3.0.1.json, draft 2020-12), compiled once. */
const validateSpdx = new Ajv2020({ allErrors: true, strict: false }).compile(
  JSON.parse(readFileSync(packagePath("schemas", "spdx-json-schema-3.0.1.json"), "utf8")) as object,
);

describe("SPDX 3.0.1 reporter", () => {
  it("validates against the published SPDX 3.0.1 JSON schema, also with a waiver and a Hub pin", () => {
    for (const r of [omniResult(), omniWithWaiverAndHubPin()]) {
      const doc = toSpdx(r);
      expect(validateSpdx(doc), JSON.stringify(validateSpdx.errors?.slice(0, 5), null, 1)).toBe(true);
    }
  });

  it("the schema rejects a broken document (so the check above can fail)", () => {
    const doc = toSpdx(omniResult()) as Json;
    (doc["@graph"] as Json[]).find((x) => x.type === "Relationship")!.relationshipType = "derivedFrom";
    expect(validateSpdx(doc)).toBe(false);
    const doc2 = toSpdx(omniResult()) as Json;
    delete (doc2["@graph"] as Json[]).find((x) => x.software_primaryPurpose === "model")!.creationInfo;
    expect(validateSpdx(doc2)).toBe(false);
  });

  it("writes a model package per component, lineage relationships, and the AI profile's licence relationships", () => {
    const r = omniResult();
    const doc = toSpdx(r) as Json;
    expect(doc["@context"]).toBe(SPDX_CONTEXT);
    const graph = doc["@graph"] as Json[];
    const byId = new Map(graph.filter((x) => x.spdxId).map((x) => [x.spdxId as string, x]));
    const pkgs = graph.filter((x) => x.software_primaryPurpose === "model");
    // Offline, no release time is known: software packages with purpose model, no AI package with a made-up time.
    expect(graph.filter((x) => x.type === "ai_AIPackage")).toEqual([]);
    expect(pkgs.every((p) => p.type === "software_Package" && p.releaseTime === undefined)).toBe(true);
    expect(pkgs.map((p) => p.name).sort()).toEqual(r.lineage.nodes.map((n) => n.name).sort());
    const rels = graph.filter((x) => x.type === "Relationship");
    for (const p of pkgs) {
      // AI profile conformance: exactly one hasDeclaredLicense and one hasConcludedLicense per AIPackage.
      expect(rels.filter((x) => x.from === p.spdxId && x.relationshipType === "hasDeclaredLicense")).toHaveLength(1);
      expect(rels.filter((x) => x.from === p.spdxId && x.relationshipType === "hasConcludedLicense")).toHaveLength(1);
    }
    const audio = pkgs.find((p) => p.name === "model/audio_config")!;
    const qwen = pkgs.find((p) => p.name === "Qwen2-Audio encoder")!;
    const init = rels.find((x) => x.from === audio.spdxId && x.relationshipType === "descendantOf")!;
    expect(init.to).toEqual([qwen.spdxId]);
    expect(init.comment).toContain("initialised-from (declared)");
    expect(byId.get(qwen.suppliedBy)!).toMatchObject({
      type: "Organization",
      name: "Alibaba Cloud (Alibaba Group Holding Ltd.)",
    });
    // Every reference inside the graph resolves (licence individuals are IRIs outside the document).
    for (const x of rels)
      for (const t of [x.from, ...x.to])
        if (t !== "expandedlicensing_NoAssertionLicense") expect(byId.has(t), t).toBe(true);
    const info = graph.find((x) => x.type === "CreationInfo")!;
    expect(info.created).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(info.specVersion).toBe("3.0.1");
    const docEl = graph.find((x) => x.type === "SpdxDocument")!;
    expect(docEl.profileConformance).toContain("ai");
    for (const e of docEl.element as string[]) expect(byId.has(e)).toBe(true);
  });

  it("annotates findings, with waivers", () => {
    const r = omniWithWaiverAndHubPin();
    const graph = toSpdx(r)["@graph"] as Json[];
    const notes = graph.filter((x) => x.type === "Annotation");
    expect(notes).toHaveLength(r.findings.length);
    expect(
      notes.filter((n) => String(n.statement).includes("waived by ml-platform@example.com until 2026-06-30")),
    ).toHaveLength(1);
  });
});

describe("JUnit test-case names (break-14 B11)", () => {
  const hubCases = (xml: string, repo: string): string[] =>
    [...xml.matchAll(/<testcase name="([^"]*)"/g)]
      .map((m) => m[1]!)
      .filter((n) => n.includes(repo) && !n.includes("[modelscope:"));

  it("keeps a Hub node's case names when a same-named ModelScope reference comes or goes", () => {
    const r = omniResult();
    const hub = r.lineage.nodes.find((n) => n.repo)!;
    const before = hubCases(renderJunit(r), hub.name);
    expect(before.length).toBeGreaterThan(0);
    r.references.push({ id: "ms1", kind: "modelscope-id", raw: "args.ckpt" } as never);
    r.lineage.nodes.push({
      id: "ref:0123456789abcdef",
      kind: "upstream",
      name: hub.name,
      inProduct: true,
      status: "undetermined",
      statusReason: { code: "unresolved-reference", args: { raw: hub.name } },
      references: ["ms1"],
    } as never);
    const xml = renderJunit(r);
    expect(hubCases(xml, hub.name)).toEqual(before);
    expect(xml).toContain(`${hub.name} [modelscope:${hub.name.toLowerCase()}]`);
  });

  it("names a local component by its id whether or not another of the same name is present", () => {
    const r = omniResult();
    const local = r.lineage.nodes.find((n) => n.kind === "local")!;
    const name = `${local.name} [${local.id}]`;
    expect(renderJunit(r)).toContain(`: ${name}"`);
    r.lineage.nodes.push({ ...local, id: `${local.id}x` });
    expect(renderJunit(r)).toContain(`: ${name}"`);
  });
});
