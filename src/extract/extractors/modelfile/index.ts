/**
 * Ollama `Modelfile`s (https://github.com/ollama/ollama/blob/main/docs/modelfile.md): the model the file builds is a
 * local component; `FROM` names its base (an Ollama library tag such as `llama3.1:8b`, `hf.co/<repo>:<quant>`, a
 * local GGUF file or safetensors folder), `ADAPTER` a LoRA adapter, `LICENSE` its licence text.
 * Instruction keywords are case-insensitive; values may be `"""` multi-line strings.
 */
import { posix } from "node:path";
import type { LocalComponent, ModelReference } from "../../../model/types.js";
import { codeReference } from "../../code/model-ref.js";
import type { Extractor, ExtractOutput } from "../../types.js";
import { hasPathPrefix } from "../../../util/path-shape.js";

const ID = "modelfile";

/** One instruction: keyword, value (multi-line strings joined), line and value column. */
export interface ModelfileInstruction {
  keyword: string;
  value: string;
  line: number;
  column: number;
}

/** Splits a Modelfile into instructions. Comments (`#`) and blank lines are skipped. */
export function parseModelfile(text: string): ModelfileInstruction[] {
  const lines = text.split(/\r?\n/);
  const out: ModelfileInstruction[] = [];
  for (let i = 0; i < lines.length; i++) {
    const m = /^(\s*)([A-Za-z]+)(\s+)(\S.*)?$/.exec(lines[i]!);
    if (!m || lines[i]!.trim().startsWith("#")) continue;
    let value = m[4] ?? "";
    const start = i;
    if (value.startsWith('"""')) {
      let body = value.slice(3);
      while (!body.includes('"""') && i + 1 < lines.length) {
        i++;
        body += "\n" + lines[i]!;
      }
      value = body.slice(0, body.includes('"""') ? body.indexOf('"""') : undefined);
    } else value = value.trim().replace(/^"(.*)"$/, "$1");
    out.push({
      keyword: m[2]!.toUpperCase(),
      value,
      line: start + 1,
      column: m[1]!.length + m[2]!.length + m[3]!.length + 1,
    });
  }
  return out;
}

export const modelfileExtractor: Extractor = {
  id: ID,
  declaresModels: true,
  holdsReferences: true,
  description: "Ollama Modelfile: FROM (library tag, hf.co repo, GGUF file), ADAPTER, LICENSE",
  matches(_path, base) {
    return /^Modelfile(?:[._-][\w.-]+)?$/.test(base) || /\.modelfile$/i.test(base);
  },
  async extract(file, ctx): Promise<ExtractOutput> {
    const dir = posix.dirname(file.path) === "." ? "" : posix.dirname(file.path);
    const key = `${file.path}#`;
    const instructions = parseModelfile(await file.text(ctx.maxTextBytes));
    const component: LocalComponent = {
      key,
      role: "model",
      name: dir === "" ? "Modelfile" : posix.basename(dir),
      location: { file: file.path, line: 1, column: 1, pointer: "" },
      facts: { runtime: "ollama" },
    };
    const references: ModelReference[] = [];
    for (const ins of instructions) {
      if (ins.keyword === "FROM" || ins.keyword === "ADAPTER") {
        const adapter = ins.keyword === "ADAPTER";
        const value = ins.value.trim();
        const isFile = /\.(?:gguf|bin|safetensors)$/i.test(value) || hasPathPrefix(value) || value.includes("\\");
        const ref = codeReference({
          extractor: ID,
          location: { file: file.path, line: ins.line, column: ins.column },
          value: isFile && !hasPathPrefix(value) ? `./${value}` : value,
          ...(isFile ? {} : { kind: "ollama-tag" as const }),
          relation: adapter ? "adapter" : "initialised-from",
          ...(adapter ? { role: "adapter" as const } : {}),
          facts: { instruction: ins.keyword },
          baseDir: dir,
        });
        references.push({ ...ref, raw: value, subject: key });
      } else if (ins.keyword === "LICENSE") {
        const first = ins.value
          .split("\n")
          .map((l) => l.trim())
          .find((l) => l !== "");
        if (first && !component.license) component.license = first.slice(0, 200);
      }
    }
    return { components: [component], references };
  },
};
