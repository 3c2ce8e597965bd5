/**
 * Same-file value flow over a JavaScript / TypeScript module's tree-sitter AST, for the js-code extractor: what the
 * module binds ({@link collectJsScope}: `const`s, parameters, React state, imports, `+=` appends, validated configs)
 * and the constant an expression resolves to ({@link resolve}). Never executes code.
 */
import { pushTo } from "../../../util/multimap.js";
import { MODEL_NAME, NOT_MODEL_NAME } from "../../code/model-ref.js";
import { walkNamed, type GrammarId, type SyntaxNode } from "../../code/tree-sitter.js";

/** A constant an expression resolves to (with how it was found), or the expression kept as written. */
export type Value = { value: string; facts?: Record<string, string | number | boolean> } | { expression: string };

export interface Scope {
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

function stringOf(n: SyntaxNode, scope: Scope, depth: number): string | undefined {
  if (n.type === "string")
    return n.namedChildren
      .filter((c): c is SyntaxNode => !!c)
      .map((c) => (c.type === "escape_sequence" ? c.text.slice(1) : c.text))
      .join("");
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

/** The constant `n` resolves to: strings, templates of constants, `+` of constants, single `const`s, `process.env.X`. */
export function resolve(n: SyntaxNode, scope: Scope, depth = 0): Value {
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
      if ("value" in v)
        return {
          value: v.value,
          facts: {
            ...(v.facts ?? {}),
            variable: n.text,
            definedAtLine: defs[0]!.startPosition.row + 1,
            ...(scope.states.has(n.text) ? { resolvedFrom: "initial-state" } : {}),
          },
        };
    }
  }
  return { expression: n.text };
}

/**
 * Where a run-time value comes from another module: an imported name, a member of an imported default or namespace
 * (`Constants.DEFAULT_MODEL`), followed through single `const` definitions and React state initial values.
 */
export function importFacts(n: SyntaxNode, scope: Scope, depth = 0): Record<string, string> {
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

/** The tree-sitter grammar of a file by its extension. */
export function grammarFor(path: string): GrammarId {
  if (/\.tsx$/.test(path)) return "tsx";
  if (/\.(?:ts|mts|cts)$/.test(path)) return "typescript";
  return "javascript";
}

/** A model-named key or variable (`model`, `modelName`, `embeddingModel`), not a type, url or list. */
export const isModelKey = (k: string): boolean => MODEL_NAME.test(k) && !NOT_MODEL_NAME.test(k);

/** `useState(init)` / `React.useState<T>(init)`: the initial value, or undefined for another call. */
export function useStateInit(value: SyntaxNode | null): SyntaxNode | undefined {
  if (
    value?.type !== "call_expression" ||
    !/^(?:React\.)?useState$/.test(value.childForFieldName("function")?.text ?? "")
  )
    return undefined;
  return (
    value.childForFieldName("arguments")?.namedChildren.find((a): a is SyntaxNode => !!a && a.type !== "comment") ??
    undefined
  );
}

/** The name of an object key (identifier or string). */
export function keyName(k: SyntaxNode | null): string | undefined {
  if (!k) return undefined;
  if (k.type === "property_identifier" || k.type === "identifier") return k.text;
  if (k.type === "string") return k.namedChildren.map((c) => c?.text ?? "").join("");
  return undefined;
}

/** The value of property `name` of an object literal (a shorthand property is its own value). */
export function objectProp(obj: SyntaxNode | undefined, name: string): SyntaxNode | undefined {
  if (obj?.type !== "object") return undefined;
  for (const p of obj.namedChildren) {
    if (p?.type === "pair" && keyName(p.childForFieldName("key")) === name)
      return p.childForFieldName("value") ?? undefined;
    if (p?.type === "shorthand_property_identifier" && p.text === name) return p;
  }
  return undefined;
}

/** `const x = v`, `const { model } = schema.parse(input)`, `const [model, setModel] = useState(init)`. */
function bindDeclarator(scope: Scope, n: SyntaxNode): void {
  const name = n.childForFieldName("name");
  const value = n.childForFieldName("value");
  if (name?.type === "identifier" && value) pushTo(scope.consts, name.text, value);
  if (name && isSchemaParse(value)) {
    if (name.type === "identifier") scope.parsed.add(name.text);
    for (const p of name.type === "object_pattern" ? name.namedChildren : []) {
      if (p?.type === "shorthand_property_identifier_pattern") scope.parsed.add(p.text);
      else if (p?.type === "pair_pattern" && p.childForFieldName("value")?.type === "identifier")
        scope.parsed.add(p.childForFieldName("value")!.text);
    }
  }
  const init = name?.type === "array_pattern" ? useStateInit(value) : undefined;
  const state = name?.namedChildren[0];
  if (init && state?.type === "identifier") {
    pushTo(scope.consts, state.text, init);
    scope.states.add(state.text);
  }
}

/** Parameters: a default is a definition; a parameter without one is never constant. */
function bindParameters(scope: Scope, n: SyntaxNode): void {
  for (const c of n.namedChildren) {
    const p = c ? parameterOf(c) : undefined;
    if (p?.value) pushTo(scope.consts, p.name, p.value);
    else if (p) scope.params.add(p.name);
  }
}

/** `x = v` is one more definition; any compound assignment makes the name non-constant; `+=` keeps what it appends. */
function bindAssignment(scope: Scope, n: SyntaxNode): void {
  const left = n.childForFieldName("left");
  if (left?.type !== "identifier") return;
  const right = n.childForFieldName("right");
  if (n.type === "augmented_assignment_expression" && !right) return;
  pushTo(scope.consts, left.text, n);
  if (right && n.type === "augmented_assignment_expression" && n.childForFieldName("operator")?.text === "+=")
    pushTo(scope.appends, left.text, right);
}

/** Imported names with their module and exported name (`default`, `*`, or the export). */
function bindImport(scope: Scope, n: SyntaxNode): void {
  const src = n.childForFieldName("source")?.namedChildren[0]?.text ?? "";
  const spec = src.replace(/^['"`]|['"`]$/g, "");
  for (const s of n.descendantsOfType("import_specifier")) {
    const local = s?.childForFieldName("alias")?.text ?? s?.childForFieldName("name")?.text;
    if (local) scope.imports.set(local, src);
    if (local && s?.childForFieldName("name"))
      scope.importSyms.set(local, { module: spec, name: s.childForFieldName("name")!.text });
  }
  const clause = n.namedChildren.find((c) => c?.type === "import_clause");
  for (const c of clause?.namedChildren ?? []) {
    if (c?.type === "identifier") scope.importSyms.set(c.text, { module: spec, name: "default" });
    const id = c?.type === "namespace_import" ? c.namedChildren.find((x) => x?.type === "identifier") : undefined;
    if (id) scope.importSyms.set(id.text, { module: spec, name: "*" });
  }
}

const BINDERS: Readonly<Record<string, (scope: Scope, n: SyntaxNode) => void>> = {
  variable_declarator: bindDeclarator,
  formal_parameters: bindParameters,
  assignment_expression: bindAssignment,
  augmented_assignment_expression: bindAssignment,
  import_statement: bindImport,
};
const SCOPE_TYPES: ReadonlySet<string> = new Set(Object.keys(BINDERS));

/** Reads what a module binds: `const`s, parameters with and without defaults, React state, imports, appends. */
export function collectJsScope(root: SyntaxNode): Scope {
  const scope: Scope = {
    consts: new Map(),
    imports: new Map(),
    importSyms: new Map(),
    states: new Set(),
    params: new Set(),
    appends: new Map(),
    parsed: new Set(),
  };
  walkNamed(root, (n) => BINDERS[n.type]?.(scope, n), SCOPE_TYPES);
  return scope;
}

/** A parameter's name and default (`x = "d"` in JS, `x: T = "d"` in TS), or undefined for another node. */
export function parameterOf(n: SyntaxNode): { name: string; value?: SyntaxNode } | undefined {
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
export function enclosingFunction(n: SyntaxNode): { name: string; params: string[] } | undefined {
  for (let p = n.parent; p; p = p.parent) {
    if (
      p.type !== "function_declaration" &&
      p.type !== "arrow_function" &&
      p.type !== "function_expression" &&
      p.type !== "function"
    )
      continue;
    const name =
      p.type === "function_declaration"
        ? p.childForFieldName("name")?.text
        : p.parent?.type === "variable_declarator"
          ? p.parent.childForFieldName("name")?.text
          : undefined;
    if (!name) return undefined;
    const params = (p.childForFieldName("parameters")?.namedChildren ?? []).map((c) =>
      c ? (parameterOf(c)?.name ?? "") : "",
    );
    return { name, params };
  }
  return undefined;
}
/** `schema.parse(x)` / `safeParse` / `parseAsync` (zod, https://zod.dev/basics), awaited or not. */
export function isSchemaParse(n: SyntaxNode | null | undefined): boolean {
  const call = n?.type === "await_expression" ? n.namedChildren[0] : n;
  if (call?.type !== "call_expression") return false;
  const fn = call.childForFieldName("function");
  return (
    fn?.type === "member_expression" &&
    /^(?:parse|safeParse|parseAsync|safeParseAsync)$/.test(fn.childForFieldName("property")?.text ?? "")
  );
}

/** String methods whose argument, tested against a model id, names a model, an organization or a repository. */
export const STRING_TESTS: ReadonlySet<string> = new Set(["startsWith", "endsWith", "includes", "indexOf"]);

/** A model-named identifier or member (`model`, `modelName`, `this.model`, `opts.model_id`). */
export function isModelValue(n: SyntaxNode | null | undefined): boolean {
  if (!n) return false;
  if (n.type === "identifier") return isModelKey(n.text);
  if (n.type === "member_expression") return isModelKey(n.childForFieldName("property")?.text ?? "");
  return false;
}

/**
 * The constants a conditional can evaluate to (`c ? "a" : "b"`, nested), in source order; undefined when one branch
 * is not a constant.
 */
export function constantChoices(n: SyntaxNode, scope: Scope, depth = 0): string[] | undefined {
  if (depth > 6) return undefined;
  if (n.type === "parenthesized_expression" && n.namedChildren[0])
    return constantChoices(n.namedChildren[0], scope, depth + 1);
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
