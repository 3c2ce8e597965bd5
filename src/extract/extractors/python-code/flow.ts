/**
 * Same-file value flow over a Python module's tree-sitter AST, for the python-code extractor: the scope (imports,
 * assignments, parameters, callers, argparse defaults), a single constant an expression resolves to
 * ({@link resolve}), and the several values it can take through loops, registries and callers ({@link resolveMany}).
 * Never executes code; names are per file except where noted (per function in {@link bindingsOf}).
 */
import { pushTo } from "../../../util/multimap.js";
import { walkNamed, type SyntaxNode } from "../../code/tree-sitter.js";
import { trimEndChars } from "../../../util/text.js";
import { hasPathPrefix } from "../../../util/path-shape.js";

/** A constant an expression resolves to (with how it was found), or the expression kept as written. */
export type Value = { value: string; facts?: Record<string, string | number | boolean> } | { expression: string };

/** What a module binds, read once per file by {@link collectScope}. */
export interface Scope {
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
  /** Names changed in place or bound by unpacking (`x += ...`, `a, b = ...`): never followed per scope. */
  rebound: Set<string>;
  /** Names whose object is changed in place (`X[k] = ...`, `X.update(...)`): their literal is not trusted. */
  mutated: Set<string>;
  /** Cache: a name's assignments by the start of the function they are in (-1: module level). */
  defsByFunction: Map<string, Map<number, SyntaxNode[]>>;
  /** Cache: what a name's assignments resolve to (null: they do not settle it), with the depth it was computed at. */
  resolved: Map<string, { depth: number; result: Value | null }>;
}

/** A name's assignments in function `fn` (null: module level), from a per-name index built once. */
export function definitionsIn(scope: Scope, name: string, fn: SyntaxNode | null): SyntaxNode[] {
  let index = scope.defsByFunction.get(name);
  if (!index) {
    index = new Map();
    for (const d of scope.assignments.get(name) ?? []) {
      const k = enclosingFunction(d)?.startIndex ?? -1;
      pushTo(index, k, d);
    }
    scope.defsByFunction.set(name, index);
  }
  return index.get(fn?.startIndex ?? -1) ?? [];
}

const STRING_PREFIX = /^[rRbBuUfF]{0,2}/;

function assign(scope: Scope, name: string, value: SyntaxNode): void {
  pushTo(scope.assignments, name, value);
}

/** A name bound by something that is never a constant (unpacking, `+=`, a loop). */
function rebind(scope: Scope, name: string): void {
  scope.unknownBindings.add(name);
  scope.rebound.add(name);
}

/** `from m import a as b` (and an Ollama module marks the file as using Ollama). */
function bindImportFrom(scope: Scope, n: SyntaxNode): void {
  const mod = n.childForFieldName("module_name")?.text ?? "";
  if (/ollama/i.test(mod)) scope.usesOllama = true;
  for (const c of n.childrenForFieldName("name")) {
    if (c?.type === "aliased_import")
      scope.imports.set(c.childForFieldName("alias")?.text ?? "", `${mod}.${c.childForFieldName("name")?.text ?? ""}`);
    else if (c) scope.imports.set(c.text.split(".").pop() ?? c.text, `${mod}.${c.text}`);
  }
}

/** `import a.b`, `import a as b`. */
function bindImport(scope: Scope, n: SyntaxNode): void {
  for (const c of n.childrenForFieldName("name")) {
    if (!c) continue;
    if (/ollama/i.test(c.text)) scope.usesOllama = true;
    if (c.type === "aliased_import")
      scope.imports.set(c.childForFieldName("alias")?.text ?? "", c.childForFieldName("name")?.text ?? "");
    else scope.imports.set(c.text.split(".")[0]!, c.text.split(".")[0]!);
  }
}

/** `x = v` and `self.x = v` define; `X[k] = v` mutates X; unpacking rebinds each name. */
function bindAssignment(scope: Scope, n: SyntaxNode): void {
  const left = n.childForFieldName("left");
  const right = n.childForFieldName("right");
  if (left?.type === "identifier" && right) assign(scope, left.text, right);
  else if (left?.type === "attribute" && right && left.childForFieldName("object")?.text === "self")
    assign(scope, left.text, right);
  else if (left?.type === "subscript") scope.mutated.add(left.childForFieldName("value")?.text ?? "");
  else if (left && left.type !== "attribute")
    for (const id of left.descendantsOfType("identifier")) if (id) rebind(scope, id.text);
}

function bindAugmented(scope: Scope, n: SyntaxNode): void {
  const left = n.childForFieldName("left");
  if (left?.type === "subscript") scope.mutated.add(left.childForFieldName("value")?.text ?? "");
  else if (left) rebind(scope, left.text);
}

function bindDefaultParameter(scope: Scope, n: SyntaxNode): void {
  const name = n.childForFieldName("name");
  const value = n.childForFieldName("value");
  if (!name || !value) return;
  assign(scope, name.text, value);
  pushTo(scope.parameterDefaults, name.text, value);
}

function bindParameters(scope: Scope, n: SyntaxNode): void {
  for (const p of n.namedChildren)
    if (p && (p.type === "identifier" || p.type === "typed_parameter"))
      scope.unknownBindings.add(p.type === "identifier" ? p.text : (p.namedChildren[0]?.text ?? ""));
}

function bindLoopTarget(scope: Scope, n: SyntaxNode): void {
  for (const id of (n.type === "for_statement" ? n.childForFieldName("left") : n)?.descendantsOfType("identifier") ??
    [])
    if (id) scope.unknownBindings.add(id.text);
}

/** argparse `add_argument` destination (`dest=` or the long flag) and default. */
function argparseDefaultOf(args: SyntaxNode): { dest: string; def: SyntaxNode } | undefined {
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
  return dest && def ? { dest, def } : undefined;
}

/** Plain-name calls (for callers' values), in-place mutations (`X.update(...)`), argparse defaults. */
function bindCall(scope: Scope, n: SyntaxNode): void {
  const fn = n.childForFieldName("function");
  const args = n.childForFieldName("arguments");
  if (fn?.type === "identifier" && args) pushTo(scope.calls, fn.text, args);
  const method = fn?.type === "attribute" ? (fn.childForFieldName("attribute")?.text ?? "") : "";
  if (/^(?:update|setdefault|pop|clear)$/.test(method)) scope.mutated.add(fn!.childForFieldName("object")?.text ?? "");
  const arg = method === "add_argument" && args ? argparseDefaultOf(args) : undefined;
  if (arg) scope.argDefaults.set(arg.dest, arg.def);
}

const BINDERS: Readonly<Record<string, (scope: Scope, n: SyntaxNode) => void>> = {
  import_from_statement: bindImportFrom,
  import_statement: bindImport,
  assignment: bindAssignment,
  augmented_assignment: bindAugmented,
  default_parameter: bindDefaultParameter,
  typed_default_parameter: bindDefaultParameter,
  parameters: bindParameters,
  for_statement: bindLoopTarget,
  as_pattern_target: bindLoopTarget,
  call: bindCall,
};
const SCOPE_TYPES: ReadonlySet<string> = new Set(Object.keys(BINDERS));

/** Reads a module's imports, assignments, parameters, loop and `with` bindings, plain-name calls and argparse defaults. */
export function collectScope(root: SyntaxNode): Scope {
  const scope: Scope = {
    imports: new Map(),
    assignments: new Map(),
    unknownBindings: new Set(),
    parameterDefaults: new Map(),
    usesOllama: false,
    calls: new Map(),
    argDefaults: new Map(),
    rebound: new Set(),
    mutated: new Set(),
    defsByFunction: new Map(),
    resolved: new Map(),
  };
  walkNamed(root, (n) => BINDERS[n.type]?.(scope, n), SCOPE_TYPES);
  return scope;
}

/**
 * The function definition enclosing a node, with the position of parameter `name` among the arguments its callers
 * pass (-1 when it is not one). A plain function is called by its name; a class's `__init__` is called by the class
 * name (`BigVox(path)`), without `self`. Other methods are called through objects and are not followed.
 */
function enclosingParameter(n: SyntaxNode, name: string): { fn: string; index: number } | undefined {
  for (let p = n.parent; p; p = p.parent) {
    if (p.type !== "function_definition") continue;
    const fn = p.childForFieldName("name")?.text;
    const params = (p.childForFieldName("parameters")?.namedChildren ?? []).filter((c): c is SyntaxNode => !!c);
    const names = params.map((c) =>
      c.type === "identifier"
        ? c.text
        : c.type === "typed_parameter"
          ? (c.namedChildren[0]?.text ?? "")
          : (c.childForFieldName("name")?.text ?? ""),
    );
    if (fn === "__init__" && names[0] === "self") {
      let cls = p.parent;
      while (cls && cls.type !== "class_definition" && cls.type !== "function_definition") cls = cls.parent;
      const className = cls?.type === "class_definition" ? cls.childForFieldName("name")?.text : undefined;
      if (!className) return undefined;
      const i = names.indexOf(name);
      return { fn: className, index: i > 0 ? i - 1 : -1 };
    }
    if (!fn || names[0] === "self" || names[0] === "cls") return undefined;
    return { fn, index: names.indexOf(name) };
  }
  return undefined;
}

/** One of the values an expression can take, with the rows (0-based) where its parts were defined, by part name. */
export interface ManyValue {
  value: string;
  facts: Record<string, string | number | boolean>;
  rows: Record<string, number>;
}

/** At most this many values are followed for one expression (a cartesian product of loops and callers). */
const MAX_VALUES = 16;

/** The elements of a list or tuple literal (directly, or bound once to the name), or undefined. */
function literalElements(n: SyntaxNode, scope: Scope, depth: number): SyntaxNode[] | undefined {
  if (n.type === "list" || n.type === "tuple")
    return n.namedChildren.filter((c): c is SyntaxNode => !!c && c.type !== "comment");
  if (n.type === "identifier" && depth < 6) {
    const defs = scope.assignments.get(n.text) ?? [];
    if (defs.length === 1 && !scope.unknownBindings.has(n.text)) return literalElements(defs[0]!, scope, depth + 1);
  }
  return undefined;
}

/**
 * The expressions a name may be bound to, each with how (`definedAt`: an assignment, `itemAt`: an element of the
 * list a `for` loop walks, `callerAt`: an argument a same-file caller passes the parameter). Undefined when unknown.
 */
function bindingsOf(
  id: SyntaxNode,
  scope: Scope,
  depth: number,
): { node: SyntaxNode; how: "definedAt" | "itemAt" | "callerAt" }[] | undefined {
  const defs = scope.assignments.get(id.text) ?? [];
  if (scope.rebound.has(id.text)) return undefined;
  if (id.type !== "identifier")
    return defs.length && !scope.unknownBindings.has(id.text)
      ? defs.map((node) => ({ node, how: "definedAt" as const }))
      : undefined;
  // Names are looked up in the function that uses them, then at module level.
  const fn = enclosingFunction(id);
  for (let p = id.parent; p && p !== fn; p = p.parent) {
    if (p.type !== "for_statement" || p.childForFieldName("left")?.text !== id.text) continue;
    const items = literalElements(p.childForFieldName("right")!, scope, depth + 1);
    return items?.map((node) => ({ node, how: "itemAt" as const }));
  }
  const param = parameterBindings(id, scope);
  if (param !== null) return param;
  const local = definitionsIn(scope, id.text, fn);
  if (local.length) return local.map((node) => ({ node, how: "definedAt" as const }));
  if (fn && parameterNames(fn).includes(id.text)) return undefined;
  const global = definitionsIn(scope, id.text, null);
  return global.length ? global.map((node) => ({ node, how: "definedAt" as const })) : undefined;
}

/** The value node of a parameter default (`def f(name="x")`, `name: str = "x"`). */
function isParameterDefault(n: SyntaxNode): boolean {
  return n.parent?.type === "default_parameter" || n.parent?.type === "typed_default_parameter";
}

/**
 * What parameter `id` of the function it is used in may be bound to: its default (`definedAt`) and what each same-file
 * caller passes it (`callerAt`; a caller that leaves it out takes the default). Scoped by function: a parameter of the
 * same name elsewhere in the file plays no part. Null when `id` is not a parameter of its enclosing function (or the
 * function body assigns it); undefined when unknown (no default and no caller, a caller with `*args`/`**kwargs`, a
 * caller that omits a parameter without default).
 */
function parameterBindings(
  id: SyntaxNode,
  scope: Scope,
): { node: SyntaxNode; how: "definedAt" | "callerAt" }[] | undefined | null {
  if (id.type !== "identifier" || scope.rebound.has(id.text)) return null;
  const fn = enclosingFunction(id);
  const params = fn?.childForFieldName("parameters");
  if (!fn || !params || (id.startIndex >= params.startIndex && id.endIndex <= params.endIndex)) return null;
  if (!parameterNames(fn).includes(id.text)) return null;
  if (
    definitionsIn(scope, id.text, fn).some(
      (d) => !isParameterDefault(d) || enclosingFunction(d)?.startIndex !== fn.startIndex,
    )
  )
    return null;
  let def: SyntaxNode | undefined;
  for (const p of params.namedChildren) {
    if (
      p &&
      (p.type === "default_parameter" || p.type === "typed_default_parameter") &&
      p.childForFieldName("name")?.text === id.text
    )
      def = p.childForFieldName("value") ?? undefined;
  }
  const out: { node: SyntaxNode; how: "definedAt" | "callerAt" }[] = def ? [{ node: def, how: "definedAt" }] : [];
  const at = enclosingParameter(id, id.text);
  if (!at || at.index < 0) return out.length ? out : undefined;
  for (const args of scope.calls.get(at.fn) ?? []) {
    const list = args.namedChildren.filter((a): a is SyntaxNode => !!a && a.type !== "comment");
    if (list.some((a) => a.type === "list_splat" || a.type === "dictionary_splat")) return undefined;
    const arg =
      list
        .find((a) => a.type === "keyword_argument" && a.childForFieldName("name")?.text === id.text)
        ?.childForFieldName("value") ?? list.filter((a) => a.type !== "keyword_argument")[at.index];
    if (arg) out.push({ node: arg, how: "callerAt" });
    else if (!def) return undefined;
  }
  return out.length ? out : undefined;
}

/**
 * The entries of the dict literal a name is bound to (by its single assignment in the function that uses it, else at
 * module level), or of a dict literal itself: constant keys with their value nodes. Undefined when a key is not
 * constant, the dict is unpacked into (`**other`), or the object is changed in place anywhere in the file.
 */
function dictEntries(n: SyntaxNode, scope: Scope, depth: number): { key: string; value: SyntaxNode }[] | undefined {
  if (depth > 8) return undefined;
  if (n.type === "identifier") {
    if (scope.rebound.has(n.text) || scope.mutated.has(n.text) || scope.unknownBindings.has(n.text)) return undefined;
    const local = definitionsIn(scope, n.text, enclosingFunction(n));
    const defs = local.length ? local : definitionsIn(scope, n.text, null);
    return defs.length === 1 ? dictEntries(defs[0]!, scope, depth + 1) : undefined;
  }
  if (n.type !== "dictionary") return undefined;
  const out: { key: string; value: SyntaxNode }[] = [];
  for (const c of n.namedChildren) {
    if (!c || c.type === "comment") continue;
    if (c.type !== "pair") return undefined;
    const k = c.childForFieldName("key");
    const v = c.childForFieldName("value");
    const kv = k ? resolve(k, scope, depth + 1) : undefined;
    if (!v || !kv || !("value" in kv)) return undefined;
    out.push({ key: kv.value, value: v });
  }
  return out;
}

/** A read of a same-file dict literal: `X[key]` or `X.get(key)` / `X.get(key, fallback)`. */
interface DictAccess {
  name: string;
  entries: { key: string; value: SyntaxNode }[];
  key: SyntaxNode;
  fallback?: SyntaxNode;
}

function dictAccess(n: SyntaxNode, scope: Scope, depth: number): DictAccess | undefined {
  let obj: SyntaxNode | null | undefined;
  let key: SyntaxNode | null | undefined;
  let fallback: SyntaxNode | undefined;
  if (n.type === "subscript") {
    obj = n.childForFieldName("value");
    key = n.childForFieldName("subscript");
  } else if (
    n.type === "call" &&
    n.childForFieldName("function")?.type === "attribute" &&
    n.childForFieldName("function")?.childForFieldName("attribute")?.text === "get"
  ) {
    const a = callArgs(n);
    if (a.keywords.size > 0 || a.positional.length < 1 || a.positional.length > 2) return undefined;
    obj = n.childForFieldName("function")?.childForFieldName("object");
    key = a.positional[0];
    fallback = a.positional[1];
  }
  const entries = obj && key ? dictEntries(obj, scope, depth + 1) : undefined;
  return entries && entries.length > 0
    ? { name: obj!.text, entries, key: key!, ...(fallback ? { fallback } : {}) }
    : undefined;
}

/**
 * The values a dict read can take: the entry each possible key names (every entry, and the fallback, when the key is
 * unknown), or none when a known key names no entry and there is no fallback.
 */
function dictValues(access: DictAccess, scope: Scope, depth: number): ManyValue[] {
  const keys = resolveMany(access.key, scope, depth + 1);
  const fallback = access.fallback ? [{ key: undefined, value: access.fallback }] : [];
  const chosen: ({ key: string | undefined; value: SyntaxNode } | undefined)[] = keys.length
    ? keys.map((k) => access.entries.find((e) => e.key === k.value) ?? fallback[0])
    : [...access.entries, ...fallback];
  const out: ManyValue[] = [];
  for (const e of chosen) {
    if (!e) return [];
    const vs = resolveMany(e.value, scope, depth + 1);
    if (vs.length === 0) return [];
    out.push(
      ...vs.map((v) => ({
        ...v,
        facts: { ...v.facts, variable: access.name, ...(e.key !== undefined ? { dictKey: e.key } : {}) },
        rows: { ...v.rows, itemAt: e.value.startPosition.row },
      })),
    );
  }
  return [...new Map(out.map((v) => [v.value, v])).values()].slice(0, MAX_VALUES);
}

/**
 * `str.format` of a template (`"{}/{}"`, `"{0}/{name}"`; `{{`/`}}` escapes) and printf-style `%` of one (`"%s/%s"`,
 * `%d`, `%%`), per https://docs.python.org/3/library/string.html#formatstrings and
 * https://docs.python.org/3/library/stdtypes.html#printf-style-string-formatting. Undefined for fields with
 * conversions or format specs, missing arguments, or other `%` conversions.
 */
function formatBraces(template: string, positional: string[], keywords: Map<string, string>): string | undefined {
  let auto = 0;
  let ok = true;
  const out = template.replace(/\{\{|\}\}|\{([^{}]*)\}/g, (m, field: string | undefined) => {
    if (m === "{{") return "{";
    if (m === "}}") return "}";
    const f = field ?? "";
    const v =
      f === ""
        ? positional[auto++]
        : /^\d+$/.test(f)
          ? positional[Number(f)]
          : /^[A-Za-z_]\w*$/.test(f)
            ? keywords.get(f)
            : undefined;
    if (v === undefined) ok = false;
    return v ?? "";
  });
  return ok ? out : undefined;
}

function formatPercent(template: string, values: string[]): string | undefined {
  let i = 0;
  let ok = true;
  const out = template.replace(/%%|%([sd])|%/g, (m, conv: string | undefined) => {
    if (m === "%%") return "%";
    const v = conv ? values[i++] : undefined;
    if (v === undefined || (conv === "d" && !/^-?\d+$/.test(v))) ok = false;
    return v ?? "";
  });
  return ok && i === values.length ? out : undefined;
}

/** The values of a printf-style `%` over constant parts (`"%s/%s" % (ORG, NAME)`), or none. See {@link formatPercent}. */
function percentValues(n: SyntaxNode, scope: Scope, depth: number): ManyValue[] {
  // printf-style: `"%s/%s" % (ORG, NAME)`.
  const right = n.childForFieldName("right")!;
  const left = resolveMany(n.childForFieldName("left")!, scope, depth + 1);
  const items =
    right.type === "tuple" ? right.namedChildren.filter((c): c is SyntaxNode => !!c && c.type !== "comment") : [right];
  const parts = items.map((c) => resolveMany(c, scope, depth + 1));
  if (left.length === 0 || parts.some((p) => p.length === 0)) return [];
  const out: ManyValue[] = [];
  for (const v of product([left, ...parts], (vs) => formatPercent(vs[0]!, vs.slice(1)) ?? "\u0000", [
    "templateAt",
    ...parts.map(() => "partAt"),
  ])) {
    if (v.value.includes("\u0000")) return [];
    out.push(v);
  }
  return out;
}

/** The values of `template.format(...)` over constant parts, or none. See {@link formatBraces}. */
function formatValues(n: SyntaxNode, scope: Scope, depth: number): ManyValue[] {
  const fn = n.childForFieldName("function")!;
  const args = (n.childForFieldName("arguments")?.namedChildren ?? []).filter(
    (a): a is SyntaxNode => !!a && a.type !== "comment",
  );
  if (args.some((a) => a.type === "list_splat" || a.type === "dictionary_splat")) return [];
  // `"{}/{}".format(ORG, NAME)`, `"{org}/{name}".format(org=ORG, name=NAME)`.
  const names = args.map((a) =>
    a.type === "keyword_argument" ? (a.childForFieldName("name")?.text ?? "") : undefined,
  );
  const parts = [
    fn.childForFieldName("object")!,
    ...args.map((a) => (a.type === "keyword_argument" ? a.childForFieldName("value")! : a)),
  ].map((a) => resolveMany(a, scope, depth + 1));
  if (parts.some((p) => p.length === 0)) return [];
  const out: ManyValue[] = [];
  const joined = product(
    parts,
    (vs) => {
      const positional = vs.slice(1).filter((_, i) => names[i] === undefined);
      const keywords = new Map(
        vs.slice(1).flatMap((v, i) => (names[i] !== undefined ? [[names[i]!, v] as [string, string]] : [])),
      );
      return formatBraces(vs[0]!, positional, keywords) ?? "\u0000";
    },
    ["templateAt", ...args.map(() => "partAt")],
  );
  for (const v of joined) {
    if (v.value.includes("\u0000")) return [];
    out.push(v);
  }
  return out;
}

/** The function definition a node is in (a parameter default counts as inside its function), or null at module level. */
export function enclosingFunction(n: SyntaxNode): SyntaxNode | null {
  for (let p = n.parent; p; p = p.parent) if (p.type === "function_definition" || p.type === "lambda") return p;
  return null;
}

function parameterNames(fn: SyntaxNode): string[] {
  return (fn.childForFieldName("parameters")?.namedChildren ?? [])
    .filter((c): c is SyntaxNode => !!c)
    .map((c) =>
      c.type === "identifier"
        ? c.text
        : c.type === "typed_parameter"
          ? (c.namedChildren[0]?.text ?? "")
          : (c.childForFieldName("name")?.text ?? ""),
    );
}

function product(parts: ManyValue[][], join: (values: string[]) => string, roles: (string | undefined)[]): ManyValue[] {
  let acc: { values: string[]; facts: ManyValue["facts"]; rows: ManyValue["rows"] }[] = [
    { values: [], facts: {}, rows: {} },
  ];
  parts.forEach((options, i) => {
    const next: typeof acc = [];
    for (const a of acc) {
      for (const o of options) {
        const rows = { ...a.rows };
        for (const [k, r] of Object.entries(o.rows)) rows[k === "definedAt" ? (roles[i] ?? "partAt") : k] = r;
        // A part's own variable bookkeeping describes the part, not the whole: only its other facts carry over.
        const { variable: _v, resolvedFrom: _r, definedAtLine: _d, definitions: _n, ...partFacts } = o.facts;
        next.push({ values: [...a.values, o.value], facts: { ...a.facts, ...partFacts }, rows });
      }
    }
    acc = next.slice(0, MAX_VALUES);
  });
  return acc.map((a) => ({ value: join(a.values), facts: a.facts, rows: a.rows }));
}

/** `str()` of a Python number literal, as Python prints it (plain decimals only). */
function numberText(n: SyntaxNode): string | undefined {
  const t = n.text.replace(/_/g, "");
  if (n.type === "integer" && /^\d+$/.test(t)) return String(Number(t));
  if (n.type === "float" && /^\d*\.\d+$|^\d+\.\d*$/.test(t)) {
    const [i, f] = t.split(".");
    const frac = trimEndChars(f ?? "", "0");
    return `${String(Number(i || "0"))}.${frac || "0"}`;
  }
  return undefined;
}

/**
 * Every constant value an expression can take when a single constant is not enough: a name bound in a `for` loop over
 * a list literal takes each element; a parameter takes its default and what each same-file caller passes; a read of a
 * dict literal (`X[k]`, `X.get(k, d)`) takes the entry each possible key names; `obj.attr` of an object built by
 * `Class(attr=...)` takes that keyword's value; `+`, f-strings, `str.format`, `%`, `os.path.join`, `str()` and
 * `.replace()` / `.lower()` / `.upper()` / `.strip()` combine them. Empty when any part is unknown. At most
 * {@link MAX_VALUES} values.
 */
export function resolveMany(n: SyntaxNode, scope: Scope, depth = 0): ManyValue[] {
  if (depth > 10) return [];
  const single = resolve(n, scope, depth);
  if ("value" in single)
    return [
      {
        value: single.value,
        facts: { ...(single.facts ?? {}) },
        rows: typeof single.facts?.definedAtLine === "number" ? { definedAt: single.facts.definedAtLine - 1 } : {},
      },
    ];
  return MANY_RULES[n.type]?.(n, scope, depth) ?? [];
}

/** One rule of {@link resolveMany}, by node type. */
type ManyRule = (n: SyntaxNode, scope: Scope, depth: number) => ManyValue[];

const numberValues: ManyRule = (n) => {
  const t = numberText(n);
  return t === undefined ? [] : [{ value: t, facts: {}, rows: {} }];
};

/** An f-string: every combination of its interpolations' values (a format specifier stops it). */
const fStringValues: ManyRule = (n, scope, depth) => {
  const parts: ManyValue[][] = [];
  const roles: (string | undefined)[] = [];
  for (const c of n.namedChildren) {
    if (!c || c.type === "string_start" || c.type === "string_end") continue;
    if (c.type === "string_content" || c.type === "escape_sequence") {
      parts.push([{ value: c.text, facts: {}, rows: {} }]);
      roles.push(undefined);
      continue;
    }
    if (c.type !== "interpolation") continue;
    const expr = c.childForFieldName("expression");
    const vs =
      expr && !c.namedChildren.some((x) => x?.type === "format_specifier") ? resolveMany(expr, scope, depth + 1) : [];
    if (vs.length === 0) return [];
    parts.push(vs);
    roles.push("partAt");
  }
  return product(parts, (v) => v.join(""), roles);
};

/** `a + b` and `"%s" % x` of several values. */
const operatorValues: ManyRule = (n, scope, depth) => {
  const op = n.childForFieldName("operator")?.text;
  if (op === "%") return percentValues(n, scope, depth);
  if (op !== "+") return [];
  const l = resolveMany(n.childForFieldName("left")!, scope, depth + 1);
  const r = l.length ? resolveMany(n.childForFieldName("right")!, scope, depth + 1) : [];
  return r.length ? product([l, r], (v) => v.join(""), ["prefixAt", "suffixAt"]) : [];
};

/** `s.replace(a, b)`, `.lower()`, `.upper()`, `.strip()` with constant arguments, over each value of `s`. */
function stringMethodValues(fn: SyntaxNode, args: SyntaxNode[], scope: Scope, depth: number): ManyValue[] {
  const method = fn.childForFieldName("attribute")?.text ?? "";
  const consts = args.map((a) => resolve(a, scope, depth + 1));
  if (consts.some((c) => !("value" in c))) return [];
  const c = consts.map((x) => ("value" in x ? x.value : ""));
  const apply: ((s: string) => string) | undefined =
    method === "replace" && c.length === 2
      ? (s) => s.split(c[0]!).join(c[1]!)
      : method === "lower" && c.length === 0
        ? (s) => s.toLowerCase()
        : method === "upper" && c.length === 0
          ? (s) => s.toUpperCase()
          : method === "strip" && c.length === 0
            ? (s) => s.trim()
            : undefined;
  return apply
    ? resolveMany(fn.childForFieldName("object")!, scope, depth + 1).map((v) => ({ ...v, value: apply(v.value) }))
    : [];
}

/** Calls: `.format`, dict reads, `os.path.join`, `str()`, string methods. */
const callValues: ManyRule = (n, scope, depth) => {
  const fn = n.childForFieldName("function");
  const args = (n.childForFieldName("arguments")?.namedChildren ?? []).filter(
    (a): a is SyntaxNode => !!a && a.type !== "comment",
  );
  if (fn?.type === "attribute" && fn.childForFieldName("attribute")?.text === "format")
    return formatValues(n, scope, depth);
  const access = dictAccess(n, scope, depth);
  if (access) return dictValues(access, scope, depth);
  if (
    !fn ||
    args.some((a) => a.type === "keyword_argument" || a.type === "list_splat" || a.type === "dictionary_splat")
  )
    return [];
  const q = qualify(fn, scope);
  if (q === "os.path.join" || q === "posixpath.join") {
    const parts = args.map((a) => resolveMany(a, scope, depth + 1));
    if (parts.length === 0 || parts.some((p) => p.length === 0)) return [];
    const roles = parts.map((_, i) => (i === 0 ? "rootAt" : i === parts.length - 1 ? "nameAt" : "partAt"));
    return product(
      parts,
      (v) => v.reduce((acc, p) => (p.startsWith("/") ? p : `${trimEndChars(acc, "/")}/${p}`)),
      roles,
    );
  }
  if (q === "str" && args.length === 1) return resolveMany(args[0]!, scope, depth + 1);
  return fn.type === "attribute" ? stringMethodValues(fn, args, scope, depth) : [];
};

/** `spec.repo_id` where `spec` is bound to `ModelSpec(repo_id="...")` calls: each call's keyword value. */
function constructedAttributeValues(n: SyntaxNode, scope: Scope, depth: number): ManyValue[] {
  const obj = n.childForFieldName("object")!;
  const attr = n.childForFieldName("attribute")?.text ?? "";
  if (obj.type !== "identifier") return [];
  const out: ManyValue[] = [];
  for (const b of bindingsOf(obj, scope, depth + 1) ?? []) {
    const targets = b.node.type === "identifier" ? (bindingsOf(b.node, scope, depth + 1) ?? []) : [b];
    for (const t of targets) {
      const kw = t.node.type === "call" ? callArgs(t.node).keywords.get(attr) : undefined;
      const vs = kw ? resolveMany(kw, scope, depth + 1) : [];
      if (!kw || vs.length === 0) return [];
      out.push(...vs.map((v) => ({ ...v, rows: { ...v.rows, itemAt: kw.startPosition.row } })));
    }
  }
  return out.slice(0, MAX_VALUES);
}

/** A name: every value of every expression it may be bound to (loop items, parameter defaults, callers). */
const nameValues: ManyRule = (n, scope, depth) => {
  if (n.type === "attribute" && n.childForFieldName("object")?.text !== "self")
    return constructedAttributeValues(n, scope, depth);
  const bound = bindingsOf(n, scope, depth + 1);
  if (!bound) return [];
  const out: ManyValue[] = [];
  for (const b of bound) {
    const vs = b.node.text === n.text ? [] : resolveMany(b.node, scope, depth + 1);
    if (vs.length === 0) return [];
    out.push(
      ...vs.map((v) => {
        const { resolvedFrom: _r, definedAtLine: _d, definitions: _n, ...facts } = v.facts;
        return { ...v, facts: { ...facts, variable: n.text }, rows: { ...v.rows, [b.how]: b.node.startPosition.row } };
      }),
    );
  }
  return [...new Map(out.map((v) => [v.value, v])).values()].slice(0, MAX_VALUES);
};

const MANY_RULES: Readonly<Record<string, ManyRule>> = {
  integer: numberValues,
  float: numberValues,
  parenthesized_expression: (n, scope, depth) =>
    n.namedChildren[0] ? resolveMany(n.namedChildren[0], scope, depth + 1) : [],
  concatenated_string: (n, scope, depth) => {
    const parts = n.namedChildren.filter((c): c is SyntaxNode => !!c).map((c) => resolveMany(c, scope, depth + 1));
    return parts.some((p) => p.length === 0) ? [] : product(parts, (v) => v.join(""), []);
  },
  string: fStringValues,
  subscript: (n, scope, depth) => {
    const access = dictAccess(n, scope, depth);
    return access ? dictValues(access, scope, depth) : [];
  },
  binary_operator: operatorValues,
  call: callValues,
  identifier: nameValues,
  attribute: nameValues,
};
/** The literal value of a Python string node (`r"..."`, implicit concatenation, f-strings with constant parts). */
export function stringValue(n: SyntaxNode, scope: Scope, depth: number): string | undefined {
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

/** One rule of {@link resolve}: the value of `n` when the rule applies (a kept expression included), else undefined. */
type ResolveRule = (n: SyntaxNode, scope: Scope, depth: number) => Value | undefined;

const kept = (n: SyntaxNode): Value => ({ expression: n.text });
const operatorOf = (n: SyntaxNode): string | undefined =>
  n.type === "binary_operator" ? n.childForFieldName("operator")?.text : undefined;

/** String literals, implicit concatenation and f-strings of constants. */
const stringLiteral: ResolveRule = (n, scope, depth) => {
  if (n.type !== "string" && n.type !== "concatenated_string") return undefined;
  const v = stringValue(n, scope, depth);
  return v === undefined ? kept(n) : { value: v };
};

/** `os.getenv("X", "d")` / `os.environ["X"]`: `${X:-d}` / `${X}` for the linking pass. */
const environmentRead: ResolveRule = (n) => {
  const env = envLookup(n);
  return env ? { value: env, facts: { envLookup: true } } : undefined;
};

const parenthesized: ResolveRule = (n, scope, depth) =>
  n.type === "parenthesized_expression" && n.namedChildren[0]
    ? resolve(n.namedChildren[0], scope, depth + 1)
    : undefined;

/** `a + b` of constants. */
const concatenation: ResolveRule = (n, scope, depth) => {
  if (operatorOf(n) !== "+") return undefined;
  const l = resolve(n.childForFieldName("left")!, scope, depth + 1);
  const r = resolve(n.childForFieldName("right")!, scope, depth + 1);
  return "value" in l && "value" in r ? { value: l.value + r.value } : kept(n);
};

/**
 * pathlib: `base / "name"` (both sides constant strings can only be Paths in working code). A joined Path is a
 * file-system path, never a Hub id: a relative one is marked `./` so it reads as local.
 */
const pathJoin: ResolveRule = (n, scope, depth) => {
  if (operatorOf(n) !== "/") return undefined;
  const l = resolve(n.childForFieldName("left")!, scope, depth + 1);
  const r = resolve(n.childForFieldName("right")!, scope, depth + 1);
  if (!("value" in l) || !("value" in r)) return kept(n);
  const joined = `${trimEndChars(l.value, "/")}/${r.value}`;
  return {
    value: hasPathPrefix(joined) || joined.startsWith("${") ? joined : `./${joined}`,
    facts: { ...(l.facts ?? {}), pathJoin: true },
  };
};

/** `args.model` where `args = parser.parse_args()` and `add_argument("--model", default="...")`. */
const argparseDefault: ResolveRule = (n, scope, depth) => {
  const obj = n.type === "attribute" ? n.childForFieldName("object") : null;
  if (obj?.type !== "identifier") return undefined;
  const dest = n.childForFieldName("attribute")?.text ?? "";
  const def = scope.argDefaults.get(dest);
  const source = def ? boundTo(obj, scope) : undefined;
  if (!def || source?.type !== "call" || !/\.parse_args$/.test(source.childForFieldName("function")?.text ?? ""))
    return undefined;
  const v = resolve(def, scope, depth + 1);
  return "value" in v
    ? { value: v.value, facts: { ...(v.facts ?? {}), resolvedFrom: "argparse-default", cliFlag: dest } }
    : undefined;
};

/** `"%s/%s" % (a, b)` and `"{}/{}".format(a, b)` with one possible value. */
const formatting: ResolveRule = (n, scope, depth) => {
  const fn = n.type === "call" ? n.childForFieldName("function") : null;
  const isFormat = fn?.type === "attribute" && fn.childForFieldName("attribute")?.text === "format";
  if (operatorOf(n) !== "%" && !isFormat) return undefined;
  const many = isFormat ? formatValues(n, scope, depth) : percentValues(n, scope, depth);
  return many.length === 1 ? { value: many[0]!.value, facts: many[0]!.facts } : kept(n);
};

/** `MODELS["small"]` / `MODELS.get("small", fallback)` where `MODELS = {"small": "...", ...}`: that entry. */
const dictEntry: ResolveRule = (n, scope, depth) => {
  const access = n.type === "subscript" || n.type === "call" ? dictAccess(n, scope, depth) : undefined;
  if (!access) return undefined;
  const k = resolve(access.key, scope, depth + 1);
  const hit = "value" in k ? access.entries.find((e) => e.key === k.value) : undefined;
  const v = hit
    ? resolve(hit.value, scope, depth + 1)
    : "value" in k && access.fallback
      ? resolve(access.fallback, scope, depth + 1)
      : undefined;
  if (!v || !("value" in v)) return kept(n);
  return {
    value: v.value,
    facts: {
      ...(v.facts ?? {}),
      variable: access.name,
      ...(hit ? { dictKey: hit.key, resolvedFrom: "dict-entry", definedAtLine: hit.value.startPosition.row + 1 } : {}),
    },
  };
};

/** A parameter of the function it is used in: its default and what callers pass, when they all agree. */
const functionParameter: ResolveRule = (n, scope, depth) => {
  const bound = n.type === "identifier" ? parameterBindings(n, scope) : null;
  if (bound === null) return undefined;
  const values = (bound ?? []).map((b) => resolve(b.node, scope, depth + 1));
  const first = values[0];
  if (!bound || !first || !("value" in first) || !values.every((v) => "value" in v && v.value === first.value))
    return kept(n);
  if (bound.length === 1 && bound[0]!.how === "definedAt")
    return {
      value: first.value,
      facts: {
        ...(first.facts ?? {}),
        variable: n.text,
        resolvedFrom: "parameter-default",
        definedAtLine: bound[0]!.node.startPosition.row + 1,
      },
    };
  const callers = bound.filter((b) => b.how === "callerAt").length;
  return {
    value: first.value,
    facts: {
      ...(first.facts ?? {}),
      variable: n.text,
      resolvedFrom: "caller",
      through: enclosingParameter(n, n.text)?.fn ?? "",
      callers,
    },
  };
};

/** `str(x)`, `Path(x)`: the value of `x`. */
const conversion: ResolveRule = (n, scope, depth) => {
  if (n.type !== "call" || !/^(?:str|Path|pathlib\.Path)$/.test(n.childForFieldName("function")?.text ?? ""))
    return undefined;
  const a = n.childForFieldName("arguments")?.namedChildren[0];
  return a && a.type !== "keyword_argument" ? resolve(a, scope, depth + 1) : undefined;
};

/**
 * A name's assignments: one, or several that all give the same constant (a default repeated in each constructor);
 * assigned once from an expression, that expression. Computed once per name (a deeper result, cut short sooner, is
 * not reused at a shallower depth). Null when the assignments do not settle it.
 */
function assignedValue(n: SyntaxNode, scope: Scope, depth: number): Value | null {
  const defs = scope.assignments.get(n.text) ?? [];
  if (defs.length === 0 || scope.unknownBindings.has(n.text)) return null;
  const cached = scope.resolved.get(n.text);
  if (cached && cached.depth <= depth) return cached.result;
  let result: Value | null = null;
  const first = resolve(defs[0]!, scope, depth + 1);
  const agree =
    "value" in first &&
    defs.slice(1).every((d) => {
      const v = resolve(d, scope, depth + 1);
      return "value" in v && v.value === first.value;
    });
  if (agree && "value" in first) {
    const at = defs[0]!.parent?.type?.includes("parameter") ? "parameter-default" : "assignment";
    result = {
      value: first.value,
      facts: {
        ...(first.facts ?? {}),
        variable: n.text,
        resolvedFrom: at,
        definedAtLine: defs[0]!.startPosition.row + 1,
        ...(defs.length > 1 ? { definitions: defs.length } : {}),
      },
    };
  } else if (defs.length === 1 && "expression" in first && defs[0]!.type !== "identifier")
    result = { expression: first.expression };
  scope.resolved.set(n.text, { depth, result });
  return result;
}

/** A parameter of a plain function: the value every caller in this file hands it, when they all agree. */
function callerValue(n: SyntaxNode, scope: Scope, depth: number): Value | undefined {
  const at = enclosingParameter(n, n.text);
  const callers = at && at.index >= 0 ? (scope.calls.get(at.fn) ?? []) : [];
  const values = callers.map((args) => {
    const list = args.namedChildren.filter((a): a is SyntaxNode => !!a && a.type !== "comment");
    const kw = list
      .find((a) => a.type === "keyword_argument" && a.childForFieldName("name")?.text === n.text)
      ?.childForFieldName("value");
    const arg = kw ?? list.filter((a) => a.type !== "keyword_argument")[at!.index];
    return arg && !list.some((a) => a.type === "list_splat" || a.type === "dictionary_splat")
      ? resolve(arg, scope, depth + 1)
      : undefined;
  });
  const first = values[0];
  if (!first || !("value" in first) || !values.every((v) => v && "value" in v && v.value === first.value))
    return undefined;
  return {
    value: first.value,
    facts: {
      ...(first.facts ?? {}),
      variable: n.text,
      resolvedFrom: "caller",
      through: at!.fn,
      callers: values.length,
    },
  };
}

/** `self.model` set only by a base class: the constructor parameters named `model` in this file, when they agree. */
function inheritedAttribute(n: SyntaxNode, scope: Scope, depth: number): Value | undefined {
  const params = scope.parameterDefaults.get(n.childForFieldName("attribute")?.text ?? "") ?? [];
  if (params.length === 0 || scope.assignments.has(n.text)) return undefined;
  const values = params.map((d) => resolve(d, scope, depth + 1));
  const first = values[0]!;
  if (!("value" in first) || !values.every((v) => "value" in v && v.value === first.value)) return undefined;
  return {
    value: first.value,
    facts: { variable: n.text, resolvedFrom: "parameter-default", definedAtLine: params[0]!.startPosition.row + 1 },
  };
}

/** A name or `self.attr`: its assignments, else its callers' values (a parameter), else a base class's default. */
const boundName: ResolveRule = (n, scope, depth) => {
  if (n.type !== "identifier" && !(n.type === "attribute" && n.childForFieldName("object")?.text === "self"))
    return undefined;
  const assigned = assignedValue(n, scope, depth);
  if (assigned) return assigned;
  const fromCallers =
    n.type === "identifier" && scope.unknownBindings.has(n.text) ? callerValue(n, scope, depth) : undefined;
  return fromCallers ?? (n.type === "attribute" ? inheritedAttribute(n, scope, depth) : undefined) ?? kept(n);
};

/** The rules of {@link resolve}, in order: the first that applies gives the value. */
const RESOLVE_RULES: readonly ResolveRule[] = [
  stringLiteral,
  environmentRead,
  parenthesized,
  concatenation,
  pathJoin,
  argparseDefault,
  formatting,
  dictEntry,
  functionParameter,
  conversion,
  boundName,
];

/** Resolves an expression to a constant string when it is one (or a single-assignment variable holding one). */
export function resolve(n: SyntaxNode, scope: Scope, depth = 0): Value {
  if (depth > 8) return kept(n);
  for (const rule of RESOLVE_RULES) {
    const v = rule(n, scope, depth);
    if (v) return v;
  }
  return kept(n);
}

/** `from <module> import <name>` facts of an expression that is an imported name (or a member of one). */
export function importFacts(n: SyntaxNode, scope: Scope): Record<string, string> {
  if (n.type === "attribute" && n.childForFieldName("object")?.type === "identifier") {
    // `env.OUTPUT_DIR` where `env` is imported (`env.OUTPUT_DIR` in its module) or built at module level by an
    // imported factory or class (`env = load_env()`: `load_env().OUTPUT_DIR` there). See `moduleFields`.
    const obj = n.childForFieldName("object")!;
    const attr = n.childForFieldName("attribute")?.text ?? "";
    const direct = importFacts(obj, scope);
    if (direct.importedName)
      return { importedFrom: direct.importedFrom!, importedName: `${direct.importedName}.${attr}` };
    const call = callBoundTo(obj, scope);
    const callee = call?.childForFieldName("function");
    const viaCall =
      callee?.type === "identifier" && enclosingFunction(call!) === null ? importFacts(callee, scope) : {};
    if (viaCall.importedName)
      return { importedFrom: viaCall.importedFrom!, importedName: `${viaCall.importedName}().${attr}` };
    return {};
  }
  if (n.type !== "identifier") return {};
  const q = scope.imports.get(n.text);
  if (!q || !q.includes(".") || scope.assignments.has(n.text)) return {};
  const dot = q.lastIndexOf(".");
  return { importedFrom: q.slice(0, dot), importedName: q.slice(dot + 1) };
}

/** The expression a name is bound to: its single assignment, or what every caller hands the parameter (same text). */
export function boundTo(id: SyntaxNode, scope: Scope): SyntaxNode | undefined {
  const defs = scope.assignments.get(id.text) ?? [];
  if (defs.length === 1 && !scope.unknownBindings.has(id.text)) return defs[0];
  if (defs.length > 0 || !scope.unknownBindings.has(id.text)) return undefined;
  const at = enclosingParameter(id, id.text);
  if (!at || at.index < 0) return undefined;
  const args = (scope.calls.get(at.fn) ?? []).map(
    (list) =>
      list.namedChildren.filter((a): a is SyntaxNode => !!a && a.type !== "comment" && a.type !== "keyword_argument")[
        at.index
      ],
  );
  const first = args[0];
  return first && args.every((a) => a?.text === first.text) ? first : undefined;
}

/** A call's positional arguments and keyword arguments (splats left out). */
export interface Args {
  positional: SyntaxNode[];
  keywords: Map<string, SyntaxNode>;
}

/** The arguments of a call node. */
export function callArgs(call: SyntaxNode): Args {
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
export function qualify(fn: SyntaxNode, scope: Scope): string {
  const text = fn.text.replace(/\s+/g, "");
  const [head, ...rest] = text.split(".");
  const mod = scope.imports.get(head ?? "");
  return mod ? [mod, ...rest].join(".") : text;
}

/**
 * The call a name is bound to by its single assignment in the function that uses it (else at module level), or the
 * call itself. `self.x` counts its assignments across the class's methods.
 */
export function callBoundTo(n: SyntaxNode, scope: Scope): SyntaxNode | undefined {
  if (n.type === "call") return n;
  if (n.type !== "identifier" && !(n.type === "attribute" && n.childForFieldName("object")?.text === "self"))
    return undefined;
  if (scope.rebound.has(n.text)) return undefined;
  const defs = scope.assignments.get(n.text) ?? [];
  let candidates = defs;
  if (n.type === "identifier") {
    const local = definitionsIn(scope, n.text, enclosingFunction(n));
    candidates = local.length ? local : definitionsIn(scope, n.text, null);
  }
  return candidates.length === 1 && candidates[0]!.type === "call" ? candidates[0] : undefined;
}
