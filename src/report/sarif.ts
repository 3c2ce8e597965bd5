/**
 * SARIF 2.1.0 report (OASIS Standard, https://docs.oasis-open.org/sarif/sarif/v2.1.0/sarif-v2.1.0.html) for code
 * scanning: one `reportingDescriptor` per rule of every applied pack, one `result` per finding at the file and line
 * a reviewer should open (the reference or config key), the lineage path in the message, the other evidence as
 * `relatedLocations` (Hub evidence as the Hub file URL at its commit), waived findings as `suppressions`, and the
 * finding id as a `partialFingerprints` entry (stable across runs: it hashes pack, rule, node and evidence files,
 * not line numbers).
 *
 * GitHub code scanning limits (https://docs.github.com/en/code-security/code-scanning/troubleshooting-sarif-uploads/results-exceed-limit):
 * 20 runs per file, 25,000 results per run (only the top 5,000 by severity are shown), 25,000 rules per run,
 * 1,000 locations per result (100 shown), 20 tags per rule (10 shown), and 10 MB per gzip-compressed upload
 * (https://docs.github.com/en/code-security/code-scanning/troubleshooting-sarif-uploads/file-too-large).
 * This reporter writes one run, keeps at most {@link SARIF_LIMITS}.results results (most severe first, and says so in
 * a tool notification when it drops any), at most {@link SARIF_LIMITS}.relatedLocations related locations per result,
 * and shortens raw evidence text.
 */
import { posix } from "node:path";
import type { AuditResult, Finding, SourceLocation } from "../model/types.js";
import {
  type GraphIndex,
  evidenceText,
  hubFileUrl,
  indexGraph,
  isInTree,
  pathNames,
  primaryLocation,
  rulesById,
  weakeningLines,
} from "./common.js";
import { trimEndChars } from "../util/text.js";
import { resultVerdict, sortedFindings } from "../policy/verdict.js";

/** Caps applied so GitHub code scanning accepts and shows the whole log (see the module comment for sources). */
export const SARIF_LIMITS = { results: 5000, relatedLocations: 100, tags: 10, rawText: 200 } as const;

/**
 * Where to learn about the tool (`tool.driver.informationUri`; the SARIF Multitool warns, SARIF2005, without it):
 * the npm package page of the CLI.
 */
export const TOOL_INFORMATION_URI = "https://www.npmjs.com/package/aiprov";

/** The SARIF schema URI written into `$schema` (the OASIS errata01 schema, kept in `schemas/sarif-schema-2.1.0.json`). */
export const SARIF_SCHEMA_URI =
  "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

type Json = Record<string, unknown>;

/**
 * GitHub code scanning's rule properties (https://docs.github.com/en/code-security/code-scanning/integrating-with-code-scanning/sarif-support-for-code-scanning#reportingdescriptor-object):
 * `security-severity` (a number as a string, 0.1-10: over 9 critical, 7-8.9 high, 4-6.9 medium, 0.1-3.9 low),
 * `problem.severity` (error, warning, recommendation) and `precision` (very-high, high, medium, low). A rule whose
 * verdict is undetermined says the data could not settle it: medium precision.
 */
export function githubRuleProperties(
  severity: "error" | "warning" | "note",
  verdict: "fail" | "undetermined" | undefined,
): Json {
  return {
    "security-severity": severity === "error" ? "7.5" : severity === "warning" ? "5.0" : "2.0",
    "problem.severity": severity === "note" ? "recommendation" : severity,
    precision: verdict === "undetermined" ? "medium" : "high",
  };
}

/** Root-relative result path to a repository-relative URI: the scanned root as named on the command line, joined. */
function artifactUri(result: AuditResult, file: string): string {
  const root = trimEndChars(result.root.replace(/\\/g, "/").replace(/^\.\/+/, ""), "/");
  const joined = root === "" || root === "." || posix.isAbsolute(root) ? file : posix.join(root, file);
  return joined.split("/").map(encodeURIComponent).join("/");
}

function physical(result: AuditResult, l: SourceLocation, hubUrl: string | undefined): Json {
  if (l.hub) return { artifactLocation: { uri: hubFileUrl(l, hubUrl) } };
  // A fact about a whole file (a folder name, a file name) points at its first line: code scanning places an alert
  // only with a region, and the SARIF Multitool warns without one (SARIF2017).
  const region: Json = { startLine: l.line ?? 1 };
  if (l.line !== undefined && l.column !== undefined) region.startColumn = l.column;
  return { artifactLocation: { uri: artifactUri(result, l.file), uriBaseId: "%SRCROOT%" }, region };
}

function location(
  result: AuditResult,
  l: SourceLocation,
  hubUrl: string | undefined,
  message?: string,
  id?: number,
): Json {
  return {
    ...(id !== undefined ? { id } : {}),
    physicalLocation: physical(result, l, hubUrl),
    ...(l.pointer ? { logicalLocations: [{ fullyQualifiedName: l.pointer, kind: "object" }] } : {}),
    ...(message ? { message: { text: message } } : {}),
  };
}

function resultFor(result: AuditResult, f: Finding, ruleIndex: number, g: GraphIndex): Json {
  const hubUrl = result.settings.hubUrl;
  const primary = primaryLocation(f, g);
  const names = pathNames(f, g);
  const verdict = f.verdict === "undetermined" ? " (undetermined: the data cannot settle it)" : "";
  const text = `${f.message.text}${verdict}. Lineage: ${names.join(" → ")}.`;
  const related = f.evidence
    .filter(
      (e) => !(primary && !e.location.hub && e.location.file === primary.file && e.location.line === primary.line),
    )
    .slice(0, SARIF_LIMITS.relatedLocations)
    .map((e, i) =>
      isInTree(e.location, e.code) || e.location.hub
        ? location(result, e.location, hubUrl, evidenceText(e, SARIF_LIMITS.rawText), i + 1)
        : // Knowledge-base facts are not files of the scanned repository: no physical location, the text says where.
          { id: i + 1, message: { text: `${evidenceText(e, SARIF_LIMITS.rawText)} (aiprov knowledge base)` } },
    );
  // Every result has a place (GitHub refuses a result without one): the finding's, else the scanned root's first
  // file the result names, else the root itself.
  const place = primary ?? f.evidence.find((e) => isInTree(e.location, e.code))?.location;
  // An undetermined result is a review item (SARIF 3.27.9: a kind other than fail has level none); its rule's
  // severity stays in the properties.
  const review = f.verdict === "undetermined";
  const out: Json = {
    ruleId: `${f.pack}/${f.rule}`,
    ruleIndex,
    level: review ? "none" : f.severity,
    kind: review ? "review" : "fail",
    message: { text: f.count && f.count > 1 ? `${text} (${f.count} places)` : text },
    locations: [
      place
        ? location(result, place, hubUrl)
        : { physicalLocation: { artifactLocation: { uri: artifactUri(result, "") || ".", uriBaseId: "%SRCROOT%" } } },
    ],
    partialFingerprints: { "aiprovFindingId/v1": f.id },
    properties: {
      verdict: f.verdict,
      severity: f.severity,
      ...(f.count ? { count: f.count } : {}),
      node: f.node,
      lineage: f.path,
      strengths: [...new Set(f.evidence.map((e) => e.strength))],
      ...(f.baseline ? { baseline: f.baseline } : {}),
    },
  };
  if (related.length > 0) out.relatedLocations = related;
  if (f.baseline) out.baselineState = f.baseline === "new" ? "new" : "unchanged";
  if (f.waived) {
    out.suppressions = [
      {
        kind: "external",
        status: "accepted",
        justification: `${f.waived.reason}: ${f.waived.comment} (owner ${f.waived.owner}${f.waived.expires ? `, expires ${f.waived.expires}` : ""})`,
        properties: {
          reason: f.waived.reason,
          owner: f.waived.owner,
          ...(f.waived.expires ? { expires: f.waived.expires } : {}),
        },
      },
    ];
  }
  return out;
}

/** A rule's verdict as its findings show it (results written before rules carried their verdict). */
function verdictOf(result: AuditResult, ruleId: string): "fail" | "undetermined" | undefined {
  return result.findings.find((f) => `${f.pack}/${f.rule}` === ruleId)?.verdict;
}

/** SARIF rendering options. */
export interface SarifOptions {
  /** Code-scanning category (`runAutomationDetails.id` without its run part); default `aiprov`. */
  category?: string;
}

/** The category as written: trimmed, trailing slashes dropped, `aiprov` when empty. */
export function sarifCategory(category: string | undefined): string {
  let c = category?.trim() ?? "";
  while (c.endsWith("/")) c = c.slice(0, -1);
  return c || "aiprov";
}

/**
 * Renders the result as a SARIF 2.1.0 log object (serialise with `JSON.stringify`). Pure: the same result gives the
 * same log. Rules appear in pack order, then rule order; results most severe first.
 */
export function toSarif(result: AuditResult, options: SarifOptions = {}): Json {
  const g = indexGraph(result);
  const rules = rulesById(result);
  const ruleIds = [...rules.keys()];
  // A finding whose rule is missing from the packs (a hand-edited result) still gets a descriptor.
  for (const f of result.findings)
    if (!rules.has(`${f.pack}/${f.rule}`) && !ruleIds.includes(`${f.pack}/${f.rule}`))
      ruleIds.push(`${f.pack}/${f.rule}`);
  const descriptors = ruleIds.map((id) => {
    const r = rules.get(id);
    if (!r) return { id, name: id.split("/")[1], shortDescription: { text: id } };
    const helpText = [
      r.description.trim(),
      r.howToFix ? `How to fix: ${r.howToFix.trim()}` : "",
      `Source: ${r.source.title}${r.source.url ? ` <${r.source.url}>` : ""}`,
    ]
      .filter(Boolean)
      .join("\n\n");
    const helpMarkdown = [
      r.description.trim(),
      r.howToFix ? `**How to fix:** ${r.howToFix.trim()}` : "",
      `**Source:** ${r.source.url ? `[${r.source.title}](${r.source.url})` : r.source.title}`,
    ]
      .filter(Boolean)
      .join("\n\n");
    return {
      id,
      name: r.id
        .split(/[-_]/)
        .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
        .join(""),
      shortDescription: { text: r.title },
      fullDescription: { text: r.description.trim() },
      ...(r.source.url ? { helpUri: r.source.url } : {}),
      help: { text: helpText, markdown: helpMarkdown },
      defaultConfiguration: { level: r.severity },
      properties: {
        tags: ["provenance", r.pack].slice(0, SARIF_LIMITS.tags),
        pack: r.pack,
        source: r.source,
        ...githubRuleProperties(r.severity, r.verdict ?? verdictOf(result, id)),
      },
    };
  });
  const findings = sortedFindings(result.findings);
  const kept = findings.slice(0, SARIF_LIMITS.results);
  const notifications: Json[] = result.diagnostics
    .filter((d) => d.severity !== "info")
    .map((d) => ({
      level: d.severity === "error" ? "error" : "warning",
      message: { text: d.message },
      descriptor: { id: d.code },
      ...(d.location ? { locations: [location(result, d.location, result.settings.hubUrl)] } : {}),
    }));
  // Settings that weaken the audit are configuration notifications (SARIF §3.20.22), so a viewer shows them beside
  // the results; waived results carry their waiver as a suppression with its justification.
  const weak = weakeningLines(result);
  const configNotifications: Json[] = (result.settings.weakenings ?? []).map((w, i) => ({
    level: w.origin === "project" ? "warning" : "note",
    message: { text: weak[i]! },
    descriptor: { id: `weakening-${w.kind}` },
    properties: { ...w },
  }));
  if (kept.length < findings.length) {
    notifications.push({
      level: "warning",
      message: {
        text: `${findings.length - kept.length} of ${findings.length} findings were left out of this SARIF log (GitHub code scanning shows at most ${SARIF_LIMITS.results} results per run); the JSON report has all of them.`,
      },
      descriptor: { id: "sarif-results-truncated" },
    });
  }
  return {
    $schema: SARIF_SCHEMA_URI,
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: "aiprov",
            version: result.tool.version,
            semanticVersion: result.tool.version,
            informationUri: TOOL_INFORMATION_URI,
            rules: descriptors,
            properties: { knowledgeBaseVersion: result.tool.knowledgeBaseVersion },
          },
        },
        // The category alone (a trailing "/": no run id), the same whatever packs run: GitHub closes an alert when a
        // later upload of the same category no longer has it, so a category that changed with the packs would leave
        // old alerts open. Code scanning takes the category from here before the upload step's `category` input.
        automationDetails: { id: `${sarifCategory(options.category)}/` },
        invocations: [
          {
            // A result exists only when the scan ran to the end; problems it met are the notifications below.
            executionSuccessful: true,
            endTimeUtc: result.createdAt,
            ...(notifications.length > 0 ? { toolExecutionNotifications: notifications } : {}),
            ...(configNotifications.length > 0 ? { toolConfigurationNotifications: configNotifications } : {}),
          },
        ],
        originalUriBaseIds: {
          "%SRCROOT%": {
            description: {
              text: "The folder aiprov was run from; result paths are the scanned root joined with the file's path inside it.",
            },
          },
        },
        results: kept.map((f) => resultFor(result, f, ruleIds.indexOf(`${f.pack}/${f.rule}`), g)),
        columnKind: "unicodeCodePoints",
        properties: {
          verdict: resultVerdict(result),
          failOn: result.settings.failOn,
          policies: result.settings.policies,
          scannedRoot: result.root,
          ...(result.settings.weakenings?.length ? { weakenings: result.settings.weakenings } : {}),
        },
      },
    ],
  };
}

/** {@link toSarif} serialised as pretty JSON with a trailing newline. */
export function renderSarif(result: AuditResult, options: SarifOptions = {}): string {
  return `${JSON.stringify(toSarif(result, options), null, 2)}\n`;
}
