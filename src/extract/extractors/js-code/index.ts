/**
 * JavaScript and TypeScript (`.js .mjs .cjs .jsx .ts .mts .cts .tsx`), parsed with tree-sitter: transformers.js
 * (`@huggingface/transformers`, `@xenova/transformers`) `pipeline(task, model, options)` and
 * `<AnyClass>.from_pretrained(id, options)`, `@huggingface/inference` calls whose argument object names a `model`,
 * LangChain.js Hugging Face / Ollama classes (the loader table), hosted model names, and string constants under
 * model-named keys and variables (including objects whose keys are Hub ids, e.g. a model menu).
 * `options.revision` becomes the reference's revision. A `const` assigned once in the file resolves to its string;
 * anything else is `dynamic-value` with its expression. Scope and value flow: `scope.ts`; the passes: `passes.ts`.
 */
import type { ModelReference } from "../../../model/types.js";
import { isModelShaped } from "../../code/model-ref.js";
import { holdsWords, JS_CODE_WORDS } from "../../prefilters.js";
import { CODE_ANALYSIS_MAX_BYTES, withTree, walkNamed, type SyntaxNode } from "../../code/tree-sitter.js";
import type { CodeModuleFacts, Extractor, ExtractOutput } from "../../types.js";
import { collectJsScope, grammarFor, isModelKey, keyName, resolve, type Scope } from "./scope.js";
import { createJsContext, followFlows, MAIN_TYPES, visit } from "./passes.js";

const ID = "js-code";

/** Exported string constants a module offers to its importers (only model-named or model-shaped ones). */
function moduleConstants(root: SyntaxNode, scope: Scope): Record<string, { value: string; line: number }> {
  const out: Record<string, { value: string; line: number }> = {};
  const take = (name: string, key: string, v: SyntaxNode | null): void => {
    if (!v || (v.type !== "string" && v.type !== "template_string")) return;
    const r = resolve(v, scope);
    if ("value" in r && (isModelKey(key) || isModelShaped(r.value)))
      out[name] = { value: r.value, line: v.startPosition.row + 1 };
  };
  for (const top of root.namedChildren) {
    if (top?.type !== "export_statement") continue;
    const decl = top.childForFieldName("declaration");
    if (decl?.type === "lexical_declaration") {
      for (const d of decl.namedChildren)
        if (d?.type === "variable_declarator" && d.childForFieldName("name")?.type === "identifier")
          take(d.childForFieldName("name")!.text, d.childForFieldName("name")!.text, d.childForFieldName("value"));
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

/** Extracts model references from JavaScript / TypeScript text. */
export async function extractJsSource(text: string, file: string): Promise<ModelReference[]> {
  return (await extractJsModule(text, file)).references;
}

/**
 * An endpoint handler (`type: z.literal("transformersjs")` in its config schema) reading a field of the parsed config
 * (`const { model } = schema.parse(input)`; `model.name`): the value comes from the configuration entries of that
 * endpoint type, which the linking pass finds (facts `endpointType`, `configKey`).
 */
function markEndpointConfig(refs: ModelReference[], root: SyntaxNode, text: string, scope: Scope): ModelReference[] {
  const types = /\.literal\(/.test(text) && scope.parsed.size > 0 ? endpointTypes(root) : [];
  if (types.length !== 1) return refs;
  return refs.map((r) => {
    const m =
      r.skipReason === "dynamic-value"
        ? /^([A-Za-z_$][\w$]*)(?:\.[A-Za-z_$][\w$]*)*\.([A-Za-z_$][\w$]*)$/.exec(String(r.facts?.expression ?? ""))
        : null;
    return m && scope.parsed.has(m[1]!)
      ? { ...r, facts: { ...(r.facts ?? {}), endpointType: types[0]!, configKey: m[2]! } }
      : r;
  });
}

/** References of a JS/TS module and the model constants it exports (for importers in other files). */
export async function extractJsModule(
  text: string,
  file: string,
): Promise<{ references: ModelReference[]; module: CodeModuleFacts }> {
  return withTree(grammarFor(file), text, (root) => {
    const scope = collectJsScope(root);
    const ctx = createJsContext(file, scope);
    walkNamed(root, (n) => visit(ctx, n), MAIN_TYPES);
    followFlows(ctx);
    const constants = moduleConstants(root, scope);
    return {
      references: markEndpointConfig(ctx.refs, root, text, scope),
      module: { file, language: "js" as const, ...(Object.keys(constants).length ? { constants } : {}) },
    };
  });
}

/** The endpoint types a module's config schemas declare: `type: z.literal("<type>")`. */
function endpointTypes(root: SyntaxNode): string[] {
  const out = new Set<string>();
  for (const p of root.descendantsOfType("pair")) {
    if (!p || keyName(p.childForFieldName("key")) !== "type") continue;
    const v = p.childForFieldName("value");
    const fn = v?.type === "call_expression" ? v.childForFieldName("function") : undefined;
    const arg = v?.childForFieldName("arguments")?.namedChildren[0];
    if (
      fn?.type === "member_expression" &&
      fn.childForFieldName("property")?.text === "literal" &&
      arg?.type === "string"
    )
      out.add(arg.namedChildren.map((c) => c?.text ?? "").join(""));
  }
  return [...out];
}

export const jsCodeExtractor: Extractor = {
  id: ID,
  holdsReferences: true,
  description:
    "JavaScript/TypeScript (tree-sitter): transformers.js pipeline/from_pretrained, @huggingface/inference, LangChain.js",
  matches(path, base) {
    return (
      /\.(?:[cm]?js|jsx|[cm]?ts|tsx)$/.test(base) &&
      !/\.d\.[cm]?ts$/.test(base) &&
      !/\.min\.js$/.test(base) &&
      !/(?:^|\/)(?:dist|build|vendor)\//.test(path)
    );
  },
  async extract(file, ctx): Promise<ExtractOutput> {
    const text = await file.text(Math.min(ctx.maxTextBytes, CODE_ANALYSIS_MAX_BYTES));
    if (!holdsWords(JS_CODE_WORDS, text)) return {};
    const r = await extractJsModule(text, file.path);
    return { references: r.references, ...(r.module.constants ? { codeModules: [r.module] } : {}) };
  },
};
