/**
 * Serving and deployment files: Dockerfiles (`RUN`, `CMD`, `ENTRYPOINT`, `ENV`, `ARG`; https://docs.docker.com/reference/dockerfile/),
 * shell scripts (including Python heredocs, handed to the Python extractor), Docker Compose files (`command`,
 * `entrypoint`, `environment`; https://docs.docker.com/reference/compose-file/services/) and Kubernetes manifests /
 * Helm-rendered YAML (`containers[].command|args|env`). Model flags of vLLM, TGI, SGLang, llama.cpp, Ollama and the
 * Hugging Face CLI are read by `command-line.ts`; environment variables with model names (`MODEL_ID`, `*_MODEL`)
 * holding model-shaped values are references too, and every variable is handed to the linking pass so `${VAR}`
 * elsewhere resolves. Shell and Dockerfile variables assigned in the same file are substituted first.
 */
import { posix } from "node:path";
import type { Diagnostic, ModelReference } from "../../../model/types.js";
import { codeReference, isModelShaped, MODEL_NAME, NOT_MODEL_NAME } from "../../code/model-ref.js";
import { parseYamlDocument, toPointer, type ParsedDocument } from "../../document.js";
import type { Extractor, ExtractOutput, VariableDefinition } from "../../types.js";
import { extractPythonSource } from "../python-code/index.js";
import { analyseCommand, applyDefaults, splitShell, substitute, type Word } from "./command-line.js";
import { dirOf } from "../../helpers.js";

const ID = "serving";


function isDockerfile(base: string): boolean {
  return /^(?:Dockerfile|Containerfile)(?:[._-].*)?$/i.test(base) || /\.(?:dockerfile|containerfile)$/i.test(base);
}

function isCompose(base: string): boolean {
  return /^(?:docker-)?compose(?:[._-][\w.-]+)?\.ya?ml$/i.test(base);
}

function isShell(base: string): boolean {
  return /\.(?:sh|bash|zsh)$/.test(base);
}

function isDeployYaml(path: string, base: string): boolean {
  return /\.ya?ml$/i.test(base) && /(?:^|\/)(?:k8s|kube|kubernetes|manifests?|deploy(?:ment)?s?|helm|charts?|templates|overlays|base|kustomize)\//i.test(path);
}

/** Shell variables that hold a model folder or checkpoint path (`MODEL_DIR`, `VOCODER_CKPT`, `LLM_VERSION`). */
const MODEL_PATH_VAR = /MODEL_?(?:DIR|PATH|ROOT)|(?:^|_)(?:CKPT|CHECKPOINT)(?:_|$)|VOCODER|_VERSION$/i;

/** A model-named variable holding a model-shaped value is a reference of its own. */
function variableReference(name: string, value: string, file: string, line: number, column: number, pointer?: string): ModelReference | undefined {
  if (/TOKEN|SECRET|PASSWORD|KEY$/i.test(name)) return undefined;
  if (MODEL_PATH_VAR.test(name) && !/CACHE/i.test(name) && isModelShaped(value) && !value.includes("$")) {
    return codeReference({ extractor: ID, location: { file, line, column, ...(pointer ? { pointer } : {}) }, value, facts: { variable: name }, baseDir: dirOf(file) });
  }
  if (!MODEL_NAME.test(name) || NOT_MODEL_NAME.test(name)) return undefined;
  if (!isModelShaped(value) || value.includes("$")) return undefined;
  return codeReference({ extractor: ID, location: { file, line, column, ...(pointer ? { pointer } : {}) }, value, facts: { variable: name }, baseDir: dirOf(file) });
}

async function shellOutput(text: string, file: string, lineOffset = 0, inherited: Map<string, string> = new Map(), pointer?: string): Promise<ExtractOutput> {
  const { commands, heredocs } = splitShell(text, lineOffset);
  const vars = new Map(inherited);
  const counts = new Map<string, number>();
  const references: ModelReference[] = [];
  const variables: VariableDefinition[] = [];
  // Variables assigned once keep their value; assigned twice they are dynamic.
  for (const cmd of commands) {
    for (const w of cmd) {
      const m = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s.exec(w.text);
      if (!m || cmd.indexOf(w) > 0 && !/^(?:export|local|declare|readonly)$/.test(cmd[0]!.text) && !/^[A-Za-z_][A-Za-z0-9_]*=/.test(cmd[0]!.text)) continue;
      counts.set(m[1]!, (counts.get(m[1]!) ?? 0) + 1);
    }
  }
  for (const cmd of commands) {
    const assigns = cmd[0] && /^(?:export|local|declare|readonly)$/.test(cmd[0].text) ? cmd.slice(1) : cmd.every((w) => /^[A-Za-z_][A-Za-z0-9_]*=/.test(w.text)) ? cmd : [];
    for (const w of assigns) {
      const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s.exec(w.text);
      if (!m) continue;
      const [, name, raw] = m as unknown as [string, string, string];
      // `$(cd "$(dirname "$0")/.." && pwd)`: a folder relative to the script, known without running it.
      const scriptDir = /^\$\(cd\s+"?\$\(dirname\s+"?\$(?:0|\{BASH_SOURCE\[0\]\}|BASH_SOURCE)"?\)((?:\/\.\.?)*)\/?"?\s*&&\s*pwd\)$/.exec(raw);
      if (scriptDir && (counts.get(name) ?? 0) === 1) {
        // Kept relative to the script's own folder, as every path in this file is resolved.
        vars.set(name, `.${scriptDir[1] ?? ""}`);
        continue;
      }
      // `${X:-default}` for an X this file does not set: the default, with this file's variables substituted.
      const value = substitute(applyDefaults(raw, vars), vars);
      const valueCol = w.column + name.length + 1;
      if ((counts.get(name) ?? 0) === 1 && !/\$\(/.test(value)) vars.set(name, value);
      const r = variableReference(name, vars.get(name) ?? value, file, w.line, valueCol, pointer);
      if (r) references.push(r);
      else if ((MODEL_PATH_VAR.test(name) || (MODEL_NAME.test(name) && !NOT_MODEL_NAME.test(name))) && !/CACHE|TOKEN|KEY/i.test(name) && /\$/.test(value) && /[\w.-]+\/[\w.-]+$/.test(value)) {
        // A path under a root only known at run time (`${THIRD_PARTY_ROOT}/org/name`): kept, with its tail.
        references.push({ ...codeReference({ extractor: ID, location: { file, line: w.line, column: valueCol }, expression: raw, facts: { variable: name, pathTail: value.replace(/^.*\$\{?[A-Za-z_][A-Za-z0-9_]*\}?\/?/, "") } }) });
      }
      else if (MODEL_NAME.test(name) && !NOT_MODEL_NAME.test(name) && /\$\{[A-Za-z_][A-Za-z0-9_]*:-([^}]+)\}/.test(raw)) {
        const d = /\$\{[A-Za-z_][A-Za-z0-9_]*:-([^}]+)\}/.exec(raw)![1]!;
        if (isModelShaped(d) && !d.includes("$")) references.push(codeReference({ extractor: ID, location: { file, line: w.line, column: valueCol }, value: raw.trim(), facts: { variable: name }, baseDir: dirOf(file) }));
      }
    }
    if (assigns.length === cmd.length) continue;
    references.push(...analyseCommand(cmd, { extractor: ID, file, baseDir: dirOf(file), vars, ...(pointer ? { pointer } : {}) }));
  }
  for (const h of heredocs) {
    if (/\bpython[0-9.]*\b/.test(h.command)) {
      const refs = await extractPythonSource(h.text, { file, lineOffset: h.startLine - 1, extractor: ID });
      references.push(...refs.map((r) => ({ ...r, facts: { ...(r.facts ?? {}), embeddedPython: true } })));
    }
  }
  return { references, variables };
}

/** Splits a Dockerfile into instructions (continuations joined), each with its first line. */
function dockerInstructions(text: string): { keyword: string; args: string; line: number; argsColumn: number }[] {
  const out: { keyword: string; args: string; line: number; argsColumn: number }[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    const m = /^(\s*)([A-Za-z]+)(\s+)(.*)$/.exec(l);
    if (!m || l.trim().startsWith("#")) continue;
    let args = m[4]!;
    const start = i;
    // Keep the newlines so the shell splitter reports true line numbers.
    while (/\\\s*$/.test(lines[i]!) && i + 1 < lines.length) {
      i++;
      args += "\n" + lines[i]!;
    }
    out.push({ keyword: m[2]!.toUpperCase(), args, line: start + 1, argsColumn: m[1]!.length + m[2]!.length + m[3]!.length + 1 });
  }
  return out;
}

async function dockerfileOutput(text: string, file: string): Promise<ExtractOutput> {
  const references: ModelReference[] = [];
  const variables: VariableDefinition[] = [];
  const vars = new Map<string, string>();
  for (const ins of dockerInstructions(text)) {
    if (ins.keyword === "ENV" || ins.keyword === "ARG") {
      const pairs: { name: string; value: string; column: number }[] = [];
      const legacy = /^([A-Za-z_][A-Za-z0-9_]*)\s+([^=].*)$/.exec(ins.args);
      if (ins.keyword === "ENV" && legacy && !ins.args.includes("=")) pairs.push({ name: legacy[1]!, value: legacy[2]!.trim(), column: ins.argsColumn + legacy[1]!.length + 1 });
      else for (const w of splitShell(ins.args).commands.flat()) {
        const m = /^([A-Za-z_][A-Za-z0-9_]*)(?:=(.*))?$/s.exec(w.text);
        if (m && m[2] !== undefined) pairs.push({ name: m[1]!, value: m[2], column: w.line === 1 ? ins.argsColumn + w.column - 1 + m[1]!.length + 1 : w.column });
      }
      for (const p of pairs) {
        const value = substitute(p.value, vars);
        vars.set(p.name, value);
        if (!value.includes("$")) variables.push({ name: p.name, value, location: { file, line: ins.line, column: p.column }, scope: dirOf(file) });
        const r = variableReference(p.name, value, file, ins.line, p.column);
        if (r) references.push(r);
      }
      continue;
    }
    if (ins.keyword === "RUN" || ins.keyword === "CMD" || ins.keyword === "ENTRYPOINT") {
      const trimmed = ins.args.trim();
      if (trimmed.startsWith("[")) {
        try {
          const arr = JSON.parse(trimmed.replace(/\\\n/g, "")) as unknown;
          if (Array.isArray(arr) && arr.every((x) => typeof x === "string")) {
            const words: Word[] = (arr as string[]).map((t) => ({ text: t, line: ins.line, column: ins.argsColumn, quoted: true }));
            // `["sh", "-c", "<script>"]`: the script is shell.
            if (words.length >= 3 && /(?:^|\/)(?:ba)?sh$/.test(words[0]!.text) && words[1]!.text === "-c") {
              const o = await shellOutput(words[2]!.text, file, ins.line - 1, vars);
              references.push(...(o.references ?? []));
            } else references.push(...analyseCommand(words, { extractor: ID, file, baseDir: dirOf(file), vars }));
            continue;
          }
        } catch {
          // not an exec-form array: shell form below
        }
      }
      const o = await shellOutput(ins.args.replace(/^[ \t]+/, ""), file, ins.line - 1, vars);
      references.push(...(o.references ?? []).map((r) => (r.location.line === ins.line ? { ...r, location: { ...r.location, column: (r.location.column ?? 1) + ins.argsColumn - 1 } } : r)));
    }
  }
  return { references, variables };
}

/** Walks YAML data for `command` / `args` / `entrypoint` and `environment` / `env` blocks (Compose, Kubernetes). */
async function yamlOutput(doc: ParsedDocument, file: string, compose: boolean): Promise<ExtractOutput> {
  const references: ModelReference[] = [];
  const variables: VariableDefinition[] = [];
  const env = new Map<string, string>();
  const visit = async (node: unknown, path: (string | number)[]): Promise<void> => {
    if (Array.isArray(node)) {
      for (let i = 0; i < node.length; i++) await visit(node[i], [...path, i]);
      return;
    }
    if (!node || typeof node !== "object") return;
    const obj = node as Record<string, unknown>;
    for (const key of ["environment", "env"]) {
      const block = obj[key];
      const entries: { name: string; value: string; pointer: string }[] = [];
      if (Array.isArray(block)) {
        block.forEach((e, i) => {
          if (typeof e === "string" && e.includes("=")) entries.push({ name: e.slice(0, e.indexOf("=")), value: e.slice(e.indexOf("=") + 1), pointer: toPointer([...path, key, i]) });
          else if (e && typeof e === "object" && typeof (e as { name?: unknown }).name === "string" && (e as { value?: unknown }).value !== undefined) entries.push({ name: (e as { name: string }).name, value: String((e as { value: unknown }).value), pointer: toPointer([...path, key, i, "value"]) });
        });
      } else if (block && typeof block === "object") {
        for (const [k, v] of Object.entries(block as Record<string, unknown>)) if (v !== null && typeof v !== "object") entries.push({ name: k, value: String(v), pointer: toPointer([...path, key, k]) });
      }
      for (const e of entries) {
        const at = doc.locate(e.pointer) ?? { line: 1, column: 1 };
        env.set(e.name, e.value);
        // `X: ${X}` passes a value through: it defines nothing and must not shadow the .env definition.
        if (!e.value.includes("$")) variables.push({ name: e.name, value: e.value, location: { file, line: at.line, column: at.column, pointer: e.pointer }, scope: dirOf(file) });
        const r = variableReference(e.name, e.value, file, at.line, at.column, e.pointer);
        if (r) references.push(r);
        else if (MODEL_NAME.test(e.name) && !NOT_MODEL_NAME.test(e.name) && /\$\{/.test(e.value)) {
          references.push(codeReference({ extractor: ID, location: { file, line: at.line, column: at.column, pointer: e.pointer }, value: e.value.trim(), facts: { variable: e.name }, baseDir: dirOf(file) }));
        }
      }
    }
    const cmdParts: { words: string[] | string; pointer: string }[] = [];
    for (const key of ["command", "args", "entrypoint"]) {
      const v = obj[key];
      if (typeof v === "string") cmdParts.push({ words: v, pointer: toPointer([...path, key]) });
      else if (Array.isArray(v) && v.every((x) => typeof x === "string" || typeof x === "number")) cmdParts.push({ words: v.map(String), pointer: toPointer([...path, key]) });
    }
    if (cmdParts.length) {
      // Kubernetes: command + args form one argv; Compose: entrypoint + command.
      const ordered = compose ? [...cmdParts.filter((c) => c.pointer.endsWith("/entrypoint")), ...cmdParts.filter((c) => !c.pointer.endsWith("/entrypoint"))] : cmdParts;
      const words: Word[] = [];
      for (const part of ordered) {
        const at = doc.locate(part.pointer) ?? { line: 1, column: 1 };
        if (typeof part.words === "string") {
          const split = splitShell(part.words, at.line - 1);
          if (split.commands.length > 1 || /\b(?:sh|bash)\s+-c\b/.test(part.words)) {
            for (const c of split.commands) references.push(...analyseCommand(c, { extractor: ID, file, baseDir: dirOf(file), vars: env, pointer: part.pointer }));
            continue;
          }
          words.push(...(split.commands[0] ?? []).map((w) => ({ ...w, line: at.line })));
        } else {
          part.words.forEach((t, i) => {
            const loc = doc.locate(`${part.pointer}/${i}`) ?? at;
            words.push({ text: t, line: loc.line, column: loc.column, quoted: true });
          });
        }
      }
      // `sh -c "<script>"` inside a list
      if (words.length >= 3 && /(?:^|\/)(?:ba)?sh$/.test(words[0]!.text) && words[1]!.text === "-c") {
        const o = await shellOutput(words[2]!.text, file, words[2]!.line - 1, env);
        references.push(...(o.references ?? []));
      } else if (words.length) references.push(...analyseCommand(words, { extractor: ID, file, baseDir: dirOf(file), vars: env, pointer: cmdParts[0]!.pointer }));
    }
    for (const [k, v] of Object.entries(obj)) if (v && typeof v === "object") await visit(v, [...path, k]);
  };
  await visit(doc.data, []);
  return { references, variables };
}

/** Splits multi-document YAML (`---`), keeping each document's line offset. */
function yamlDocuments(text: string): { text: string; lineOffset: number }[] {
  const lines = text.split("\n");
  const docs: { text: string; lineOffset: number }[] = [];
  let start = 0;
  for (let i = 0; i <= lines.length; i++) {
    if (i === lines.length || /^---\s*$/.test(lines[i]!)) {
      docs.push({ text: lines.slice(start, i).join("\n"), lineOffset: start });
      start = i + 1;
    }
  }
  return docs.filter((d) => d.text.trim() !== "");
}

export const servingExtractor: Extractor = {
  id: ID,
  description: "Dockerfiles, shell scripts, Compose files and Kubernetes manifests: vLLM/TGI/SGLang/llama.cpp/Ollama/HF CLI model flags and env",
  matches(path, base) {
    return isDockerfile(base) || isCompose(base) || isShell(base) || isDeployYaml(path, base);
  },
  async extract(file, ctx): Promise<ExtractOutput> {
    const base = posix.basename(file.path);
    const text = await file.text(ctx.maxTextBytes);
    if (isDockerfile(base)) return dockerfileOutput(text, file.path);
    if (isShell(base)) return shellOutput(text, file.path);
    if (!/(?:command|args|entrypoint|env|environment)\s*:/.test(text)) return {};
    const references: ModelReference[] = [];
    const variables: VariableDefinition[] = [];
    const diagnostics: Diagnostic[] = [];
    for (const d of yamlDocuments(text)) {
      // Helm templates hold Go template actions: not YAML until rendered.
      if (/\{\{/.test(d.text) && /(?:^|\/)templates\//.test(file.path)) continue;
      try {
        const o = await yamlOutput(parseYamlDocument(d.text, d.lineOffset), file.path, isCompose(base));
        references.push(...(o.references ?? []));
        variables.push(...(o.variables ?? []));
      } catch (err) {
        diagnostics.push({ code: "parse-error", severity: "warning", message: (err as Error).message, location: { file: file.path, ...((err as { line?: number }).line ? { line: (err as { line: number }).line } : {}) } });
      }
    }
    return { references, variables, diagnostics };
  },
};
