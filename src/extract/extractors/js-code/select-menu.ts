/**
 * Value-flow rule "select options" of the js-code extractor: a model chosen in a JSX `<select>` takes one of the
 * values its options offer (constants, or the Hub-id keys of a menu object mapped over with `Object.keys`).
 */
import { isModelShaped } from "../../code/model-ref.js";
import type { SyntaxNode } from "../../code/tree-sitter.js";
import { parseHubId } from "../../../util/hub-id.js";
import { hasPathPrefix } from "../../../util/path-shape.js";
import { keyName, parameterOf, resolve, type Scope } from "./scope.js";

/**
 * The values a `<select>` can hand its `onChange` (the JSX element enclosing `call`): `<option value="id">` constants
 * and `<option value={k}>` inside `Object.keys(menu)...map((k) => ...)` over an object whose keys are Hub ids. Only
 * model-shaped values count; undefined when there are none.
 */
export function selectChoices(call: SyntaxNode, scope: Scope): { values: string[]; from?: string } | undefined {
  let el: SyntaxNode | null = call.parent;
  while (
    el &&
    !(el.type === "jsx_element" && el.childForFieldName("open_tag")?.childForFieldName("name")?.text === "select")
  )
    el = el.parent;
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
    const params = (p.childForFieldName("parameters")?.namedChildren ?? []).map((c) =>
      c ? parameterOf(c)?.name : undefined,
    );
    const param = p.childForFieldName("parameter")?.text;
    if (params[0] !== id.text && param !== id.text) continue;
    // The callback of `<receiver>.map(...)`; the receiver chain ends in `Object.keys(menu)`.
    let call = p.parent?.parent;
    if (
      call?.type !== "call_expression" ||
      call.childForFieldName("function")?.childForFieldName("property")?.text !== "map"
    )
      return undefined;
    let recv = call.childForFieldName("function")?.childForFieldName("object");
    while (
      recv?.type === "call_expression" &&
      /^(?:filter|sort|slice|reverse|concat)$/.test(
        recv.childForFieldName("function")?.childForFieldName("property")?.text ?? "",
      )
    ) {
      call = recv;
      recv = recv.childForFieldName("function")?.childForFieldName("object");
    }
    const menu =
      recv?.type === "call_expression" && recv.childForFieldName("function")?.text === "Object.keys"
        ? recv.childForFieldName("arguments")?.namedChildren[0]
        : undefined;
    const defs = menu?.type === "identifier" ? (scope.consts.get(menu.text) ?? []) : [];
    if (defs.length !== 1 || defs[0]!.type !== "object") return undefined;
    const keys = defs[0]!.namedChildren
      .filter((c) => c?.type === "pair" && c.childForFieldName("key")?.type === "string")
      .map((c) => keyName(c!.childForFieldName("key"))!)
      .filter((k) => parseHubId(k) && !hasPathPrefix(k));
    return keys.length ? { name: menu!.text, keys } : undefined;
  }
  return undefined;
}
