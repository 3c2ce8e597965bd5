/**
 * Shell command lines: a small POSIX-shell word splitter (quotes, backslash continuations, comments, `&&`/`;`/`|`
 * separators, `VAR=value` assignments) and the model flags of the serving and download tools:
 * vLLM (`vllm serve <id>`, `--model`, `--tokenizer`, `--served-model-name` is an alias, `--lora-modules`,
 * https://docs.vllm.ai/en/latest/cli/serve.html), TGI (`--model-id`, https://huggingface.co/docs/text-generation-inference/reference/launcher),
 * SGLang (`--model-path`, `--tokenizer-path`), llama.cpp (`-m`, `-hf`/`--hf-repo`, `--hf-file`,
 * https://github.com/ggml-org/llama.cpp/tree/master/tools/server), Ollama (`ollama pull|run <tag>`),
 * `huggingface-cli download` / `hf download` (https://huggingface.co/docs/huggingface_hub/guides/cli).
 * No command is ever run.
 */
import { posix } from "node:path";
import type { ModelReference, ReferenceKind, ComponentRole, Relation, SourceLocation } from "../../../model/types.js";
import { codeReference } from "../../code/model-ref.js";
import { trimEndChars } from "../../../util/text.js";
import { weightFormatOf } from "../../../formats/weight-format.js";

/** One shell word with its 1-based position. */
export interface Word {
  text: string;
  line: number;
  column: number;
  /** True when the word was (partly) quoted: never an operator. */
  quoted: boolean;
}

/** A heredoc body found while splitting: its terminator-delimited text and first line. */
export interface Heredoc {
  text: string;
  startLine: number;
  /** The command that received it (`python`, `cat`, ...). */
  command: string;
}

/**
 * Splits shell text into commands (arrays of words). `lineOffset` is added to every line number.
 * Heredoc bodies are returned apart and skipped as commands.
 */
export function splitShell(text: string, lineOffset = 0): { commands: Word[][]; heredocs: Heredoc[] } {
  const commands: Word[][] = [];
  const heredocs: Heredoc[] = [];
  let cur: Word[] = [];
  let i = 0;
  let line = 1;
  let col = 1;
  const pendingHeredocs: { tag: string; command: string }[] = [];
  const flush = (): void => {
    if (cur.length) commands.push(cur);
    cur = [];
  };
  const advance = (n: number): void => {
    for (let k = 0; k < n; k++) {
      if (text[i] === "\n") {
        line++;
        col = 1;
      } else col++;
      i++;
    }
  };
  while (i < text.length) {
    const ch = text[i]!;
    if (ch === "\\" && text[i + 1] === "\n") {
      advance(2);
      continue;
    }
    if (ch === "\n") {
      flush();
      advance(1);
      // Heredoc bodies start on the next line.
      while (pendingHeredocs.length) {
        const h = pendingHeredocs.shift()!;
        const startLine = line;
        const lines: string[] = [];
        while (i < text.length) {
          const end = text.indexOf("\n", i);
          const l = end === -1 ? text.slice(i) : text.slice(i, end);
          advance(l.length + (end === -1 ? 0 : 1));
          if (l.replace(/^\t+/, "").trim() === h.tag) break;
          lines.push(l);
        }
        heredocs.push({ text: lines.join("\n"), startLine: startLine + lineOffset, command: h.command });
      }
      continue;
    }
    if (ch === " " || ch === "\t" || ch === "\r") {
      advance(1);
      continue;
    }
    if (ch === "#" ) {
      while (i < text.length && text[i] !== "\n") advance(1);
      continue;
    }
    if (ch === ";" || ch === "|" || ch === "&" || ch === "(" || ch === ")" || ch === "`") {
      flush();
      advance(1);
      continue;
    }
    if (ch === "<" && text[i + 1] === "<") {
      // heredoc: <<TAG, <<-TAG, <<'TAG', <<"TAG"
      const m = /^<<-?\s*(['"]?)([A-Za-z_][A-Za-z0-9_]*)\1/.exec(text.slice(i));
      if (m) {
        pendingHeredocs.push({ tag: m[2]!, command: cur.map((w) => w.text).join(" ") });
        advance(m[0].length);
        continue;
      }
      // `<<` without a tag (or `<<<` here-string): an operator, not part of a word.
      advance(2);
      continue;
    }
    // A word.
    const startLine = line;
    const startCol = col;
    let word = "";
    let quoted = false;
    while (i < text.length) {
      const c = text[i]!;
      if (c === "\\" && text[i + 1] === "\n") {
        advance(2);
        continue;
      }
      if (/[\s;|&()`]/.test(c)) break;
      if (c === "<" && text[i + 1] === "<") break;
      if (c === "'") {
        quoted = true;
        const end = text.indexOf("'", i + 1);
        const stop = end === -1 ? text.length : end;
        word += text.slice(i + 1, stop);
        advance(stop - i + 1);
        continue;
      }
      if (c === '"') {
        quoted = true;
        advance(1);
        while (i < text.length && text[i] !== '"') {
          if (text[i] === "\\" && i + 1 < text.length) {
            // Inside double quotes a backslash escapes only `$`, `` ` ``, `"`, `\` and a newline; before any other
            // character it stays (`"${V//\//_}"` keeps its `\/`). POSIX.1-2017 2.2.3.
            if (text[i + 1] !== "\n") word += /[$`"\\]/.test(text[i + 1]!) ? text[i + 1] : `\\${text[i + 1]}`;
            advance(2);
            continue;
          }
          word += text[i];
          advance(1);
        }
        advance(1);
        continue;
      }
      if (c === "$" && text[i + 1] === "(") {
        // command substitution: keep it verbatim as part of the word
        let depth = 0;
        const s = i;
        while (i < text.length) {
          if (text[i] === "(") depth++;
          if (text[i] === ")") {
            depth--;
            if (depth === 0) {
              advance(1);
              break;
            }
          }
          advance(1);
        }
        word += text.slice(s, i);
        continue;
      }
      if (c === "$" && text[i + 1] === "{") {
        // `${...}` may nest (`${A:-${B}/x}`): keep it whole.
        let depth = 0;
        let stop = i;
        for (; stop < text.length; stop++) {
          if (text[stop] === "{") depth++;
          else if (text[stop] === "}" && --depth === 0) break;
        }
        stop = Math.min(stop + 1, text.length);
        word += text.slice(i, stop);
        advance(stop - i);
        continue;
      }
      word += c;
      advance(1);
    }
    // Every pass of the outer loop consumes input: a word that read nothing still moves on (no endless loop).
    if (word === "" && !quoted && i < text.length && line === startLine && col === startCol) {
      advance(1);
      continue;
    }
    cur.push({ text: word, line: startLine + lineOffset, column: startCol, quoted });
  }
  flush();
  return { commands, heredocs };
}

/**
 * Replaces each `${VAR:-default}` whose VAR is not in `vars` by its default (defaults may nest `${...}`).
 */
export function applyDefaults(text: string, vars: ReadonlyMap<string, string>): string {
  let out = "";
  let i = 0;
  while (i < text.length) {
    const m = /^\$\{([A-Za-z_][A-Za-z0-9_]*):?-/.exec(text.slice(i));
    if (!m) {
      out += text[i++];
      continue;
    }
    let depth = 1;
    let j = i + 2;
    for (; j < text.length && depth > 0; j++) {
      if (text[j] === "{") depth++;
      else if (text[j] === "}") depth--;
    }
    const inner = text.slice(i + m[0].length, j - 1);
    out += vars.has(m[1]!) ? `\${${m[1]}}` : applyDefaults(inner, vars);
    i = j;
  }
  return out;
}

/**
 * Substitutes `$VAR` / `${VAR}` from `vars` and evaluates, for a known VAR, the parameter expansions of POSIX sh and
 * bash that only rewrite text: `${VAR:-d}` / `${VAR-d}` (VAR's value), `${VAR//pattern/rep}` and `${VAR/pattern/rep}`
 * (replace all / the first), `${VAR#p}` `${VAR##p}` `${VAR%p}` `${VAR%%p}` (strip the shortest / longest prefix or
 * suffix); patterns may use `*`, `?` and `\x` (https://www.gnu.org/software/bash/manual/bash.html#Shell-Parameter-Expansion,
 * POSIX.1-2017 2.6.2). Then `$(basename X [suffix])` and `$(dirname X)` whose argument is fully known are evaluated
 * (POSIX basename/dirname). An unknown variable, an unsupported operator or a bracket pattern is left as written.
 * Nothing is ever run.
 */
export function substitute(text: string, vars: ReadonlyMap<string, string>): string {
  let out = "";
  let i = 0;
  while (i < text.length) {
    if (text[i] !== "$") {
      out += text[i++];
      continue;
    }
    const plain = /^\$([A-Za-z_][A-Za-z0-9_]*)/.exec(text.slice(i));
    if (plain) {
      const v = vars.get(plain[1]!);
      out += v ?? plain[0];
      i += plain[0].length;
      continue;
    }
    const braced = /^\$\{([A-Za-z_][A-Za-z0-9_]*)/.exec(text.slice(i));
    if (!braced) {
      out += text[i++];
      continue;
    }
    // The whole `${...}`, braces balanced (a default may nest `${...}`).
    let depth = 0;
    let j = i + 1;
    for (; j < text.length; j++) {
      if (text[j] === "{") depth++;
      else if (text[j] === "}" && --depth === 0) break;
    }
    if (j >= text.length) {
      out += text.slice(i);
      break;
    }
    const whole = text.slice(i, j + 1);
    const v = vars.get(braced[1]!);
    const expanded = v === undefined ? undefined : expandParameter(v, text.slice(i + braced[0].length, j));
    out += expanded ?? whole;
    i = j + 1;
  }
  return evaluatePathCommands(out);
}

/** Applies the operator part of `${VAR<op>}` to VAR's known value; undefined when the operator is not supported. */
function expandParameter(value: string, op: string): string | undefined {
  if (op === "") return value;
  if (/^:?-/.test(op)) return op.startsWith(":") && value === "" && !op.includes("$") ? op.slice(2) : value;
  const strip = /^(##?|%%?)(.*)$/s.exec(op);
  if (strip) {
    const re = globRegex(strip[2]!);
    if (!re) return undefined;
    const longest = strip[1]!.length === 2;
    const lengths = [...Array(value.length + 1).keys()];
    if (longest) lengths.reverse();
    for (const n of lengths) {
      if (strip[1]![0] === "#" && re.test(value.slice(0, n))) return value.slice(n);
      if (strip[1]![0] === "%" && re.test(value.slice(value.length - n))) return value.slice(0, value.length - n);
    }
    return value;
  }
  const repl = /^(\/\/?)((?:\\.|[^/\\])*)(?:\/(.*))?$/s.exec(op);
  if (repl) {
    const re = globRegex(repl[2]!);
    if (!re || repl[2] === "") return undefined;
    const rep = (repl[3] ?? "").replace(/\\(.)/g, "$1");
    const all = repl[1] === "//";
    if (!/[*?]/.test(repl[2]!.replace(/\\./g, ""))) {
      const literal = repl[2]!.replace(/\\(.)/g, "$1");
      return all ? value.split(literal).join(rep) : value.replace(literal, () => rep);
    }
    if (value.length > 512) return undefined;
    let out = "";
    let k = 0;
    let replaced = false;
    while (k < value.length) {
      let hit = -1;
      if (!replaced || all) for (let e = value.length; e > k; e--) if (re.test(value.slice(k, e))) { hit = e; break; }
      if (hit < 0) {
        out += value[k++];
        continue;
      }
      out += rep;
      k = hit;
      replaced = true;
    }
    return out;
  }
  return undefined;
}

/** A shell pattern (`*`, `?`, `\x`) as an anchored regular expression; undefined for bracket expressions. */
function globRegex(pattern: string): RegExp | undefined {
  let src = "";
  for (let k = 0; k < pattern.length; k++) {
    const c = pattern[k]!;
    if (c === "[") return undefined;
    if (c === "\\" && k + 1 < pattern.length) src += escapeRegex(pattern[++k]!);
    else if (c === "*") src += "[\\s\\S]*";
    else if (c === "?") src += "[\\s\\S]";
    else src += escapeRegex(c);
  }
  return new RegExp(`^${src}$`);
}

const escapeRegex = (c: string): string => c.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");

/** Evaluates `$(basename X [suffix])` and `$(dirname X)` whose arguments are known text (no `$`, no backquote). */
function evaluatePathCommands(text: string): string {
  return text.replace(/\$\(\s*(basename|dirname)\s+("[^"$`]*"|'[^']*'|[^\s"'$`()]+)(?:\s+("[^"$`]*"|'[^']*'|[^\s"'$`()]+))?\s*\)/g, (m, cmd: string, a: string, b: string | undefined) => {
    const arg = unquote(a);
    if (cmd === "dirname") return b === undefined ? posixDirname(arg) : m;
    const base = posixBasename(arg);
    const suffix = b === undefined ? "" : unquote(b);
    return suffix && base !== suffix && base.endsWith(suffix) ? base.slice(0, -suffix.length) : base;
  });
}

const unquote = (w: string): string => (/^(["']).*\1$/s.test(w) ? w.slice(1, -1) : w);

/** POSIX basename: trailing slashes dropped, then the last segment (`/` stays `/`). */
function posixBasename(p: string): string {
  const t = trimEndChars(p, "/");
  if (t === "") return p.startsWith("/") ? "/" : "";
  return t.slice(t.lastIndexOf("/") + 1);
}

/** POSIX dirname: the path without its last segment (`.` when there is none). */
function posixDirname(p: string): string {
  const t = trimEndChars(p, "/");
  if (t === "") return p.startsWith("/") ? "/" : ".";
  const k = t.lastIndexOf("/");
  if (k < 0) return ".";
  return trimEndChars(t.slice(0, k), "/") || "/";
}

const LLAMA_CPP = /^(?:.*\/)?(?:llama-(?:server|cli|run|simple|mtmd-cli|embedding|bench)|llama-cpp-server|main|server)$/;

/** Flags whose value names a model, with the role of what they name. */
const MODEL_FLAGS: Record<string, { role?: ComponentRole; relation?: Relation; kind?: ReferenceKind }> = {
  "--model": {},
  "--model-id": {},
  "--model_id": {},
  "--model-path": {},
  "--model_path": {},
  "--model-name-or-path": {},
  "--model_name_or_path": {},
  "--pretrained-model-name-or-path": {},
  "--pretrained_model_name_or_path": {},
  "--tokenizer": { role: "tokenizer" },
  "--tokenizer-path": { role: "tokenizer" },
  "--tokenizer_path": { role: "tokenizer" },
  "--hf-repo": {},
  "-hf": {},
  "-hfr": {},
  "--hf-model-repo-id": {},
  "--vision_tower": { role: "vision-encoder" },
  "--vision-tower": { role: "vision-encoder" },
  "--speculative-model": {},
  "--draft-model": {},
  "-md": {},
  "--mmproj": { role: "projector" },
  "--lora": { role: "adapter", relation: "adapter" },
  "--embedding-model": { role: "embedding" },
  "--vocoder": { role: "audio-decoder" },
};

/**
 * Flags naming the folder a training or conversion command writes its model to (transformers
 * `TrainingArguments.output_dir`, https://huggingface.co/docs/transformers/main_classes/trainer#transformers.TrainingArguments;
 * LLaMA-Factory, axolotl and TRL scripts take the same flag). A `write` reference, only kept by the caller when the
 * command also names a model.
 */
const OUTPUT_FLAGS: ReadonlySet<string> = new Set(["--output_dir", "--output-dir"]);

/** Context for {@link analyseCommand}. */
export interface CommandContext {
  extractor: string;
  file: string;
  baseDir: string;
  /** Variables known in this file (shell assignments, Dockerfile ENV/ARG). */
  vars: ReadonlyMap<string, string>;
  pointer?: string;
}

function ref(ctx: CommandContext, w: Word, value: string, extra: { role?: ComponentRole; relation?: Relation; kind?: ReferenceKind; revision?: string; facts?: Record<string, string | number | boolean> }): ModelReference {
  const resolved = substitute(value, ctx.vars);
  const facts = { ...(extra.facts ?? {}), ...(resolved !== value ? { expression: value } : {}) };
  return codeReference({
    extractor: ctx.extractor,
    location: { file: ctx.file, line: w.line, column: w.column, ...(ctx.pointer ? { pointer: ctx.pointer } : {}) },
    value: resolved,
    ...(extra.kind ? { kind: extra.kind } : {}),
    ...(extra.role ? { role: extra.role } : {}),
    ...(extra.relation ? { relation: extra.relation } : {}),
    ...(extra.revision ? { revision: extra.revision } : {}),
    facts,
    baseDir: ctx.baseDir,
  });
}

/**
 * Finds the model references of one command (its words after splitting). Leading `VAR=value` words, `sudo`, `exec`,
 * `env`, `nohup`, `time` are skipped to find the program.
 */
export function analyseCommand(words: readonly Word[], ctx: CommandContext): ModelReference[] {
  let k = 0;
  while (k < words.length && (/^[A-Za-z_][A-Za-z0-9_]*=/.test(words[k]!.text) || /^(?:sudo|exec|env|nohup|time|command|CUDA_VISIBLE_DEVICES=.*)$/.test(words[k]!.text))) k++;
  const argv = words.slice(k);
  if (argv.length === 0) return [];
  // A bare argument list (Compose `command:` for an image's entrypoint, exec-form CMD) starts with a flag.
  const bare = argv[0]!.text.startsWith("-");
  const prog = bare ? "" : argv[0]!.text.replace(/^.*\//, "");
  const refs: ModelReference[] = [];
  const facts: Record<string, string | number | boolean> = {};
  let revision: string | undefined;
  let servedName: string | undefined;
  let hfFile: string | undefined;
  for (let j = bare ? 0 : 1; j < argv.length; j++) {
    const t = argv[j]!.text;
    const [flag, inline] = t.startsWith("--") && t.includes("=") ? [t.slice(0, t.indexOf("=")), t.slice(t.indexOf("=") + 1)] : [t, undefined];
    const next = (): string | undefined => inline ?? argv[j + 1]?.text;
    if (flag === "--trust-remote-code" || flag === "--trust_remote_code") {
      if (inline === undefined || /^(?:true|1)$/i.test(inline)) facts.trustRemoteCode = true;
    }
    if (flag === "--revision" || flag === "--code-revision") revision = next();
    if (flag === "--served-model-name") servedName = next();
    if (flag === "--hf-file" || flag === "-hff") hfFile = next();
  }
  const common: { revision?: string; facts: Record<string, string | number | boolean> } = { ...(revision ? { revision } : {}), facts: { ...facts, program: prog, ...(servedName ? { servedModelName: servedName } : {}), ...(hfFile ? { filename: hfFile } : {}) } };

  // Positional forms.
  const sub = argv[1]?.text;
  if ((prog === "vllm" && sub === "serve") || (prog === "sglang" && sub === "serve")) {
    const pos = argv.slice(2).find((w, idx, arr) => !w.text.startsWith("-") && (idx === 0 || !arr[idx - 1]!.text.startsWith("-") || arr[idx - 1]!.text.includes("=")));
    if (pos && argv[2] === pos) refs.push(ref(ctx, pos, pos.text, common));
  }
  if (prog === "ollama" && (sub === "pull" || sub === "run" || sub === "show" || sub === "cp" || sub === "push") && argv[2] && !argv[2].text.startsWith("-")) {
    refs.push(ref(ctx, argv[2], argv[2].text, { kind: "ollama-tag", facts: { program: `ollama ${sub}` } }));
  }
  if (prog === "ollama" && sub === "create" && argv[2]) {
    // `ollama create <name> -f Modelfile`: the name is the product's own tag; the Modelfile says what it is built from.
  }
  if ((prog === "huggingface-cli" || prog === "hf") && sub === "download" && argv[2] && !argv[2].text.startsWith("-")) {
    const repoType = argv.findIndex((w) => w.text === "--repo-type" || w.text.startsWith("--repo-type="));
    const type = repoType >= 0 ? (argv[repoType]!.text.includes("=") ? argv[repoType]!.text.split("=")[1] : argv[repoType + 1]?.text) : "model";
    if (type === "model") {
      const files = argv.slice(3).filter((w) => !w.text.startsWith("-")).map((w) => w.text);
      const wf = files.find((f) => weightFormatOf(f) !== undefined);
      refs.push(ref(ctx, argv[2], argv[2].text, { ...common, facts: { ...common.facts, ...(wf ? { filename: wf, weightFormat: weightFormatOf(wf)! } : {}) } }));
    }
  }
  // Flags.
  for (let j = bare ? 0 : 1; j < argv.length; j++) {
    const w = argv[j]!;
    const t = w.text;
    const eq = t.startsWith("--") ? t.indexOf("=") : -1;
    const flag = eq > 0 ? t.slice(0, eq) : t;
    let spec = MODEL_FLAGS[flag];
    if (!spec && flag === "-m" && LLAMA_CPP.test(prog)) spec = {};
    if (!spec && OUTPUT_FLAGS.has(flag)) {
      const out = eq > 0 ? { word: { ...w, column: w.column + eq + 1 }, value: t.slice(eq + 1) } : argv[j + 1] && !argv[j + 1]!.text.startsWith("-") ? { word: argv[j + 1]!, value: argv[j + 1]!.text } : undefined;
      if (out && out.value !== "") {
        const resolved = substitute(out.value, ctx.vars);
        refs.push(folderReference(resolved, { file: ctx.file, line: out.word.line, column: out.word.column, ...(ctx.pointer ? { pointer: ctx.pointer } : {}) }, ctx.baseDir, "write", { program: prog, flag, ...(resolved !== out.value ? { expression: out.value } : {}) }, ctx.extractor));
      }
      if (out && eq < 0) j++;
      continue;
    }
    if (!spec) {
      if (flag === "--lora-modules") {
        for (let q = j + 1; q < argv.length && !argv[q]!.text.startsWith("-"); q++) {
          const m = /^([^=]+)=(.+)$/.exec(argv[q]!.text);
          if (m) refs.push(ref(ctx, argv[q]!, m[2]!, { role: "adapter", relation: "adapter", facts: { program: prog, loraName: m[1]! } }));
        }
      }
      continue;
    }
    const valueWord = eq > 0 ? { ...w, column: w.column + eq + 1 } : argv[j + 1];
    const value = eq > 0 ? t.slice(eq + 1) : argv[j + 1]?.text;
    if (!valueWord || value === undefined || (eq < 0 && value.startsWith("-"))) continue;
    const isLlama = LLAMA_CPP.test(prog);
    const extra: { role?: ComponentRole; relation?: Relation; revision?: string; facts: Record<string, string | number | boolean> } = { ...(spec.role ? { role: spec.role } : {}), ...(spec.relation ? { relation: spec.relation } : {}), ...common };
    if (isLlama && (flag === "-hf" || flag === "--hf-repo" || flag === "-hfr")) extra.facts = { ...extra.facts, weightFormat: "gguf" };
    refs.push(ref(ctx, valueWord, value, extra));
    if (eq < 0) j++;
  }
  // An output folder is a model's only when the same command names a model.
  return refs.some((r) => r.usage === undefined) ? refs : refs.filter((r) => r.usage !== "write");
}

/** A path written with a `<placeholder>` segment: a value the user is told to fill in. */
const PLACEHOLDER = /<[^<>\s/]+>/;

/**
 * A reference to a folder (an output folder, a root that holds models): always a local path, whatever its shape
 * (`ckpt/run1` is not a Hub id here); a `<placeholder>` segment makes it `missing-value`.
 */
export function folderReference(value: string, location: SourceLocation, baseDir: string, usage: "write" | "name", facts: Record<string, string | number | boolean>, extractor = "serving"): ModelReference {
  const ref = codeReference({ extractor, location, value, usage, facts, baseDir });
  const placeholder = PLACEHOLDER.test(value);
  if ((ref.kind === "local-path" && !placeholder) || value.includes("$")) return ref;
  const norm = value.replace(/\\/g, "/");
  const target = posix.isAbsolute(norm) || placeholder ? norm : posix.normalize(posix.join(baseDir, norm)).replace(/\/$/, "");
  const skipReason = placeholder ? "missing-value" : target.startsWith("../") || posix.isAbsolute(target) ? "local-path-outside-root" : "local-path";
  return { ...ref, kind: "local-path", target, skipReason, facts: { ...(ref.facts ?? {}), ...(placeholder ? { placeholder: true } : {}) } };
}
