/**
 * Shell scripts (and the shell inside Dockerfile `RUN` / Compose `sh -c`): variables are evaluated the way the script
 * would evaluate them, without running anything, and every command goes through `command-line.ts`.
 *
 * - A variable assigned once keeps its value; `${X:-default}` for an X the script does not set takes the default, and
 *   a variable that sets itself from the environment (`X="${X:-default}"`) is kept as `${X:-<default>}` so the linking
 *   pass lets an `.env` override it. Parameter expansions and `$(basename ...)` / `$(dirname ...)` are evaluated
 *   (`substitute`).
 * - A variable assigned in the branches of an `if` (and nowhere in a loop) has candidates, in source order: the value
 *   the script tries first is used, the others are kept as the fact `candidates` (POSIX.1-2017 2.9.4 compound commands).
 * - Model-named variables with model-shaped values are references (`load`). A variable that is the root folder of such
 *   a model path (`${THIRD_PARTY_ROOT}/org/name`) is a `name` reference on each line that sets it (fact `modelRootOf`).
 * - A variable that only encodes models (a run name built from `${ID//\//_}` or `$(basename "$PATH")`, or a literal
 *   holding an id of this script with `/` written `_`) is a `name` reference to each model it encodes; when its name
 *   says output (`*OUTPUT_DIR`, `*SAVE_DIR`, ...) it is a `write` reference to the folder instead. `--output_dir` of a
 *   command that also names a model (transformers TrainingArguments.output_dir,
 *   https://huggingface.co/docs/transformers/main_classes/trainer#transformers.TrainingArguments) is a `write` too.
 * - A model variable whose environment default is empty (`VT_VERSION2="${VT_VERSION2:-}"`), next to a sibling that
 *   holds a model, is an optional model slot: a reference with skip reason `missing-value`.
 */
import { posix } from "node:path";
import type { ModelReference, SourceLocation } from "../../../model/types.js";
import { codeReference, isModelShaped, MODEL_NAME, NOT_MODEL_NAME } from "../../code/model-ref.js";
import type { ExtractOutput, VariableDefinition } from "../../types.js";
import { extractPythonSource } from "../python-code/index.js";
import { analyseCommand, applyDefaults, folderReference, splitShell, substitute, type Word } from "./command-line.js";
import { dirOf } from "../../helpers.js";
import { parseHubId } from "../../../util/hub-id.js";

const ID = "serving";

/** Shell variables that hold a model folder or checkpoint path (`MODEL_DIR`, `VOCODER_CKPT`, `LLM_VERSION`). */
export const MODEL_PATH_VAR = /MODEL_?(?:DIR|PATH|ROOT)|(?:^|_)(?:CKPT|CHECKPOINT)(?:_|$)|VOCODER|_VERSION$/i;

/** Variables whose name says they hold an output folder. */
const OUTPUT_VAR = /(?:^|_)(?:OUTPUT|OUT|SAVE)_?(?:DIR|PATH|FOLDER)$/i;

const isModelVarName = (name: string): boolean =>
  (MODEL_PATH_VAR.test(name) && !/CACHE/i.test(name)) || (MODEL_NAME.test(name) && !NOT_MODEL_NAME.test(name));

/** A model-named variable holding a model-shaped value is a reference of its own. */
export function variableReference(
  name: string,
  value: string,
  file: string,
  line: number,
  column: number,
  pointer?: string,
): ModelReference | undefined {
  if (/TOKEN|SECRET|PASSWORD|KEY$/i.test(name)) return undefined;
  if (MODEL_PATH_VAR.test(name) && !/CACHE/i.test(name) && isModelShaped(value) && !value.includes("$")) {
    return codeReference({
      extractor: ID,
      location: { file, line, column, ...(pointer ? { pointer } : {}) },
      value,
      facts: { variable: name },
      baseDir: dirOf(file),
    });
  }
  if (!MODEL_NAME.test(name) || NOT_MODEL_NAME.test(name)) return undefined;
  if (!isModelShaped(value) || value.includes("$")) return undefined;
  return codeReference({
    extractor: ID,
    location: { file, line, column, ...(pointer ? { pointer } : {}) },
    value,
    facts: { variable: name },
    baseDir: dirOf(file),
  });
}

/** One command with the compound-command nesting it sits in. */
interface Statement {
  words: Word[];
  ifDepth: number;
  loopDepth: number;
}

/**
 * Drops the reserved words that open or close compound commands (`if`, `then`, `else`, `fi`, `for`, `do`, `done`,
 * `case`, `esac`, `{`, `}`, `!`) and records how deep in conditionals and loops each command is.
 */
function statements(commands: readonly Word[][]): Statement[] {
  const out: Statement[] = [];
  let ifDepth = 0;
  let loopDepth = 0;
  for (const cmd of commands) {
    let words = cmd;
    let closes = { ifs: 0, loops: 0 };
    while (words.length > 0 && !words[0]!.quoted) {
      const t = words[0]!.text;
      if (t === "if" || t === "case") ifDepth++;
      else if (t === "while" || t === "until" || t === "for" || t === "select") loopDepth++;
      else if (t === "fi" || t === "esac") closes = { ...closes, ifs: closes.ifs + 1 };
      else if (t === "done") closes = { ...closes, loops: closes.loops + 1 };
      else if (!["then", "else", "elif", "do", "{", "}", "!"].includes(t)) break;
      words = words.slice(1);
    }
    if (words.length > 0) out.push({ words, ifDepth, loopDepth });
    ifDepth = Math.max(0, ifDepth - closes.ifs);
    loopDepth = Math.max(0, loopDepth - closes.loops);
  }
  return out;
}

/** One `NAME=value` word. `standalone` is false for an assignment that only prefixes a command's environment. */
interface Assignment {
  name: string;
  raw: string;
  word: Word;
  column: number;
  standalone: boolean;
  ifDepth: number;
  loopDepth: number;
}

const ASSIGN = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s;

function assignmentsOf(s: Statement): Assignment[] {
  const w0 = s.words[0]!.text;
  const declared = /^(?:export|local|declare|readonly|typeset)$/.test(w0);
  const all = s.words.every((w) => ASSIGN.test(w.text));
  const out: Assignment[] = [];
  for (const [k, w] of s.words.entries()) {
    if (declared && k === 0) continue;
    const m = ASSIGN.exec(w.text);
    if (!m) {
      if (!declared) break;
      continue;
    }
    out.push({
      name: m[1]!,
      raw: m[2]!,
      word: w,
      column: w.column + m[1]!.length + 1,
      standalone: declared || all,
      ifDepth: s.ifDepth,
      loopDepth: s.loopDepth,
    });
  }
  return out;
}

/** Names of the variables a shell text expands (`$X`, `${X...}`, nested ones included). */
function expandedNames(text: string): string[] {
  return [...new Set([...text.matchAll(/\$\{?([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1]!))];
}

/**
 * The variables whose text a value carries (`${ID//\//_}`, `$(basename "$P")`, `${RUN}-x`): every expansion except
 * one used only as the folder the value lies in (`${ROOT}/...`), which locates the value without naming it.
 */
function encodedNames(text: string): string[] {
  const all = expandedNames(text);
  return all.filter((n) =>
    text
      .replace(new RegExp(`\\$(?:\\{${n}\\}|${n}(?![A-Za-z0-9_]))/`, "g"), "")
      .match(new RegExp(`\\$\\{?${n}(?![A-Za-z0-9_])`)),
  );
}

/** `X="${X:-default}"`: the default, or undefined when the value is not this form. */
function selfDefault(name: string, raw: string): string | undefined {
  const t = raw.trim();
  const open = [`\${${name}:-`, `\${${name}-`].find((p) => t.startsWith(p));
  if (!open || !t.endsWith("}")) return undefined;
  let depth = 0;
  for (let k = 1; k < t.length; k++) {
    if (t[k] === "{") depth++;
    else if (t[k] === "}" && --depth === 0) return k === t.length - 1 ? t.slice(open.length, -1) : undefined;
  }
  return undefined;
}

/** A value that only rewrites one other variable (`${ID//\//_}`, `$(basename "$P")`): an alias, not a name. */
const PURE_DERIVATION =
  /^(?:\$\{[A-Za-z_][A-Za-z0-9_]*(?:[/#%][^}]*)?\}|\$\(\s*(?:basename|dirname)\s+"?\$\{?[A-Za-z_][A-Za-z0-9_]*\}?"?(?:\s+\S+)?\s*\))$/;

/** A model this script defines, as a text to look for in names: its target (Hub id or path) and the variable. */
interface ScriptModel {
  variable: string;
  value: string;
  ref: ModelReference;
}

/** How a name encodes a model of the same script. */
interface Encoding {
  model: ScriptModel;
  encodedAs: "flow" | "underscore-id" | "id" | "repo-name";
}

/** What the passes over one script share. */
interface ScriptState {
  file: string;
  baseDir: string;
  pointer?: string;
  vars: Map<string, string>;
  references: ModelReference[];
  byName: Map<string, Assignment[]>;
  /** Assigned in the branches of a conditional only (or once before them), never in a loop: candidates, not dynamic. */
  branchedNames: Set<string>;
  candidates: Map<string, string[]>;
  evaluated: Map<string, { a: Assignment; value: string }[]>;
  models: Map<string, ScriptModel>;
  roots: Map<string, string[]>;
  outputFlagVars: Set<string>;
}

function atOf(st: ScriptState, line: number, column: number): SourceLocation {
  return { file: st.file, line, column, ...(st.pointer ? { pointer: st.pointer } : {}) };
}

/** `${ROOT}/org/name`: the model lies under a root folder variable; the other roots the script may pick are kept. */
function rootFacts(
  st: ScriptState,
  name: string,
  defaulted: string,
  current: string,
): Record<string, string | number | boolean> {
  const rooted = /^\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?\/(.+)$/.exec(defaulted.trim());
  // Only a tail that names a model (`org/name`) makes the prefix a model root: `${X}/checkpoints/run` does not.
  if (!rooted || !isModelVarName(name) || current.includes("$") || !parseHubId(rooted[2]!)) return {};
  const alts = st.candidates.get(rooted[1]!);
  st.roots.set(rooted[1]!, [...(st.roots.get(rooted[1]!) ?? []), name]);
  return {
    modelRoot: rooted[1]!,
    pathTail: rooted[2]!,
    ...(alts && alts.length > 1
      ? { candidates: alts.map((c) => targetOf(`${c}/${rooted[2]}`, st.baseDir)).join("|") }
      : {}),
  };
}

/** The reference a model-named assignment makes, if any (with `${X:-d}` kept for the linking pass). */
function assignmentReference(
  st: ScriptState,
  a: Assignment,
  current: string,
  facts: Record<string, string | number | boolean>,
): void {
  const { name, raw, word: w, column: valueCol } = a;
  let r = variableReference(name, current, st.file, w.line, valueCol, st.pointer);
  const envDefault = selfDefault(name, raw);
  if (r && envDefault !== undefined && !current.includes("$")) {
    // The environment may set it: `${X:-<default>}` lets the linking pass read an `.env` first.
    r = codeReference({
      extractor: ID,
      location: atOf(st, w.line, valueCol),
      value: `\${${name}:-${current}}`,
      facts: { variable: name, ...facts },
      baseDir: st.baseDir,
    });
  } else if (r) r = { ...r, facts: { ...(r.facts ?? {}), ...facts } };
  if (r) {
    st.references.push(r);
    if (!st.models.has(name)) st.models.set(name, { variable: name, value: r.target ?? current, ref: r });
  } else if (
    isModelVarName(name) &&
    !/CACHE|TOKEN|KEY/i.test(name) &&
    /\$/.test(current) &&
    endsWithRepoPath(current)
  ) {
    // A path under a root only known at run time (`${THIRD_PARTY_ROOT}/org/name`): kept, with its tail.
    st.references.push(
      codeReference({
        extractor: ID,
        location: atOf(st, w.line, valueCol),
        expression: raw,
        facts: { variable: name, pathTail: current.replace(/^.*\$\{?[A-Za-z_][A-Za-z0-9_]*\}?\/?/, "") },
      }),
    );
  } else if (MODEL_NAME.test(name) && !NOT_MODEL_NAME.test(name) && /\$\{[A-Za-z_][A-Za-z0-9_]*:-([^}]+)\}/.test(raw)) {
    const d = /\$\{[A-Za-z_][A-Za-z0-9_]*:-([^}]+)\}/.exec(raw)![1]!;
    if (!isModelShaped(d) || d.includes("$")) return;
    const ref = codeReference({
      extractor: ID,
      location: atOf(st, w.line, valueCol),
      value: raw.trim(),
      facts: { variable: name },
      baseDir: st.baseDir,
    });
    st.references.push(ref);
    if (!st.models.has(name)) st.models.set(name, { variable: name, value: d, ref });
  }
}

/** Pass 1a: one standalone assignment, evaluated with the variables known so far. */
function readAssignment(st: ScriptState, a: Assignment): void {
  const { name, raw } = a;
  const count = st.byName.get(name)?.length ?? 0;
  // `$(cd "$(dirname "$0")/.." && pwd)`: a folder relative to the script, known without running it (kept relative
  // to the script's own folder, as every path in this file is resolved).
  const scriptDir =
    /^\$\(cd\s+"?\$\(dirname\s+"?\$(?:0|\{BASH_SOURCE\[0\]\}|BASH_SOURCE)"?\)((?:\/\.\.?)*)\/?"?\s*&&\s*pwd\)$/.exec(
      raw,
    );
  if (scriptDir && count === 1) {
    st.vars.set(name, `.${scriptDir[1] ?? ""}`);
    return;
  }
  const defaulted = applyDefaults(raw, st.vars);
  const value = substitute(defaulted, st.vars);
  st.evaluated.set(name, [...(st.evaluated.get(name) ?? []), { a, value }]);
  const isBranched = st.branchedNames.has(name);
  if (isBranched && !value.includes("$")) {
    st.candidates.set(name, [...(st.candidates.get(name) ?? []), value]);
    if (!st.vars.has(name)) st.vars.set(name, value);
  } else if (count === 1 && !/\$\(/.test(value)) st.vars.set(name, value);
  // A branch's own value is its reference; the first branch's value is what later lines see.
  const current = isBranched ? value : (st.vars.get(name) ?? value);
  const facts = rootFacts(st, name, defaulted, current);
  if (current !== raw && !current.includes("$")) facts.expression = raw;
  assignmentReference(st, a, current, facts);
}

/** Pass 1: statements in order: assignments, then the command they prefix (its model flags and outputs). */
function readStatements(st: ScriptState, stmts: ReturnType<typeof statements>): void {
  for (const s of stmts) {
    const assigns = assignmentsOf(s).filter((a) => a.standalone);
    for (const a of assigns) readAssignment(st, a);
    if (assigns.length === s.words.length) continue;
    const found = analyseCommand(s.words, {
      extractor: ID,
      file: st.file,
      baseDir: st.baseDir,
      vars: st.vars,
      ...(st.pointer ? { pointer: st.pointer } : {}),
    });
    for (const r of found)
      if (r.usage === "write")
        for (const n of expandedNames(String(r.facts?.expression ?? ""))) st.outputFlagVars.add(n);
    st.references.push(...found);
  }
}

/** What a variable's value encodes: models of this script reached through its expansions, or written in it. */
function encoder(st: ScriptState): (name: string) => Encoding[] {
  const spelled = spellings(st.models.values());
  const memo = new Map<string, Encoding[]>();
  const encodings = (name: string, seen: Set<string> = new Set()): Encoding[] => {
    if (memo.has(name)) return memo.get(name)!;
    if (seen.has(name)) return [];
    seen.add(name);
    const last = st.evaluated.get(name)?.at(-1);
    if (!last) return [];
    const out: Encoding[] = [];
    for (const dep of encodedNames(last.a.raw)) {
      const m = dep === name ? undefined : st.models.get(dep);
      if (m) out.push({ model: m, encodedAs: "flow" });
      else if (dep !== name) out.push(...encodings(dep, seen));
    }
    out.push(...literalEncodings(last.value, spelled));
    const unique = [...new Map(out.map((e) => [e.model.variable, e])).values()];
    memo.set(name, unique);
    return unique;
  };
  return (name) => encodings(name);
}

/** Pass 2: names that encode a model (`RUN=${MODEL//\//_}-lora`), and output folders that do. */
function encodedNamesPass(st: ScriptState): void {
  const encodings = encoder(st);
  const spelled = spellings(st.models.values());
  for (const [name, list] of st.evaluated) {
    if (st.models.has(name) || st.roots.has(name) || st.branchedNames.has(name) || list.length !== 1) continue;
    const { a, value } = list[0]!;
    if (value.includes("$") || /TOKEN|SECRET|PASSWORD|KEY$/i.test(name)) continue;
    const enc = encodings(name);
    if (enc.length === 0 || PURE_DERIVATION.test(a.raw.trim())) continue;
    const encodes = enc.map((e) => e.model.value).join("|");
    if (OUTPUT_VAR.test(name)) {
      if (!st.outputFlagVars.has(name))
        st.references.push(
          folderReference(value, atOf(st, a.word.line, a.column), st.baseDir, "write", {
            variable: name,
            expression: a.raw,
            encodes,
          }),
        );
      continue;
    }
    for (const e of enc)
      st.references.push(
        codeReference({
          extractor: ID,
          location: atOf(st, a.word.line, a.column),
          value: e.model.value,
          usage: "name",
          role: e.model.ref.role,
          facts: {
            variable: name,
            encodedBy: e.model.variable,
            encodedAs: e.encodedAs,
            evaluated: value,
            expression: a.raw,
          },
          baseDir: st.baseDir,
        }),
      );
  }
  // Output folders named by a command's flag, with the models they encode.
  for (const [k, r] of st.references.entries()) {
    if (r.usage !== "write" || r.facts?.variable !== undefined || !r.target) continue;
    const enc = [
      ...encodedNames(String(r.facts?.expression ?? "")).flatMap((n) =>
        st.models.has(n) ? [{ model: st.models.get(n)!, encodedAs: "flow" as const }] : encodings(n),
      ),
      ...literalEncodings(r.target, spelled),
    ];
    if (enc.length)
      st.references[k] = {
        ...r,
        facts: { ...(r.facts ?? {}), encodes: [...new Set(enc.map((e) => e.model.value))].join("|") },
      };
  }
}

/** Pass 3: roots of model paths (each line that sets the root names where the models are kept) and optional slots. */
function rootsAndSlots(st: ScriptState): void {
  for (const [root, users] of st.roots) {
    if (st.models.has(root)) continue;
    const alts = st.candidates.get(root) ?? [];
    for (const { a, value } of st.evaluated.get(root) ?? []) {
      if (value.includes("$")) continue;
      st.references.push(
        folderReference(value, atOf(st, a.word.line, a.column), st.baseDir, "name", {
          variable: root,
          modelRootOf: [...new Set(users)].join("|"),
          ...(alts.length > 1 ? { candidates: alts.map((c) => targetOf(c, st.baseDir)).join("|") } : {}),
        }),
      );
    }
  }
  // An optional model slot: `X2="${X2:-}"` beside an `X` that holds a model, or a model-named `X="${X:-}"`.
  for (const [name, list] of st.evaluated) {
    if (list.length !== 1 || st.models.has(name) || selfDefault(name, list[0]!.a.raw) !== "") continue;
    const sibling = withoutNumberSuffix(name);
    if (!(MODEL_NAME.test(name) && !NOT_MODEL_NAME.test(name)) && !(sibling !== name && st.models.has(sibling)))
      continue;
    const { a } = list[0]!;
    const sib = st.models.get(sibling);
    st.references.push({
      ...codeReference({
        extractor: ID,
        location: atOf(st, a.word.line, a.column),
        expression: a.raw.trim(),
        facts: { variable: name, optional: true, ...(sib ? { siblingOf: sibling } : {}) },
        ...(sib?.ref.role ? { role: sib.ref.role } : {}),
      }),
      raw: a.raw.trim(),
      skipReason: "missing-value",
    });
  }
}

/** Evaluates a shell script's variables and commands (see the module comment), in named passes. */
export async function shellOutput(
  text: string,
  file: string,
  lineOffset = 0,
  inherited: Map<string, string> = new Map(),
  pointer?: string,
): Promise<ExtractOutput> {
  const { commands, heredocs } = splitShell(text, lineOffset);
  const stmts = statements(commands);
  const byName = new Map<string, Assignment[]>();
  for (const s of stmts) for (const a of assignmentsOf(s)) byName.set(a.name, [...(byName.get(a.name) ?? []), a]);
  const branchedNames = new Set(
    [...byName]
      .filter(
        ([, list]) =>
          list.length > 1 && list.every((a, k) => a.standalone && a.loopDepth === 0 && (a.ifDepth > 0 || k === 0)),
      )
      .map(([n]) => n),
  );
  const st: ScriptState = {
    file,
    baseDir: dirOf(file),
    ...(pointer ? { pointer } : {}),
    vars: new Map(inherited),
    references: [],
    byName,
    branchedNames,
    candidates: new Map(),
    evaluated: new Map(),
    models: new Map(),
    roots: new Map(),
    outputFlagVars: new Set(),
  };
  readStatements(st, stmts);
  encodedNamesPass(st);
  rootsAndSlots(st);
  // Python heredocs (`python - <<EOF`) are read as Python.
  for (const h of heredocs) {
    if (!/\bpython[0-9.]*\b/.test(h.command)) continue;
    const refs = await extractPythonSource(h.text, { file, lineOffset: h.startLine - 1, extractor: ID });
    st.references.push(...refs.map((r) => ({ ...r, facts: { ...(r.facts ?? {}), embeddedPython: true } })));
  }
  const variables: VariableDefinition[] = [];
  return { references: st.references, variables };
}

/** A path value as a root-relative (or absolute) target. */
function targetOf(value: string, baseDir: string): string {
  const norm = value.replace(/\\/g, "/");
  return posix.isAbsolute(norm) ? posix.normalize(norm) : posix.normalize(posix.join(baseDir, norm)).replace(/\/$/, "");
}

/** The texts a model of the script is spelled with in names: its id, the id with `/` written `_`, its repository. */
interface Spelling {
  model: ScriptModel;
  id: string;
  underscore: string;
  repo: string;
  bounded?: RegExp;
}

function spellings(models: Iterable<ScriptModel>): Spelling[] {
  const out: Spelling[] = [];
  for (const m of models) {
    const id =
      m.ref.kind === "hub-id" && m.ref.target && !m.ref.skipReason
        ? m.ref.target
        : parseHubId(m.value) && !m.value.includes("$")
          ? m.value
          : undefined;
    if (id) out.push({ model: m, id, underscore: id.replace("/", "_"), repo: id.slice(id.indexOf("/") + 1) });
  }
  return out;
}

/**
 * Models of the script a literal value spells out: a Hub id with `/` written `_` (`Qwen_Qwen2-7B-Instruct`, the
 * `${ID//\//_}` form), the id itself, or its repository name as a whole `-`/`_`/`/`-delimited part of at least eight
 * characters (`llava-onevision-qwen2-7b-ov_dpo-...`). Only ids this script defines are looked for: nothing is guessed.
 */
function literalEncodings(value: string, models: readonly Spelling[]): Encoding[] {
  const out: Encoding[] = [];
  for (const s of models) {
    if (value === s.id || !value.includes(s.repo)) continue;
    if (value.includes(s.underscore)) out.push({ model: s.model, encodedAs: "underscore-id" });
    else if (value.includes(s.id)) out.push({ model: s.model, encodedAs: "id" });
    else if (s.repo.length >= 8 && /[\d-]/.test(s.repo)) {
      s.bounded ??= new RegExp(`(?:^|[-_/.])${s.repo.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}(?:$|[-_/.])`);
      if (s.bounded.test(value)) out.push({ model: s.model, encodedAs: "repo-name" });
    }
  }
  return out;
}

/** True when `s` ends with `a/b` made of word characters, `.` and `-` (the tail of a repo id or a path). */
function endsWithRepoPath(s: string): boolean {
  const word = (c: string | undefined): boolean => c !== undefined && /[\w.-]/.test(c);
  let i = s.length;
  while (i > 0 && word(s[i - 1])) i--;
  return i < s.length && s[i - 1] === "/" && word(s[i - 2]);
}

/** `name` without a trailing number and the `_` before it (`MODEL_2` -> `MODEL`); unchanged without a number. */
function withoutNumberSuffix(name: string): string {
  let end = name.length;
  while (end > 0 && name.charCodeAt(end - 1) >= 48 && name.charCodeAt(end - 1) <= 57) end--;
  if (end === name.length) return name;
  return name.slice(0, end > 0 && name[end - 1] === "_" ? end - 1 : end);
}
