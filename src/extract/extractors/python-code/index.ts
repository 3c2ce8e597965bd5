/**
 * Python source and Jupyter notebooks, parsed with tree-sitter (never executed, never grepped): model loads through
 * transformers (`<AnyClass>.from_pretrained`, `pipeline`), sentence-transformers, huggingface_hub
 * (`hf_hub_download`, `snapshot_download`, `InferenceClient`), ModelScope, vLLM `LLM`, lmdeploy `pipeline`, the loader
 * table (`src/extract/code/loaders.ts`: openai-whisper, faster-whisper, torch.hub, open_clip, timm, InsightFace,
 * diffusers, LangChain / LlamaIndex), `torch.load` / safetensors `load_file`, and string constants in model-named
 * variables and keys. A variable assigned once in the file resolves to its constant; `os.getenv("X", "d")` becomes
 * `${X:-d}` for the linking pass; anything else is kept with skip reason `dynamic-value` and its expression.
 * The module is read in named passes: the call pass (`calls.ts`), the settings pass (`settings.ts`), the write and
 * transform rules (`writes.ts`), and what other modules import from it (`module-facts.ts`).
 * Notebook format: nbformat 4 (https://nbformat.readthedocs.io/en/latest/format_description.html).
 */
import type { Diagnostic, ModelReference } from "../../../model/types.js";
import { CODE_ANALYSIS_MAX_BYTES, withTree, walkNamed, type SyntaxNode } from "../../code/tree-sitter.js";
import { parseJsonDocument } from "../../document.js";
import { FileTooLargeError } from "../../file-reader.js";
import { collectScope } from "./flow.js";
import type { CodeModuleFacts, Extractor, ExtractOutput, PendingCodeReference } from "../../types.js";
import { createContext, type ModuleContext, type PythonSourceOptions } from "./context.js";
import { callPass } from "./calls.js";
import { cacheFolderName, familyComparison, settingPass, weightUrlLiteral } from "./settings.js";
import { guardedProducer, linkWritesToTransforms, stateDictMerge } from "./writes.js";
import { moduleClasses, moduleConstants, moduleFields } from "./module-facts.js";
import { holdsWords, PYTHON_CODE_WORDS } from "../../prefilters.js";

export type { PythonSourceOptions } from "./context.js";
export { fieldDefault } from "./settings.js";

const ID = "python-code";

const MAIN_TYPES: ReadonlySet<string> = new Set([
  "call",
  "assignment",
  "default_parameter",
  "typed_default_parameter",
  "pair",
  "for_statement",
  "comparison_operator",
  "if_statement",
]);
const MAIN_TYPES_WITH_STRINGS: ReadonlySet<string> = new Set([...MAIN_TYPES, "string"]);

/** The pass for each syntax node type the walk visits. */
const PASSES: Readonly<Record<string, (ctx: ModuleContext, n: SyntaxNode) => void>> = {
  for_statement: stateDictMerge,
  comparison_operator: familyComparison,
  if_statement: guardedProducer,
  call: callPass,
  string: (ctx, n) => void (cacheFolderName(ctx, n) || weightUrlLiteral(ctx, n)),
  assignment: settingPass,
  default_parameter: settingPass,
  typed_default_parameter: settingPass,
  pair: settingPass,
};

/** Extracts model references from Python source text. Pure: reads nothing but `text`. */
export async function extractPythonSource(text: string, o: PythonSourceOptions): Promise<ModelReference[]> {
  return (await extractPythonModule(text, o)).references;
}

/** What one Python module yields: its references, what other modules can import from it, and pending references. */
export interface PythonModuleResult {
  references: ModelReference[];
  module: CodeModuleFacts;
  pending: PendingCodeReference[];
}

/**
 * Extracts references and cross-file facts from Python source text: top-level classes with their model-named
 * constructor defaults, module-level constants, and classes built without a model argument from an imported module
 * (resolved by the linking pass). Pure: reads nothing but `text`.
 */
export async function extractPythonModule(text: string, o: PythonSourceOptions): Promise<PythonModuleResult> {
  return withTree("python", text, (root) => {
    const scope = collectScope(root);
    const classes = moduleClasses(root, scope);
    const ctx = createContext({ ...o, extractor: o.extractor ?? ID }, scope, new Set(classes.map((c) => c.name)));
    walkNamed(
      root,
      (n) => PASSES[n.type]?.(ctx, n),
      text.includes("models--") || text.includes("://") ? MAIN_TYPES_WITH_STRINGS : MAIN_TYPES,
    );
    linkWritesToTransforms(ctx);
    ctx.refs = modelScopeVariables(ctx.refs);
    const constants = { ...moduleFields(root, scope), ...moduleConstants(root, scope) };
    const module: CodeModuleFacts = {
      file: o.file,
      language: "python",
      ...(Object.keys(constants).length ? { constants } : {}),
      ...(classes.length ? { classes } : {}),
      ...(scope.usesOllama ? { usesOllama: true } : {}),
    };
    return { references: ctx.refs, module, pending: ctx.pending };
  });
}

/**
 * A model-named variable (`model_id = "qwen/Qwen-VL-Chat"`) whose value the module hands to a ModelScope loader
 * (`snapshot_download(model_id)` imported from `modelscope`) names a ModelScope repo, not a Hugging Face one: its
 * reference takes the `modelscope-id` kind of that load (ids compared without case, as both hubs do); so does every
 * model-named constant of a module whose loads all go through ModelScope loaders (the id reaches them through an
 * argparse default). A variable of a module with other loaders keeps its kind.
 */
export function modelScopeVariables(refs: ModelReference[]): ModelReference[] {
  const modelscope = new Set(
    refs.filter((r) => r.kind === "modelscope-id" && r.target).map((r) => r.target!.toLowerCase()),
  );
  // A module whose every load goes through a ModelScope loader (web_demo_mm.py: `from modelscope import
  // AutoModelForCausalLM`, the checkpoint an argparse default) hands its model-named constants to ModelScope.
  const loads = refs.filter((r) => typeof r.facts?.loader === "string");
  const allModelScope = loads.length > 0 && loads.every((r) => r.kind === "modelscope-id");
  if (modelscope.size === 0 && !allModelScope) return refs;
  return refs.map((r) =>
    r.kind === "hub-id" &&
    r.target &&
    typeof r.facts?.variable === "string" &&
    r.facts.loader === undefined &&
    (allModelScope || modelscope.has(r.target.toLowerCase()))
      ? { ...r, kind: "modelscope-id" as const }
      : r,
  );
}

/** Words one of the recognised loaders or model-named settings needs; a file without any is not parsed. */
const PREFILTER = PYTHON_CODE_WORDS;

function isPythonPath(path: string, base: string): boolean {
  if (/\.(?:py|pyw|ipynb)$/.test(base)) return true;
  // Extensionless scripts in script folders are sniffed for a Python shebang in extract().
  return !base.includes(".") && /(?:^|\/)(?:scripts|bin|tools)\/[^/]+$/.test(path);
}

/** Code cells of a notebook, each with its pointer and text. */
function notebookCells(text: string): { pointer: string; source: string }[] {
  const data = parseJsonDocument(text).data as { cells?: unknown } | null;
  const out: { pointer: string; source: string }[] = [];
  if (data === null || typeof data !== "object" || Array.isArray(data))
    throw new Error("notebook is not a JSON object (nbformat: https://nbformat.readthedocs.io/)");
  if (data.cells !== undefined && !Array.isArray(data.cells))
    throw new Error("notebook 'cells' is not a list (nbformat)");
  ((data.cells ?? []) as { cell_type?: string; source?: string | string[] }[]).forEach((c, i) => {
    if (c?.cell_type !== "code") return;
    const src = Array.isArray(c.source) ? c.source.join("") : typeof c.source === "string" ? c.source : "";
    // IPython magics and shell escapes are not Python: blank them, keeping line numbers.
    out.push({
      pointer: `/cells/${i}/source`,
      source: src
        .split("\n")
        .map((l) => (/^\s*[%!]/.test(l) ? "" : l))
        .join("\n"),
    });
  });
  return out;
}

export const pythonCodeExtractor: Extractor = {
  id: ID,
  holdsReferences: true,
  description:
    "Python source and notebooks (tree-sitter): from_pretrained, pipeline, hub downloads, LangChain, vLLM, Ollama, whisper",
  matches(path, base) {
    return isPythonPath(path, base);
  },
  async extract(file, ctx): Promise<ExtractOutput> {
    if (!/\.(?:py|pyw|ipynb)$/.test(file.path)) {
      const head = new TextDecoder().decode(await file.head(64));
      if (!/^#!.*\bpython/.test(head)) return {};
    }
    if (file.path.endsWith(".ipynb")) {
      // A notebook is judged by the size of its code, not of the file (outputs embed images and audio).
      const text = await file.text(ctx.maxTextBytes);
      let cells;
      try {
        cells = notebookCells(text);
      } catch (err) {
        const d: Diagnostic = {
          code: "parse-error",
          severity: "warning",
          message: `notebook: ${(err as Error).message}`,
          location: { file: file.path },
        };
        return { diagnostics: [d] };
      }
      const codeBytes = cells.reduce((n, c) => n + Buffer.byteLength(c.source), 0);
      if (codeBytes > CODE_ANALYSIS_MAX_BYTES) throw new FileTooLargeError(codeBytes, CODE_ANALYSIS_MAX_BYTES);
      const references: ModelReference[] = [];
      for (const c of cells)
        references.push(...(await extractPythonSource(c.source, { file: file.path, pointer: c.pointer })));
      return { references };
    }
    const text = await file.text(Math.min(ctx.maxTextBytes, CODE_ANALYSIS_MAX_BYTES));
    // Cheap pre-filter: a file that names no model-ish word has nothing for us; skip the parse. (A module without
    // those words defines no model-named constant or constructor default either.)
    if (!holdsWords(PREFILTER, text)) return {};
    const r = await extractPythonModule(text, { file: file.path });
    const keep =
      r.module.constants !== undefined ||
      (r.module.classes ?? []).some((c) => c.modelDefaults.length > 0 || c.bases.length > 0);
    return {
      references: r.references,
      ...(keep ? { codeModules: [r.module] } : {}),
      ...(r.pending.length ? { pendingCode: r.pending } : {}),
    };
  },
};
