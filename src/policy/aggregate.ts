/**
 * Aggregation of policy findings into what a reviewer acts on: one finding per rule per fact, not one per occurrence.
 *
 * The engine reports one finding per rule and lineage node. Three kinds of node stand for one fact together, and their
 * findings of one rule (same pack, rule, message and waiver) fold into one finding with a `count`, every folded node
 * in `nodes` and every node's evidence (so every place stays located):
 * - **same text**: unresolved references written the same way in several functions or files (`model_path` in 79
 *   functions; `settings?.ModelPref || ""` and `settings.ModelPref` are one expression, see {@link foldKey});
 * - **read at run time**: unresolved references whose value only exists when the program runs (a function parameter,
 *   a UI field, a file name joined to such a folder, a `/path/to/...` placeholder). Which models they load cannot be
 *   told from the code and a reader cannot act on each one: per rule they are one finding saying how many there are,
 *   each still a node of the JSON and a location of the finding;
 * - **registry alternatives**: models named only as entries of one registry (a dict or list of ids the code indexes
 *   at run time, `DEFAULT_ALIGN_MODELS_HF["ja"]`): the product loads one of them; per rule they are one finding
 *   naming the registry and every alternative;
 * - **unidentified**: unresolved references written as literals (an alias, a path, a URL, a checkpoint name) that no
 *   table identifies: each is one node wherever it is written, and per rule they are one finding naming every one
 *   (the open question is the same: which models these names are), each still a node and a location;
 * - **not looked up**: undetermined findings on Hub models whose lineage was not looked up for one reason of the run
 *   (offline, or the Hub could not be reached): the cause is the run, not each model, so per rule they are one
 *   finding naming every model (each still a node of the JSON and a location of the finding). Failures of one repo's
 *   own lookup (404, 500) stay one finding per repo, and so do findings that fail.
 * Findings on other nodes pass unchanged. Waived findings fold only with findings under the same waiver, so a waiver
 * never covers a node it does not name.
 */
import type { Finding, LineageGraph, LineageNode, ModelReference } from "../model/types.js";
import { stableId } from "../util/hash.js";
import { isPlaceholderPath } from "../extract/datasets.js";
import { dedupeEvidence } from "./evidence.js";

/** Skip reasons of values that exist only when the program runs. */
const RUN_TIME_REASONS: ReadonlySet<string> = new Set(["dynamic-value"]);

/** How a node's findings fold: the kind of group, its key within a rule, and a label for messages. */
export interface FoldGroup {
  kind: "same-text" | "run-time" | "registry" | "not-looked-up" | "unidentified";
  key: string;
  /** Registry: its name and file (`DEFAULT_ALIGN_MODELS_HF in whisperx/alignment.py`). */
  label?: string;
}

/**
 * The text of an unresolved expression as folding compares it: optional chaining read as plain access, an empty
 * fallback (`|| ""`, `?? ''`, `or ""`) dropped, whitespace collapsed; `settings?.ModelPref || ""` and
 * `settings.ModelPref` are one expression.
 */
export function foldKey(raw: string): string {
  // White space is folded first, so the empty-fallback suffix needs at most one space on each side (a linear match).
  return raw
    .replace(/\s+/g, " ")
    .replace(/\?\./g, ".")
    .trim()
    .replace(/ ?(?:\|\||\?\?|\bor\b) ?(?:""|''|None|null|undefined)$/, "")
    .trim();
}

/** The registry every load reference naming a node comes from (`file#name`), or undefined (none, or several). */
function registryOf(refs: readonly ModelReference[]): { key: string; label: string } | undefined {
  const loads = refs.filter((r) => r.usage !== "name");
  if (loads.length === 0) return undefined;
  const keys = new Set(
    loads.map((r) => (typeof r.facts?.registry === "string" ? `${r.location.file}#${r.facts.registry}` : "")),
  );
  if (keys.size !== 1 || keys.has("")) return undefined;
  const r = loads[0]!;
  return { key: [...keys][0]!, label: `${String(r.facts!.registry)} in ${r.location.file}` };
}

/**
 * Whether an unresolved reference's value exists only at run time: a dynamic value (a parameter, a field, a call), a
 * file name joined to a folder read at run time (`os.path.join(model_path, "pytorch_model-*.bin")`), or a
 * placeholder path the user replaces (`/path/to/checkpoint`).
 */
export function readAtRunTime(node: LineageNode, refs: readonly ModelReference[]): boolean {
  const reason = node.statusReason?.args?.reason;
  if (typeof reason === "string" && RUN_TIME_REASONS.has(reason)) return true;
  // A file that could not be read is its own open question, never a value of the running program.
  if (reason === "parse-error") return false;
  const raw = node.statusReason?.args?.raw;
  if (typeof raw === "string" && isPlaceholderPath(raw)) return true;
  return refs.length > 0 && refs.every((r) => typeof r.facts?.joinedWith === "string");
}

/** The group a node's findings fold in, or undefined when they stand alone. */
export function foldGroupOf(node: LineageNode | undefined, refs: readonly ModelReference[]): FoldGroup | undefined {
  if (!node || node.kind !== "upstream") return undefined;
  const unresolved = node.statusReason?.code === "unresolved-reference";
  const registry = registryOf(refs);
  if (unresolved && readAtRunTime(node, refs)) return { kind: "run-time", key: "run-time" };
  if (registry) return { kind: "registry", key: registry.key, label: registry.label };
  const raw = node.statusReason?.args?.raw;
  if (!unresolved || typeof raw !== "string") return undefined;
  // An unread file is its own open question; any other literal is a name aiprov could not identify.
  if (node.statusReason?.args?.reason === "parse-error") return { kind: "same-text", key: foldKey(raw) };
  return { kind: "unidentified", key: "unidentified" };
}

/**
 * The group of an undetermined finding whose open question is a lookup the run did not make (its node's or its
 * target's lineage not looked up, offline or with the Hub unreachable); undefined for any other finding.
 */
export function notLookedUpGroup(f: Finding, nodes: ReadonlyMap<string, LineageNode>): FoldGroup | undefined {
  if (f.verdict !== "undetermined") return undefined;
  const target = f.path.length > 0 ? nodes.get(f.path[f.path.length - 1]!) : undefined;
  const reason = [nodes.get(f.node)?.statusReason, target?.statusReason].find(
    (r) => r?.code === "lineage-not-looked-up",
  );
  if (!reason) return undefined;
  const why = reason.args?.why === "unreachable" ? "unreachable" : "offline";
  return { kind: "not-looked-up", key: why, label: why === "unreachable" ? "the Hub could not be reached" : "offline" };
}

/** A name as a message shows it: one line, at most 60 characters (an expression may span a whole call). */
function shortName(name: string): string {
  const one = name.replace(/\s+/g, " ").trim();
  return one.length > 60 ? `${one.slice(0, 59)}…` : one;
}

/** Up to `max` names, then "+N more". */
function someNames(names: readonly string[], max = 3): string {
  const shown = names.slice(0, max).map(shortName).join(", ");
  return names.length > max ? `${shown} (+${names.length - max} more)` : shown;
}

/** The message of a folded finding: the first node's message, then what the others are (never a count alone). */
function foldedText(first: Finding, group: FoldGroup, others: readonly string[]): string {
  const n = others.length;
  if (n === 0) return first.message.text;
  if (group.kind === "run-time")
    return `${first.message.text}; also ${n} more model reference${n === 1 ? "" : "s"} read at run time, which models they load cannot be told from the code: ${someNames(others)}`;
  if (group.kind === "unidentified")
    return `${first.message.text}; the same for ${n} more model reference${n === 1 ? "" : "s"} written in the tree that aiprov could not identify: ${someNames(others)}`;
  if (group.kind === "not-looked-up")
    return `${first.message.text}; the same for ${n} more model${n === 1 ? "" : "s"} whose lineage (or an ancestor's) was not looked up (${group.label ?? "offline"}): ${someNames(others)}`;
  if (group.kind === "registry")
    return `${first.message.text}; the same for ${n} more alternative${n === 1 ? "" : "s"} of the registry ${group.label}, of which the code loads one at run time: ${someNames(others)}`;
  return first.message.text;
}

/**
 * Folds findings that stand for one fact (see the module comment). Pure; order is kept (a folded finding takes the
 * place of its first member).
 * @param references every model reference of the inventory (to tell registries and run-time values).
 * @returns the findings, folded ones with `count` >= 2, `nodes`, merged evidence and `message.args.count`
 *   (`message.args.foldedAs`: same-text, run-time, registry, unidentified or not-looked-up).
 */
export function aggregateFindings(
  findings: readonly Finding[],
  graph: LineageGraph,
  references: readonly ModelReference[],
): Finding[] {
  const nodes = new Map(graph.nodes.map((n) => [n.id, n]));
  const refById = new Map(references.map((r) => [r.id, r]));
  const groups = new Map<string, FoldGroup | undefined>();
  const groupOf = (id: string): FoldGroup | undefined => {
    if (!groups.has(id)) {
      const node = nodes.get(id);
      const refs = (node?.references ?? []).map((r) => refById.get(r)).filter((r): r is ModelReference => !!r);
      groups.set(id, foldGroupOf(node, refs));
    }
    return groups.get(id);
  };
  const out: Finding[] = [];
  const byKey = new Map<string, { f: Finding; group: FoldGroup }>();
  for (const f of findings) {
    const group = notLookedUpGroup(f, nodes) ?? groupOf(f.node);
    if (!group) {
      out.push(f);
      continue;
    }
    const key = [f.pack, f.rule, f.message.id, group.kind, group.key, f.waived ? JSON.stringify(f.waived) : ""].join(
      "\u0000",
    );
    const first = byKey.get(key);
    if (!first) {
      const copy: Finding = { ...f, evidence: [...f.evidence], count: 1, nodes: [f.node] };
      byKey.set(key, { f: copy, group });
      out.push(copy);
      continue;
    }
    first.f.count = (first.f.count ?? 1) + 1;
    first.f.nodes!.push(f.node);
    first.f.evidence = dedupeEvidence([...first.f.evidence, ...f.evidence]);
  }
  for (const { f, group } of byKey.values()) {
    if (f.count === 1) {
      delete f.count;
      delete f.nodes;
      continue;
    }
    const firstName = nodes.get(f.node)?.name;
    const others = [...new Set(f.nodes!.slice(1).map((id) => nodes.get(id)?.name ?? id))].filter(
      (x) => x !== firstName,
    );
    f.message = {
      ...f.message,
      text: foldedText(f, group, others),
      args: { ...f.message.args, count: f.count!, foldedAs: group.kind, ...(others.length ? { others } : {}) },
    };
    f.id = stableId([f.id, ...f.nodes!.slice(1)]);
  }
  return out;
}
