/**
 * The state one Python module's passes share while the python-code extractor reads it: the file, its scope, the
 * references found so far (each syntax node emitted once), pending cross-file references, and the writes and
 * in-process transforms of model objects that {@link linkWritesToTransforms} pairs at the end.
 * {@link emit} turns a model argument into references (one per value it may take).
 */
import { posix } from "node:path";
import type {
  ComponentRole,
  ModelReference,
  ReferenceKind,
  ReferenceUsage,
  Relation,
  SourceLocation,
} from "../../../model/types.js";
import { codeReference, isModelShaped } from "../../code/model-ref.js";
import {
  fitsProviderNames,
  hostedProviderOf,
  isTestPath,
  providerOfName,
  providerOfPath,
  providersOfPythonImports,
} from "../../code/hosted.js";
import type { SyntaxNode } from "../../code/tree-sitter.js";
import type { PendingCodeReference } from "../../types.js";
import { weightFormatOf } from "../../../formats/weight-format.js";
import { enclosingFunction, importFacts, resolve, resolveMany, type Args, type Scope, type Value } from "./flow.js";
import { isTrue, quantizationOf } from "./derivations.js";

/** Where a Python text sits in its file (notebook cells and shell heredocs start below line 1). */
export interface PythonSourceOptions {
  file: string;
  /** Lines before the text in its file. */
  lineOffset?: number;
  /** JSON pointer of the text (a notebook cell's `source`). */
  pointer?: string;
  extractor?: string;
}

/** Facts carried on a reference (scalar values only). */
export type Facts = Record<string, string | number | boolean>;

/** What the passes over one module share. */
export interface ModuleContext {
  o: PythonSourceOptions;
  extractor: string;
  /** The file's folder ("" at the root), for relative paths. */
  baseDir: string;
  scope: Scope;
  refs: ModelReference[];
  pending: PendingCodeReference[];
  /** Start offsets of nodes already emitted. */
  seen: Set<number>;
  /** Write references, paired with transforms by {@link linkWritesToTransforms}; `objectKey` is in their facts. */
  writes: ModelReference[];
  /** In-process transforms applied to model objects, by {@link objectKey}. */
  transforms: Map<string, { relation: Relation; row: number }>;
  /** Classes defined in this file. */
  localClasses: Set<string>;
  /** The hosted provider the file's folders or its one provider SDK name (`providers/groq.py`, `import anthropic`). */
  fileProvider: string | undefined;
}

/** A new context for one module. */
export function createContext(o: PythonSourceOptions, scope: Scope, localClasses: Set<string>): ModuleContext {
  const sdks = providersOfPythonImports(scope.imports.values());
  return {
    o,
    extractor: o.extractor ?? "python-code",
    baseDir: posix.dirname(o.file) === "." ? "" : posix.dirname(o.file),
    scope,
    refs: [],
    pending: [],
    seen: new Set(),
    writes: [],
    transforms: new Map(),
    localClasses,
    fileProvider: providerOfPath(o.file) ?? (sdks.length === 1 ? sdks[0] : undefined),
  };
}

/** The location of a node in its file (1-based line and column, with the notebook cell's pointer). */
export function lineOf(n: SyntaxNode, o: PythonSourceOptions): SourceLocation & { line: number; column: number } {
  return {
    file: o.file,
    line: n.startPosition.row + 1 + (o.lineOffset ?? 0),
    column: n.startPosition.column + 1,
    ...(o.pointer ? { pointer: o.pointer } : {}),
  };
}

/** The location of a 0-based row of the parsed text in its file. */
export function rowLocation(ctx: ModuleContext, row: number): SourceLocation & { line: number } {
  return { file: ctx.o.file, line: row + 1 + (ctx.o.lineOffset ?? 0) };
}

/** `file:line` of a 0-based row, as recorded in a reference's facts for the report (never parsed back). */
export function atOf(ctx: ModuleContext, row: number): string {
  const l = rowLocation(ctx, row);
  return `${l.file}:${l.line}`;
}

/** Marks `n` emitted; false when it already was. */
export function claim(ctx: ModuleContext, n: SyntaxNode): boolean {
  if (ctx.seen.has(n.startIndex)) return false;
  ctx.seen.add(n.startIndex);
  return true;
}

/** Key of a model object: its text within its function (`self.x` within its class). */
export function objectKey(obj: SyntaxNode): string {
  let scopeNode: SyntaxNode | null = enclosingFunction(obj);
  if (obj.text.startsWith("self."))
    for (let p = obj.parent; p; p = p.parent) if (p.type === "class_definition") scopeNode = p;
  return `${scopeNode?.startIndex ?? -1}:${obj.text}`;
}

/** The first keyword of `kws` a call passes, else its positional argument `pos`. */
export function pick(a: Args, kws: readonly string[], pos: number | undefined): SyntaxNode | undefined {
  for (const k of kws) if (a.keywords.has(k)) return a.keywords.get(k);
  return pos === undefined ? undefined : a.positional[pos];
}

/** Where a value comes from when a run can replace it: a default of a parameter or a command-line flag, a caller. */
const OVERRIDABLE: ReadonlySet<unknown> = new Set(["caller", "argparse-default", "parameter-default"]);

/**
 * Value-flow rule "hosted model": a constant bare model name whose call, key or file names a provider. A value that
 * reaches the call only as a default a run can replace (a parameter's or flag's default, a caller's argument;
 * `overridable` for a flag's own default) is one of the values the call may get, not proof that the provider serves
 * it: it is that provider's model only when it fits the provider's model-name patterns (a local
 * `SentenceTransformer` name that also feeds an OpenAI branch is not an OpenAI model).
 */
export function hostedOf(
  ctx: ModuleContext,
  value: SyntaxNode,
  c: { call?: string; name?: string; overridable?: boolean },
): { kind: "hosted-model"; provider: string } | undefined {
  const v = resolve(value, ctx.scope);
  if (!("value" in v) || isModelShaped(v.value) || isTestPath(ctx.o.file)) return undefined;
  const provider = hostedProviderOf(v.value, {
    call: c.call,
    name: c.name ? providerOfName(c.name) : undefined,
    file: ctx.fileProvider,
  });
  if (!provider) return undefined;
  const overridable = c.overridable === true || OVERRIDABLE.has(v.facts?.resolvedFrom);
  if (overridable && !fitsProviderNames(provider, v.value)) return undefined;
  return { kind: "hosted-model", provider };
}

/** One call as the rules see it. */
export interface CallSite {
  node: SyntaxNode;
  fn: SyntaxNode;
  /** The call qualified by the file's imports (`transformers.AutoModel.from_pretrained`). */
  q: string;
  /** Its last name (`from_pretrained`) and the name before it (`AutoModel`). */
  last: string;
  owner: string;
  args: Args;
}

/** How {@link emit} records a model argument. */
export interface EmitOptions {
  role?: ComponentRole;
  relation?: Relation;
  kind?: ReferenceKind;
  provider?: string;
  /** The loader call's arguments: revision, filename, trust_remote_code, quantization. */
  call?: Args;
  facts?: Facts;
  usage?: ReferenceUsage;
  /** The node the reference is located at (default: the argument). */
  at?: SyntaxNode;
  /** For a write: the load the written model came from. */
  derivedFromLoad?: SourceLocation;
}

/** What a loader call's keyword arguments say about the load (revision, file, remote code, quantization). */
export function callFacts(ctx: ModuleContext, call: Args | undefined): { facts: Facts; revision?: string } {
  const facts: Facts = {};
  if (!call) return { facts };
  let revision: string | undefined;
  if (isTrue(call.keywords.get("trust_remote_code"))) facts.trustRemoteCode = true;
  const rev = call.keywords.get("revision");
  const rv = rev ? resolve(rev, ctx.scope) : undefined;
  if (rv && "value" in rv) revision = rv.value;
  else if (rv) facts.revisionExpression = rv.expression;
  const fname = call.keywords.get("filename");
  const fv = fname ? resolve(fname, ctx.scope) : undefined;
  if (fv && "value" in fv) facts.filename = fv.value;
  if (isTrue(call.keywords.get("local_files_only"))) facts.localFilesOnly = true;
  const quant = quantizationOf(call, ctx.scope);
  if (quant)
    Object.assign(facts, { quantization: quant.value, quantizationAt: atOf(ctx, quant.node.startPosition.row) });
  return { facts, ...(revision ? { revision } : {}) };
}

/** The values `arg` may take: its constant, else the few known values a loop, registry or callers give it. */
function valuesOf(ctx: ModuleContext, arg: SyntaxNode): Value[] {
  const single = resolve(arg, ctx.scope);
  if (!("expression" in single)) return [single];
  const many = resolveMany(arg, ctx.scope);
  if (many.length === 0) return [single];
  const expr = single.expression.slice(0, 300);
  return many.map((m) => ({
    value: m.value,
    facts: {
      ...m.facts,
      expression: expr,
      ...(many.length > 1 ? { values: many.length } : {}),
      ...Object.fromEntries(Object.entries(m.rows).map(([k, r]) => [k, atOf(ctx, r)])),
    },
  }));
}

/**
 * Emits the references of one model argument (once per located node): one per value it may take, with the loader
 * call's facts. Returns the references made (empty when the node was emitted before).
 */
export function emit(ctx: ModuleContext, arg: SyntaxNode, opts: EmitOptions): ModelReference[] {
  const loc = opts.at ?? arg;
  if (!claim(ctx, loc)) return [];
  const { facts: fromCall, revision } = callFacts(ctx, opts.call);
  const out: ModelReference[] = [];
  for (const v of valuesOf(ctx, arg)) {
    const f: Facts = {
      ...(opts.facts ?? {}),
      ...fromCall,
      ...("value" in v ? (v.facts ?? {}) : importFacts(arg, ctx.scope)),
    };
    if (opts.usage && opts.usage !== "load" && "value" in v && typeof f.definedAtLine === "number" && !f.definedAt)
      f.definedAt = atOf(ctx, f.definedAtLine - 1);
    // A run-time value is one unknown per function: the report groups its occurrences by file, function and text.
    const fnName = "value" in v ? undefined : enclosingFunction(loc)?.childForFieldName("name")?.text;
    if (fnName) f.function = fnName;
    if ("value" in v && /(?:^|\/)modules\.(?:tar(?:\.gz)?|tgz|zip)$/.test(v.value))
      Object.assign(f, { hfModulesCache: true, remoteCode: true });
    const ref = codeReference({
      extractor: ctx.extractor,
      location: lineOf(loc, ctx.o),
      ...("value" in v ? { value: v.value } : { expression: v.expression }),
      ...(opts.kind ? { kind: opts.kind } : {}),
      ...(opts.provider ? { provider: opts.provider } : {}),
      ...(opts.role ? { role: opts.role } : {}),
      ...(opts.relation ? { relation: opts.relation } : {}),
      ...(opts.usage ? { usage: opts.usage } : {}),
      ...(revision ? { revision } : {}),
      facts: f,
      baseDir: ctx.baseDir,
    });
    const wf = typeof f.filename === "string" && !ref.facts?.weightFormat ? weightFormatOf(f.filename) : undefined;
    if (wf) ref.facts = { ...(ref.facts ?? {}), weightFormat: wf };
    if (opts.derivedFromLoad) ref.derivedFromLoad = opts.derivedFromLoad;
    ctx.refs.push(ref);
    out.push(ref);
  }
  return out;
}

/** Emits a reference built directly (a value the rule computed, not an argument's), once per node. */
export function emitValue(
  ctx: ModuleContext,
  at: SyntaxNode,
  value: string,
  extra: {
    kind?: ReferenceKind;
    provider?: string;
    role?: ComponentRole;
    relation?: Relation;
    usage?: ReferenceUsage;
    facts?: Facts;
    baseDir?: boolean;
  },
): ModelReference | undefined {
  if (!claim(ctx, at)) return undefined;
  const { baseDir, ...rest } = extra;
  const ref = codeReference({
    extractor: ctx.extractor,
    location: lineOf(at, ctx.o),
    value,
    ...rest,
    ...(baseDir ? { baseDir: ctx.baseDir } : {}),
  });
  ctx.refs.push(ref);
  return ref;
}
