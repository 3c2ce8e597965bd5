/**
 * Corpus expectation files (`tests/corpus-expectations/<case>.yaml`): what a careful reader finds in one case of
 * `../shared/corpus`, written from the files and SOURCES.md / CODE-REFERENCES.md, never from the tool's output.
 * The format is documented in `tests/corpus-expectations/README.md`; this module loads and checks it, and matches
 * expected entries against an {@link AuditResult}.
 */
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import type { AuditResult, LocalComponent, Mention, ModelReference } from "../../src/model/types.js";
import { REPO_ROOT } from "./cli.js";

/** Folder holding one expectation file per corpus case. */
export const EXPECTATIONS_DIR = join(REPO_ROOT, "tests", "corpus-expectations");

type Scalar = string | number | boolean;

/** One expected reference: every field given must equal the found reference's (fields left out are not checked). */
export interface ExpectedReference {
  /** Normalised target (`org/name`, a root-relative path, a tag). */
  target?: string;
  kind?: string;
  /** File relative to the case folder. */
  file: string;
  line?: number;
  pointer?: string;
  relation?: string;
  role?: string;
  /** The reference is kept but unresolved for this reason (closed list, `SkipReason`). */
  skipReason?: string;
  revision?: string;
  extractor?: string;
  /** Subset of the reference's facts. */
  facts?: Record<string, Scalar>;
  /** Why a reader expects it (free text, not checked). */
  note?: string;
}

/** One expected local component. */
export interface ExpectedComponent {
  file: string;
  pointer?: string;
  role?: string;
  name?: string;
  modelType?: string;
  license?: string;
  /** Subset of the component's facts (arrays compared as sets of their members given here). */
  facts?: Record<string, Scalar | Scalar[]>;
  note?: string;
}

/** One expected prose mention. */
export interface ExpectedMention {
  target: string;
  file: string;
  line?: number;
  note?: string;
}

/** A parsed expectation file. Lists left out are not checked; a list given is checked entry by entry. */
export interface CaseExpectation {
  case: string;
  /** Where the expectation was read from (e.g. "SOURCES.md rows + the files"). */
  source: string;
  references?: ExpectedReference[];
  components?: ExpectedComponent[];
  mentions?: ExpectedMention[];
  /**
   * References a careful reader finds whose extractor has not landed yet (a compose file, application settings):
   * validated like `references` (a `note` naming the missing extractor is required) but not compared. Move an entry
   * to `references` when its extractor lands.
   */
  pending?: ExpectedReference[];
  /** Targets that must NOT be reported as references anywhere in the case (false positives a reader rules out). */
  absentTargets?: string[];
  /** At most this fraction of the expected references may be found with a skipReason they do not declare. */
  maxUnexpectedSkipped?: number;
}

const TOP_KEYS = new Set([
  "case",
  "source",
  "references",
  "components",
  "mentions",
  "pending",
  "absentTargets",
  "maxUnexpectedSkipped",
]);
const REF_KEYS = new Set([
  "target",
  "kind",
  "file",
  "line",
  "pointer",
  "relation",
  "role",
  "skipReason",
  "revision",
  "extractor",
  "facts",
  "note",
]);
const COMP_KEYS = new Set(["file", "pointer", "role", "name", "modelType", "license", "facts", "note"]);
const MENTION_KEYS = new Set(["target", "file", "line", "note"]);

/** Validates a parsed file; returns `path: message` problems (empty when valid). */
export function checkExpectation(data: unknown, file: string): string[] {
  const problems: string[] = [];
  if (typeof data !== "object" || data === null || Array.isArray(data)) return [`${file}: not a YAML map`];
  const d = data as Record<string, unknown>;
  for (const k of Object.keys(d)) if (!TOP_KEYS.has(k)) problems.push(`${file}: unknown key ${k}`);
  if (typeof d.case !== "string") problems.push(`${file}: case must be a string`);
  if (typeof d.source !== "string") problems.push(`${file}: source must be a string`);
  const list = (name: string, keys: Set<string>, required: string[]) => {
    if (d[name] === undefined) return;
    if (!Array.isArray(d[name])) return problems.push(`${file}: ${name} must be a list`);
    (d[name] as unknown[]).forEach((e, i) => {
      if (typeof e !== "object" || e === null) return problems.push(`${file}: ${name}[${i}] must be a map`);
      for (const k of Object.keys(e)) if (!keys.has(k)) problems.push(`${file}: ${name}[${i}] unknown key ${k}`);
      for (const k of required)
        if ((e as Record<string, unknown>)[k] === undefined) problems.push(`${file}: ${name}[${i}] needs ${k}`);
    });
  };
  list("references", REF_KEYS, ["file"]);
  list("components", COMP_KEYS, ["file"]);
  list("mentions", MENTION_KEYS, ["target", "file"]);
  list("pending", REF_KEYS, ["file", "target", "note"]);
  return problems;
}

/** Loads every expectation file, sorted by case. @throws Error listing every problem found. */
export function loadExpectations(dir = EXPECTATIONS_DIR): CaseExpectation[] {
  const out: CaseExpectation[] = [];
  const problems: string[] = [];
  for (const name of readdirSync(dir)
    .filter((n) => n.endsWith(".yaml"))
    .sort()) {
    const data = parse(readFileSync(join(dir, name), "utf8")) as unknown;
    const p = checkExpectation(data, name);
    if ((data as { case?: unknown })?.case !== name.replace(/\.yaml$/, ""))
      p.push(`${name}: case must equal the file name`);
    problems.push(...p);
    if (p.length === 0) out.push(data as CaseExpectation);
  }
  if (problems.length) throw new Error(problems.join("\n"));
  return out;
}

function factsMatch(
  expected: Record<string, Scalar | Scalar[]> | undefined,
  actual: Record<string, unknown> | undefined,
): boolean {
  if (!expected) return true;
  for (const [k, v] of Object.entries(expected)) {
    const a = actual?.[k];
    if (Array.isArray(v)) {
      if (!Array.isArray(a) || !v.every((x) => (a as unknown[]).includes(x))) return false;
    } else if (a !== v) return false;
  }
  return true;
}

/** True when a found reference satisfies an expected one. */
export function referenceMatches(e: ExpectedReference, r: ModelReference): boolean {
  if (e.file !== r.location.file) return false;
  if (e.target !== undefined && e.target !== r.target) return false;
  if (e.kind !== undefined && e.kind !== r.kind) return false;
  if (e.line !== undefined && e.line !== r.location.line) return false;
  if (e.pointer !== undefined && e.pointer !== r.location.pointer) return false;
  if (e.relation !== undefined && e.relation !== r.relation) return false;
  if (e.role !== undefined && e.role !== r.role) return false;
  if (e.skipReason !== undefined && e.skipReason !== r.skipReason) return false;
  if (e.revision !== undefined && e.revision !== r.revision) return false;
  if (e.extractor !== undefined && e.extractor !== r.extractor) return false;
  return factsMatch(e.facts, r.facts);
}

/** True when a found component satisfies an expected one. */
export function componentMatches(e: ExpectedComponent, c: LocalComponent): boolean {
  if (e.file !== c.location.file) return false;
  if (e.pointer !== undefined && e.pointer !== (c.location.pointer ?? "")) return false;
  if (e.role !== undefined && e.role !== c.role) return false;
  if (e.name !== undefined && e.name !== c.name) return false;
  if (e.modelType !== undefined && e.modelType !== c.modelType) return false;
  if (e.license !== undefined && e.license !== c.license) return false;
  return factsMatch(e.facts, c.facts as Record<string, unknown> | undefined);
}

/** True when a found mention satisfies an expected one. */
export function mentionMatches(e: ExpectedMention, m: Mention): boolean {
  return e.file === m.location.file && e.target === m.target && (e.line === undefined || e.line === m.location.line);
}

/** Describes what was expected and not found, one line each (empty when everything was found). */
export function compare(exp: CaseExpectation, result: AuditResult): string[] {
  const missing: string[] = [];
  for (const e of exp.references ?? []) {
    if (!result.references.some((r) => referenceMatches(e, r)))
      missing.push(`reference ${JSON.stringify({ ...e, note: undefined })}`);
  }
  for (const e of exp.components ?? []) {
    if (!result.components.some((c) => componentMatches(e, c)))
      missing.push(`component ${JSON.stringify({ ...e, note: undefined })}`);
  }
  for (const e of exp.mentions ?? []) {
    if (!result.mentions.some((m) => mentionMatches(e, m)))
      missing.push(`mention ${JSON.stringify({ ...e, note: undefined })}`);
  }
  for (const t of exp.absentTargets ?? []) {
    const hit = result.references.find((r) => r.target === t);
    if (hit) missing.push(`absent target ${t} was reported at ${hit.location.file}:${hit.location.line ?? "?"}`);
  }
  return missing;
}
