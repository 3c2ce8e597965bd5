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
import type { ModelReference, ReferenceKind, ComponentRole, Relation } from "../../../model/types.js";
import { codeReference } from "../../code/model-ref.js";

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
            if (text[i + 1] !== "\n") word += text[i + 1];
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

/** Substitutes `$VAR` / `${VAR}` / `${VAR:-d}` from `vars` when every variable in `text` is known. */
export function substitute(text: string, vars: ReadonlyMap<string, string>): string {
  return text.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)(?::?-([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g, (m, a: string | undefined, d: string | undefined, b: string | undefined) => {
    const name = a ?? b!;
    const v = vars.get(name);
    if (v !== undefined) return v;
    return m;
  });
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
      const wf = files.find((f) => /\.(?:gguf|safetensors|bin|pt|pth|ckpt)$/i.test(f));
      refs.push(ref(ctx, argv[2], argv[2].text, { ...common, facts: { ...common.facts, ...(wf ? { filename: wf, weightFormat: /\.gguf$/i.test(wf) ? "gguf" : /\.safetensors$/i.test(wf) ? "safetensors" : "pickle" } : {}) } }));
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
  return refs;
}
