/**
 * The identification set: real component configurations (vision, audio and text encoders, LLM backbones) with the
 * knowledge entry each one is, scanned in three forms to measure name-blind identification
 * (tests/identification/cases.yaml, issue 12):
 *
 *  - `released`: the file as published (a nested tower stays inside its model's config);
 *  - `renamed`: every `model_type` in the file replaced by an in-house name and every `architectures` list by an
 *    in-house class, so that only the numbers are left to tell what the component is;
 *  - `nested`: the component's block alone, without `model_type`/`architectures`, inside an in-house config that has
 *    no `model_type` of its own (`vision_config` / `audio_config` / `text_config` by role), as a copied tower ships.
 *
 * Each form of the whole set is written into one temporary project (one folder per case) and scanned once, offline,
 * with the bundled knowledge base; a case's component is the one whose location is its file and pointer. Its
 * structural matches (`signature-match` evidence naming a known entry) are classified:
 *  - `identified`: exactly one match, and it is a right answer (an expected entry, or an entry whose identity is
 *    equal to an expected entry's: a recorded collision);
 *  - `candidates`: several matches, at least one right answer, and none contradicted by the config;
 *  - `wrong`: a match none of whose identity values agrees with the config, or a match list without any expected entry;
 *  - `missed`: no match.
 * A match is "contradicted" when one of the entry's identity keys is present in the config (under its own name or a
 * common alias) with another value. Controls (in-house configs, tests/identification/controls.yaml) must match nothing.
 */
import { mkdtempSync, readFileSync, rmSync, mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { parse as parseYaml, stringify as stringifyYaml } from "yaml";
import { scan } from "../scan/scan.js";
import type { KnowledgeBase, KnownComponent } from "../resolve/knowledge/knowledge-base.js";
import type { AuditResult, LocalComponent } from "../model/types.js";

/** One case of the identification set (tests/identification/cases.yaml). */
export interface IdentificationCase {
  id: string;
  /** Path of the released file, relative to the cases file (JSON or YAML). */
  file: string;
  /** JSON pointer of the component's block inside the file; absent for the top level. */
  pointer?: string;
  role: "vision-encoder" | "audio-encoder" | "text-encoder" | "backbone";
  /** Knowledge entry ids that are right answers (a colliding pair lists both). */
  expect: string[];
  source: { title: string; url: string };
  /** Held out: not looked at while tuning aliases and defaults. */
  heldOut?: boolean;
  /** The knowledge base cites the same file for the expected entry. */
  knowledgeSource?: boolean;
}

/** One in-house control (tests/identification/controls.yaml): must match no entry in any form. */
export interface IdentificationControl {
  id: string;
  role: IdentificationCase["role"];
  note: string;
  config: Record<string, unknown>;
}

export type Form = "released" | "renamed" | "nested";
export const FORMS: readonly Form[] = ["released", "renamed", "nested"];
export type Outcome = "identified" | "candidates" | "missed" | "wrong";

/** Result of one case in one form. */
export interface CaseResult {
  id: string;
  form: Form;
  outcome: Outcome;
  /** Known entry ids matched. */
  matched: string[];
  /** Matched entries the config contradicts, or which share no identity value with it. */
  contradicted: string[];
  heldOut: boolean;
  control: boolean;
}

type Json = Record<string, unknown>;

function readBlockFile(path: string): Json {
  const text = readFileSync(path, "utf8");
  const data = path.endsWith(".json") ? (JSON.parse(text) as unknown) : (parseYaml(text) as unknown);
  if (!data || typeof data !== "object" || Array.isArray(data)) throw new Error(`${path}: not a JSON/YAML object`);
  return data as Json;
}

function at(obj: Json, pointer: string | undefined): Json {
  if (!pointer) return obj;
  let cur: unknown = obj;
  for (const part of pointer.split("/").slice(1)) {
    if (!cur || typeof cur !== "object") throw new Error(`pointer ${pointer}: no ${part}`);
    cur = (cur as Json)[part.replace(/~1/g, "/").replace(/~0/g, "~")];
  }
  if (!cur || typeof cur !== "object" || Array.isArray(cur)) throw new Error(`pointer ${pointer}: not an object`);
  return cur as Json;
}

/** Deep copy with every `model_type` replaced by an in-house name and every `architectures` by an in-house class. */
function renamed(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(renamed);
  if (!value || typeof value !== "object") return value;
  const out: Json = {};
  for (const [k, v] of Object.entries(value as Json)) {
    if (k === "model_type" && typeof v === "string") out[k] = "acme_core";
    else if (k === "architectures" && Array.isArray(v)) out[k] = ["AcmeCoreModel"];
    else if (k === "_name_or_path" || k === "auto_map") continue;
    else out[k] = renamed(v);
  }
  return out;
}

const NEST_KEY: Record<IdentificationCase["role"], string> = {
  "vision-encoder": "vision_config",
  "audio-encoder": "audio_config",
  "text-encoder": "text_config",
  backbone: "text_config",
};

/** The block alone, names removed, inside an in-house config without a model_type of its own. */
function nested(block: Json, role: IdentificationCase["role"]): { data: Json; pointer: string } {
  const inner: Json = {};
  for (const [k, v] of Object.entries(block))
    if (k !== "model_type" && k !== "architectures" && k !== "_name_or_path" && k !== "auto_map") inner[k] = v;
  const key = NEST_KEY[role];
  return { data: { acme_release: "2026.1", [key]: inner, acme_projector_dim: 2048 }, pointer: `/${key}` };
}

interface Placed {
  id: string;
  file: string;
  pointer: string;
  block: Json;
  expect: string[];
  heldOut: boolean;
  control: boolean;
}

function place(
  root: string,
  id: string,
  form: Form,
  released: Json,
  releasedExt: string,
  pointer: string | undefined,
  role: IdentificationCase["role"],
  releasedText?: string,
): { file: string; pointer: string } {
  const dir = join(root, id);
  mkdirSync(dir, { recursive: true });
  if (form === "nested") {
    const n = nested(at(released, pointer), role);
    writeFileSync(join(dir, "config.json"), JSON.stringify(n.data, null, 2));
    return { file: `${id}/config.json`, pointer: n.pointer };
  }
  const data = form === "renamed" ? (renamed(released) as Json) : released;
  const name = releasedExt === "json" ? "config.json" : `config.${releasedExt}`;
  if (form === "released" && releasedText !== undefined) writeFileSync(join(dir, name), releasedText);
  else writeFileSync(join(dir, name), releasedExt === "json" ? JSON.stringify(data, null, 2) : stringifyYaml(data));
  return { file: `${id}/${name}`, pointer: pointer ?? "" };
}

/** Known entry ids matched structurally by the component at `file`/`pointer`. */
function matchesOf(
  result: AuditResult,
  file: string,
  pointer: string,
): { component?: LocalComponent; known: string[] } {
  const norm = (p: string | undefined) => (p ?? "").replace(/\/$/, "");
  const component = result.components.find(
    (c) => c.location.file === file && norm(c.location.pointer) === norm(pointer),
  );
  if (!component) return { known: [] };
  const from = `local:${component.key}`;
  const known = new Set<string>();
  for (const e of result.lineage.edges) {
    if (e.from !== from) continue;
    for (const ev of e.evidence) {
      if (ev.code !== "signature-match") continue;
      const k = ev.args?.known;
      if (typeof k === "string") known.add(k);
    }
  }
  return { component, known: [...known].sort() };
}

/** Aliases a contradiction check looks through (the same hyperparameter under another key). */
const ALIASES: string[][] = [
  ["hidden_size", "embed_dim", "d_model", "width", "dim", "n_embd"],
  ["num_hidden_layers", "depth", "num_layers", "encoder_layers", "layers", "n_layers", "n_layer"],
  ["num_attention_heads", "num_heads", "encoder_attention_heads", "heads", "n_heads", "n_head"],
  ["intermediate_size", "encoder_ffn_dim", "d_ff", "inter_dim", "ffn_hidden_size"],
  ["in_chans", "in_channels", "num_channels"],
];

function valueFor(config: Json, key: string): unknown {
  if (key in config) return config[key];
  const group = ALIASES.find((g) => g.includes(key));
  if (group) for (const k of group) if (k in config) return config[k];
  return undefined;
}

function same(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => same(x, b[i]));
  if (typeof a === "number" && typeof b === "number") return Math.abs(a - b) < 1e-9 * Math.max(1, Math.abs(a));
  return a === b;
}

/** True when the config contradicts the entry (a shared key differs) or shares none of its identity values. */
export function contradicts(config: Json, known: KnownComponent): boolean {
  let agreed = 0;
  for (const [k, v] of Object.entries(known.identity)) {
    if ((known.excluded ?? []).includes(k)) continue;
    const c = valueFor(config, k);
    if (c === undefined || c === null) continue;
    if (!same(c, v)) return true;
    agreed++;
  }
  return agreed === 0;
}

/** Expected entries plus every entry whose identity is equal to an expected one's (a recorded collision). */
function rightAnswers(expect: readonly string[], kb: KnowledgeBase): Set<string> {
  const key = (k: KnownComponent) => JSON.stringify(Object.entries(k.identity).sort(([a], [b]) => a.localeCompare(b)));
  const keys = new Set(
    expect
      .map((id) => kb.component(id))
      .filter((k): k is KnownComponent => k !== undefined)
      .map(key),
  );
  return new Set([...expect, ...kb.components.filter((k) => keys.has(key(k))).map((k) => k.id)]);
}

function classify(p: Placed, matched: string[], kb: KnowledgeBase, form: Form): CaseResult {
  const right = rightAnswers(p.expect, kb);
  const contradicted = matched.filter((id) => {
    const k = kb.component(id);
    return !k || contradicts(p.block, k);
  });
  let outcome: Outcome;
  if (p.control) outcome = matched.length === 0 ? "missed" : "wrong";
  else if (matched.length === 0) outcome = "missed";
  else if (contradicted.length > 0 || !matched.some((m) => right.has(m))) outcome = "wrong";
  else outcome = matched.length === 1 ? "identified" : "candidates";
  return { id: p.id, form, outcome, matched, contradicted, heldOut: p.heldOut, control: p.control };
}

/** Reads tests/identification/cases.yaml and controls.yaml (paths given). */
export function loadIdentificationSet(
  casesFile: string,
  controlsFile: string,
): { cases: IdentificationCase[]; controls: IdentificationControl[]; base: string } {
  const cases = parseYaml(readFileSync(casesFile, "utf8")) as { cases: IdentificationCase[] };
  const controls = parseYaml(readFileSync(controlsFile, "utf8")) as { controls: IdentificationControl[] };
  return { cases: cases.cases, controls: controls.controls, base: dirname(casesFile) };
}

/**
 * Scans every case and control in one form (one temporary project, one offline scan) and classifies each.
 * Throws when a case's file cannot be read or a scan fails.
 */
export async function evaluateForm(
  set: { cases: IdentificationCase[]; controls: IdentificationControl[]; base: string },
  form: Form,
  kb: KnowledgeBase,
): Promise<CaseResult[]> {
  const root = mkdtempSync(join(tmpdir(), `aiprov-ident-${form}-`));
  try {
    const placed: Placed[] = [];
    for (const c of set.cases) {
      const path = join(set.base, c.file);
      const released = readBlockFile(path);
      const ext = path.endsWith(".json") ? "json" : path.slice(path.lastIndexOf(".") + 1);
      const where = place(root, `case-${c.id}`, form, released, ext, c.pointer, c.role, readFileSync(path, "utf8"));
      placed.push({
        id: c.id,
        ...where,
        block: at(released, c.pointer),
        expect: c.expect,
        heldOut: c.heldOut === true,
        control: false,
      });
    }
    for (const c of set.controls) {
      const where = place(root, `control-${c.id}`, form, c.config, "json", undefined, c.role);
      placed.push({ id: c.id, ...where, block: c.config, expect: [], heldOut: false, control: true });
    }
    const result = await scan({ root, kb, packs: [], failOn: "never", offline: true, organization: [], jobs: 1 });
    return placed.map((p) => classify(p, matchesOf(result, p.file, p.pointer).known, kb, form));
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

/** Counts of outcomes for a list of results. */
export function tally(results: readonly CaseResult[]): Record<Outcome, number> & { total: number } {
  const t = { identified: 0, candidates: 0, missed: 0, wrong: 0, total: results.length };
  for (const r of results) t[r.outcome]++;
  return t;
}
