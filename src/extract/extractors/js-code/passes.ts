/**
 * The passes of the js-code extractor over one module: calls (transformers.js loaders, the loader table,
 * `@huggingface/inference` argument objects, string tests, model-state setters), object entries, comparisons,
 * shorthand properties and declarations; then the same-file flows from a helper's parameter to its callers.
 * Each rule is a named function over one syntax node; all share a {@link JsContext}.
 */
import { posix } from "node:path";
import type { ComponentRole, ModelReference, ReferenceKind, SourceLocation } from "../../../model/types.js";
import { codeReference, isModelShaped, MODEL_NAME, NOT_MODEL_NAME } from "../../code/model-ref.js";
import { hostedClassDefault, providerOfJs, providerOfPath } from "../../code/hosted.js";
import { loadersFor } from "../../code/loaders.js";
import type { SyntaxNode } from "../../code/tree-sitter.js";
import { parseHubId } from "../../../util/hub-id.js";
import { stableId } from "../../../util/hash.js";
import { hasPathPrefix } from "../../../util/path-shape.js";
import { hostedCandidate, HOSTED_TYPES } from "./hosted.js";
import { selectChoices } from "./select-menu.js";
import {
  constantChoices,
  enclosingFunction,
  importFacts,
  isModelKey,
  isModelValue,
  keyName,
  objectProp,
  resolve,
  STRING_TESTS,
  useStateInit,
  type Scope,
  type Value,
} from "./scope.js";

const ID = "js-code";

type Facts = Record<string, string | number | boolean>;

/** What the passes over one module share. */
export interface JsContext {
  file: string;
  baseDir: string;
  scope: Scope;
  refs: ModelReference[];
  seen: Set<number>;
  /** Plain-name calls, for the flows. */
  calls: { callee: string; node: SyntaxNode }[];
  /** Functions whose parameter reaches a loader: the parameter's index, the loader, and its reference's location. */
  flows: Map<string, { index: number; loader: string; feeds: SourceLocation }>;
  /** The hosted provider the file's folders or its one provider SDK name. */
  fileProvider: string | undefined;
}

/** A new context for one module. */
export function createJsContext(file: string, scope: Scope): JsContext {
  const sdks = new Set(
    [...scope.importSyms.values()].map((s) => providerOfJs(undefined, s.module)).filter((p): p is string => !!p),
  );
  return {
    file,
    baseDir: posix.dirname(file) === "." ? "" : posix.dirname(file),
    scope,
    refs: [],
    seen: new Set(),
    calls: [],
    flows: new Map(),
    fileProvider: providerOfPath(file) ?? (sdks.size === 1 ? [...sdks][0] : undefined),
  };
}

interface EmitOptions {
  role?: ComponentRole;
  kind?: ReferenceKind;
  provider?: string;
  /** The loader's options object (`revision`, `dtype`). */
  options?: SyntaxNode;
  expression?: string;
  value?: string;
  facts?: Facts;
  feeds?: SourceLocation;
}

/** A loader option's constant, or the constants a conditional picks from, as facts with the option's line. */
function optionFacts(
  ctx: JsContext,
  opts: SyntaxNode | undefined,
  name: "revision" | "dtype",
): { facts: Facts; value?: string } {
  const node = objectProp(opts, name);
  if (!node) return { facts: {} };
  const v = resolve(node, ctx.scope);
  const facts: Facts = { [`${name}At`]: `${ctx.file}:${node.startPosition.row + 1}` };
  if ("value" in v) return name === "dtype" ? { facts: { ...facts, dtype: v.value } } : { facts, value: v.value };
  if (name === "revision") facts.revisionExpression = v.expression;
  // `cond ? "no_attentions" : "main"`: the values it can pick.
  const alts = constantChoices(node, ctx.scope);
  if (alts) facts[`${name}Candidates`] = alts.join("|");
  return { facts };
}

/** Emits the reference of one model argument (once per node), with the loader options' revision and dtype. */
export function emit(ctx: JsContext, arg: SyntaxNode, opts: EmitOptions): void {
  if (ctx.seen.has(arg.startIndex)) return;
  ctx.seen.add(arg.startIndex);
  const v: Value = opts.value !== undefined ? { value: opts.value } : resolve(arg, ctx.scope);
  const rev = optionFacts(ctx, opts.options, "revision");
  const dtype = optionFacts(ctx, opts.options, "dtype");
  const facts: Facts = {
    ...(opts.facts ?? {}),
    ...("value" in v ? (v.facts ?? {}) : importFacts(arg, ctx.scope)),
    ...rev.facts,
    ...dtype.facts,
  };
  const ref = codeReference({
    extractor: ID,
    location: { file: ctx.file, line: arg.startPosition.row + 1, column: arg.startPosition.column + 1 },
    ...("value" in v ? { value: v.value } : { expression: opts.expression ?? v.expression }),
    ...(opts.kind ? { kind: opts.kind } : {}),
    ...(opts.provider ? { provider: opts.provider } : {}),
    ...(opts.role ? { role: opts.role } : {}),
    ...(rev.value ? { revision: rev.value } : {}),
    facts,
    baseDir: ctx.baseDir,
  });
  if (opts.feeds) ref.feeds = opts.feeds;
  ctx.refs.push(ref);
}

/**
 * Rule "named model": a string a model-named value is tested against (`startsWith`, `===`): a Hub id, an
 * organization (`org/`) or a repository fragment (`/whisper-medium`) the code names without loading (usage `name`).
 */
function emitName(ctx: JsContext, lit: SyntaxNode, test: string, subject: string): void {
  const v = resolve(lit, ctx.scope);
  if (ctx.seen.has(lit.startIndex) || !("value" in v)) return;
  const text = v.value;
  const location = { file: ctx.file, line: lit.startPosition.row + 1, column: lit.startPosition.column + 1 };
  const facts = { test, subject };
  if (parseHubId(text) && !hasPathPrefix(text) && text.includes("/")) {
    ctx.seen.add(lit.startIndex);
    ctx.refs.push(codeReference({ extractor: ID, location, value: text, usage: "name", facts, baseDir: ctx.baseDir }));
    return;
  }
  const part = /^([A-Za-z0-9][\w.-]*)\/$/.exec(text) ?? /^\/([A-Za-z0-9][\w.-]*)$/.exec(text);
  if (!part) return;
  ctx.seen.add(lit.startIndex);
  ctx.refs.push({
    id: stableId([ID, ctx.file, location.line, location.column, text]),
    extractor: ID,
    kind: "hub-id",
    raw: text,
    strength: "declared",
    location,
    usage: "name",
    facts: { ...facts, [text.endsWith("/") ? "organization" : "repository"]: part[1]! },
  });
}

/**
 * Same-file flow: a named function whose parameter `arg` reaches a loader makes each call of it a reference too
 * (`feeds`: where the loader's own parameter reference sits, so the linking pass can give it its callers' values).
 */
function flowsFrom(ctx: JsContext, arg: SyntaxNode, loader: string, feeds?: SourceLocation): boolean {
  if (arg.type !== "identifier" || !ctx.scope.params.has(arg.text)) return false;
  const f = enclosingFunction(arg);
  const index = f?.params.indexOf(arg.text) ?? -1;
  if (!f || index < 0 || ctx.flows.has(f.name)) return index >= 0;
  ctx.flows.set(f.name, {
    index,
    loader,
    feeds: feeds ?? { file: ctx.file, line: arg.startPosition.row + 1, column: arg.startPosition.column + 1 },
  });
  return true;
}

/** One call as the rules see it. */
interface JsCall {
  node: SyntaxNode;
  fn: SyntaxNode;
  args: SyntaxNode[];
  /** The called name (a member's property) and the object it is called on. */
  name: string;
  owner: string;
}

/** transformers.js `pipeline(task, model, options)`. */
function pipelineCall(ctx: JsContext, c: JsCall): boolean {
  if (c.name !== "pipeline" || c.args.length < 2) return false;
  flowsFrom(ctx, c.args[1]!, "pipeline");
  const library = ctx.scope.imports.get("pipeline");
  emit(ctx, c.args[1]!, { options: c.args[2], facts: { loader: "pipeline", ...(library ? { library } : {}) } });
  return true;
}

/** transformers.js `<AnyClass>.from_pretrained(id, options)`, its role by class. */
function fromPretrained(ctx: JsContext, c: JsCall): boolean {
  if (c.name !== "from_pretrained" || !c.args[0]) return false;
  flowsFrom(ctx, c.args[0], `${c.owner}.from_pretrained`);
  const role: ComponentRole | undefined = /Tokenizer/.test(c.owner)
    ? "tokenizer"
    : /Processor/.test(c.owner)
      ? "processor"
      : undefined;
  emit(ctx, c.args[0], {
    options: c.args[1],
    ...(role ? { role } : {}),
    facts: { loader: `${c.owner}.from_pretrained`, ...(/Config$/.test(c.owner) ? { configOnly: true } : {}) },
  });
  return true;
}

/** `model.startsWith("distil-whisper/")`: the code names a model or an organization without loading it. */
function stringTest(ctx: JsContext, c: JsCall): boolean {
  const obj = c.fn.type === "member_expression" ? c.fn.childForFieldName("object") : null;
  if (!obj || !STRING_TESTS.has(c.name) || !isModelValue(obj) || !c.args[0]) return false;
  emitName(ctx, c.args[0], c.name, obj.text);
  return true;
}

/**
 * The setter of a model-named React state (`setModel(e.target.value)`) chooses the model at run time; set from a
 * `<select>`'s value (rule "select options"), it is one of the options (the first stands for them, all are kept).
 */
function modelSetter(ctx: JsContext, c: JsCall): boolean {
  if (!/^set(?:[A-Z]\w*)?Model(?:Name|Id|Path)?$/.test(c.name) || c.args.length !== 1) return false;
  const arg = c.args[0]!;
  const choices = /\.(?:current)?[Tt]arget\.value$/.test(arg.text) ? selectChoices(c.node, ctx.scope) : undefined;
  const chosen = choices
    ? {
        choices: choices.values.join("|"),
        resolvedFrom: "select-options",
        expression: arg.text,
        ...(choices.from ? { optionsFrom: choices.from } : {}),
      }
    : {};
  emit(ctx, arg, { ...(choices ? { value: choices.values[0]! } : {}), facts: { setter: c.name, ...chosen } });
  return true;
}

/** A loader-table class built with an argument object (LangChain.js `new ChatOllama({ model })`). */
function loaderClass(ctx: JsContext, c: JsCall): boolean {
  const row = loadersFor("js", c.name, c.name)[0];
  if (!row || c.args[0]?.type !== "object") return false;
  const m = row.keywords.map((k) => objectProp(c.args[0], k)).find((x) => x);
  if (m)
    emit(ctx, m, {
      ...(row.role ? { role: row.role } : {}),
      ...(row.kind ? { kind: row.kind } : {}),
      facts: { loader: c.name },
    });
  return true;
}

/** @huggingface/inference: `hf.textGeneration({ model, inputs })`, `client.chatCompletion({ model, ... })`. */
function inferenceModel(ctx: JsContext, c: JsCall): boolean {
  const m = c.args[0]?.type === "object" ? objectProp(c.args[0], "model") : undefined;
  const v = m ? resolve(m, ctx.scope) : undefined;
  if (m && v && "value" in v && parseHubId(v.value)) emit(ctx, m, { facts: { loader: c.name, keyword: "model" } });
  return true;
}

/**
 * Rule "library default" (`hostedClassDefault`): `new OpenAIEmbeddings()` or `new OpenAIEmbeddings({ batchSize })`
 * with no model key sends its requests to the class's documented default model.
 */
function hostedDefault(ctx: JsContext, c: JsCall): boolean {
  if (c.node.type !== "new_expression" || c.fn.type !== "identifier") return false;
  const d = hostedClassDefault("js", c.name);
  const opts = c.args[0];
  if (!d || (opts && opts.type !== "object") || (opts && ["model", "modelName"].some((k) => objectProp(opts, k))))
    return false;
  emit(ctx, c.node, {
    value: d.model,
    kind: "hosted-model",
    provider: d.provider,
    ...(d.role ? { role: d.role } : {}),
    facts: { loader: c.name, libraryDefault: true },
  });
  return true;
}

const CALL_RULES: readonly ((ctx: JsContext, c: JsCall) => boolean)[] = [
  hostedDefault,
  pipelineCall,
  fromPretrained,
  stringTest,
  modelSetter,
  loaderClass,
  inferenceModel,
];

function callPass(ctx: JsContext, n: SyntaxNode): void {
  const fn = n.childForFieldName(n.type === "call_expression" ? "function" : "constructor");
  if (!fn) return;
  const args = (n.childForFieldName("arguments")?.namedChildren ?? []).filter(
    (a): a is SyntaxNode => !!a && a.type !== "comment",
  );
  if (fn.type === "identifier" && n.type === "call_expression") ctx.calls.push({ callee: fn.text, node: n });
  const member = fn.type === "member_expression";
  const c: JsCall = {
    node: n,
    fn,
    args,
    name: member ? (fn.childForFieldName("property")?.text ?? "") : fn.text,
    owner: member ? (fn.childForFieldName("object")?.text ?? "") : "",
  };
  CALL_RULES.some((rule) => rule(ctx, c));
}

const isText = (n: SyntaxNode): boolean => n.type === "string" || n.type === "template_string";

/** A model-shaped constant (not a URL) under a model-named key or variable. */
function namedConstant(ctx: JsContext, value: SyntaxNode, name: string, facts: Facts): void {
  if (!MODEL_NAME.test(name) || NOT_MODEL_NAME.test(name) || !isText(value)) return;
  const v = resolve(value, ctx.scope);
  if ("value" in v && isModelShaped(v.value) && !/^https?:/.test(v.value)) emit(ctx, value, { facts });
}

/** Object entries: keys that are Hub ids under a model-named holder (a model menu), model-named keys. */
function pairPass(ctx: JsContext, n: SyntaxNode): void {
  const keyNode = n.childForFieldName("key");
  const k = keyName(keyNode);
  const value = n.childForFieldName("value");
  if (!k || !value) return;
  if (keyNode?.type === "string" && parseHubId(k) && !hasPathPrefix(k)) {
    // An object whose keys are Hub ids (a model menu: { "Xenova/whisper-tiny": [41, 152] }).
    const holder = n.parent?.parent;
    const holderName =
      holder?.type === "variable_declarator"
        ? (holder.childForFieldName("name")?.text ?? "")
        : holder?.type === "pair"
          ? (keyName(holder.childForFieldName("key")) ?? "")
          : "";
    if (/model/i.test(holderName)) emit(ctx, keyNode, { facts: { key: holderName } });
    return;
  }
  namedConstant(ctx, value, k, { key: k });
}

/** `model === "Xenova/whisper-tiny"`: a comparison names the model. */
function comparisonPass(ctx: JsContext, n: SyntaxNode): void {
  if (!/^[!=]==?$/.test(n.childForFieldName("operator")?.text ?? "")) return;
  const l = n.childForFieldName("left");
  const r = n.childForFieldName("right");
  if (l && r && isModelValue(l) && isText(r)) emitName(ctx, r, "comparison", l.text);
  else if (l && r && isModelValue(r) && isText(l)) emitName(ctx, l, "comparison", r.text);
}

/** `{ model }` handing a model-named state or constant on (`postMessage({ audio, model })`). */
function shorthandPass(ctx: JsContext, n: SyntaxNode): void {
  const { scope } = ctx;
  if (
    isModelKey(n.text) &&
    (scope.states.has(n.text) || (scope.consts.get(n.text)?.length === 1 && "value" in resolve(n, scope)))
  )
    emit(ctx, n, { facts: { key: n.text } });
}

/** Declarations: a model-named React state's initial value, an id built by `+=`, a model-named constant. */
function declaratorPass(ctx: JsContext, n: SyntaxNode): void {
  const pattern = n.childForFieldName("name");
  const value = n.childForFieldName("value");
  const init = pattern?.type === "array_pattern" ? useStateInit(value) : undefined;
  const state = pattern?.namedChildren[0];
  if (init && state?.type === "identifier" && isModelKey(state.text))
    return emit(ctx, init, { facts: { state: state.text } });
  const name = pattern?.text ?? "";
  // `let modelName = model; modelName += ".en"`: an id built by concatenation at run time.
  const appended = ctx.scope.appends.get(name);
  if (value && appended && isModelKey(name) && !isText(value)) {
    const v = resolve(value, ctx.scope);
    const expression = [value.text, ...appended.map((a) => a.text)].join(" + ");
    const suffixes = appended
      .map((a) => resolve(a, ctx.scope))
      .filter((x): x is { value: string } => "value" in x)
      .map((x) => x.value);
    if (!("value" in v))
      emit(ctx, value, {
        expression,
        facts: { variable: name, built: "concatenation", ...(suffixes.length ? { appends: suffixes.join("|") } : {}) },
      });
    return;
  }
  if (value) namedConstant(ctx, value, name, { variable: name });
}

/** A hosted model name (`model: "gpt-4o"` beside an OpenAI client), from `hosted.ts`. */
function hostedPass(ctx: JsContext, n: SyntaxNode): void {
  const h = hostedCandidate(n, ctx.file, (local) => ctx.scope.importSyms.get(local)?.module, ctx.fileProvider);
  if (h)
    emit(ctx, h.literal, {
      ...(h.provider ? { kind: "hosted-model" as const, provider: h.provider } : h.kind ? { kind: h.kind } : {}),
      facts: h.facts,
    });
}

const PASSES: Readonly<Record<string, (ctx: JsContext, n: SyntaxNode) => void>> = {
  call_expression: callPass,
  new_expression: callPass,
  pair: pairPass,
  binary_expression: comparisonPass,
  shorthand_property_identifier: shorthandPass,
  variable_declarator: declaratorPass,
};

/** The node types the passes visit. */
export const MAIN_TYPES: ReadonlySet<string> = new Set([
  ...Object.keys(PASSES),
  "assignment_expression",
  "object_assignment_pattern",
  "assignment_pattern",
]);

/** Runs the hosted-model pass and the node's own pass on one node. */
export function visit(ctx: JsContext, n: SyntaxNode): void {
  if (HOSTED_TYPES.has(n.type)) hostedPass(ctx, n);
  PASSES[n.type]?.(ctx, n);
}

/** Follows the flows to the calls that hand the model in (a few rounds: a helper may call a helper). */
export function followFlows(ctx: JsContext): void {
  for (let round = 0, before = -1; round < 4 && ctx.flows.size !== before; round++) {
    before = ctx.flows.size;
    for (const { callee, node } of ctx.calls) {
      const flow = ctx.flows.get(callee);
      const arg = flow
        ? (node.childForFieldName("arguments")?.namedChildren ?? []).filter(
            (a): a is SyntaxNode => !!a && a.type !== "comment",
          )[flow.index]
        : undefined;
      if (!flow || !arg || flowsFrom(ctx, arg, flow.loader, flow.feeds)) continue;
      emit(ctx, arg, { facts: { loader: flow.loader, through: callee }, feeds: flow.feeds });
    }
  }
}
