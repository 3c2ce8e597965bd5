/**
 * JUnit XML report, for CI systems that read only test reports (Jenkins, GitLab `artifacts:reports:junit`, Azure
 * Pipelines). Shape: the de-facto schema Jenkins and GitLab read (`testsuites` > `testsuite` > `testcase` with
 * `failure`, `error` or `skipped`; https://github.com/testmoapp/junitxml documents the common subset).
 *
 * Valid against the common Jenkins JUnit XSD (schemas/junit-jenkins-10.xsd, from jenkinsci/xunit-plugin): so no
 * `file`/`line` on test cases and no `skipped`/`timestamp` on `testsuites` (the location is in the case's text).
 *
 * One test suite per applied pack; in it one test case per rule and lineage node, named `<rule>: <node>` whether it
 * passes or fails, so a CI system pairs a fixed finding with its earlier failure (as Checkov's JUnit output has one
 * case per check and resource). A case holds the rule's findings on that node: a `failure` when one fails the run
 * (src/policy/verdict.ts); `skipped`, saying why, when they are waived, in the `--baseline` or below `--fail-on`; with
 * none it passes. A pack with no lineage node to check has one passing case per
 * rule. A suite `aiprov.diagnostics` holds the tool's error diagnostics as `error` test cases, so a scan that could
 * not read something is not a silent pass.
 */
import type { AuditResult, Finding, LineageNode } from "../model/types.js";
import {
  componentKey,
  evidenceText,
  indexGraph,
  pathNames,
  pinnedSource,
  primaryLocation,
  weakeningLines,
} from "./common.js";
import { findingOutcome, sortedFindings } from "../policy/verdict.js";

/** Escapes text for XML attributes and character data (and drops characters XML 1.0 forbids). */
export function xmlEscape(s: string): string {
  return s
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, "")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&apos;");
}

interface Case {
  name: string;
  classname: string;
  file?: string;
  line?: number;
  body: string;
  kind: "pass" | "failure" | "skipped" | "error";
}

const NO_HUB_NAMES: ReadonlyMap<string, string | null> = new Map();

/**
 * The node part of a test-case name, from the node alone so that a finding keeps its case name whatever else the scan
 * holds: a Hugging Face repo node is named by its repo id; any other node by its name and its identity key
 * ({@link componentKey} read without the other nodes: `modelscope:qwen/qwen-vl-chat`, `hosted:openai/gpt-4o`,
 * `ref:<expression>`, or the node id), so a ModelScope id and a Hub repo of the same name never share a case.
 */
export function caseNodeName(n: LineageNode, referenceKinds: ReadonlyMap<string, string> = new Map()): string {
  if (n.repo && n.name === n.repo && !n.id.includes("//")) return n.name;
  const { key } = componentKey(n, { referenceKinds, hubByName: NO_HUB_NAMES });
  return `${n.name} [${key}]`;
}

/** Renders the result as a JUnit XML document (UTF-8, trailing newline). Pure and deterministic. */
export function renderJunit(result: AuditResult): string {
  const g = indexGraph(result);
  const suites: { name: string; cases: Case[] }[] = [];
  // Test-case names per node, from the node alone (stable across runs and whatever else the scan holds).
  const kinds = new Map((result.references ?? []).map((r) => [r.id, r.kind as string]));
  const nodeNames = new Map<string, string>();
  for (const n of [...result.lineage.nodes].sort((a, b) => a.id.localeCompare(b.id)))
    nodeNames.set(n.id, caseNodeName(n, kinds));
  for (const pack of result.policies) {
    const cases: Case[] = [];
    for (const rule of pack.rules) {
      const findings = sortedFindings(result.findings.filter((f) => f.pack === pack.pack && f.rule === rule.id));
      if (nodeNames.size === 0) {
        cases.push({ name: `${rule.id}: ${rule.title}`, classname: `aiprov.${pack.pack}`, body: "", kind: "pass" });
        continue;
      }
      for (const [nodeId, name] of nodeNames) {
        const own = findings.filter((f) => f.node === nodeId).map((f) => findingCase(result, f, g));
        if (own.length === 0)
          cases.push({ name: `${rule.id}: ${name}`, classname: `aiprov.${pack.pack}`, body: "", kind: "pass" });
        else
          cases.push({
            ...own[0]!,
            name: `${rule.id}: ${name}`,
            kind: own.some((c) => c.kind === "failure") ? "failure" : own[0]!.kind,
            body: own.map((c) => c.body).join("\n\n"),
          });
      }
      // A finding on a node outside the lineage graph still gets its own case.
      for (const f of findings.filter((x) => !nodeNames.has(x.node))) cases.push(findingCase(result, f, g));
    }
    suites.push({ name: `aiprov.${pack.pack}`, cases });
  }
  if (result.policies.length === 0) {
    suites.push({
      name: "aiprov.inventory",
      cases: [
        {
          name: `inventory: ${result.summary.components} components, ${result.summary.references} references (no policy applied)`,
          classname: "aiprov.inventory",
          body: "",
          kind: "pass",
        },
      ],
    });
  }
  const weak = weakeningLines(result);
  if (weak.length > 0) {
    suites.push({
      name: "aiprov.weakenings",
      cases: weak.map((w) => ({ name: w, classname: "aiprov.weakenings", body: w, kind: "skipped" as const })),
    });
  }
  const errors = result.diagnostics.filter((d) => d.severity === "error");
  if (errors.length > 0) {
    suites.push({
      name: "aiprov.diagnostics",
      cases: errors.map((d) => ({
        name: `${d.code}${d.location ? ` ${pinnedSource(d.location)}` : ""}`,
        classname: "aiprov.diagnostics",
        ...(d.location && !d.location.hub ? { file: d.location.file } : {}),
        ...(d.location?.line !== undefined ? { line: d.location.line } : {}),
        body: d.message,
        kind: "error" as const,
      })),
    });
  }
  const count = (cs: Case[], k: Case["kind"]): number => cs.filter((c) => c.kind === k).length;
  const all = suites.flatMap((s) => s.cases);
  const lines = [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<testsuites name="aiprov ${xmlEscape(result.root)}" tests="${all.length}" failures="${count(all, "failure")}" errors="${count(all, "error")}" time="0">`,
  ];
  for (const s of suites) {
    lines.push(
      `  <testsuite name="${xmlEscape(s.name)}" tests="${s.cases.length}" failures="${count(s.cases, "failure")}" errors="${count(s.cases, "error")}" skipped="${count(s.cases, "skipped")}" time="0" timestamp="${xmlEscape(result.createdAt.replace(/\.\d+Z$/, "Z"))}">`,
    );
    for (const c of s.cases) {
      const attrs = `name="${xmlEscape(c.name)}" classname="${xmlEscape(c.classname)}" time="0"`;
      if (c.kind === "pass") {
        lines.push(`    <testcase ${attrs}/>`);
        continue;
      }
      lines.push(`    <testcase ${attrs}>`);
      const [first = "", ...rest] = c.body.split("\n");
      if (c.kind === "skipped") lines.push(`      <skipped message="${xmlEscape(first)}"/>`);
      else
        lines.push(
          `      <${c.kind} message="${xmlEscape(first)}" type="${c.kind === "error" ? "diagnostic" : "finding"}">${xmlEscape([first, ...rest].join("\n"))}</${c.kind}>`,
        );
      if (c.kind === "skipped") lines.push(`      <system-out>${xmlEscape(rest.join("\n"))}</system-out>`);
      lines.push(`    </testcase>`);
    }
    lines.push(`  </testsuite>`);
  }
  lines.push(`</testsuites>`);
  return `${lines.join("\n")}\n`;
}

function findingCase(result: AuditResult, f: Finding, g: ReturnType<typeof indexGraph>): Case {
  const at = primaryLocation(f, g);
  const node = g.nodes.get(f.node)?.name ?? f.node;
  const detail = [
    `${f.severity}${f.verdict === "undetermined" ? " (undetermined)" : ""}: ${f.message.text}`,
    at ? `at ${pinnedSource(at)}` : "",
    `lineage: ${pathNames(f, g).join(" -> ")}`,
    ...f.evidence.map((e) => `evidence: ${evidenceText(e)}`),
    f.howToFix ? `fix: ${f.howToFix.trim()}` : "",
  ].filter(Boolean);
  const base = {
    name: `${f.rule}: ${node}`,
    classname: `aiprov.${f.pack}`,
    ...(at && !at.hub ? { file: at.file } : {}),
    ...(at?.line !== undefined ? { line: at.line } : {}),
  };
  // A finding that does not fail the run (policy/verdict.ts decides) is a skipped case saying why, so the suite's
  // failures agree with the verdict every other format prints.
  const outcome = findingOutcome(f, result.settings.failOn);
  if (outcome === "fails") return { ...base, body: detail.join("\n"), kind: "failure" };
  const w = f.waived;
  const why =
    outcome === "waived" && w
      ? `waived by ${w.owner}${w.expires ? ` until ${w.expires}` : ""}: ${w.reason}: ${w.comment}`
      : outcome === "baseline"
        ? `in the baseline${result.settings.baseline ? ` ${result.settings.baseline}` : ""}: not new`
        : `below --fail-on ${result.settings.failOn}`;
  return { ...base, body: [why, ...detail].join("\n"), kind: "skipped" };
}
