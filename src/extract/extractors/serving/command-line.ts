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
import { codeReference, isModelShaped } from "../../code/model-ref.js";
import { trimEndChars } from "../../../util/text.js";
import { weightUrl } from "../../code/weight-url.js";
import { weightFormatOf } from "../../../formats/weight-format.js";
import { roleOfKey } from "../../roles.js";

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

/** A position in shell text (1-based line and column), moved by {@link advance}. */
interface Cursor {
  text: string;
  i: number;
  line: number;
  col: number;
}

function advance(c: Cursor, n: number): void {
  for (let k = 0; k < n; k++) {
    if (c.text[c.i] === "\n") {
      c.line++;
      c.col = 1;
    } else c.col++;
    c.i++;
  }
}

/** The body of one heredoc, from the cursor to its closing tag line (consumed). */
function readHeredocBody(c: Cursor, tag: string): string {
  const lines: string[] = [];
  while (c.i < c.text.length) {
    const end = c.text.indexOf("\n", c.i);
    const l = end === -1 ? c.text.slice(c.i) : c.text.slice(c.i, end);
    advance(c, l.length + (end === -1 ? 0 : 1));
    if (l.replace(/^\t+/, "").trim() === tag) break;
    lines.push(l);
  }
  return lines.join("\n");
}

/** A double-quoted part of a word (the cursor on the opening quote; consumed with the closing one). */
function readDoubleQuoted(c: Cursor): string {
  let word = "";
  advance(c, 1);
  while (c.i < c.text.length && c.text[c.i] !== '"') {
    if (c.text[c.i] === "\\" && c.i + 1 < c.text.length) {
      // Inside double quotes a backslash escapes only `$`, `` ` ``, `"`, `\` and a newline; before any other
      // character it stays (`"${V//\//_}"` keeps its `\/`). POSIX.1-2017 2.2.3.
      const next = c.text[c.i + 1]!;
      if (next !== "\n") word += /[$`"\\]/.test(next) ? next : `\\${next}`;
      advance(c, 2);
      continue;
    }
    word += c.text[c.i];
    advance(c, 1);
  }
  advance(c, 1);
  return word;
}

/** `$(...)` kept verbatim (nested parentheses balanced). */
function readCommandSubstitution(c: Cursor): string {
  let depth = 0;
  const s = c.i;
  while (c.i < c.text.length) {
    const ch = c.text[c.i];
    if (ch === "(") depth++;
    advance(c, 1);
    if (ch === ")" && --depth === 0) break;
  }
  return c.text.slice(s, c.i);
}

/** `${...}` kept whole; it may nest (`${A:-${B}/x}`). */
function readParameter(c: Cursor): string {
  let depth = 0;
  let stop = c.i;
  for (; stop < c.text.length; stop++) {
    if (c.text[stop] === "{") depth++;
    else if (c.text[stop] === "}" && --depth === 0) break;
  }
  stop = Math.min(stop + 1, c.text.length);
  const out = c.text.slice(c.i, stop);
  advance(c, stop - c.i);
  return out;
}

/** One word from the cursor: quotes removed, `$(...)` and `${...}` kept, line continuations skipped. */
function readWord(c: Cursor): { word: string; quoted: boolean } {
  let word = "";
  let quoted = false;
  while (c.i < c.text.length) {
    const ch = c.text[c.i]!;
    const next = c.text[c.i + 1];
    if (ch === "\\" && next === "\n") advance(c, 2);
    else if (/[\s;|&()`]/.test(ch) || (ch === "<" && next === "<")) break;
    else if (ch === "'") {
      quoted = true;
      const end = c.text.indexOf("'", c.i + 1);
      const stop = end === -1 ? c.text.length : end;
      word += c.text.slice(c.i + 1, stop);
      advance(c, stop - c.i + 1);
    } else if (ch === '"') {
      quoted = true;
      word += readDoubleQuoted(c);
    } else if (ch === "$" && next === "(") word += readCommandSubstitution(c);
    else if (ch === "$" && next === "{") word += readParameter(c);
    else {
      word += ch;
      advance(c, 1);
    }
  }
  return { word, quoted };
}

/** A heredoc operator at the cursor (`<<TAG`, `<<-TAG`, `<<'TAG'`): its tag, consumed; else undefined. */
function readHeredocTag(c: Cursor): string | undefined {
  const m = /^<<-?\s*(['"]?)([A-Za-z_][A-Za-z0-9_]*)\1/.exec(c.text.slice(c.i, c.i + 200));
  advance(c, m ? m[0].length : 2);
  return m?.[2];
}

/**
 * Splits shell text into commands (arrays of words). `lineOffset` is added to every line number.
 * Heredoc bodies are returned apart and skipped as commands.
 */
export function splitShell(text: string, lineOffset = 0): { commands: Word[][]; heredocs: Heredoc[] } {
  const commands: Word[][] = [];
  const heredocs: Heredoc[] = [];
  const c: Cursor = { text, i: 0, line: 1, col: 1 };
  let cur: Word[] = [];
  const pendingHeredocs: { tag: string; command: string }[] = [];
  const flush = (): void => {
    if (cur.length) commands.push(cur);
    cur = [];
  };
  while (c.i < text.length) {
    const ch = text[c.i]!;
    if (ch === "\\" && text[c.i + 1] === "\n") advance(c, 2);
    else if (ch === "\n") {
      flush();
      advance(c, 1);
      // Heredoc bodies start on the next line.
      for (const h of pendingHeredocs.splice(0)) {
        const startLine = c.line;
        heredocs.push({ text: readHeredocBody(c, h.tag), startLine: startLine + lineOffset, command: h.command });
      }
    } else if (ch === " " || ch === "\t" || ch === "\r") advance(c, 1);
    else if (ch === "#") {
      while (c.i < text.length && text[c.i] !== "\n") advance(c, 1);
    } else if (";|&()`".includes(ch)) {
      flush();
      advance(c, 1);
    } else if (ch === "<" && text[c.i + 1] === "<") {
      // A heredoc; `<<` without a tag (or `<<<` here-string) is an operator, not part of a word.
      const tag = readHeredocTag(c);
      if (tag) pendingHeredocs.push({ tag, command: cur.map((w) => w.text).join(" ") });
    } else {
      const startLine = c.line;
      const startCol = c.col;
      const { word, quoted } = readWord(c);
      // Every pass of the outer loop consumes input: a word that read nothing still moves on (no endless loop).
      if (word === "" && !quoted && c.i < text.length && c.line === startLine && c.col === startCol) advance(c, 1);
      else cur.push({ text: word, line: startLine + lineOffset, column: startCol, quoted });
    }
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
      if (!replaced || all)
        for (let e = value.length; e > k; e--)
          if (re.test(value.slice(k, e))) {
            hit = e;
            break;
          }
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
  return text.replace(
    /\$\(\s*(basename|dirname)\s+("[^"$`]*"|'[^']*'|[^\s"'$`()]+)(?:\s+("[^"$`]*"|'[^']*'|[^\s"'$`()]+))?\s*\)/g,
    (m, cmd: string, a: string, b: string | undefined) => {
      const arg = unquote(a);
      if (cmd === "dirname") return b === undefined ? posixDirname(arg) : m;
      const base = posixBasename(arg);
      const suffix = b === undefined ? "" : unquote(b);
      return suffix && base !== suffix && base.endsWith(suffix) ? base.slice(0, -suffix.length) : base;
    },
  );
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

const LLAMA_CPP =
  /^(?:.*\/)?(?:llama-(?:server|cli|run|simple|mtmd-cli|embedding|bench)|llama-cpp-server|main|server)$/;

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

function ref(
  ctx: CommandContext,
  w: Word,
  value: string,
  extra: {
    role?: ComponentRole;
    relation?: Relation;
    kind?: ReferenceKind;
    revision?: string;
    facts?: Record<string, string | number | boolean>;
  },
): ModelReference {
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

/** The program of a command and its arguments: leading `VAR=value`, `sudo`, `exec`, `env`, `nohup`, `time` skipped. */
function programOf(words: readonly Word[]): { argv: readonly Word[]; bare: boolean; prog: string } {
  let k = 0;
  while (
    k < words.length &&
    (/^[A-Za-z_][A-Za-z0-9_]*=/.test(words[k]!.text) ||
      /^(?:sudo|exec|env|nohup|time|command|CUDA_VISIBLE_DEVICES=.*)$/.test(words[k]!.text))
  )
    k++;
  const argv = words.slice(k);
  // A bare argument list (Compose `command:` for an image's entrypoint, exec-form CMD) starts with a flag.
  const bare = argv[0]?.text.startsWith("-") ?? false;
  return { argv, bare, prog: bare || !argv[0] ? "" : argv[0].text.replace(/^.*\//, "") };
}

type Common = { revision?: string; facts: Record<string, string | number | boolean> };

/** What the whole command says about the load: remote code, revision, served name, GGUF file. */
function commandFacts(argv: readonly Word[], bare: boolean, prog: string): Common {
  const facts: Record<string, string | number | boolean> = { program: prog };
  let revision: string | undefined;
  for (let j = bare ? 0 : 1; j < argv.length; j++) {
    const t = argv[j]!.text;
    const [flag, inline] =
      t.startsWith("--") && t.includes("=")
        ? [t.slice(0, t.indexOf("=")), t.slice(t.indexOf("=") + 1)]
        : [t, undefined];
    const next = inline ?? argv[j + 1]?.text;
    if (
      (flag === "--trust-remote-code" || flag === "--trust_remote_code") &&
      (inline === undefined || /^(?:true|1)$/i.test(inline))
    )
      facts.trustRemoteCode = true;
    if ((flag === "--revision" || flag === "--code-revision") && next !== undefined) revision = next;
    if (flag === "--served-model-name" && next !== undefined) facts.servedModelName = next;
    if ((flag === "--hf-file" || flag === "-hff") && next !== undefined) facts.filename = next;
  }
  return { ...(revision ? { revision } : {}), facts };
}

/** Programs that download a URL (`wget URL`, `curl -L -o f URL`, `aria2c URL`). */
const DOWNLOADERS: ReadonlySet<string> = new Set(["wget", "curl", "aria2c", "axel"]);

/**
 * Rule "weight URL download" (`src/extract/code/weight-url.ts`): each weight URL a downloader fetches, with the file or
 * folder it lands in (`-O` / `-o` / `-P` / `--output` / `--directory-prefix` / `-d`) as a fact.
 */
function downloadedUrls(ctx: CommandContext, argv: readonly Word[], prog: string): ModelReference[] {
  const out: ModelReference[] = [];
  let dest: string | undefined;
  for (let j = 1; j < argv.length; j++) {
    const t = argv[j]!.text;
    if (/^(?:-O|-o|-P|-d|--output|--output-document|--directory-prefix|--dir)$/.test(t) && argv[j + 1])
      dest = argv[j + 1]!.text;
    else if (/^--(?:output|output-document|directory-prefix|dir)=/.test(t)) dest = t.slice(t.indexOf("=") + 1);
  }
  for (const w of argv.slice(1)) {
    const found = weightUrl(substitute(w.text, ctx.vars));
    if (found)
      out.push(
        ref(ctx, w, found.url, {
          facts: { program: prog, weightUrl: true, file: found.file, ...(dest ? { downloadTo: dest } : {}) },
        }),
      );
  }
  return out;
}

/** Positional forms: `vllm serve <model>`, `ollama pull <tag>`, `huggingface-cli download <repo> [files]`. */
function positionalReferences(
  ctx: CommandContext,
  argv: readonly Word[],
  prog: string,
  common: Common,
): ModelReference[] {
  if (DOWNLOADERS.has(prog)) return downloadedUrls(ctx, argv, prog);
  const sub = argv[1]?.text;
  const third = argv[2] && !argv[2].text.startsWith("-") ? argv[2] : undefined;
  if ((prog === "vllm" || prog === "sglang") && sub === "serve" && third) return [ref(ctx, third, third.text, common)];
  if (
    prog === "ollama" &&
    (sub === "pull" || sub === "run" || sub === "show" || sub === "cp" || sub === "push") &&
    third
  )
    return [ref(ctx, third, third.text, { kind: "ollama-tag", facts: { program: `ollama ${sub}` } })];
  // `ollama create <name> -f Modelfile`: the name is the product's own tag; the Modelfile says what it is built from.
  if ((prog !== "huggingface-cli" && prog !== "hf") || sub !== "download" || !third) return [];
  const repoType = argv.findIndex((w) => w.text === "--repo-type" || w.text.startsWith("--repo-type="));
  const type =
    repoType >= 0
      ? argv[repoType]!.text.includes("=")
        ? argv[repoType]!.text.split("=")[1]
        : argv[repoType + 1]?.text
      : "model";
  if (type !== "model") return [];
  const wf = argv
    .slice(3)
    .filter((w) => !w.text.startsWith("-"))
    .map((w) => w.text)
    .find((f) => weightFormatOf(f) !== undefined);
  const load = ref(ctx, third, third.text, {
    ...common,
    facts: { ...common.facts, ...(wf ? { filename: wf, weightFormat: weightFormatOf(wf)! } : {}) },
  });
  // `--local-dir D`: the repository (or the files named) lands in D; a whole repository is a tree under D.
  const at = argv.findIndex((w) => w.text === "--local-dir" || w.text.startsWith("--local-dir="));
  const dirWord = at >= 0 ? (argv[at]!.text.includes("=") ? argv[at] : argv[at + 1]) : undefined;
  const dir = dirWord ? substitute(dirWord.text.replace(/^--local-dir=/, ""), ctx.vars) : undefined;
  if (!dirWord || !dir || dir.includes("$")) return [load];
  let files = false;
  for (let j = 3; j < argv.length; j++) {
    const t = argv[j]!.text;
    if (t.startsWith("-")) j += t.includes("=") ? 0 : 1;
    else files = true;
  }
  const write = folderReference(
    dir,
    { file: ctx.file, line: dirWord.line, column: dirWord.column },
    ctx.baseDir,
    "write",
    { writer: `${prog} download`, derivedFrom: third.text, ...(files ? {} : { downloadsTree: true }) },
    ctx.extractor,
  );
  return [load, write];
}

/**
 * Flags named by a model word (`--vision_path`, `--llm_path`, `--audio_model`, `--text_encoder_name_or_path`,
 * `--image_tower`, `--base_model_id`): a model when the value is a model id or a path to a model (issue 17). Names of
 * data, outputs, logs and media files are not.
 */
const MODEL_WORD_FLAG =
  /^--?[A-Za-z][\w-]*?[_-](?:path|model|model[_-]?(?:name|path)|name[_-]or[_-]path|tower|id|ckpt|checkpoint)$/i;
const NOT_MODEL_FLAG =
  /(?:^|[_-])(?:data|dataset|train|eval|test|valid|output|out|save|log|logging|cache|config|cfg|yaml|json|csv|txt|image|img|video|audio|wav|result|pred|prompt|template|feature|feat|manifest|run|job|deepspeed|report|wandb|seed|device|gpu|port|host)(?:[_-]|$)/i;

/** Settings about a part that are not the part (`--freeze_audio_encoder`, `--vision_tower_lr`, `--mm_projector_type`). */
const NOT_PART_FLAG =
  /(?:^|[_-])(?:data|dataset|output|out|save|log|cache|config|cfg|freeze|tune|train|lr|type|dim|size|num|layers?|select|feature)(?:[_-]|$)/i;

/** The flag spec of a flag: the table's, `-m` of llama.cpp, or a model-word flag whose value looks like a model. */
function flagSpec(
  flag: string,
  prog: string,
  value: string | undefined,
): { role?: ComponentRole; relation?: Relation; kind?: ReferenceKind; modelWord?: true } | undefined {
  const spec = MODEL_FLAGS[flag];
  if (spec) return spec;
  if (flag === "-m" && LLAMA_CPP.test(prog)) return {};
  // A flag named as a model part in the role-key table (`--audio_encoder`, `--speech_encoder`, `--vocoder_path`):
  // like `--vision_tower`, its value is that part, whatever its shape (a local folder name included).
  const part =
    flag.startsWith("--") && value && !value.startsWith("-") && !/^(?:true|false|none|null|\d+(?:\.\d+)?)$/i.test(value)
      ? roleOfKey(flag.slice(2))
      : undefined;
  if (part && part !== "model" && part !== "processor" && !NOT_PART_FLAG.test(flag.slice(2)))
    return { role: part, modelWord: true };
  // Path-like names (`_path`, `_id`, `_ckpt`) of data, outputs and media are not models; `_model` / `_tower` names are.
  const pathLike = /[_-](?:path|id|ckpt|checkpoint)$/i.test(flag);
  if (!value || !MODEL_WORD_FLAG.test(flag) || (pathLike && NOT_MODEL_FLAG.test(flag.replace(/^-+/, ""))))
    return undefined;
  // A model id or a path to a model: Hub-id shaped, a weight file, or a folder (no other file extension).
  const fileExt = /\.([A-Za-z0-9]{1,8})$/.exec(trimEndChars(value, "/"))?.[1];
  const looksModel = isModelShaped(value) && (!fileExt || weightFormatOf(value) !== undefined || /^\d/.test(fileExt));
  return looksModel ? { modelWord: true } : undefined;
}

/** `--output_dir <dir>`: a write of the folder (kept by the caller only when the command names a model). */
function outputFolder(
  ctx: CommandContext,
  w: Word,
  next: Word | undefined,
  eq: number,
  prog: string,
  flag: string,
): { ref?: ModelReference; consumed: boolean } {
  const out =
    eq > 0
      ? { word: { ...w, column: w.column + eq + 1 }, value: w.text.slice(eq + 1) }
      : next && !next.text.startsWith("-")
        ? { word: next, value: next.text }
        : undefined;
  if (!out || out.value === "") return { consumed: !!out && eq < 0 };
  const resolved = substitute(out.value, ctx.vars);
  const location = {
    file: ctx.file,
    line: out.word.line,
    column: out.word.column,
    ...(ctx.pointer ? { pointer: ctx.pointer } : {}),
  };
  return {
    ref: folderReference(
      resolved,
      location,
      ctx.baseDir,
      "write",
      { program: prog, flag, ...(resolved !== out.value ? { expression: out.value } : {}) },
      ctx.extractor,
    ),
    consumed: eq < 0,
  };
}

/** `--lora-modules name=path ...` (vLLM): each adapter. */
function loraModules(ctx: CommandContext, argv: readonly Word[], j: number, prog: string): ModelReference[] {
  const out: ModelReference[] = [];
  for (let q = j + 1; q < argv.length && !argv[q]!.text.startsWith("-"); q++) {
    const m = /^([^=]+)=(.+)$/.exec(argv[q]!.text);
    if (m)
      out.push(
        ref(ctx, argv[q]!, m[2]!, { role: "adapter", relation: "adapter", facts: { program: prog, loraName: m[1]! } }),
      );
  }
  return out;
}

/** The flags of a command that name a model, an adapter or an output folder. */
function flagReferences(
  ctx: CommandContext,
  argv: readonly Word[],
  bare: boolean,
  prog: string,
  common: Common,
): ModelReference[] {
  const refs: ModelReference[] = [];
  for (let j = bare ? 0 : 1; j < argv.length; j++) {
    const w = argv[j]!;
    const t = w.text;
    const eq = t.startsWith("--") ? t.indexOf("=") : -1;
    const flag = eq > 0 ? t.slice(0, eq) : t;
    const valueWord = eq > 0 ? { ...w, column: w.column + eq + 1 } : argv[j + 1];
    const value = eq > 0 ? t.slice(eq + 1) : argv[j + 1]?.text;
    if (OUTPUT_FLAGS.has(flag)) {
      const o = outputFolder(ctx, w, argv[j + 1], eq, prog, flag);
      if (o.ref) refs.push(o.ref);
      if (o.consumed) j++;
      continue;
    }
    if (flag === "--lora-modules") refs.push(...loraModules(ctx, argv, j, prog));
    const usable = valueWord && value !== undefined && !(eq < 0 && value.startsWith("-"));
    const spec = flagSpec(flag, prog, usable ? substitute(value, ctx.vars) : undefined);
    if (!spec || !usable) continue;
    const extra: {
      role?: ComponentRole;
      relation?: Relation;
      revision?: string;
      facts: Record<string, string | number | boolean>;
    } = { ...(spec.role ? { role: spec.role } : {}), ...(spec.relation ? { relation: spec.relation } : {}), ...common };
    if (LLAMA_CPP.test(prog) && (flag === "-hf" || flag === "--hf-repo" || flag === "-hfr"))
      extra.facts = { ...extra.facts, weightFormat: "gguf" };
    if (spec.modelWord) extra.facts = { ...extra.facts, cliFlag: flag.replace(/^-+/, "") };
    refs.push(ref(ctx, valueWord, value, extra));
    if (eq < 0) j++;
  }
  return refs;
}

/**
 * Finds the model references of one command (its words after splitting): positional forms, then flags. An output
 * folder is kept only when the same command names a model.
 */
export function analyseCommand(words: readonly Word[], ctx: CommandContext): ModelReference[] {
  const { argv, bare, prog } = programOf(words);
  if (argv.length === 0) return [];
  const common = commandFacts(argv, bare, prog);
  const refs = [...positionalReferences(ctx, argv, prog, common), ...flagReferences(ctx, argv, bare, prog, common)];
  return refs.some((r) => r.usage === undefined) ? refs : refs.filter((r) => r.usage !== "write");
}

/** A path written with a `<placeholder>` segment: a value the user is told to fill in. */
const PLACEHOLDER = /<[^<>\s/]+>/;

/**
 * A reference to a folder (an output folder, a root that holds models): always a local path, whatever its shape
 * (`ckpt/run1` is not a Hub id here); a `<placeholder>` segment makes it `missing-value`.
 */
export function folderReference(
  value: string,
  location: SourceLocation,
  baseDir: string,
  usage: "write" | "name",
  facts: Record<string, string | number | boolean>,
  extractor = "serving",
): ModelReference {
  const ref = codeReference({ extractor, location, value, usage, facts, baseDir });
  const placeholder = PLACEHOLDER.test(value);
  if ((ref.kind === "local-path" && !placeholder) || value.includes("$")) return ref;
  const norm = value.replace(/\\/g, "/");
  const target =
    posix.isAbsolute(norm) || placeholder ? norm : posix.normalize(posix.join(baseDir, norm)).replace(/\/$/, "");
  const skipReason = placeholder
    ? "missing-value"
    : target.startsWith("../") || posix.isAbsolute(target)
      ? "local-path-outside-root"
      : "local-path";
  return {
    ...ref,
    kind: "local-path",
    target,
    skipReason,
    facts: { ...(ref.facts ?? {}), ...(placeholder ? { placeholder: true } : {}) },
  };
}
