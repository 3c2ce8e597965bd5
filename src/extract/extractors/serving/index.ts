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
import { codeReference, MODEL_NAME, NOT_MODEL_NAME } from "../../code/model-ref.js";
import { parseYamlDocument, toPointer, type ParsedDocument } from "../../document.js";
import type { Extractor, ExtractOutput, VariableDefinition } from "../../types.js";
import { analyseCommand, splitShell, substitute, type Word } from "./command-line.js";
import { shellOutput, variableReference } from "./shell-script.js";
import { dirOf } from "../../helpers.js";
import { helmToYaml, isHelmTemplate } from "../../helm.js";

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

/** Kubernetes / Helm YAML: under a deployment folder, or named for a workload (`deploy.yaml`, `vllm-statefulset.yml`). */
function isDeployYaml(path: string, base: string): boolean {
  if (!/\.ya?ml$/i.test(base)) return false;
  return (
    /(?:^|\/)(?:k8s|kube|kubernetes|manifests?|deploy(?:ment)?s?|helm|charts?|templates|overlays|base|kustomize)\//i.test(
      path,
    ) ||
    /(?:^|[._-])(?:deploy(?:ment)?|statefulset|daemonset|pod|job|cronjob|k8s|kube|manifest)(?:[._-]|s?\.ya?ml$)/i.test(
      base,
    )
  );
}

/** Splits a Dockerfile into instructions (continuations joined), each with its first line. */
function dockerInstructions(text: string): { keyword: string; args: string; line: number; argsColumn: number }[] {
  const out: { keyword: string; args: string; line: number; argsColumn: number }[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    const m = /^(\s*)([A-Za-z]+)(\s+)(\S.*)?$/.exec(l);
    if (!m || l.trim().startsWith("#")) continue;
    let args = m[4] ?? "";
    const start = i;
    // Keep the newlines so the shell splitter reports true line numbers.
    while (/\\\s*$/.test(lines[i]!) && i + 1 < lines.length) {
      i++;
      args += "\n" + lines[i]!;
    }
    out.push({
      keyword: m[2]!.toUpperCase(),
      args,
      line: start + 1,
      argsColumn: m[1]!.length + m[2]!.length + m[3]!.length + 1,
    });
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
      const legacy = /^([A-Za-z_][A-Za-z0-9_]*)\s+([^=\s].*)$/.exec(ins.args);
      if (ins.keyword === "ENV" && legacy && !ins.args.includes("="))
        pairs.push({ name: legacy[1]!, value: legacy[2]!.trim(), column: ins.argsColumn + legacy[1]!.length + 1 });
      else
        for (const w of splitShell(ins.args).commands.flat()) {
          const m = /^([A-Za-z_][A-Za-z0-9_]*)(?:=(.*))?$/s.exec(w.text);
          if (m && m[2] !== undefined)
            pairs.push({
              name: m[1]!,
              value: m[2],
              column: w.line === 1 ? ins.argsColumn + w.column - 1 + m[1]!.length + 1 : w.column,
            });
        }
      for (const p of pairs) {
        const value = substitute(p.value, vars);
        vars.set(p.name, value);
        if (!value.includes("$"))
          variables.push({
            name: p.name,
            value,
            location: { file, line: ins.line, column: p.column },
            scope: dirOf(file),
          });
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
            const words: Word[] = (arr as string[]).map((t) => ({
              text: t,
              line: ins.line,
              column: ins.argsColumn,
              quoted: true,
            }));
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
      references.push(
        ...(o.references ?? []).map((r) =>
          r.location.line === ins.line
            ? { ...r, location: { ...r.location, column: (r.location.column ?? 1) + ins.argsColumn - 1 } }
            : r,
        ),
      );
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
          if (typeof e === "string" && e.includes("="))
            entries.push({
              name: e.slice(0, e.indexOf("=")),
              value: e.slice(e.indexOf("=") + 1),
              pointer: toPointer([...path, key, i]),
            });
          else if (
            e &&
            typeof e === "object" &&
            typeof (e as { name?: unknown }).name === "string" &&
            (e as { value?: unknown }).value !== undefined
          )
            entries.push({
              name: (e as { name: string }).name,
              value: String((e as { value: unknown }).value),
              pointer: toPointer([...path, key, i, "value"]),
            });
        });
      } else if (block && typeof block === "object") {
        for (const [k, v] of Object.entries(block as Record<string, unknown>))
          if (v !== null && typeof v !== "object")
            entries.push({ name: k, value: String(v), pointer: toPointer([...path, key, k]) });
      }
      for (const e of entries) {
        const at = doc.locate(e.pointer) ?? { line: 1, column: 1 };
        env.set(e.name, e.value);
        // `X: ${X}` passes a value through: it defines nothing and must not shadow the .env definition.
        if (!e.value.includes("$"))
          variables.push({
            name: e.name,
            value: e.value,
            location: { file, line: at.line, column: at.column, pointer: e.pointer },
            scope: dirOf(file),
          });
        const r = variableReference(e.name, e.value, file, at.line, at.column, e.pointer);
        if (r) references.push(r);
        else if (MODEL_NAME.test(e.name) && !NOT_MODEL_NAME.test(e.name) && /\$\{/.test(e.value)) {
          references.push(
            codeReference({
              extractor: ID,
              location: { file, line: at.line, column: at.column, pointer: e.pointer },
              value: e.value.trim(),
              facts: { variable: e.name },
              baseDir: dirOf(file),
            }),
          );
        }
      }
    }
    const cmdParts: { words: string[] | string; pointer: string }[] = [];
    for (const key of ["command", "args", "entrypoint"]) {
      const v = obj[key];
      if (typeof v === "string") cmdParts.push({ words: v, pointer: toPointer([...path, key]) });
      else if (Array.isArray(v) && v.every((x) => typeof x === "string" || typeof x === "number"))
        cmdParts.push({ words: v.map(String), pointer: toPointer([...path, key]) });
    }
    if (cmdParts.length) {
      // Kubernetes: command + args form one argv; Compose: entrypoint + command.
      const ordered = compose
        ? [
            ...cmdParts.filter((c) => c.pointer.endsWith("/entrypoint")),
            ...cmdParts.filter((c) => !c.pointer.endsWith("/entrypoint")),
          ]
        : cmdParts;
      const words: Word[] = [];
      for (const part of ordered) {
        const at = doc.locate(part.pointer) ?? { line: 1, column: 1 };
        if (typeof part.words === "string") {
          const split = splitShell(part.words, at.line - 1);
          if (split.commands.length > 1 || /\b(?:sh|bash)\s+-c\b/.test(part.words)) {
            for (const c of split.commands)
              references.push(
                ...analyseCommand(c, { extractor: ID, file, baseDir: dirOf(file), vars: env, pointer: part.pointer }),
              );
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
      } else if (words.length)
        references.push(
          ...analyseCommand(words, {
            extractor: ID,
            file,
            baseDir: dirOf(file),
            vars: env,
            pointer: cmdParts[0]!.pointer,
          }),
        );
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
  holdsReferences: true,
  description:
    "Dockerfiles, shell scripts, Compose files and Kubernetes manifests: vLLM/TGI/SGLang/llama.cpp/Ollama/HF CLI model flags and env",
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
    // Helm templates hold Go template actions: their value reads become `${HELM_VALUES__...}` (see src/extract/helm.ts).
    const helm = isHelmTemplate(file.path, text);
    for (const d of yamlDocuments(text)) {
      try {
        const o = await yamlOutput(
          parseYamlDocument(helm ? helmToYaml(d.text) : d.text, d.lineOffset),
          file.path,
          isCompose(base),
        );
        references.push(...(o.references ?? []));
        variables.push(...(o.variables ?? []));
      } catch (err) {
        diagnostics.push({
          code: "parse-error",
          severity: "warning",
          message: (err as Error).message,
          location: {
            file: file.path,
            ...((err as { line?: number }).line ? { line: (err as { line: number }).line } : {}),
          },
        });
      }
    }
    return { references, variables, diagnostics };
  },
};
