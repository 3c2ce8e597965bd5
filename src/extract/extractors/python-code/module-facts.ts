/**
 * What other modules can import from a Python module, for the linking pass: its top-level classes with the
 * model-named defaults of their `__init__`, the fields of its objects, and its module-level string constants.
 */
import { MODEL_NAME, NOT_MODEL_NAME } from "../../code/model-ref.js";
import type { SyntaxNode } from "../../code/tree-sitter.js";
import type { CodeClassFacts } from "../../types.js";
import { qualify, resolve, type Scope } from "./flow.js";

/** A constant with the 1-based line of its value in the parsed text. */
export type ConstantAt = { value: string; line: number };

/** A parameter or setting name that holds a model (`model_path`, `vision_tower_name`), not a type, dir or url. */
export const isModelParam = (name: string): boolean => MODEL_NAME.test(name) && !NOT_MODEL_NAME.test(name);

/** The definition inside a decorated one (`@dataclass class X`), else the node itself. */
function undecorated(n: SyntaxNode): SyntaxNode {
  return n.type === "decorated_definition" ? (n.childForFieldName("definition") ?? n) : n;
}

function topLevel(root: SyntaxNode): SyntaxNode[] {
  return root.namedChildren.filter((t): t is SyntaxNode => !!t).map(undecorated);
}

/** The model-named parameter defaults of a class's `__init__` (none: the class has no `__init__`). */
function initDefaults(cls: SyntaxNode, scope: Scope): CodeClassFacts["modelDefaults"] | undefined {
  const init = (cls.childForFieldName("body")?.namedChildren ?? [])
    .filter((st): st is SyntaxNode => !!st)
    .map(undecorated)
    .find((fn) => fn.type === "function_definition" && fn.childForFieldName("name")?.text === "__init__");
  if (!init) return undefined;
  const out: CodeClassFacts["modelDefaults"] = [];
  for (const p of init.childForFieldName("parameters")?.namedChildren ?? []) {
    if (p?.type !== "default_parameter" && p?.type !== "typed_default_parameter") continue;
    const pn = p.childForFieldName("name")?.text ?? "";
    const pv = p.childForFieldName("value");
    if (!pv || !isModelParam(pn) || pv.type === "none") continue;
    const v = resolve(pv, scope);
    out.push({
      param: pn,
      ...("value" in v ? { value: v.value } : { expression: v.expression }),
      line: pv.startPosition.row + 1,
    });
  }
  return out;
}

/** Top-level classes of a module with their bases and the model-named defaults of their `__init__`. */
export function moduleClasses(root: SyntaxNode, scope: Scope): CodeClassFacts[] {
  const out: CodeClassFacts[] = [];
  for (const cls of topLevel(root)) {
    const name = cls.type === "class_definition" ? cls.childForFieldName("name")?.text : undefined;
    if (!name) continue;
    const bases = (cls.childForFieldName("superclasses")?.namedChildren ?? [])
      .filter((b): b is SyntaxNode => b?.type === "identifier" || b?.type === "attribute")
      .map((b) => qualify(b, scope));
    const defaults = initDefaults(cls, scope);
    out.push({ name, bases, hasInit: defaults !== undefined, modelDefaults: defaults ?? [] });
  }
  return out;
}

/** The `NAME = <constant>` statements of a class body (dataclass fields, pydantic settings). */
function classBodyConstants(cls: SyntaxNode, scope: Scope): Record<string, ConstantAt> {
  const fields: Record<string, ConstantAt> = {};
  for (const st of cls.childForFieldName("body")?.namedChildren ?? []) {
    const a = st?.type === "expression_statement" ? st.namedChildren[0] : undefined;
    const left = a?.type === "assignment" ? a.childForFieldName("left") : undefined;
    const right = a?.childForFieldName("right");
    if (left?.type !== "identifier" || !right) continue;
    const v = resolve(right, scope);
    if ("value" in v) fields[left.text] = { value: v.value, line: right.startPosition.row + 1 };
  }
  return fields;
}

/** The class a top-level statement makes an object of: `def factory(): return Class(...)` or `obj = Class(...)`. */
function objectOf(t: SyntaxNode, scope: Scope): { prefix: string; cls: string | undefined } | undefined {
  if (t.type === "function_definition") {
    const body =
      t
        .childForFieldName("body")
        ?.namedChildren.filter(
          (c): c is SyntaxNode => !!c && c.type !== "comment" && c.type !== "expression_statement",
        ) ?? [];
    const ret = body.length === 1 && body[0]!.type === "return_statement" ? body[0]!.namedChildren[0] : undefined;
    return ret?.type === "call"
      ? { prefix: `${t.childForFieldName("name")?.text}()`, cls: ret.childForFieldName("function")?.text }
      : undefined;
  }
  const a = t.type === "expression_statement" ? t.namedChildren[0] : undefined;
  const left = a?.type === "assignment" ? a.childForFieldName("left") : undefined;
  const right = a?.childForFieldName("right");
  if (left?.type === "identifier" && right?.type === "call" && (scope.assignments.get(left.text)?.length ?? 0) === 1)
    return { prefix: left.text, cls: right.childForFieldName("function")?.text };
  return undefined;
}

/**
 * Fields other modules can read from a module's objects, keyed as the importing code writes them: `Class.FIELD` and
 * `Class().FIELD` for a class-body field with a constant (or `os.getenv` / `os.environ`) value (a dataclass or a
 * pydantic `BaseSettings`), `factory().FIELD` for a top-level function that returns `Class(...)`, and `obj.FIELD`
 * for a module-level `obj = Class(...)`.
 */
export function moduleFields(root: SyntaxNode, scope: Scope): Record<string, ConstantAt> {
  const tops = topLevel(root);
  const byClass = new Map<string, Record<string, ConstantAt>>();
  for (const cls of tops) {
    if (cls.type !== "class_definition") continue;
    const fields = classBodyConstants(cls, scope);
    if (Object.keys(fields).length) byClass.set(cls.childForFieldName("name")?.text ?? "", fields);
  }
  const out: Record<string, ConstantAt> = {};
  const add = (prefix: string, cls: string | undefined): void => {
    for (const [k, v] of Object.entries(byClass.get(cls ?? "") ?? {})) out[`${prefix}.${k}`] = v;
  };
  for (const cls of byClass.keys()) {
    add(cls, cls);
    add(`${cls}()`, cls);
  }
  for (const t of tops) {
    const obj = objectOf(t, scope);
    if (obj) add(obj.prefix, obj.cls);
  }
  return out;
}

/** Module-level string constants (`NAME = "..."` assigned once at the top level). */
export function moduleConstants(root: SyntaxNode, scope: Scope): Record<string, ConstantAt> {
  const out: Record<string, ConstantAt> = {};
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
