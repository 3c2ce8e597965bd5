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
import type { ComponentRole, Diagnostic, ModelReference, ReferenceKind, ReferenceUsage, Relation } from "../../../model/types.js";
import { codeReference, isModelShaped, MODEL_NAME, NOT_MODEL_NAME } from "../../code/model-ref.js";
import { hostedProviderOf, isTestPath, providerOfName, providerOfPath, providerOfPythonCall, providersOfPythonImports } from "../../code/hosted.js";
import { CODE_ANALYSIS_MAX_BYTES, withTree, walkNamed, type SyntaxNode } from "../../code/tree-sitter.js";
import { parseJsonDocument } from "../../document.js";
import { FileTooLargeError } from "../../file-reader.js";
import { callArgs, collectScope, enclosingFunction, importFacts, qualify, resolve, resolveMany, stringValue, type Args, type Scope, type Value } from "./flow.js";
import { registryEntries } from "./registries.js";
import { roleOfKey } from "../../roles.js";
import { loadersFor, sizeAliasUpstream, type LoaderRow } from "../../code/loaders.js";
import { FAMILY_KEY, FAMILY_TOKEN, familyKeyOf, isTrue, loadedFrom, openedFile, quantizationOf, recipeFacts, stateDictOwner } from "./derivations.js";
import type { CodeClassFacts, CodeModuleFacts, Extractor, ExtractOutput, PendingCodeReference } from "../../types.js";
import { weightFormatOf } from "../../../formats/weight-format.js";

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


function line(n: SyntaxNode, o: PythonSourceOptions): { file: string; line: number; column: number; pointer?: string } {
  return { file: o.file, line: n.startPosition.row + 1 + (o.lineOffset ?? 0), column: n.startPosition.column + 1, ...(o.pointer ? { pointer: o.pointer } : {}) };
}

const MAIN_TYPES: ReadonlySet<string> = new Set(["call", "assignment", "default_parameter", "typed_default_parameter", "pair", "for_statement", "comparison_operator", "if_statement"]);
const MAIN_TYPES_WITH_STRINGS: ReadonlySet<string> = new Set([...MAIN_TYPES, "string"]);

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

/**
 * Fields other modules can read from a module's objects, keyed as the importing code writes them: `Class.FIELD` and
 * `Class().FIELD` for a class-body field with a constant (or `os.getenv` / `os.environ`) value (a dataclass or a
 * pydantic `BaseSettings`), `factory().FIELD` for a top-level function that returns `Class(...)`, and `obj.FIELD`
 * for a module-level `obj = Class(...)`.
 */
function moduleFields(root: SyntaxNode, scope: Scope): Record<string, { value: string; line: number }> {
  const byClass = new Map<string, Record<string, { value: string; line: number }>>();
  const tops = root.namedChildren.filter((t): t is SyntaxNode => !!t).map((t) => (t.type === "decorated_definition" ? t.childForFieldName("definition") ?? t : t));
  for (const cls of tops) {
    if (cls.type !== "class_definition") continue;
    const fields: Record<string, { value: string; line: number }> = {};
    for (const st of cls.childForFieldName("body")?.namedChildren ?? []) {
      const a = st?.type === "expression_statement" ? st.namedChildren[0] : undefined;
      const left = a?.type === "assignment" ? a.childForFieldName("left") : undefined;
      const right = a?.childForFieldName("right");
      if (left?.type !== "identifier" || !right) continue;
      const v = resolve(right, scope);
      if ("value" in v) fields[left.text] = { value: v.value, line: right.startPosition.row + 1 };
    }
    if (Object.keys(fields).length) byClass.set(cls.childForFieldName("name")?.text ?? "", fields);
  }
  const out: Record<string, { value: string; line: number }> = {};
  const add = (prefix: string, cls: string | undefined): void => {
    for (const [k, v] of Object.entries(byClass.get(cls ?? "") ?? {})) out[`${prefix}.${k}`] = v;
  };
  for (const cls of byClass.keys()) {
    add(cls, cls);
    add(`${cls}()`, cls);
  }
  for (const t of tops) {
    if (t.type === "function_definition") {
      const body = t.childForFieldName("body")?.namedChildren.filter((c): c is SyntaxNode => !!c && c.type !== "comment" && c.type !== "expression_statement") ?? [];
      const ret = body.length === 1 && body[0]!.type === "return_statement" ? body[0]!.namedChildren[0] : undefined;
      if (ret?.type === "call") add(`${t.childForFieldName("name")?.text}()`, ret.childForFieldName("function")?.text);
    }
    const a = t.type === "expression_statement" ? t.namedChildren[0] : undefined;
    const left = a?.type === "assignment" ? a.childForFieldName("left") : undefined;
    const right = a?.childForFieldName("right");
    if (left?.type === "identifier" && right?.type === "call" && (scope.assignments.get(left.text)?.length ?? 0) === 1) add(left.text, right.childForFieldName("function")?.text);
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

function roleOfClass(cls: string): ComponentRole | undefined {
  if (/Tokenizer/.test(cls)) return "tokenizer";
  if (/(?:Processor|FeatureExtractor)/.test(cls)) return "processor";
  if (/^Peft/.test(cls)) return "adapter";
  return undefined;
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
    /** Write references, and the in-process transforms applied to model objects (by the object's text). */
    const writes: ModelReference[] = [];
    const transforms = new Map<string, { relation: Relation; row: number }>();
    /** Key of a model object: its text within its function (`self.x` within its class). */
    const objectKey = (obj: SyntaxNode): string => {
      let scopeNode: SyntaxNode | null = enclosingFunction(obj);
      if (obj.text.startsWith("self.")) for (let p = obj.parent; p; p = p.parent) if (p.type === "class_definition") (scopeNode = p);
      return `${scopeNode?.startIndex ?? -1}:${obj.text}`;
    };
    const atOf = (row: number): string => `${o.file}:${row + 1 + (o.lineOffset ?? 0)}`;
    type EmitOptions = { role?: ComponentRole; relation?: Relation; kind?: ReferenceKind; provider?: string; call?: Args; facts?: Record<string, string | number | boolean>; usage?: ReferenceUsage; at?: SyntaxNode };
    // The hosted provider the file's folders or its one provider SDK name (`providers/groq.py`, `import anthropic`).
    const sdks = providersOfPythonImports(scope.imports.values());
    const fileProvider = providerOfPath(o.file) ?? (sdks.length === 1 ? sdks[0] : undefined);
    /** Value-flow rule "hosted model": a constant bare model name whose call, key or file names a provider. */
    const hostedOf = (value: SyntaxNode, ctx: { call?: string; name?: string }): { kind: "hosted-model"; provider: string } | undefined => {
      const v = resolve(value, scope);
      if (!("value" in v) || isModelShaped(v.value) || isTestPath(o.file)) return undefined;
      const provider = hostedProviderOf(v.value, { call: ctx.call, name: ctx.name ? providerOfName(ctx.name) : undefined, file: fileProvider });
      return provider ? { kind: "hosted-model", provider } : undefined;
    };
    const emit = (arg: SyntaxNode, opts: EmitOptions): ModelReference[] => {
      const loc = opts.at ?? arg;
      if (seen.has(loc.startIndex)) return [];
      seen.add(loc.startIndex);
      const single = resolve(arg, scope);
      // A value only known at run time may still take a few known values (a loop over a list, several callers).
      const many = "expression" in single ? resolveMany(arg, scope) : [];
      const expr = "expression" in single ? single.expression.slice(0, 300) : "";
      const values: Value[] = many.length > 0 ? many.map((m) => ({ value: m.value, facts: { ...m.facts, expression: expr, ...(many.length > 1 ? { values: many.length } : {}), ...Object.fromEntries(Object.entries(m.rows).map(([k, r]) => [k, atOf(r)])) } })) : [single];
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
        const fname = opts.call.keywords.get("filename");
        if (fname) {
          const fv = resolve(fname, scope);
          if ("value" in fv) facts.filename = fv.value;
        }
        if (isTrue(opts.call.keywords.get("local_files_only"))) facts.localFilesOnly = true;
        const quant = quantizationOf(opts.call, scope);
        if (quant) Object.assign(facts, { quantization: quant.value, quantizationAt: atOf(quant.node.startPosition.row) });
      }
      const out: ModelReference[] = [];
      for (const v of values) {
        const f: Record<string, string | number | boolean> = { ...facts };
        if ("value" in v) Object.assign(f, v.facts ?? {});
        else Object.assign(f, importFacts(arg, scope));
        if (opts.usage && opts.usage !== "load" && "value" in v && typeof f.definedAtLine === "number" && !f.definedAt) f.definedAt = atOf(f.definedAtLine - 1);
        // A run-time value is one unknown per function: the report groups its occurrences by file, function and text.
        if (!("value" in v)) {
          const fnName = enclosingFunction(loc)?.childForFieldName("name")?.text;
          if (fnName) f.function = fnName;
        }
        if ("value" in v && /(?:^|\/)modules\.(?:tar(?:\.gz)?|tgz|zip)$/.test(v.value)) Object.assign(f, { hfModulesCache: true, remoteCode: true });
        const ref = codeReference({
          extractor,
          location: line(loc, o),
          ...("value" in v ? { value: v.value } : { expression: v.expression }),
          ...(opts.kind ? { kind: opts.kind } : {}),
          ...(opts.provider ? { provider: opts.provider } : {}),
          ...(opts.role ? { role: opts.role } : {}),
          ...(opts.relation ? { relation: opts.relation } : {}),
          ...(opts.usage ? { usage: opts.usage } : {}),
          ...(revision ? { revision } : {}),
          facts: f,
          baseDir,
        });
        if (typeof f.filename === "string" && !ref.facts?.weightFormat) {
          const wf = weightFormatOf(f.filename);
          if (wf) ref.facts = { ...(ref.facts ?? {}), weightFormat: wf };
        }
        refs.push(ref);
        out.push(ref);
      }
      return out;
    };
    /** One call of a loader-table row (`src/extract/code/loaders.ts`): its model argument, by what its values look like. */
    const emitLoader = (row: LoaderRow, call: SyntaxNode, a: Args, q: string): void => {
      if (row.dataset) return;
      const arg = row.position === undefined ? row.keywords.map((k) => a.keywords.get(k)).find((x) => x) : pick(a, [...row.keywords], row.position);
      const facts = { loader: q, library: row.library };
      const common = { ...(row.role ? { role: row.role } : {}), ...(row.relation ? { relation: row.relation } : {}) };
      if (!arg) {
        // The library's default model (`FaceAnalysis()` loads buffalo_l).
        if (!row.defaultValue || seen.has(call.startIndex)) return;
        seen.add(call.startIndex);
        refs.push(codeReference({ extractor, location: line(call, o), value: row.defaultValue, kind: "known-component", ...common, facts: { ...facts, libraryDefault: true, ...(row.upstream ? { upstream: row.upstream.replace("{}", row.defaultValue) } : {}) } }));
        return;
      }
      const v = resolve(arg, scope);
      const value = "value" in v ? v.value : undefined;
      if (row.value === "size-alias" && value !== undefined && row.aliases?.[value] && !seen.has(arg.startIndex)) {
        seen.add(arg.startIndex);
        refs.push(codeReference({ extractor, location: line(arg, o), value: row.aliases[value]!, ...common, facts: { ...facts, sizeAlias: value } }));
        return;
      }
      if ((row.value === "model-pack" || row.value === "architecture") && value !== undefined && !isModelShaped(value) && !/^hf[-_]hub:/i.test(value)) {
        emit(arg, { kind: "known-component", ...common, call: a, facts: { ...facts, ...(row.upstream ? { upstream: row.upstream.replace("{}", value) } : {}) } });
        return;
      }
      emit(arg, { ...common, ...(row.kind ? { kind: row.kind } : {}), call: a, facts });
    };
    const pick = (a: Args, kws: string[], pos: number | undefined): SyntaxNode | undefined => {
      for (const k of kws) if (a.keywords.has(k)) return a.keywords.get(k);
      return pos === undefined ? undefined : a.positional[pos];
    };

    walkNamed(root, (n) => {
      if (n.type === "for_statement") {
        // State-dict arithmetic: `for k, v in a.state_dict().items(): sd[k] = v + alpha * (sd[k] - v)` with
        // `sd = b.state_dict()` merges `a` into `b` (a chat vector, task arithmetic).
        const right = n.childForFieldName("right");
        const body = n.childForFieldName("body");
        const from = stateDictOwner(right, scope);
        if (!right || !body || !from) return;
        for (const asg of body.descendantsOfType("assignment")) {
          const l = asg?.childForFieldName("left");
          const r = asg?.childForFieldName("right");
          if (!asg || !r || l?.type !== "subscript" || (r.type !== "binary_operator" && r.descendantsOfType("binary_operator").length === 0)) continue;
          const into = stateDictOwner(l.childForFieldName("value"), scope);
          if (!into || into.text === from.text) continue;
          const src = loadedFrom(from, scope);
          const dst = loadedFrom(into, scope);
          const dv = dst ? resolve(dst.node, scope) : undefined;
          emit(src?.node ?? from, { at: right, usage: "transform", relation: "merge", facts: { transform: "state-dict-arithmetic", operation: r.text.slice(0, 120), object: into.text, mergedFrom: from.text, ...(dv ? ("value" in dv ? { mergedInto: dv.value } : { mergedIntoExpression: dv.expression }) : {}) } });
          transforms.set(objectKey(into), { relation: "merge", row: right.startPosition.row });
          break;
        }
        return;
      }
      if (n.type === "comparison_operator") {
        // `config.model_type == "llava"`, `getattr(cfg, "speech_encoder_type") == "glm4voice"`: names a family.
        const ops = n.children.filter((c) => c && !c.isNamed).map((c) => c!.text);
        const [l, r] = n.namedChildren;
        if (!l || !r || ops.length !== 1 || (ops[0] !== "==" && ops[0] !== "!=")) return;
        const lit = l.type === "string" ? l : r.type === "string" ? r : undefined;
        const other = lit === l ? r : l;
        const key = lit && other.type !== "string" ? familyKeyOf(other, scope) : undefined;
        const v = lit && key ? stringValue(lit, scope, 0) : undefined;
        if (lit && v && /^[A-Za-z][\w.-]{0,60}$/.test(v) && !seen.has(lit.startIndex)) {
          seen.add(lit.startIndex);
          refs.push(codeReference({ extractor, location: line(lit, o), value: v, kind: "known-component", usage: "name", facts: { familyKey: key!, comparedWith: other.text.slice(0, 120) } }));
        }
        return;
      }
      if (n.type === "if_statement") {
        // `if not os.path.exists(P): from step1_train import main` - the imported step produces the model at P.
        const cond = n.childForFieldName("condition");
        const inner = cond?.type === "not_operator" ? cond.childForFieldName("argument") : undefined;
        const f = inner?.type === "call" ? inner.childForFieldName("function") : undefined;
        if (!inner || !f) return;
        const fq = qualify(f, scope);
        let path: SyntaxNode | undefined;
        if (/^os\.path\.(?:exists|isdir|isfile)$/.test(fq)) path = callArgs(inner).positional[0];
        else if (f.type === "attribute" && /^(?:exists|is_dir)$/.test(f.childForFieldName("attribute")?.text ?? "")) {
          const obj = f.childForFieldName("object");
          path = obj?.type === "call" && /^(?:Path|pathlib\.Path)$/.test(qualify(obj.childForFieldName("function")!, scope)) ? callArgs(obj).positional[0] : obj ?? undefined;
        }
        const imp = n.childForFieldName("consequence")?.namedChildren.find((c) => c?.type === "import_from_statement" || c?.type === "import_statement");
        if (!path || !imp) return;
        const v = resolve(path, scope);
        if (!("value" in v) || !isModelShaped(v.value)) return;
        const mod = imp.type === "import_from_statement" ? imp.childForFieldName("module_name")?.text : imp.childForFieldName("name")?.text;
        emit(path, { at: imp, usage: "write", facts: { producedBy: mod ?? imp.text, guard: cond!.text.slice(0, 120) } });
        return;
      }
      if (n.type === "call") {
        const fn = n.childForFieldName("function");
        if (!fn) return;
        const q = qualify(fn, scope);
        const last = q.split(".").pop() ?? q;
        const owner = q.split(".").slice(-2, -1)[0] ?? "";
        const a = callArgs(n);
        const fromModelscope = q.startsWith("modelscope.");
        // Outputs: `model.save_pretrained(dir)` writes a model derived from what `model` was loaded from.
        if ((last === "save_pretrained" || last === "save_model" || last === "save_quantized") && fn.type === "attribute") {
          const arg = pick(a, ["save_directory", "output_dir"], 0);
          const obj = fn.childForFieldName("object");
          if (!arg || !obj) return;
          const src = loadedFrom(obj, scope);
          const sv = src ? resolve(src.node, scope) : undefined;
          const role = roleOfClass(src?.loader.split(".").slice(-2, -1)[0] ?? "");
          writes.push(...emit(arg, { usage: "write", ...(role ? { role } : {}), facts: { writer: `${obj.text}.${last}`, object: obj.text, objectKey: objectKey(obj), ...(sv ? ("value" in sv ? { derivedFrom: sv.value } : { derivedFromExpression: sv.expression }) : {}), ...(src ? { derivedFromLoad: atOf(src.node.startPosition.row) } : {}), ...(isTrue(a.keywords.get("save_compressed")) ? { saveCompressed: true } : {}) } }));
          return;
        }
        // llm-compressor one-shot quantization of a loaded model (https://docs.vllm.ai/projects/llm-compressor).
        if (last === "oneshot" && /^llmcompressor(?:\.|$)/.test(q)) {
          const m = pick(a, ["model"], 0);
          if (m) {
            const src = loadedFrom(m, scope);
            emit(src?.node ?? m, { at: m, usage: "transform", relation: "quantized", facts: { transform: q, object: m.text, ...recipeFacts(a.keywords.get("recipe"), scope) } });
            transforms.set(objectKey(m), { relation: "quantized", row: n.startPosition.row });
          }
          const out = a.keywords.get("output_dir");
          if (out) writes.push(...emit(out, { usage: "write", relation: "quantized", facts: { writer: q, ...(m ? { object: m.text, objectKey: objectKey(m) } : {}) } }));
          return;
        }
        // AutoAWQ / AutoGPTQ: `model.quantize(...)` on a loaded model.
        if (last === "quantize" && fn.type === "attribute") {
          const obj = fn.childForFieldName("object");
          const src = obj ? loadedFrom(obj, scope) : undefined;
          if (obj && src) {
            emit(src.node, { at: fn.childForFieldName("attribute") ?? fn, usage: "transform", relation: "quantized", facts: { transform: `${src.loader}.quantize`, object: obj.text } });
            transforms.set(objectKey(obj), { relation: "quantized", row: n.startPosition.row });
          }
          return;
        }
        // A monkey-patch named after a model family (`patch_qwen3vl_rope(model)`, `replace_llama_attn_with_flash_attn()`)
        // claims the architecture it patches; it loads nothing.
        if (fn.type === "identifier") {
          const pm = /^(?:monkey_?patch|patch|replace|apply)_(\w+)$/i.exec(fn.text);
          const family = pm?.[1]!.split("_").find((t) => FAMILY_TOKEN.test(t));
          if (family && !seen.has(fn.startIndex)) {
            seen.add(fn.startIndex);
            refs.push(codeReference({ extractor, location: line(fn, o), value: family, kind: "known-component", usage: "name", facts: { patch: fn.text, claims: "architecture", ...importFacts(fn, scope) } }));
            return;
          }
        }
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
          // `repo_type="dataset"` (huggingface_hub): the repo is a dataset, never a model.
          const rt = a.keywords.get("repo_type");
          const rtv = rt ? resolve(rt, scope) : undefined;
          const dataset = rtv && "value" in rtv && rtv.value === "dataset";
          if (arg) emit(arg, { call: a, ...(fromModelscope ? { kind: "modelscope-id" as const } : {}), facts: { loader: fromModelscope ? `modelscope.${last}` : last, ...(dataset ? { repoType: "dataset" } : {}) } });
          return;
        }
        // `datasets.load_dataset(path, ...)`, https://huggingface.co/docs/datasets/package_reference/loading_methods:
        // a dataset (Hub id, builder name or local folder), recorded as one so it is never taken for a model.
        if (last === "load_dataset" || last === "load_from_disk") {
          const arg = pick(a, ["path", "dataset_path"], 0);
          if (arg) emit(arg, { call: a, facts: { loader: last, repoType: "dataset" } });
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
              const ref = codeReference({ extractor, location: line(repo, o), value: `${rv.value}:${mv.value}`, kind: "known-component", facts: { loader: "torch.hub.load", repo: rv.value, entrypoint: mv.value } });
              // raw is the repository argument as written; the target keeps the entry point.
              refs.push({ ...ref, raw: rv.value });
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
        const rows = loadersFor("python", q, last);
        if (rows.length) {
          for (const row of rows) emitLoader(row, n, a, q);
          return;
        }
        // argparse: `add_argument("--model-path", default="...")` names the model a script loads by default.
        if (last === "add_argument") {
          // The long flag names the destination (`"-c", "--checkpoint-path"`).
          const flags = a.positional.filter((p) => p.type === "string");
          const flag = flags.find((p) => /^['"]--/.test(p.text)) ?? flags[0];
          const def = a.keywords.get("default");
          const flagName = flag ? (stringValue(flag, scope, 0) ?? "").replace(/^-+/, "").replace(/-/g, "_") : "";
          if (def && (def.type === "string" || def.type === "concatenated_string") && ((MODEL_NAME.test(flagName) && !NOT_MODEL_NAME.test(flagName)) || /model|ckpt|checkpoint|adapter|base|encoder|tower|tokenizer|lora|vocoder/i.test(flagName))) {
            const dv = resolve(def, scope);
            const alias = "value" in dv ? sizeAliasUpstream(dv.value, scope.imports.values()) : undefined;
            if (alias && !seen.has(def.startIndex)) {
              // A size alias of a library the script imports (`--model small` in a whisperx CLI).
              seen.add(def.startIndex);
              refs.push(codeReference({ extractor, location: line(def, o), value: alias.repo, facts: { cliFlag: flagName, sizeAlias: (dv as { value: string }).value, library: alias.row.library } }));
            } else emit(def, { ...hostedOf(def, { name: flagName }), facts: { cliFlag: flagName } });
          }
          return;
        }
        // Weight downloads through a helper (`download_weights(url, dest)`, Cog's `pget`) and vocoder checkpoints.
        if (/download_?(?:weights?|models?|ckpts?|checkpoints?)|(?:weights?|models?|checkpoints?)_?download|^pget$|^load_state_dict_from_url$|^download_url_to_file$/i.test(last) || /Vocoder$/.test(last)) {
          const arg = a.positional[0];
          const role = /Vocoder$/.test(last) ? { role: "audio-decoder" as const } : {};
          if (arg) emit(arg, { call: a, ...role, facts: { loader: last } });
          // The download's destination, when it is a known folder: the weights are written there.
          const dest = /Vocoder$/.test(last) ? undefined : a.positional[1] ?? a.keywords.get("dest") ?? a.keywords.get("local_dir") ?? a.keywords.get("destination");
          if (dest && "value" in resolve(dest, scope)) emit(dest, { usage: "write", facts: { writer: last, ...(arg ? { downloadedFrom: arg.text.slice(0, 120) } : {}) } });
          // A config file read with open() and handed to the loader (`CodeHiFiGANVocoder(ckpt, json.load(f))`).
          for (const other of [...a.positional.slice(1), ...a.keywords.values()]) {
            const path = openedFile(other, scope);
            if (path) emit(path, { ...role, facts: { loader: "open", configFor: last, configFile: true } });
          }
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
        // Value-flow rule "weight file join": `os.path.join(<run-time dir>, "assets", "model.bin")` names a weight file
        // shipped with the code by its constant tail.
        if (/^(?:os\.path|posixpath|path)\.join$/.test(q) && !seen.has(n.startIndex)) {
          const tail: string[] = [];
          for (const p of [...a.positional].reverse()) {
            const pv = resolve(p, scope);
            if (!("value" in pv)) break;
            tail.unshift(pv.value);
          }
          const joined = tail.join("/");
          if (tail.length < a.positional.length && WEIGHT_FILE.test(joined)) {
            seen.add(n.startIndex);
            refs.push(codeReference({ extractor, location: line(n, o), value: joined, facts: { joinedWith: a.positional[0]!.text.slice(0, 120) }, baseDir }));
          }
        }
        // Any other call: a model-named keyword argument with a model-shaped constant (a registry dataclass), or a
        // hosted model name sent to a provider (`ChatOpenAI(model="gpt-4o")`, `client.messages.create(model=...)`).
        const callProvider = providerOfPythonCall(q);
        if (callProvider && a.positional[0] && ![...a.keywords.keys()].some(isModelParam)) {
          const h = hostedOf(a.positional[0], { call: callProvider });
          if (h) emit(a.positional[0], { ...h, call: a, facts: { loader: q } });
        }
        for (const [k, v] of a.keywords) {
          if (!MODEL_NAME.test(k) || NOT_MODEL_NAME.test(k)) continue;
          const h = !scope.usesOllama ? hostedOf(v, { ...(callProvider ? { call: callProvider } : {}), name: k }) : undefined;
          if (h) {
            emit(v, { ...h, call: a, facts: { keyword: k, loader: q } });
            continue;
          }
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
        value = fieldDefault(n.childForFieldName("right"), scope);
      } else if (n.type === "default_parameter" || n.type === "typed_default_parameter") {
        name = n.childForFieldName("name")?.text;
        value = n.childForFieldName("value");
      } else if (n.type === "pair") {
        const k = n.childForFieldName("key");
        name = k?.type === "string" ? k.text.replace(/^['"]|['"]$/g, "") : undefined;
        value = n.childForFieldName("value");
      }
      if (!name || !value) return;
      if (n.type === "assignment") {
        // A table of models picked by key at run time: every entry may be the one loaded.
        const entries = registryEntries(n.childForFieldName("left"), value, scope, (v) => hostedProviderOf(v, { name: providerOfName(name), file: fileProvider }) !== undefined);
        for (const e of entries) emit(e.node, { ...(e.shape === "alias" ? hostedOf(e.node, { name }) ?? { kind: "known-component" as const } : {}), facts: { registry: name, ...(e.key !== undefined ? { registryKey: e.key } : {}) } });
        if (entries.length) return;
      }
      const bare = name.replace(/^self\./, "");
      const named = (MODEL_NAME.test(bare) || /(?:_PATH|_VERSION|_CKPT|_REPO)$/.test(bare) || /MODEL_?(?:PATH|DIR|NAME|ID)/i.test(bare) || PART_NAME.test(bare)) && !NOT_MODEL_NAME.test(bare.replace(/_PATH$|_VERSION$|_PATH_.*$/, ""));
      if (FAMILY_KEY.test(bare) && value.type === "string") {
        // A family key (`SLM_MODEL_TYPE = "qwen3"`, `{"model_type": "llava"}`): names a family, loads nothing.
        const fv = stringValue(value, scope, 0);
        if (fv && /^[A-Za-z][\w.-]{0,60}$/.test(fv) && !/^(?:none|null|auto|default|custom|true|false)$/i.test(fv)) emit(value, { kind: "known-component", usage: "name", facts: { variable: bare, familyKey: true } });
        return;
      }
      if (n.type === "pair" && (value.type === "identifier" || value.type === "attribute") && (named || /(?:^|_)base(?:_|$)/i.test(bare))) {
        // A record the code writes (`json.dump({"lora_base": LORA_MODEL}, f)`) names the model it came from.
        const r = resolve(value, scope);
        if ("value" in r && isModelShaped(r.value)) emit(value, { usage: "name", facts: { key: bare, recorded: true } });
        return;
      }
      if (value.type !== "string" && value.type !== "concatenated_string") {
        // A model-named setting read from the environment (`X: str = os.environ["X"]`, a default `env.X_MODEL`).
        const r0 = named && MODEL_NAME.test(bare) && n.type === "pair" ? resolve(value, scope) : undefined;
        if (r0 && "value" in r0 && /^\$\{[^}]*:-[^}]+\}$/.test(r0.value)) {
          // A dict entry read from the environment with a default (`"generation_model": os.getenv("X", "org/m")`).
          emit(value, { facts: { key: bare } });
          return;
        }
        if (named && MODEL_NAME.test(bare) && n.type !== "pair") {
          const r = resolve(value, scope);
          const envLike = "value" in r ? /^\$\{/.test(r.value) : /^(?:os\.environ|os\.getenv|env\.|settings\.|config\.)/.test(value.text) || /\.[A-Z][A-Z0-9_]*$/.test(value.text);
          if (envLike) emit(value, { facts: { variable: bare } });
        }
        return;
      }
      const v = stringValue(value, scope, 0);
      if (v === undefined) return;
      // A path setting (`embed_path`, `dvae_ckpt_path`) names a model when its value is a weight file or the name says
      // checkpoint / weights.
      // A parameter or field typed as a model (`segmentation: PipelineModel = "org/x"`) holds one, whatever its name.
      const typedModel = /Model\b|Checkpoint\b/.test((n.type === "typed_default_parameter" || n.type === "assignment" ? n.childForFieldName("type")?.text : undefined) ?? "");
      const pathNamed = typedModel || /(?:_|^)(?:path|file)$/i.test(bare) && (WEIGHT_FILE.test(v) || /ckpt|checkpoint|weight/i.test(bare)) && !/(?:^|_)(?:data|dataset|log|output|save|out|config|cfg|json|yaml|csv|txt|audio|image|video|wav|img)(?:_|$)/i.test(bare);
      if (/models--[\w.-]+--[\w.-]+/.test(v) || ((named || pathNamed) && isModelShaped(v))) emit(value, { facts: { variable: bare } });
      else if (named && MODEL_NAME.test(bare) && /^[A-Za-z0-9][\w.-]*(?::[\w.-]+)?$/.test(v) && !/^(?:true|false|none|null|auto|cpu|cuda|\d+(?:\.\d+)?)$/i.test(v)) {
        // A bare name under a model-named variable: an Ollama tag where the file uses Ollama, a hosted model where the
        // variable, the file or the name's shape names a provider, else an alias we keep.
        const h = scope.usesOllama ? undefined : hostedOf(value, { name: bare });
        emit(value, { ...(h ?? { kind: scope.usesOllama ? "ollama-tag" : "known-component" }), facts: { variable: bare } });
      }
    }, text.includes("models--") ? MAIN_TYPES_WITH_STRINGS : MAIN_TYPES);
    for (const w of writes) {
      const { objectKey: key, ...facts } = w.facts ?? {};
      w.facts = facts;
      const t = typeof key === "string" ? transforms.get(key) : undefined;
      if (!t || t.row + 1 + (o.lineOffset ?? 0) > (w.location.line ?? 0)) continue;
      w.relation ??= t.relation;
      w.facts = { ...(w.facts ?? {}), transformAt: atOf(t.row) };
    }
    const constants = { ...moduleFields(root, scope), ...moduleConstants(root, scope) };
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

/**
 * Value-flow rule "field default": a dataclass or pydantic field declared with `field(default=X)` / `Field(X)` takes
 * `X` (`model_name_or_path: str = field(default="org/base")`); any other value is itself.
 */
export function fieldDefault(value: SyntaxNode | null, scope: Scope): SyntaxNode | null {
  if (value?.type !== "call") return value;
  const fq = qualify(value.childForFieldName("function")!, scope);
  if (!/^(?:dataclasses\.field|field|pydantic\.Field|pydantic\.fields\.Field|Field|attr\.ib|attrs\.field)$/.test(fq)) return value;
  const a = callArgs(value);
  return a.keywords.get("default") ?? (/Field$/.test(fq) ? a.positional[0] : undefined) ?? value;
}

/** A weight file by its extension (pickle, safetensors, GGUF, ONNX, CTranslate2 / TensorRT engines). */
const WEIGHT_FILE = /\.(?:bin|pt|pth|ckpt|pkl|safetensors|gguf|onnx|engine|plan|tflite|mlmodel)$/i;

/** Names of a model part's setting (`vision_tower`, `audio_encoder_path`, `vocoder_name`): the role-key table's. */
const PART_NAME = { test: (name: string): boolean => roleOfKey(name) !== undefined && roleOfKey(name) !== "model" };

/** Words one of the recognised loaders or model-named settings needs; a file without any is not parsed. */
const PREFILTER = /pretrained|pipeline|model|download|Transformer|Encoder|Client|hub|whisper|ollama|repo_id|ckpt|checkpoint|LLM|Embedding|Vocoder|open_clip|torch\.load|load_file|safe_open|pget|models--|\.(?:gguf|safetensors|pt|pth|bin)\b/i;

function isPythonPath(path: string, base: string): boolean {
  if (/\.(?:py|pyw|ipynb)$/.test(base)) return true;
  // Extensionless scripts in script folders are sniffed for a Python shebang in extract().
  return !base.includes(".") && /(?:^|\/)(?:scripts|bin|tools)\/[^/]+$/.test(path);
}

/** Code cells of a notebook, each with its pointer and text. */
function notebookCells(text: string): { pointer: string; source: string }[] {
  const data = parseJsonDocument(text).data as { cells?: unknown } | null;
  const out: { pointer: string; source: string }[] = [];
  if (data === null || typeof data !== "object" || Array.isArray(data)) throw new Error("notebook is not a JSON object (nbformat: https://nbformat.readthedocs.io/)");
  if (data.cells !== undefined && !Array.isArray(data.cells)) throw new Error("notebook 'cells' is not a list (nbformat)");
  ((data.cells ?? []) as { cell_type?: string; source?: string | string[] }[]).forEach((c, i) => {
    if (c?.cell_type !== "code") return;
    const src = Array.isArray(c.source) ? c.source.join("") : typeof c.source === "string" ? c.source : "";
    // IPython magics and shell escapes are not Python: blank them, keeping line numbers.
    out.push({ pointer: `/cells/${i}/source`, source: src.split("\n").map((l) => (/^\s*[%!]/.test(l) ? "" : l)).join("\n") });
  });
  return out;
}

export const pythonCodeExtractor: Extractor = {
  id: ID,
  holdsReferences: true,
  description: "Python source and notebooks (tree-sitter): from_pretrained, pipeline, hub downloads, LangChain, vLLM, Ollama, whisper",
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
        const d: Diagnostic = { code: "parse-error", severity: "warning", message: `notebook: ${(err as Error).message}`, location: { file: file.path } };
        return { diagnostics: [d] };
      }
      const codeBytes = cells.reduce((n, c) => n + Buffer.byteLength(c.source), 0);
      if (codeBytes > CODE_ANALYSIS_MAX_BYTES) throw new FileTooLargeError(codeBytes, CODE_ANALYSIS_MAX_BYTES);
      const references: ModelReference[] = [];
      for (const c of cells) references.push(...(await extractPythonSource(c.source, { file: file.path, pointer: c.pointer })));
      return { references };
    }
    const text = await file.text(Math.min(ctx.maxTextBytes, CODE_ANALYSIS_MAX_BYTES));
    // Cheap pre-filter: a file that names no model-ish word has nothing for us; skip the parse. (A module without
    // those words defines no model-named constant or constructor default either.)
    if (!PREFILTER.test(text)) return {};
    const r = await extractPythonModule(text, { file: file.path });
    const keep = r.module.constants !== undefined || (r.module.classes ?? []).some((c) => c.modelDefaults.length > 0 || c.bases.length > 0);
    return { references: r.references, ...(keep ? { codeModules: [r.module] } : {}), ...(r.pending.length ? { pendingCode: r.pending } : {}) };
  },
};
