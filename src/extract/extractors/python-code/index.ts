/**
 * Python source and Jupyter notebooks, parsed with tree-sitter (never executed, never grepped): model loads through
 * transformers (`<AnyClass>.from_pretrained`, `pipeline`), sentence-transformers, huggingface_hub
 * (`hf_hub_download`, `snapshot_download`, `InferenceClient`), ModelScope, LangChain / LlamaIndex Hugging Face and
 * Ollama classes, vLLM `LLM`, lmdeploy `pipeline`, openai-whisper `load_model`, `torch.hub.load`, open_clip,
 * `torch.load` / safetensors `load_file`, and string constants in model-named variables and keys.
 * A variable assigned once in the file resolves to its constant; `os.getenv("X", "d")` becomes `${X:-d}` for the
 * linking pass; anything else is kept with skip reason `dynamic-value` and its expression.
 * Notebook format: nbformat 4 (https://nbformat.readthedocs.io/en/latest/format_description.html).
 */
import { posix } from "node:path";
import type { ComponentRole, Diagnostic, ModelReference, ReferenceKind, Relation } from "../../../model/types.js";
import { codeReference, isModelShaped, MODEL_NAME, NOT_MODEL_NAME } from "../../code/model-ref.js";
import { withTree, walkNamed, type SyntaxNode } from "../../code/tree-sitter.js";
import { parseJsonDocument } from "../../document.js";
import type { CodeClassFacts, CodeModuleFacts, Extractor, ExtractOutput, PendingCodeReference } from "../../types.js";

const ID = "python-code";

/** Where a Python text sits in its file (notebook cells and shell heredocs start below line 1). */
export interface PythonSourceOptions {
  file: string;
  /** Lines before the text in its file. */
  lineOffset?: number;
  /** JSON pointer of the text (a notebook cell's `source`). */
  pointer?: string;
  extractor?: string;
}

type Value = { value: string; facts?: Record<string, string | number | boolean> } | { expression: string };

interface Scope {
  imports: Map<string, string>;
  assignments: Map<string, SyntaxNode[]>;
  /** Names bound by a parameter without a default, or by loops, `with ... as`, augmented assignment: never constant. */
  unknownBindings: Set<string>;
  /** Defaults of parameters, by parameter name (for `self.<name>` set by a constructor elsewhere). */
  parameterDefaults: Map<string, SyntaxNode[]>;
  usesOllama: boolean;
  /** Calls of plain names (`load(args.model, dev)`), by name: the argument lists callers hand a function. */
  calls: Map<string, SyntaxNode[]>;
  /** argparse `add_argument` defaults by destination (`--model-path` -> `model_path`). */
  argDefaults: Map<string, SyntaxNode>;
}

const LANGCHAIN_HF: Record<string, { kw: string[]; role?: ComponentRole; kind?: ReferenceKind }> = {
  HuggingFaceEmbeddings: { kw: ["model_name", "model"], role: "embedding" },
  HuggingFaceBgeEmbeddings: { kw: ["model_name"], role: "embedding" },
  HuggingFaceInstructEmbeddings: { kw: ["model_name"], role: "embedding" },
  HuggingFaceEmbedding: { kw: ["model_name"], role: "embedding" },
  HuggingFaceInferenceAPIEmbeddings: { kw: ["model_name"], role: "embedding" },
  HuggingFaceEndpointEmbeddings: { kw: ["model", "repo_id"], role: "embedding" },
  HuggingFaceEndpoint: { kw: ["repo_id", "model"] },
  HuggingFaceHub: { kw: ["repo_id"] },
  HuggingFaceTextGenInference: { kw: ["model"] },
  HuggingFaceLLM: { kw: ["model_name", "tokenizer_name"] },
  HuggingFaceInferenceAPI: { kw: ["model_name", "model"] },
  ChatHuggingFace: { kw: ["model_id"] },
  TextEmbeddingsInference: { kw: ["model_name"], role: "embedding" },
  ChatOllama: { kw: ["model"], kind: "ollama-tag" },
  Ollama: { kw: ["model"], kind: "ollama-tag" },
  OllamaLLM: { kw: ["model"], kind: "ollama-tag" },
  OllamaEmbeddings: { kw: ["model"], role: "embedding", kind: "ollama-tag" },
  OllamaEmbedding: { kw: ["model_name"], role: "embedding", kind: "ollama-tag" },
};

const STRING_PREFIX = /^[rRbBuUfF]{0,2}/;

function line(n: SyntaxNode, o: PythonSourceOptions): { file: string; line: number; column: number; pointer?: string } {
  return { file: o.file, line: n.startPosition.row + 1 + (o.lineOffset ?? 0), column: n.startPosition.column + 1, ...(o.pointer ? { pointer: o.pointer } : {}) };
}

function collectScope(root: SyntaxNode): Scope {
  const scope: Scope = { imports: new Map(), assignments: new Map(), unknownBindings: new Set(), parameterDefaults: new Map(), usesOllama: false, calls: new Map(), argDefaults: new Map() };
  const assign = (name: string, value: SyntaxNode): void => {
    const list = scope.assignments.get(name) ?? [];
    list.push(value);
    scope.assignments.set(name, list);
  };
  walkNamed(root, (n) => {
    switch (n.type) {
      case "import_from_statement": {
        const mod = n.childForFieldName("module_name")?.text ?? "";
        if (/ollama/i.test(mod)) scope.usesOllama = true;
        for (const c of n.childrenForFieldName("name")) {
          if (!c) continue;
          if (c.type === "aliased_import") scope.imports.set(c.childForFieldName("alias")?.text ?? "", `${mod}.${c.childForFieldName("name")?.text ?? ""}`);
          else scope.imports.set(c.text.split(".").pop() ?? c.text, `${mod}.${c.text}`);
        }
        break;
      }
      case "import_statement":
        for (const c of n.childrenForFieldName("name")) {
          if (!c) continue;
          if (/ollama/i.test(c.text)) scope.usesOllama = true;
          if (c.type === "aliased_import") scope.imports.set(c.childForFieldName("alias")?.text ?? "", c.childForFieldName("name")?.text ?? "");
          else scope.imports.set(c.text.split(".")[0]!, c.text.split(".")[0]!);
        }
        break;
      case "assignment": {
        const left = n.childForFieldName("left");
        const right = n.childForFieldName("right");
        if (left?.type === "identifier" && right) assign(left.text, right);
        else if (left?.type === "attribute" && right && left.childForFieldName("object")?.text === "self") assign(left.text, right);
        else if (left) for (const id of left.descendantsOfType("identifier")) if (id) scope.unknownBindings.add(id.text);
        break;
      }
      case "augmented_assignment": {
        const left = n.childForFieldName("left");
        if (left) scope.unknownBindings.add(left.text);
        break;
      }
      case "default_parameter":
      case "typed_default_parameter": {
        const name = n.childForFieldName("name");
        const value = n.childForFieldName("value");
        if (name && value) {
          assign(name.text, value);
          scope.parameterDefaults.set(name.text, [...(scope.parameterDefaults.get(name.text) ?? []), value]);
        }
        break;
      }
      case "parameters":
        for (const p of n.namedChildren) if (p && (p.type === "identifier" || p.type === "typed_parameter")) scope.unknownBindings.add(p.type === "identifier" ? p.text : p.namedChildren[0]?.text ?? "");
        break;
      case "for_statement":
      case "as_pattern_target":
        for (const id of (n.type === "for_statement" ? n.childForFieldName("left") : n)?.descendantsOfType("identifier") ?? []) if (id) scope.unknownBindings.add(id.text);
        break;
      case "call": {
        const fn = n.childForFieldName("function");
        const args = n.childForFieldName("arguments");
        if (fn?.type === "identifier" && args) scope.calls.set(fn.text, [...(scope.calls.get(fn.text) ?? []), args]);
        if (fn?.type === "attribute" && fn.childForFieldName("attribute")?.text === "add_argument" && args) {
          let dest: string | undefined;
          let def: SyntaxNode | undefined;
          for (const a of args.namedChildren) {
            if (a?.type === "keyword_argument") {
              const k = a.childForFieldName("name")?.text;
              if (k === "dest") dest = a.childForFieldName("value")?.text.replace(/^['"]|['"]$/g, "");
              if (k === "default") def = a.childForFieldName("value") ?? undefined;
            } else if (a?.type === "string" && !dest) {
              const flag = a.text.replace(/^['"]|['"]$/g, "");
              if (flag.startsWith("--")) dest = flag.slice(2).replace(/-/g, "_");
            }
          }
          if (dest && def) scope.argDefaults.set(dest, def);
        }
        break;
      }
      default:
    }
  }, SCOPE_TYPES);
  return scope;
}

const SCOPE_TYPES: ReadonlySet<string> = new Set(["import_from_statement", "import_statement", "assignment", "augmented_assignment", "default_parameter", "typed_default_parameter", "parameters", "for_statement", "as_pattern_target", "call"]);

/** The function definition enclosing a node, with the position of parameter `name` (-1 when it is not one). */
function enclosingParameter(n: SyntaxNode, name: string): { fn: string; index: number } | undefined {
  for (let p = n.parent; p; p = p.parent) {
    if (p.type !== "function_definition") continue;
    const fn = p.childForFieldName("name")?.text;
    const params = (p.childForFieldName("parameters")?.namedChildren ?? []).filter((c): c is SyntaxNode => !!c);
    const names = params.map((c) => (c.type === "identifier" ? c.text : c.type === "typed_parameter" ? c.namedChildren[0]?.text ?? "" : c.childForFieldName("name")?.text ?? ""));
    // Methods are called through objects: only plain functions are followed to their callers.
    if (!fn || names[0] === "self" || names[0] === "cls") return undefined;
    return { fn, index: names.indexOf(name) };
  }
  return undefined;
}
const MAIN_TYPES: ReadonlySet<string> = new Set(["call", "assignment", "default_parameter", "typed_default_parameter", "pair"]);
const MAIN_TYPES_WITH_STRINGS: ReadonlySet<string> = new Set([...MAIN_TYPES, "string"]);

/** The literal value of a Python string node (`r"..."`, implicit concatenation, f-strings with constant parts). */
function stringValue(n: SyntaxNode, scope: Scope, depth: number): string | undefined {
  if (n.type === "concatenated_string") {
    let out = "";
    for (const c of n.namedChildren) {
      const v = c ? stringValue(c, scope, depth) : undefined;
      if (v === undefined) return undefined;
      out += v;
    }
    return out;
  }
  if (n.type !== "string") return undefined;
  const prefix = STRING_PREFIX.exec(n.text)?.[0] ?? "";
  const raw = /r/i.test(prefix);
  let out = "";
  for (const c of n.namedChildren) {
    if (!c) continue;
    if (c.type === "string_content") out += raw ? c.text : c.text.replace(/\\(["'\\])/g, "$1").replace(/\\n/g, "\n");
    else if (c.type === "escape_sequence") out += c.text.replace(/^\\(["'\\])$/, "$1");
    else if (c.type === "interpolation") {
      const expr = c.childForFieldName("expression");
      const v = expr ? resolve(expr, scope, depth + 1) : undefined;
      if (!v || !("value" in v)) return undefined;
      out += v.value;
    }
  }
  return out;
}

function envLookup(n: SyntaxNode): string | undefined {
  // os.getenv("X"), os.getenv("X", "d"), os.environ.get("X", "d"), os.environ["X"]
  if (n.type === "subscript" && /^os\.environ$/.test(n.childForFieldName("value")?.text ?? "")) {
    const k = n.childForFieldName("subscript");
    const key = k?.type === "string" ? k.text.replace(/^['"]|['"]$/g, "") : undefined;
    return key ? `\${${key}}` : undefined;
  }
  if (n.type !== "call") return undefined;
  const fn = n.childForFieldName("function")?.text ?? "";
  if (!/^(?:os\.getenv|os\.environ\.get|getenv|environ\.get)$/.test(fn)) return undefined;
  const args = (n.childForFieldName("arguments")?.namedChildren ?? []).filter((a): a is SyntaxNode => !!a);
  const key = args[0]?.type === "string" ? args[0].text.replace(/^['"]|['"]$/g, "") : undefined;
  if (!key) return undefined;
  const def = args[1]?.type === "string" ? args[1].text.replace(/^[rRuU]?['"]|['"]$/g, "") : undefined;
  return def !== undefined ? `\${${key}:-${def}}` : `\${${key}}`;
}

/** Resolves an expression to a constant string when it is one (or a single-assignment variable holding one). */
function resolve(n: SyntaxNode, scope: Scope, depth = 0): Value {
  if (depth > 8) return { expression: n.text };
  if (n.type === "string" || n.type === "concatenated_string") {
    const v = stringValue(n, scope, depth);
    return v === undefined ? { expression: n.text } : { value: v };
  }
  const env = envLookup(n);
  if (env) return { value: env, facts: { envLookup: true } };
  if (n.type === "parenthesized_expression" && n.namedChildren[0]) return resolve(n.namedChildren[0], scope, depth + 1);
  if (n.type === "binary_operator" && n.childForFieldName("operator")?.text === "+") {
    const l = resolve(n.childForFieldName("left")!, scope, depth + 1);
    const r = resolve(n.childForFieldName("right")!, scope, depth + 1);
    if ("value" in l && "value" in r) return { value: l.value + r.value };
    return { expression: n.text };
  }
  if (n.type === "binary_operator" && n.childForFieldName("operator")?.text === "/") {
    // pathlib: `base / "name"` (both sides constant strings can only be Paths in working code).
    const l = resolve(n.childForFieldName("left")!, scope, depth + 1);
    const r = resolve(n.childForFieldName("right")!, scope, depth + 1);
    if ("value" in l && "value" in r) {
      // A joined Path is a file-system path, never a Hub id: a relative one is marked `./` so it reads as local.
      const joined = `${l.value.replace(/\/+$/, "")}/${r.value}`;
      return { value: /^(?:\/|\.{1,2}\/|~|[A-Za-z]:|\$\{)/.test(joined) ? joined : `./${joined}`, facts: { ...(l.facts ?? {}), pathJoin: true } };
    }
    return { expression: n.text };
  }
  if (n.type === "attribute" && n.childForFieldName("object")?.type === "identifier") {
    // `args.model` where `args = parser.parse_args()` and `add_argument("--model", default="...")`.
    const obj = n.childForFieldName("object")!;
    const dest = n.childForFieldName("attribute")?.text ?? "";
    const def = scope.argDefaults.get(dest);
    const source = def ? boundTo(obj, scope) : undefined;
    if (def && source?.type === "call" && /\.parse_args$/.test(source.childForFieldName("function")?.text ?? "")) {
      const v = resolve(def, scope, depth + 1);
      if ("value" in v) return { value: v.value, facts: { ...(v.facts ?? {}), resolvedFrom: "argparse-default", cliFlag: dest } };
    }
  }
  if (n.type === "call" && /^(?:str|Path|pathlib\.Path)$/.test(n.childForFieldName("function")?.text ?? "")) {
    const a = n.childForFieldName("arguments")?.namedChildren[0];
    if (a && a.type !== "keyword_argument") return resolve(a, scope, depth + 1);
  }
  if (n.type === "identifier" || (n.type === "attribute" && n.childForFieldName("object")?.text === "self")) {
    const defs = scope.assignments.get(n.text) ?? [];
    if (defs.length >= 1 && !scope.unknownBindings.has(n.text)) {
      // One assignment, or several that all give the same constant (a default repeated in each constructor).
      const values = defs.map((d) => resolve(d, scope, depth + 1));
      const first = values[0]!;
      if ("value" in first && values.every((v) => "value" in v && v.value === first.value)) {
        const at = defs[0]!.parent?.type?.includes("parameter") ? "parameter-default" : "assignment";
        return { value: first.value, facts: { ...(first.facts ?? {}), variable: n.text, resolvedFrom: at, definedAtLine: defs[0]!.startPosition.row + 1, ...(defs.length > 1 ? { definitions: defs.length } : {}) } };
      }
      // Assigned once from an expression: keep that expression (more telling than the variable's name).
      if (defs.length === 1 && "expression" in first && defs[0]!.type !== "identifier") return { expression: first.expression };
    }
    if (n.type === "identifier" && scope.unknownBindings.has(n.text)) {
      // A parameter of a plain function: the value every caller in this file hands it, when they all agree.
      const at = enclosingParameter(n, n.text);
      const callers = at && at.index >= 0 ? scope.calls.get(at.fn) ?? [] : [];
      const values = callers.map((args) => {
        const list = args.namedChildren.filter((a): a is SyntaxNode => !!a && a.type !== "comment");
        const kw = list.find((a) => a.type === "keyword_argument" && a.childForFieldName("name")?.text === n.text)?.childForFieldName("value");
        const pos = list.filter((a) => a.type !== "keyword_argument")[at!.index];
        const arg = kw ?? pos;
        return arg && !list.some((a) => a.type === "list_splat" || a.type === "dictionary_splat") ? resolve(arg, scope, depth + 1) : undefined;
      });
      const first = values[0];
      if (first && "value" in first && values.every((v) => v && "value" in v && v.value === first.value)) {
        return { value: first.value, facts: { ...(first.facts ?? {}), variable: n.text, resolvedFrom: "caller", through: at!.fn, callers: values.length } };
      }
    }
    if (n.type === "attribute") {
      // `self.model` set only by a base class: the constructor parameters named `model` in this file, when they agree.
      const attr = n.childForFieldName("attribute")?.text ?? "";
      const params = scope.parameterDefaults.get(attr) ?? [];
      if (params.length > 0 && !scope.assignments.has(n.text)) {
        const values = params.map((d) => resolve(d, scope, depth + 1));
        const first = values[0]!;
        if ("value" in first && values.every((v) => "value" in v && v.value === first.value)) return { value: first.value, facts: { variable: n.text, resolvedFrom: "parameter-default", definedAtLine: params[0]!.startPosition.row + 1 } };
      }
    }
    return { expression: n.text };
  }
  return { expression: n.text };
}

/** `from <module> import <name>` facts of an expression that is an imported name (or a member of one). */
function importFacts(n: SyntaxNode, scope: Scope): Record<string, string> {
  if (n.type !== "identifier") return {};
  const q = scope.imports.get(n.text);
  if (!q || !q.includes(".") || scope.assignments.has(n.text)) return {};
  const dot = q.lastIndexOf(".");
  return { importedFrom: q.slice(0, dot), importedName: q.slice(dot + 1) };
}

const isModelParam = (name: string): boolean => MODEL_NAME.test(name) && !NOT_MODEL_NAME.test(name);

/** Top-level classes of a module with the model-named defaults of their `__init__`. */
function moduleClasses(root: SyntaxNode, scope: Scope): CodeClassFacts[] {
  const out: CodeClassFacts[] = [];
  for (const top of root.namedChildren) {
    const cls = top?.type === "decorated_definition" ? top.childForFieldName("definition") : top;
    if (cls?.type !== "class_definition") continue;
    const name = cls.childForFieldName("name")?.text;
    if (!name) continue;
    const bases: string[] = [];
    for (const b of cls.childForFieldName("superclasses")?.namedChildren ?? []) {
      if (!b || (b.type !== "identifier" && b.type !== "attribute")) continue;
      bases.push(qualify(b, scope));
    }
    let hasInit = false;
    const modelDefaults: CodeClassFacts["modelDefaults"] = [];
    for (const st of cls.childForFieldName("body")?.namedChildren ?? []) {
      const fn = st?.type === "decorated_definition" ? st.childForFieldName("definition") : st;
      if (fn?.type !== "function_definition" || fn.childForFieldName("name")?.text !== "__init__") continue;
      hasInit = true;
      for (const p of fn.childForFieldName("parameters")?.namedChildren ?? []) {
        if (p?.type !== "default_parameter" && p?.type !== "typed_default_parameter") continue;
        const pn = p.childForFieldName("name")?.text ?? "";
        const pv = p.childForFieldName("value");
        if (!pv || !isModelParam(pn) || pv.type === "none") continue;
        const v = resolve(pv, scope);
        modelDefaults.push({ param: pn, ...("value" in v ? { value: v.value } : { expression: v.expression }), line: pv.startPosition.row + 1 });
      }
    }
    out.push({ name, bases, hasInit, modelDefaults });
  }
  return out;
}

/** Module-level string constants (`NAME = "..."` assigned once at the top level). */
function moduleConstants(root: SyntaxNode, scope: Scope): Record<string, { value: string; line: number }> {
  const out: Record<string, { value: string; line: number }> = {};
  for (const top of root.namedChildren) {
    const a = top?.type === "expression_statement" ? top.namedChildren[0] : undefined;
    if (a?.type !== "assignment") continue;
    const left = a.childForFieldName("left");
    if (left?.type !== "identifier" || (scope.assignments.get(left.text)?.length ?? 0) !== 1) continue;
    const right = a.childForFieldName("right");
    if (!right || (right.type !== "string" && right.type !== "concatenated_string")) continue;
    const v = resolve(right, scope);
    if ("value" in v) out[left.text] = { value: v.value, line: right.startPosition.row + 1 };
  }
  return out;
}

/** The expression a name is bound to: its single assignment, or what every caller hands the parameter (same text). */
function boundTo(id: SyntaxNode, scope: Scope): SyntaxNode | undefined {
  const defs = scope.assignments.get(id.text) ?? [];
  if (defs.length === 1 && !scope.unknownBindings.has(id.text)) return defs[0];
  if (defs.length > 0 || !scope.unknownBindings.has(id.text)) return undefined;
  const at = enclosingParameter(id, id.text);
  if (!at || at.index < 0) return undefined;
  const args = (scope.calls.get(at.fn) ?? []).map((list) => list.namedChildren.filter((a): a is SyntaxNode => !!a && a.type !== "comment" && a.type !== "keyword_argument")[at.index]);
  const first = args[0];
  return first && args.every((a) => a?.text === first.text) ? first : undefined;
}

interface Args {
  positional: SyntaxNode[];
  keywords: Map<string, SyntaxNode>;
}

function callArgs(call: SyntaxNode): Args {
  const positional: SyntaxNode[] = [];
  const keywords = new Map<string, SyntaxNode>();
  for (const a of call.childForFieldName("arguments")?.namedChildren ?? []) {
    if (!a || a.type === "comment") continue;
    if (a.type === "keyword_argument") {
      const k = a.childForFieldName("name")?.text;
      const v = a.childForFieldName("value");
      if (k && v) keywords.set(k, v);
    } else if (a.type !== "list_splat" && a.type !== "dictionary_splat") positional.push(a);
  }
  return { positional, keywords };
}

/** Qualified name of a callee: the first identifier mapped through the imports (`L` -> `vllm.LLM`). */
function qualify(fn: SyntaxNode, scope: Scope): string {
  const text = fn.text.replace(/\s+/g, "");
  const [head, ...rest] = text.split(".");
  const mod = scope.imports.get(head ?? "");
  return mod ? [mod, ...rest].join(".") : text;
}

function roleOfClass(cls: string): ComponentRole | undefined {
  if (/Tokenizer/.test(cls)) return "tokenizer";
  if (/(?:Processor|FeatureExtractor)/.test(cls)) return "processor";
  if (/^Peft/.test(cls)) return "adapter";
  return undefined;
}

function isTrue(n: SyntaxNode | undefined): boolean {
  return n?.type === "true";
}

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
  const extractor = o.extractor ?? ID;
  const baseDir = posix.dirname(o.file) === "." ? "" : posix.dirname(o.file);
  return withTree("python", text, (root) => {
    const scope = collectScope(root);
    const refs: ModelReference[] = [];
    const pending: PendingCodeReference[] = [];
    const classes = moduleClasses(root, scope);
    const localClasses = new Set(classes.map((c) => c.name));
    const seen = new Set<number>();
    const emit = (arg: SyntaxNode, opts: { role?: ComponentRole; relation?: Relation; kind?: ReferenceKind; call?: Args; facts?: Record<string, string | number | boolean> }): void => {
      if (seen.has(arg.startIndex)) return;
      seen.add(arg.startIndex);
      const v = resolve(arg, scope);
      const facts: Record<string, string | number | boolean> = { ...(opts.facts ?? {}) };
      let revision: string | undefined;
      if (opts.call) {
        if (isTrue(opts.call.keywords.get("trust_remote_code"))) facts.trustRemoteCode = true;
        const rev = opts.call.keywords.get("revision");
        if (rev) {
          const rv = resolve(rev, scope);
          if ("value" in rv) revision = rv.value;
          else facts.revisionExpression = rv.expression;
        }
        const fname = opts.call.keywords.get("filename") ?? (opts.kind === undefined ? undefined : undefined);
        if (fname) {
          const fv = resolve(fname, scope);
          if ("value" in fv) facts.filename = fv.value;
        }
        if (isTrue(opts.call.keywords.get("local_files_only"))) facts.localFilesOnly = true;
      }
      if ("value" in v) Object.assign(facts, v.facts ?? {});
      else Object.assign(facts, importFacts(arg, scope));
      const ref = codeReference({
        extractor,
        location: line(arg, o),
        ...("value" in v ? { value: v.value } : { expression: v.expression }),
        ...(opts.kind ? { kind: opts.kind } : {}),
        ...(opts.role ? { role: opts.role } : {}),
        ...(opts.relation ? { relation: opts.relation } : {}),
        ...(revision ? { revision } : {}),
        facts,
        baseDir,
      });
      if (typeof facts.filename === "string" && !ref.facts?.weightFormat) {
        const wf = /\.gguf$/i.test(facts.filename) ? "gguf" : /\.safetensors$/i.test(facts.filename) ? "safetensors" : /\.(?:bin|pt|pth|ckpt|pkl)$/i.test(facts.filename) ? "pickle" : undefined;
        if (wf) ref.facts = { ...(ref.facts ?? {}), weightFormat: wf };
      }
      refs.push(ref);
    };
    const pick = (a: Args, kws: string[], pos: number | undefined): SyntaxNode | undefined => {
      for (const k of kws) if (a.keywords.has(k)) return a.keywords.get(k);
      return pos === undefined ? undefined : a.positional[pos];
    };

    walkNamed(root, (n) => {
      if (n.type === "call") {
        const fn = n.childForFieldName("function");
        if (!fn) return;
        const q = qualify(fn, scope);
        const last = q.split(".").pop() ?? q;
        const owner = q.split(".").slice(-2, -1)[0] ?? "";
        const a = callArgs(n);
        const fromModelscope = q.startsWith("modelscope.");
        if (last === "from_pretrained") {
          if (/^Peft/.test(owner)) {
            const adapter = pick(a, ["model_id"], 1);
            if (adapter) emit(adapter, { role: "adapter", relation: "adapter", call: a });
            return;
          }
          const arg = pick(a, ["pretrained_model_name_or_path", "model_name_or_path", "model_id"], 0);
          const role = roleOfClass(owner);
          if (arg) emit(arg, { ...(role ? { role } : {}), call: a, ...(fromModelscope ? { kind: "modelscope-id" as const } : {}), facts: { loader: `${owner}.from_pretrained`, ...(/Config$/.test(owner) ? { configOnly: true } : {}) } });
          const tok = a.keywords.get("tokenizer");
          if (tok && (tok.type === "string" || tok.type === "identifier")) emit(tok, { role: "tokenizer", call: a });
          return;
        }
        if (last === "from_model_id") {
          const arg = pick(a, ["model_id"], 0);
          if (arg) emit(arg, { call: a, facts: { loader: q } });
          return;
        }
        if (last === "pipeline") {
          const lmdeploy = q.startsWith("lmdeploy.");
          const arg = lmdeploy ? pick(a, ["model_path"], 0) : pick(a, ["model"], 1);
          if (arg) emit(arg, { call: a, facts: { loader: lmdeploy ? "lmdeploy.pipeline" : "pipeline" } });
          const tok = a.keywords.get("tokenizer");
          if (tok && tok.type === "string") emit(tok, { role: "tokenizer", call: a });
          return;
        }
        if (last === "SentenceTransformer" || last === "CrossEncoder" || last === "SparseEncoder") {
          const arg = pick(a, ["model_name_or_path", "model_name"], 0);
          if (arg) emit(arg, { role: last === "CrossEncoder" ? "reranker" : "embedding", call: a, facts: { loader: last } });
          return;
        }
        if (last === "hf_hub_download" || last === "snapshot_download" || last === "model_file_download") {
          const arg = pick(a, ["repo_id", "model_id"], 0);
          if (arg) emit(arg, { call: a, ...(fromModelscope ? { kind: "modelscope-id" as const } : {}), facts: { loader: fromModelscope ? `modelscope.${last}` : last } });
          return;
        }
        if (last === "InferenceClient" || last === "AsyncInferenceClient") {
          const arg = pick(a, ["model"], 0);
          if (arg) emit(arg, { call: a, facts: { loader: last } });
          return;
        }
        if ((last === "LLM" && q.startsWith("vllm")) || last === "EngineArgs" || last === "AsyncEngineArgs") {
          const arg = pick(a, ["model"], 0);
          if (arg) emit(arg, { call: a, facts: { loader: `vllm.${last}` } });
          const tok = a.keywords.get("tokenizer");
          if (tok) emit(tok, { role: "tokenizer", call: a });
          return;
        }
        if (/(?:^|\.)whisper\.load_model$/.test(q) || (last === "load_model" && q.startsWith("whisper"))) {
          const arg = pick(a, ["name"], 0);
          if (!arg) return;
          const v = resolve(arg, scope);
          if ("value" in v && /^(?:tiny|base|small|medium|large|turbo)(?:[.-](?:en|v[123]))*$/.test(v.value)) emit(arg, { kind: "known-component", role: "audio-encoder", call: a, facts: { loader: "whisper.load_model", upstream: `openai/whisper-${v.value.replace(/\./, "-").replace(/-en$/, ".en")}` } });
          else emit(arg, { role: "audio-encoder", call: a, facts: { loader: "whisper.load_model" } });
          return;
        }
        if (/torch\.hub\.load$/.test(q)) {
          const repo = pick(a, ["repo_or_dir"], 0);
          const model = pick(a, ["model"], 1);
          if (repo && model) {
            const rv = resolve(repo, scope);
            const mv = resolve(model, scope);
            if ("value" in rv && "value" in mv) {
              if (seen.has(repo.startIndex)) return;
              seen.add(repo.startIndex);
              refs.push(codeReference({ extractor, location: line(repo, o), value: `${rv.value}:${mv.value}`, kind: "known-component", facts: { loader: "torch.hub.load", repo: rv.value, entrypoint: mv.value } }));
            } else emit(repo, { call: a, facts: { loader: "torch.hub.load" } });
          }
          return;
        }
        if (/open_clip\.create_model(?:_and_transforms|_from_pretrained)?$/.test(q) || /open_clip\.get_tokenizer$/.test(q)) {
          const arg = pick(a, ["model_name"], 0);
          if (!arg) return;
          const v = resolve(arg, scope);
          if ("value" in v && !/^hf-hub:/i.test(v.value)) {
            const pre = a.keywords.get("pretrained");
            const pv = pre ? resolve(pre, scope) : undefined;
            emit(arg, { kind: "known-component", call: a, facts: { loader: q, ...(pv && "value" in pv ? { pretrained: pv.value } : {}) } });
          } else emit(arg, { call: a, facts: { loader: q } });
          return;
        }
        if (/^(?:torch\.load|safetensors\.torch\.load_file|load_file|safe_open|safetensors\.safe_open)$/.test(q)) {
          const arg = pick(a, ["f", "filename"], 0);
          if (arg) emit(arg, { call: a, facts: { loader: q, ...(q === "torch.load" ? { weightFormat: "pickle" } : { weightFormat: "safetensors" }) } });
          return;
        }
        if (last === "load_pretrained_model") {
          const path = pick(a, ["model_path"], 0);
          if (path) emit(path, { call: a, facts: { loader: "load_pretrained_model" } });
          const base = pick(a, ["model_base"], 1);
          if (base && base.type !== "none") emit(base, { call: a, relation: "adapter", facts: { loader: "load_pretrained_model", modelBase: true } });
          return;
        }
        const lc = LANGCHAIN_HF[last];
        if (lc) {
          for (const k of lc.kw) {
            const arg = a.keywords.get(k);
            if (arg) emit(arg, { call: a, ...(lc.role ? { role: lc.role } : {}), ...(lc.kind ? { kind: lc.kind } : {}), ...(k.startsWith("tokenizer") ? { role: "tokenizer" as const } : {}), facts: { loader: last } });
          }
          return;
        }
        // argparse: `add_argument("--model-path", default="...")` names the model a script loads by default.
        if (last === "add_argument") {
          const flag = a.positional.find((p) => p.type === "string");
          const def = a.keywords.get("default");
          const flagName = flag ? (stringValue(flag, scope, 0) ?? "").replace(/^-+/, "").replace(/-/g, "_") : "";
          if (def && (def.type === "string" || def.type === "concatenated_string") && ((MODEL_NAME.test(flagName) && !NOT_MODEL_NAME.test(flagName)) || /model|ckpt|checkpoint|adapter|base|encoder|tower|tokenizer|lora|vocoder/i.test(flagName))) {
            emit(def, { facts: { cliFlag: flagName } });
          }
          return;
        }
        // Weight downloads through a helper (`download_weights(url, dest)`, Cog's `pget`) and vocoder checkpoints.
        if (/download_?(?:weights?|models?|ckpts?|checkpoints?)|(?:weights?|models?|checkpoints?)_?download|^pget$|^load_state_dict_from_url$|^download_url_to_file$/i.test(last) || /Vocoder$/.test(last)) {
          const arg = a.positional[0];
          if (arg) emit(arg, { call: a, ...(/Vocoder$/.test(last) ? { role: "audio-decoder" as const } : {}), facts: { loader: last } });
          return;
        }
        // A class of another module (or of this file) built with no model argument: its constructor default may name
        // the model; the linking pass looks the class up.
        if (fn.type === "identifier" && /^[A-Z]/.test(fn.text) && a.positional.length === 0 && ![...a.keywords.keys()].some(isModelParam)) {
          const imported = scope.imports.get(fn.text);
          const dot = imported?.lastIndexOf(".") ?? -1;
          if (imported && dot > 0) pending.push({ extractor, language: "python", location: line(n, o), via: "constructor", module: imported.slice(0, dot), symbol: imported.slice(dot + 1) });
          else if (!imported && localClasses.has(fn.text)) pending.push({ extractor, language: "python", location: line(n, o), via: "constructor", module: "", symbol: fn.text });
        }
        // Any other call: a model-named keyword argument with a model-shaped constant (a registry dataclass).
        for (const [k, v] of a.keywords) {
          if (!MODEL_NAME.test(k) || NOT_MODEL_NAME.test(k)) continue;
          const r = resolve(v, scope);
          if ("value" in r && (isModelShaped(r.value) || (scope.usesOllama && /^[\w.-]+(?::[\w.-]+)?$/.test(r.value)))) emit(v, { call: a, ...(scope.usesOllama && !isModelShaped(r.value) ? { kind: "ollama-tag" as const } : {}), facts: { keyword: k } });
        }
        return;
      }
      // An HF cache folder name anywhere (a tarball of the cache, a list of folders) names its repo.
      if (n.type === "string" && !seen.has(n.startIndex) && n.parent?.type !== "concatenated_string") {
        const v = stringValue(n, scope, 0);
        if (v && /(?:^|\/)models--[\w.-]+--[\w.-]+/.test(v) && !/^(?:assignment|keyword_argument|argument_list)$/.test(n.parent?.type ?? "")) {
          seen.add(n.startIndex);
          refs.push(codeReference({ extractor, location: line(n, o), value: v.replace(/\.(?:tar(?:\.gz)?|tgz|zip)$/, ""), facts: { ...(v !== v.replace(/\.(?:tar(?:\.gz)?|tgz|zip)$/, "") ? { archive: true } : {}) }, baseDir }));
          return;
        }
      }
      // Constants in model-named variables, parameters and dictionary keys.
      let name: string | undefined;
      let value: SyntaxNode | null | undefined;
      if (n.type === "assignment") {
        name = n.childForFieldName("left")?.text;
        value = n.childForFieldName("right");
      } else if (n.type === "default_parameter" || n.type === "typed_default_parameter") {
        name = n.childForFieldName("name")?.text;
        value = n.childForFieldName("value");
      } else if (n.type === "pair") {
        const k = n.childForFieldName("key");
        name = k?.type === "string" ? k.text.replace(/^['"]|['"]$/g, "") : undefined;
        value = n.childForFieldName("value");
      }
      if (!name || !value) return;
      const bare = name.replace(/^self\./, "");
      const named = (MODEL_NAME.test(bare) || /(?:_PATH|_VERSION|_CKPT|_REPO)$/.test(bare) || /MODEL_?(?:PATH|DIR|NAME|ID)/i.test(bare)) && !NOT_MODEL_NAME.test(bare.replace(/_PATH$|_VERSION$|_PATH_.*$/, ""));
      if (value.type !== "string" && value.type !== "concatenated_string") {
        // A model-named setting read from the environment (`X: str = os.environ["X"]`, a default `env.X_MODEL`).
        if (named && MODEL_NAME.test(bare) && n.type !== "pair") {
          const r = resolve(value, scope);
          const envLike = "value" in r ? /^\$\{/.test(r.value) : /^(?:os\.environ|os\.getenv|env\.|settings\.|config\.)/.test(value.text) || /\.[A-Z][A-Z0-9_]*$/.test(value.text);
          if (envLike) emit(value, { facts: { variable: bare } });
        }
        return;
      }
      const v = stringValue(value, scope, 0);
      if (v === undefined) return;
      if (/models--[\w.-]+--[\w.-]+/.test(v) || (named && isModelShaped(v))) emit(value, { facts: { variable: bare } });
      else if (named && MODEL_NAME.test(bare) && /^[A-Za-z0-9][\w.-]*(?::[\w.-]+)?$/.test(v) && !/^(?:true|false|none|null|auto|cpu|cuda|\d+(?:\.\d+)?)$/i.test(v)) {
        // A bare name under a model-named variable: an Ollama tag where the file uses Ollama, else an alias we keep.
        emit(value, { kind: scope.usesOllama ? "ollama-tag" : "known-component", facts: { variable: bare } });
      }
    }, text.includes("models--") ? MAIN_TYPES_WITH_STRINGS : MAIN_TYPES);
    const constants = moduleConstants(root, scope);
    const module: CodeModuleFacts = {
      file: o.file,
      language: "python",
      ...(Object.keys(constants).length ? { constants } : {}),
      ...(classes.length ? { classes } : {}),
      ...(scope.usesOllama ? { usesOllama: true } : {}),
    };
    return { references: refs, module, pending };
  });
}

/** Words one of the recognised loaders or model-named settings needs; a file without any is not parsed. */
const PREFILTER = /pretrained|pipeline|model|download|Transformer|Encoder|Client|hub|whisper|ollama|repo_id|ckpt|checkpoint|LLM|Embedding|Vocoder|open_clip|torch\.load|load_file|safe_open|pget|models--|\.(?:gguf|safetensors|pt|pth|bin)\b/i;

function isPythonPath(path: string, base: string): boolean {
  if (/\.(?:py|pyw|ipynb)$/.test(base)) return true;
  // Extensionless scripts in script folders are sniffed for a Python shebang in extract().
  return !base.includes(".") && /(?:^|\/)(?:scripts|bin|tools)\/[^/]+$/.test(path);
}

/** Code cells of a notebook, each with its pointer and text. */
function notebookCells(text: string): { pointer: string; source: string }[] {
  const data = parseJsonDocument(text).data as { cells?: { cell_type?: string; source?: string | string[] }[] };
  const out: { pointer: string; source: string }[] = [];
  (data?.cells ?? []).forEach((c, i) => {
    if (c?.cell_type !== "code") return;
    const src = Array.isArray(c.source) ? c.source.join("") : typeof c.source === "string" ? c.source : "";
    // IPython magics and shell escapes are not Python: blank them, keeping line numbers.
    out.push({ pointer: `/cells/${i}/source`, source: src.split("\n").map((l) => (/^\s*[%!]/.test(l) ? "" : l)).join("\n") });
  });
  return out;
}

export const pythonCodeExtractor: Extractor = {
  id: ID,
  description: "Python source and notebooks (tree-sitter): from_pretrained, pipeline, hub downloads, LangChain, vLLM, Ollama, whisper",
  matches(path, base) {
    return isPythonPath(path, base);
  },
  async extract(file, ctx): Promise<ExtractOutput> {
    if (!/\.(?:py|pyw|ipynb)$/.test(file.path)) {
      const head = new TextDecoder().decode(await file.head(64));
      if (!/^#!.*\bpython/.test(head)) return {};
    }
    const text = await file.text(ctx.maxTextBytes);
    if (file.path.endsWith(".ipynb")) {
      let cells;
      try {
        cells = notebookCells(text);
      } catch (err) {
        const d: Diagnostic = { code: "parse-error", severity: "warning", message: `notebook: ${(err as Error).message}`, location: { file: file.path } };
        return { diagnostics: [d] };
      }
      const references: ModelReference[] = [];
      for (const c of cells) references.push(...(await extractPythonSource(c.source, { file: file.path, pointer: c.pointer })));
      return { references };
    }
    // Cheap pre-filter: a file that names no model-ish word has nothing for us; skip the parse. (A module without
    // those words defines no model-named constant or constructor default either.)
    if (!PREFILTER.test(text)) return {};
    const r = await extractPythonModule(text, { file: file.path });
    const keep = r.module.constants !== undefined || (r.module.classes ?? []).some((c) => c.modelDefaults.length > 0 || c.bases.length > 0);
    return { references: r.references, ...(keep ? { codeModules: [r.module] } : {}), ...(r.pending.length ? { pendingCode: r.pending } : {}) };
  },
};
