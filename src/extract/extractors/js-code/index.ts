/**
 * JavaScript and TypeScript (`.js .mjs .cjs .jsx .ts .mts .cts .tsx`), parsed with tree-sitter: transformers.js
 * (`@huggingface/transformers`, `@xenova/transformers`) `pipeline(task, model, options)` and
 * `<AnyClass>.from_pretrained(id, options)`, `@huggingface/inference` calls whose argument object names a `model`,
 * LangChain.js Hugging Face / Ollama classes, and string constants under model-named keys and variables (including
 * objects whose keys are Hub ids, e.g. a model menu). `options.revision` becomes the reference's revision.
 * A `const` assigned once in the file resolves to its string; anything else is `dynamic-value` with its expression.
 */
import { pushTo } from "../../../util/multimap.js";
import { posix } from "node:path";
import type { ComponentRole, ModelReference, ReferenceKind, SourceLocation } from "../../../model/types.js";
import { codeReference, isModelShaped, MODEL_NAME, NOT_MODEL_NAME } from "../../code/model-ref.js";
import { providerOfJs, providerOfPath } from "../../code/hosted.js";
import { loadersFor } from "../../code/loaders.js";
import { hostedCandidate, HOSTED_TYPES } from "./hosted.js";
import { CODE_ANALYSIS_MAX_BYTES, withTree, walkNamed, type GrammarId, type SyntaxNode } from "../../code/tree-sitter.js";
import { parseHubId } from "../../../util/hub-id.js";
import { stableId } from "../../../util/hash.js";
import type { CodeModuleFacts, Extractor, ExtractOutput } from "../../types.js";
import { hasPathPrefix } from "../../../util/path-shape.js";

const ID = "js-code";

type Value = { value: string; facts?: Record<string, string | number | boolean> } | { expression: string };

interface Scope {
  consts: Map<string, SyntaxNode[]>;
  imports: Map<string, string>;
  /** Local names bound by an import: the module specifier and the imported name (`default`, `*` or the export). */
  importSyms: Map<string, { module: string; name: string }>;
  /** React state variables (`const [model, setModel] = useState(init)`): their initial value is in `consts`. */
  states: Set<string>;
  /** Parameters without a default: never constant. */
  params: Set<string>;
  /** `name += <expr>`: the right-hand sides, in source order (an id built by concatenation). */
  appends: Map<string, SyntaxNode[]>;
  /** Names bound to a validated config (`const { model } = schema.parse(input)`, `const cfg = schema.parse(x)`). */
  parsed: Set<string>;
}


function grammarFor(path: string): GrammarId {
  if (/\.tsx$/.test(path)) return "tsx";
  if (/\.(?:ts|mts|cts)$/.test(path)) return "typescript";
  return "javascript";
}

function stringOf(n: SyntaxNode, scope: Scope, depth: number): string | undefined {
  if (n.type === "string") return n.namedChildren.filter((c): c is SyntaxNode => !!c).map((c) => (c.type === "escape_sequence" ? c.text.slice(1) : c.text)).join("");
  if (n.type === "template_string") {
    let out = "";
    for (const c of n.namedChildren) {
      if (!c) continue;
      if (c.type === "string_fragment") out += c.text;
      else if (c.type === "escape_sequence") out += c.text.slice(1);
      else if (c.type === "template_substitution") {
        const e = c.namedChildren[0];
        const v = e ? resolve(e, scope, depth + 1) : undefined;
        if (!v || !("value" in v)) return undefined;
        out += v.value;
      }
    }
    return out;
  }
  return undefined;
}

function resolve(n: SyntaxNode, scope: Scope, depth = 0): Value {
  if (depth > 8) return { expression: n.text };
  if (n.type === "string" || n.type === "template_string") {
    const v = stringOf(n, scope, depth);
    return v === undefined ? { expression: n.text } : { value: v };
  }
  if (n.type === "parenthesized_expression" && n.namedChildren[0]) return resolve(n.namedChildren[0], scope, depth + 1);
  if (n.type === "binary_expression" && n.childForFieldName("operator")?.text === "+") {
    const l = resolve(n.childForFieldName("left")!, scope, depth + 1);
    const r = resolve(n.childForFieldName("right")!, scope, depth + 1);
    return "value" in l && "value" in r ? { value: l.value + r.value } : { expression: n.text };
  }
  const env = /^process\.env\.([A-Za-z_][A-Za-z0-9_]*)$/.exec(n.text);
  if (env) return { value: `\${${env[1]}}`, facts: { envLookup: true } };
  if (n.type === "identifier" || n.type === "shorthand_property_identifier") {
    const defs = scope.consts.get(n.text) ?? [];
    if (defs.length === 1 && !scope.params.has(n.text)) {
      const v = resolve(defs[0]!, scope, depth + 1);
      if ("value" in v) return { value: v.value, facts: { ...(v.facts ?? {}), variable: n.text, definedAtLine: defs[0]!.startPosition.row + 1, ...(scope.states.has(n.text) ? { resolvedFrom: "initial-state" } : {}) } };
    }
  }
  return { expression: n.text };
}

/**
 * Where a run-time value comes from another module: an imported name, a member of an imported default or namespace
 * (`Constants.DEFAULT_MODEL`), followed through single `const` definitions and React state initial values.
 */
function importFacts(n: SyntaxNode, scope: Scope, depth = 0): Record<string, string> {
  if (depth > 8) return {};
  if (n.type === "identifier" || n.type === "shorthand_property_identifier") {
    const sym = scope.importSyms.get(n.text);
    if (sym && sym.name !== "*") return { importedFrom: sym.module, importedName: sym.name };
    const defs = scope.consts.get(n.text) ?? [];
    return defs.length === 1 ? importFacts(defs[0]!, scope, depth + 1) : {};
  }
  if (n.type === "member_expression") {
    const obj = n.childForFieldName("object");
    const prop = n.childForFieldName("property")?.text;
    const sym = obj?.type === "identifier" ? scope.importSyms.get(obj.text) : undefined;
    if (sym && prop) return { importedFrom: sym.module, importedName: sym.name === "*" ? prop : `${sym.name}.${prop}` };
  }
  return {};
}

const isModelKey = (k: string): boolean => MODEL_NAME.test(k) && !NOT_MODEL_NAME.test(k);

/** `useState(init)` / `React.useState<T>(init)`: the initial value, or undefined for another call. */
function useStateInit(value: SyntaxNode | null): SyntaxNode | undefined {
  if (value?.type !== "call_expression" || !/^(?:React\.)?useState$/.test(value.childForFieldName("function")?.text ?? "")) return undefined;
  return value.childForFieldName("arguments")?.namedChildren.find((a): a is SyntaxNode => !!a && a.type !== "comment") ?? undefined;
}

/** Exported string constants a module offers to its importers (only model-named or model-shaped ones). */
function moduleConstants(root: SyntaxNode, scope: Scope): Record<string, { value: string; line: number }> {
  const out: Record<string, { value: string; line: number }> = {};
  const take = (name: string, key: string, v: SyntaxNode | null): void => {
    if (!v || (v.type !== "string" && v.type !== "template_string")) return;
    const r = resolve(v, scope);
    if ("value" in r && (isModelKey(key) || isModelShaped(r.value))) out[name] = { value: r.value, line: v.startPosition.row + 1 };
  };
  for (const top of root.namedChildren) {
    if (top?.type !== "export_statement") continue;
    const decl = top.childForFieldName("declaration");
    if (decl?.type === "lexical_declaration") {
      for (const d of decl.namedChildren) if (d?.type === "variable_declarator" && d.childForFieldName("name")?.type === "identifier") take(d.childForFieldName("name")!.text, d.childForFieldName("name")!.text, d.childForFieldName("value"));
    }
    const value = top.childForFieldName("value");
    if (value?.type === "object") {
      for (const p of value.namedChildren) {
        const k = p?.type === "pair" ? keyName(p.childForFieldName("key")) : undefined;
        if (k) take(`default.${k}`, k, p!.childForFieldName("value"));
      }
    }
  }
  return out;
}

function keyName(k: SyntaxNode | null): string | undefined {
  if (!k) return undefined;
  if (k.type === "property_identifier" || k.type === "identifier") return k.text;
  if (k.type === "string") return k.namedChildren.map((c) => c?.text ?? "").join("");
  return undefined;
}

function objectProp(obj: SyntaxNode | undefined, name: string): SyntaxNode | undefined {
  if (obj?.type !== "object") return undefined;
  for (const p of obj.namedChildren) {
    if (p?.type === "pair" && keyName(p.childForFieldName("key")) === name) return p.childForFieldName("value") ?? undefined;
    if (p?.type === "shorthand_property_identifier" && p.text === name) return p;
  }
  return undefined;
}

/** Extracts model references from JavaScript / TypeScript text. */
export async function extractJsSource(text: string, file: string): Promise<ModelReference[]> {
  return (await extractJsModule(text, file)).references;
}

/** References of a JS/TS module and the model constants it exports (for importers in other files). */
export async function extractJsModule(text: string, file: string): Promise<{ references: ModelReference[]; module: CodeModuleFacts }> {
  const baseDir = posix.dirname(file) === "." ? "" : posix.dirname(file);
  return withTree(grammarFor(file), text, (root) => {
    const scope: Scope = { consts: new Map(), imports: new Map(), importSyms: new Map(), states: new Set(), params: new Set(), appends: new Map(), parsed: new Set() };
    walkNamed(root, (n) => {
      if (n.type === "variable_declarator") {
        const name = n.childForFieldName("name");
        const value = n.childForFieldName("value");
        if (name?.type === "identifier" && value) pushTo(scope.consts, name.text, value);
        if (name && isSchemaParse(value)) {
          if (name.type === "identifier") scope.parsed.add(name.text);
          for (const p of name.type === "object_pattern" ? name.namedChildren : []) {
            if (p?.type === "shorthand_property_identifier_pattern") scope.parsed.add(p.text);
            else if (p?.type === "pair_pattern" && p.childForFieldName("value")?.type === "identifier") scope.parsed.add(p.childForFieldName("value")!.text);
          }
        }
        const init = name?.type === "array_pattern" ? useStateInit(value) : undefined;
        const state = name?.namedChildren[0];
        if (init && state?.type === "identifier") {
          pushTo(scope.consts, state.text, init);
          scope.states.add(state.text);
        }
      } else if (n.type === "formal_parameters") {
        for (const c of n.namedChildren) {
          const p = c ? parameterOf(c) : undefined;
          if (!p) continue;
          if (p.value) pushTo(scope.consts, p.name, p.value);
          else scope.params.add(p.name);
        }
      } else if (n.type === "assignment_expression") {
        const left = n.childForFieldName("left");
        if (left?.type === "identifier") pushTo(scope.consts, left.text, n);
      } else if (n.type === "augmented_assignment_expression") {
        const left = n.childForFieldName("left");
        const right = n.childForFieldName("right");
        if (left?.type === "identifier" && right) {
          // Any compound assignment makes the name non-constant; `+=` keeps what it appends.
          pushTo(scope.consts, left.text, n);
          if (n.childForFieldName("operator")?.text === "+=") pushTo(scope.appends, left.text, right);
        }
      } else if (n.type === "import_statement") {
        const src = n.childForFieldName("source")?.namedChildren[0]?.text ?? "";
        const spec = src.replace(/^['"`]|['"`]$/g, "");
        for (const s of n.descendantsOfType("import_specifier")) {
          const local = s?.childForFieldName("alias")?.text ?? s?.childForFieldName("name")?.text;
          if (local) scope.imports.set(local, src);
          if (local && s?.childForFieldName("name")) scope.importSyms.set(local, { module: spec, name: s.childForFieldName("name")!.text });
        }
        const clause = n.namedChildren.find((c) => c?.type === "import_clause");
        for (const c of clause?.namedChildren ?? []) {
          if (c?.type === "identifier") scope.importSyms.set(c.text, { module: spec, name: "default" });
          if (c?.type === "namespace_import") {
            const id = c.namedChildren.find((x) => x?.type === "identifier");
            if (id) scope.importSyms.set(id.text, { module: spec, name: "*" });
          }
        }
      }
    }, SCOPE_TYPES);
    const refs: ModelReference[] = [];
    const seen = new Set<number>();
    const emit = (arg: SyntaxNode, opts: { role?: ComponentRole; kind?: ReferenceKind; provider?: string; options?: SyntaxNode; expression?: string; value?: string; facts?: Record<string, string | number | boolean>; feeds?: SourceLocation }): void => {
      if (seen.has(arg.startIndex)) return;
      seen.add(arg.startIndex);
      const v: Value = opts.value !== undefined ? { value: opts.value } : resolve(arg, scope);
      const facts: Record<string, string | number | boolean> = { ...(opts.facts ?? {}), ...("value" in v ? (v.facts ?? {}) : importFacts(arg, scope)) };
      let revision: string | undefined;
      const rev = objectProp(opts.options, "revision");
      if (rev) {
        const rv = resolve(rev, scope);
        if ("value" in rv) revision = rv.value;
        else {
          facts.revisionExpression = rv.expression;
          // `cond ? "no_attentions" : "main"`: the revisions it can pick.
          const alts = constantChoices(rev, scope);
          if (alts) facts.revisionCandidates = alts.join("|");
        }
        facts.revisionAt = `${file}:${rev.startPosition.row + 1}`;
      }
      const dtype = objectProp(opts.options, "dtype");
      if (dtype) {
        const dv = resolve(dtype, scope);
        if ("value" in dv) facts.dtype = dv.value;
        else {
          const alts = constantChoices(dtype, scope);
          if (alts) facts.dtypeCandidates = alts.join("|");
        }
        facts.dtypeAt = `${file}:${dtype.startPosition.row + 1}`;
      }
      refs.push(
        codeReference({
          extractor: ID,
          location: { file, line: arg.startPosition.row + 1, column: arg.startPosition.column + 1 },
          ...("value" in v ? { value: v.value } : { expression: opts.expression ?? v.expression }),
          ...(opts.kind ? { kind: opts.kind } : {}),
          ...(opts.provider ? { provider: opts.provider } : {}),
          ...(opts.role ? { role: opts.role } : {}),
          ...(revision ? { revision } : {}),
          facts,
          baseDir,
        }),
      );
      if (opts.feeds) refs[refs.length - 1]!.feeds = opts.feeds;
    };
    // A string a model-named value is tested against (`startsWith`, `===`): a Hub id, an organization (`org/`) or a
    // repository fragment (`/whisper-medium`) the code names without loading (usage `name`).
    const emitName = (lit: SyntaxNode, test: string, subject: string): void => {
      const v = resolve(lit, scope);
      if (seen.has(lit.startIndex) || !("value" in v)) return;
      const text = v.value;
      const location = { file, line: lit.startPosition.row + 1, column: lit.startPosition.column + 1 };
      const facts = { test, subject };
      if (parseHubId(text) && !hasPathPrefix(text) && text.includes("/")) {
        seen.add(lit.startIndex);
        refs.push(codeReference({ extractor: ID, location, value: text, usage: "name", facts, baseDir }));
        return;
      }
      const part = /^([A-Za-z0-9][\w.-]*)\/$/.exec(text) ?? /^\/([A-Za-z0-9][\w.-]*)$/.exec(text);
      if (!part) return;
      seen.add(lit.startIndex);
      refs.push({ id: stableId([ID, file, location.line, location.column, text]), extractor: ID, kind: "hub-id", raw: text, strength: "declared", location, usage: "name", facts: { ...facts, [text.endsWith("/") ? "organization" : "repository"]: part[1]! } });
    };
    // Same-file flow: a named function whose parameter reaches a loader makes each call of it a reference too.
    const calls: { callee: string; node: SyntaxNode }[] = [];
    // `feeds`: where the loader's own (parameter) reference sits, so the linking pass can give it its callers' values.
    const flows = new Map<string, { index: number; loader: string; feeds: SourceLocation }>();
    const flowsFrom = (arg: SyntaxNode, loader: string, feeds: SourceLocation = { file, line: arg.startPosition.row + 1, column: arg.startPosition.column + 1 }): boolean => {
      if (arg.type !== "identifier" || !scope.params.has(arg.text)) return false;
      const f = enclosingFunction(arg);
      const index = f?.params.indexOf(arg.text) ?? -1;
      if (!f || index < 0 || flows.has(f.name)) return index >= 0;
      flows.set(f.name, { index, loader, feeds });
      return true;
    };
    // The hosted provider the file's folders or its one provider SDK name.
    const packageOf = (local: string): string | undefined => scope.importSyms.get(local)?.module;
    const sdks = new Set([...scope.importSyms.values()].map((s) => providerOfJs(undefined, s.module)).filter((p): p is string => !!p));
    const fileProvider = providerOfPath(file) ?? (sdks.size === 1 ? [...sdks][0] : undefined);
    walkNamed(root, (n) => {
      if (HOSTED_TYPES.has(n.type)) {
        const h = hostedCandidate(n, file, packageOf, fileProvider);
        if (h) emit(h.literal, { ...(h.provider ? { kind: "hosted-model" as const, provider: h.provider } : h.kind ? { kind: h.kind } : {}), facts: h.facts });
      }
      if (n.type === "call_expression" || n.type === "new_expression") {
        const fn = n.childForFieldName(n.type === "call_expression" ? "function" : "constructor");
        const args = (n.childForFieldName("arguments")?.namedChildren ?? []).filter((a): a is SyntaxNode => !!a && a.type !== "comment");
        if (!fn) return;
        if (fn.type === "identifier" && n.type === "call_expression") calls.push({ callee: fn.text, node: n });
        const name = fn.type === "member_expression" ? fn.childForFieldName("property")?.text ?? "" : fn.text;
        const owner = fn.type === "member_expression" ? fn.childForFieldName("object")?.text ?? "" : "";
        if (name === "pipeline" && args.length >= 2) {
          flowsFrom(args[1]!, "pipeline");
          emit(args[1]!, { options: args[2], facts: { loader: "pipeline", ...(scope.imports.get("pipeline") ? { library: scope.imports.get("pipeline")! } : {}) } });
          return;
        }
        if (name === "from_pretrained" && args[0]) {
          flowsFrom(args[0], `${owner}.from_pretrained`);
          const role: ComponentRole | undefined = /Tokenizer/.test(owner) ? "tokenizer" : /Processor/.test(owner) ? "processor" : undefined;
          emit(args[0], { options: args[1], ...(role ? { role } : {}), facts: { loader: `${owner}.from_pretrained`, ...(/Config$/.test(owner) ? { configOnly: true } : {}) } });
          return;
        }
        // `model.startsWith("distil-whisper/")`: the code names a model or an organization without loading it.
        if (fn.type === "member_expression" && STRING_TESTS.has(name) && isModelValue(fn.childForFieldName("object")) && args[0]) {
          emitName(args[0], name, fn.childForFieldName("object")!.text);
          return;
        }
        // The setter of a model-named React state (`setModel(e.target.value)`) chooses the model at run time.
        if (/^set(?:[A-Z]\w*)?Model(?:Name|Id|Path)?$/.test(name) && args.length === 1) {
          // Set from a `<select>`'s value: one of its options (the first stands for them, all are kept as `choices`).
          const choices = /\.(?:current)?[Tt]arget\.value$/.test(args[0]!.text) ? selectChoices(n, scope) : undefined;
          emit(args[0]!, { ...(choices ? { value: choices.values[0]! } : {}), facts: { setter: name, ...(choices ? { choices: choices.values.join("|"), resolvedFrom: "select-options", expression: args[0]!.text, ...(choices.from ? { optionsFrom: choices.from } : {}) } : {}) } });
          return;
        }
        const cls = loadersFor("js", name, name)[0];
        if (cls && args[0]?.type === "object") {
          const m = cls.keywords.map((k) => objectProp(args[0], k)).find((x) => x);
          if (m) emit(m, { ...(cls.role ? { role: cls.role } : {}), ...(cls.kind ? { kind: cls.kind } : {}), facts: { loader: name } });
          return;
        }
        // @huggingface/inference: hf.textGeneration({ model, inputs }), client.chatCompletion({ model, ... })
        if (args[0]?.type === "object") {
          const m = objectProp(args[0], "model");
          if (m) {
            const v = resolve(m, scope);
            if ("value" in v && parseHubId(v.value)) emit(m, { facts: { loader: name, keyword: "model" } });
          }
        }
        return;
      }
      if (n.type === "pair") {
        const k = keyName(n.childForFieldName("key"));
        const value = n.childForFieldName("value");
        if (!k || !value) return;
        if (n.childForFieldName("key")?.type === "string" && parseHubId(k) && !hasPathPrefix(k)) {
          // An object whose keys are Hub ids (a model menu: { "Xenova/whisper-tiny": [41, 152] }).
          const holder = n.parent?.parent;
          const holderName = holder?.type === "variable_declarator" ? holder.childForFieldName("name")?.text ?? "" : holder?.type === "pair" ? keyName(holder.childForFieldName("key")) ?? "" : "";
          if (/model/i.test(holderName)) emit(n.childForFieldName("key")!, { facts: { key: holderName } });
          return;
        }
        if (MODEL_NAME.test(k) && !NOT_MODEL_NAME.test(k) && (value.type === "string" || value.type === "template_string")) {
          const v = resolve(value, scope);
          if ("value" in v && isModelShaped(v.value) && !/^https?:/.test(v.value)) emit(value, { facts: { key: k } });
        }
        return;
      }
      if (n.type === "binary_expression") {
        // `model === "Xenova/whisper-tiny"`: a comparison names the model.
        if (!/^[!=]==?$/.test(n.childForFieldName("operator")?.text ?? "")) return;
        const l = n.childForFieldName("left");
        const r = n.childForFieldName("right");
        if (l && r && isModelValue(l) && (r.type === "string" || r.type === "template_string")) emitName(r, "comparison", l.text);
        else if (l && r && isModelValue(r) && (l.type === "string" || l.type === "template_string")) emitName(l, "comparison", r.text);
        return;
      }
      if (n.type === "shorthand_property_identifier") {
        // `{ model }` handing a model-named state or constant on (`postMessage({ audio, model })`).
        if (isModelKey(n.text) && (scope.states.has(n.text) || (scope.consts.get(n.text)?.length === 1 && "value" in resolve(n, scope)))) emit(n, { facts: { key: n.text } });
        return;
      }
      if (n.type === "variable_declarator") {
        const pattern = n.childForFieldName("name");
        const init = pattern?.type === "array_pattern" ? useStateInit(n.childForFieldName("value")) : undefined;
        const state = pattern?.namedChildren[0];
        if (init && state?.type === "identifier" && isModelKey(state.text)) {
          emit(init, { facts: { state: state.text } });
          return;
        }
        const name = n.childForFieldName("name")?.text ?? "";
        const value = n.childForFieldName("value");
        // `let modelName = model; modelName += ".en"`: an id built by concatenation at run time.
        const appended = scope.appends.get(name);
        if (value && appended && isModelKey(name) && value.type !== "string" && value.type !== "template_string") {
          const v = resolve(value, scope);
          const expression = [value.text, ...appended.map((a) => a.text)].join(" + ");
          const suffixes = appended.map((a) => resolve(a, scope)).filter((x): x is { value: string } => "value" in x).map((x) => x.value);
          if (!("value" in v)) emit(value, { expression, facts: { variable: name, built: "concatenation", ...(suffixes.length ? { appends: suffixes.join("|") } : {}) } });
          return;
        }
        if (!value || (value.type !== "string" && value.type !== "template_string")) return;
        if (!MODEL_NAME.test(name) || NOT_MODEL_NAME.test(name)) return;
        const v = resolve(value, scope);
        if ("value" in v && isModelShaped(v.value) && !/^https?:/.test(v.value)) emit(value, { facts: { variable: name } });
      }
    }, MAIN_TYPES);
    // Follow the flows to the calls that hand the model in (a few rounds: a helper may call a helper).
    for (let round = 0, before = -1; round < 4 && flows.size !== before; round++) {
      before = flows.size;
      for (const { callee, node } of calls) {
        const flow = flows.get(callee);
        const arg = flow ? (node.childForFieldName("arguments")?.namedChildren ?? []).filter((a): a is SyntaxNode => !!a && a.type !== "comment")[flow.index] : undefined;
        if (!flow || !arg || flowsFrom(arg, flow.loader, flow.feeds)) continue;
        emit(arg, { facts: { loader: flow.loader, through: callee }, feeds: flow.feeds });
      }
    }
    // An endpoint handler (`type: z.literal("transformersjs")` in its config schema) reading a field of the parsed
    // config (`const { model } = schema.parse(input)`; `model.name`): the value comes from the configuration entries
    // of that endpoint type, which the linking pass finds.
    const types = /\.literal\(/.test(text) && scope.parsed.size > 0 ? endpointTypes(root) : [];
    const result = types.length !== 1 ? refs : refs.map((r) => {
      const m = r.skipReason === "dynamic-value" ? /^([A-Za-z_$][\w$]*)(?:\.[A-Za-z_$][\w$]*)*\.([A-Za-z_$][\w$]*)$/.exec(String(r.facts?.expression ?? "")) : null;
      return m && scope.parsed.has(m[1]!) ? { ...r, facts: { ...(r.facts ?? {}), endpointType: types[0]!, configKey: m[2]! } } : r;
    });
    const constants = moduleConstants(root, scope);
    return { references: result, module: { file, language: "js" as const, ...(Object.keys(constants).length ? { constants } : {}) } };
  });
}

const SCOPE_TYPES: ReadonlySet<string> = new Set(["variable_declarator", "assignment_expression", "augmented_assignment_expression", "import_statement", "formal_parameters"]);

/** A parameter's name and default (`x = "d"` in JS, `x: T = "d"` in TS), or undefined for another node. */
function parameterOf(n: SyntaxNode): { name: string; value?: SyntaxNode } | undefined {
  if (n.type === "required_parameter" || n.type === "optional_parameter") {
    const pattern = n.childForFieldName("pattern");
    const value = n.childForFieldName("value");
    return pattern?.type === "identifier" ? { name: pattern.text, ...(value ? { value } : {}) } : undefined;
  }
  if (n.type === "assignment_pattern" && n.parent?.type === "formal_parameters") {
    const left = n.childForFieldName("left");
    const right = n.childForFieldName("right");
    return left?.type === "identifier" && right ? { name: left.text, value: right } : undefined;
  }
  if (n.type === "identifier" && n.parent?.type === "formal_parameters") return { name: n.text };
  return undefined;
}

/** The named function (declaration, or a `const f = (...) => ...`) that encloses a node, with its parameter names. */
function enclosingFunction(n: SyntaxNode): { name: string; params: string[] } | undefined {
  for (let p = n.parent; p; p = p.parent) {
    if (p.type !== "function_declaration" && p.type !== "arrow_function" && p.type !== "function_expression" && p.type !== "function") continue;
    const name = p.type === "function_declaration" ? p.childForFieldName("name")?.text : p.parent?.type === "variable_declarator" ? p.parent.childForFieldName("name")?.text : undefined;
    if (!name) return undefined;
    const params = (p.childForFieldName("parameters")?.namedChildren ?? []).map((c) => (c ? parameterOf(c)?.name ?? "" : ""));
    return { name, params };
  }
  return undefined;
}
const MAIN_TYPES: ReadonlySet<string> = new Set(["call_expression", "new_expression", "pair", "variable_declarator", "shorthand_property_identifier", "binary_expression", "assignment_expression", "object_assignment_pattern", "assignment_pattern"]);

/** `schema.parse(x)` / `safeParse` / `parseAsync` (zod, https://zod.dev/basics), awaited or not. */
function isSchemaParse(n: SyntaxNode | null | undefined): boolean {
  const call = n?.type === "await_expression" ? n.namedChildren[0] : n;
  if (call?.type !== "call_expression") return false;
  const fn = call.childForFieldName("function");
  return fn?.type === "member_expression" && /^(?:parse|safeParse|parseAsync|safeParseAsync)$/.test(fn.childForFieldName("property")?.text ?? "");
}

/** The endpoint types a module's config schemas declare: `type: z.literal("<type>")`. */
function endpointTypes(root: SyntaxNode): string[] {
  const out = new Set<string>();
  for (const p of root.descendantsOfType("pair")) {
    if (!p || keyName(p.childForFieldName("key")) !== "type") continue;
    const v = p.childForFieldName("value");
    const fn = v?.type === "call_expression" ? v.childForFieldName("function") : undefined;
    const arg = v?.childForFieldName("arguments")?.namedChildren[0];
    if (fn?.type === "member_expression" && fn.childForFieldName("property")?.text === "literal" && arg?.type === "string") out.add(arg.namedChildren.map((c) => c?.text ?? "").join(""));
  }
  return [...out];
}

/**
 * The values a `<select>` can hand its `onChange` (the JSX element enclosing `call`): `<option value="id">` constants
 * and `<option value={k}>` inside `Object.keys(menu)...map((k) => ...)` over an object whose keys are Hub ids. Only
 * model-shaped values count; undefined when there are none.
 */
function selectChoices(call: SyntaxNode, scope: Scope): { values: string[]; from?: string } | undefined {
  let el: SyntaxNode | null = call.parent;
  while (el && !(el.type === "jsx_element" && el.childForFieldName("open_tag")?.childForFieldName("name")?.text === "select")) el = el.parent;
  if (!el) return undefined;
  const values: string[] = [];
  let from: string | undefined;
  for (const open of el.descendantsOfType(["jsx_opening_element", "jsx_self_closing_element"])) {
    if (open?.childForFieldName("name")?.text !== "option") continue;
    const attr = open.namedChildren.find((a) => a?.type === "jsx_attribute" && a.namedChildren[0]?.text === "value");
    const v = attr?.namedChildren[1];
    if (!v) continue;
    if (v.type === "string") {
      const r = resolve(v, scope);
      if ("value" in r && isModelShaped(r.value)) values.push(r.value);
      continue;
    }
    const id = v.type === "jsx_expression" ? v.namedChildren[0] : undefined;
    const menu = id?.type === "identifier" ? mappedKeysOf(id, scope) : undefined;
    if (menu) {
      values.push(...menu.keys);
      from = menu.name;
    }
  }
  const unique = [...new Set(values)];
  return unique.length ? { values: unique, ...(from ? { from } : {}) } : undefined;
}

/** For `k` bound by `Object.keys(menu)[.filter(...)...].map((k) => ...)`: the menu's Hub-id keys. */
function mappedKeysOf(id: SyntaxNode, scope: Scope): { name: string; keys: string[] } | undefined {
  for (let p = id.parent; p; p = p.parent) {
    if (p.type !== "arrow_function" && p.type !== "function_expression") continue;
    const params = (p.childForFieldName("parameters")?.namedChildren ?? []).map((c) => (c ? parameterOf(c)?.name : undefined));
    const param = p.childForFieldName("parameter")?.text;
    if (params[0] !== id.text && param !== id.text) continue;
    // The callback of `<receiver>.map(...)`; the receiver chain ends in `Object.keys(menu)`.
    let call = p.parent?.parent;
    if (call?.type !== "call_expression" || call.childForFieldName("function")?.childForFieldName("property")?.text !== "map") return undefined;
    let recv = call.childForFieldName("function")?.childForFieldName("object");
    while (recv?.type === "call_expression" && /^(?:filter|sort|slice|reverse|concat)$/.test(recv.childForFieldName("function")?.childForFieldName("property")?.text ?? "")) {
      call = recv;
      recv = recv.childForFieldName("function")?.childForFieldName("object");
    }
    const menu = recv?.type === "call_expression" && recv.childForFieldName("function")?.text === "Object.keys" ? recv.childForFieldName("arguments")?.namedChildren[0] : undefined;
    const defs = menu?.type === "identifier" ? scope.consts.get(menu.text) ?? [] : [];
    if (defs.length !== 1 || defs[0]!.type !== "object") return undefined;
    const keys = defs[0]!.namedChildren.filter((c) => c?.type === "pair" && c.childForFieldName("key")?.type === "string").map((c) => keyName(c!.childForFieldName("key"))!).filter((k) => parseHubId(k) && !hasPathPrefix(k));
    return keys.length ? { name: menu!.text, keys } : undefined;
  }
  return undefined;
}

/** String methods whose argument, tested against a model id, names a model, an organization or a repository. */
const STRING_TESTS: ReadonlySet<string> = new Set(["startsWith", "endsWith", "includes", "indexOf"]);

/** A model-named identifier or member (`model`, `modelName`, `this.model`, `opts.model_id`). */
function isModelValue(n: SyntaxNode | null | undefined): boolean {
  if (!n) return false;
  if (n.type === "identifier") return isModelKey(n.text);
  if (n.type === "member_expression") return isModelKey(n.childForFieldName("property")?.text ?? "");
  return false;
}

/**
 * The constants a conditional can evaluate to (`c ? "a" : "b"`, nested), in source order; undefined when one branch
 * is not a constant.
 */
function constantChoices(n: SyntaxNode, scope: Scope, depth = 0): string[] | undefined {
  if (depth > 6) return undefined;
  if (n.type === "parenthesized_expression" && n.namedChildren[0]) return constantChoices(n.namedChildren[0], scope, depth + 1);
  if (n.type === "ternary_expression") {
    const a = n.childForFieldName("consequence");
    const b = n.childForFieldName("alternative");
    const ca = a ? constantChoices(a, scope, depth + 1) : undefined;
    const cb = b ? constantChoices(b, scope, depth + 1) : undefined;
    return ca && cb ? [...new Set([...ca, ...cb])] : undefined;
  }
  const v = resolve(n, scope);
  return "value" in v ? [v.value] : undefined;
}

export const jsCodeExtractor: Extractor = {
  id: ID,
  holdsReferences: true,
  description: "JavaScript/TypeScript (tree-sitter): transformers.js pipeline/from_pretrained, @huggingface/inference, LangChain.js",
  matches(path, base) {
    return /\.(?:[cm]?js|jsx|[cm]?ts|tsx)$/.test(base) && !/\.d\.[cm]?ts$/.test(base) && !/\.min\.js$/.test(base) && !/(?:^|\/)(?:dist|build|vendor)\//.test(path);
  },
  async extract(file, ctx): Promise<ExtractOutput> {
    const text = await file.text(Math.min(ctx.maxTextBytes, CODE_ANALYSIS_MAX_BYTES));
    if (!/pretrained|pipeline|model|Ollama|HuggingFace|@huggingface|@xenova/i.test(text)) return {};
    const r = await extractJsModule(text, file.path);
    return { references: r.references, ...(r.module.constants ? { codeModules: [r.module] } : {}) };
  },
};
