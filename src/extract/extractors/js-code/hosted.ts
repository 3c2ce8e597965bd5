/**
 * Value-flow rule "hosted model and fallback" for JavaScript / TypeScript: a constant under a model-named key,
 * variable, member (`this.model = ...`), destructuring or parameter default, or the fallback of an environment lookup
 * (`process.env.GROQ_MODEL_PREF || "llama3-8b-8192"`, `?? "gpt-4.1-nano"`). A bare model name becomes a hosted-model
 * reference when the call, the key, a sibling `provider` key, the file's folders or its one provider SDK, or the
 * name's own shape names a provider (`rules/knowledge/hosted-providers.yaml`); a Hub-shaped fallback is an ordinary
 * reference.
 */
import { isModelShaped, MODEL_NAME, NOT_MODEL_NAME } from "../../code/model-ref.js";
import { hostedProviderOf, isTestPath, providerOfJs, providerOfName, providerOfPath } from "../../code/hosted.js";
import type { SyntaxNode } from "../../code/tree-sitter.js";

/** Node types the rule looks at. */
export const HOSTED_TYPES: ReadonlySet<string> = new Set([
  "pair",
  "variable_declarator",
  "assignment_expression",
  "object_assignment_pattern",
  "assignment_pattern",
  "binary_expression",
]);

/** A candidate the rule found: the literal to report and how. */
export interface HostedCandidate {
  literal: SyntaxNode;
  /** Set for a hosted model; absent for a Hub-shaped value (an ordinary reference). */
  provider?: string;
  /** `ollama-tag` for a local runtime's model name. */
  kind?: "ollama-tag";
  facts: Record<string, string>;
}

/** Names a hosted model sits under: model-named keys (`model`, `modelId`) and settings (`OPEN_MODEL_PREF`). */
export function isHostedModelKey(name: string): boolean {
  return (
    (MODEL_NAME.test(name) || /model/i.test(name)) &&
    !NOT_MODEL_NAME.test(name) &&
    !/voice|speaker/i.test(name) &&
    !/(?:models|list|options|map|limit|window|length|count|type|provider)$/i.test(name)
  );
}

const ENV = /^process\.env\.([A-Za-z_][A-Za-z0-9_]*)$/;

function stringText(n: SyntaxNode | null | undefined): string | undefined {
  if (!n) return undefined;
  if (n.type === "string")
    return n.namedChildren.map((c) => (c?.type === "escape_sequence" ? c.text.slice(1) : (c?.text ?? ""))).join("");
  if (n.type === "template_string" && !n.namedChildren.some((c) => c?.type === "template_substitution"))
    return n.namedChildren.map((c) => c?.text ?? "").join("");
  return undefined;
}

/** `a || "x"` / `a ?? "x"`: the fallback literal and the environment variable `a` reads, if any. */
function fallbackOf(n: SyntaxNode): { literal: SyntaxNode; env?: string } | undefined {
  if (n.type !== "binary_expression" || !/^(?:\|\||\?\?)$/.test(n.childForFieldName("operator")?.text ?? ""))
    return undefined;
  const right = n.childForFieldName("right");
  const left = n.childForFieldName("left");
  if (!right || stringText(right) === undefined) return undefined;
  // `process.env.A || process.env.B || "x"`: the innermost environment read names the setting.
  const envs = (left?.text.match(/process\.env\.[A-Za-z_][A-Za-z0-9_]*/g) ?? []).map((e) => ENV.exec(e)![1]!);
  return { literal: right, ...(envs.length ? { env: envs[envs.length - 1]! } : {}) };
}

/** The name a value is bound to, for the node types of {@link HOSTED_TYPES} (undefined for other shapes). */
function boundName(n: SyntaxNode): { name: string; value: SyntaxNode } | undefined {
  const pick = (k: SyntaxNode | null, v: SyntaxNode | null): { name: string; value: SyntaxNode } | undefined => {
    if (!k || !v) return undefined;
    const name =
      k.type === "member_expression"
        ? k.childForFieldName("property")?.text
        : k.type === "string"
          ? stringText(k)
          : k.text;
    return name && /^[\w$]+$/.test(name) ? { name, value: v } : undefined;
  };
  if (n.type === "pair") return pick(n.childForFieldName("key"), n.childForFieldName("value"));
  if (n.type === "variable_declarator") return pick(n.childForFieldName("name"), n.childForFieldName("value"));
  if (n.type === "assignment_expression" || n.type === "assignment_pattern")
    return pick(n.childForFieldName("left"), n.childForFieldName("right"));
  if (n.type === "object_assignment_pattern") return pick(n.childForFieldName("left"), n.childForFieldName("right"));
  return undefined;
}

/** A sibling `provider: "groq"` key of a pair's object, naming the provider. */
function siblingProvider(pair: SyntaxNode): string | undefined {
  if (pair.type !== "pair" || pair.parent?.type !== "object") return undefined;
  for (const p of pair.parent.namedChildren) {
    if (p?.type !== "pair" || p === pair) continue;
    const k = p.childForFieldName("key");
    const key = k?.type === "string" ? stringText(k) : k?.text;
    if (!key || !/^(?:provider|providerId|platform|vendor)$/i.test(key)) continue;
    const v = stringText(p.childForFieldName("value"));
    if (v) return providerOfName(v);
  }
  return undefined;
}

/** A display name (`modelName: "GPT-4o"`) beside the id (`modelId: "gpt-4o"`): not reported twice. */
function isDisplayName(n: SyntaxNode, name: string): boolean {
  if (n.type !== "pair" || !/name$/i.test(name) || n.parent?.type !== "object") return false;
  return n.parent.namedChildren.some(
    (p) => p?.type === "pair" && /(?:^id|Id)$/.test(p.childForFieldName("key")?.text ?? ""),
  );
}

/** The provider of the call whose argument object holds `n` (`new ChatAnthropic({ model })`, `openai.chat.completions.create({ model })`). */
function callProvider(n: SyntaxNode, packageOf: (local: string) => string | undefined): string | undefined {
  const obj = n.parent;
  const call = obj?.type === "object" && obj.parent?.type === "arguments" ? obj.parent.parent : undefined;
  if (!call || (call.type !== "call_expression" && call.type !== "new_expression")) return undefined;
  const fn = call.childForFieldName(call.type === "call_expression" ? "function" : "constructor");
  if (!fn) return undefined;
  let root: SyntaxNode = fn;
  while (root.type === "member_expression" && root.childForFieldName("object"))
    root = root.childForFieldName("object")!;
  const cls = fn.type === "identifier" ? fn.text : undefined;
  return (
    providerOfJs(cls, packageOf(root.text)) ?? (root.type === "this" ? undefined : providerOfJs(root.text, undefined))
  );
}

/**
 * The rule's finding at one node, or undefined.
 * @param packageOf the package a local name was imported from.
 * @param fileProvider the provider the file's folders or its one provider SDK name.
 */
export function hostedCandidate(
  n: SyntaxNode,
  file: string,
  packageOf: (local: string) => string | undefined,
  fileProvider: string | undefined,
): HostedCandidate | undefined {
  if (isTestPath(file)) return undefined;
  let bound = boundName(n);
  let literal: SyntaxNode | undefined;
  let env: string | undefined;
  if (bound) {
    if (stringText(bound.value) !== undefined) literal = bound.value;
    else {
      const fb = fallbackOf(bound.value);
      if (fb) ({ literal, env } = fb);
    }
  } else if (
    n.type === "binary_expression" &&
    !HOSTED_TYPES.has(n.parent?.type ?? "") &&
    n.parent?.type !== "binary_expression"
  ) {
    // A bare fallback (`return process.env.X_MODEL_PREF ?? "x"`, an argument): the variable names the setting.
    const fb = fallbackOf(n);
    if (fb?.env) ({ literal, env } = fb);
    if (fb?.env) bound = { name: fb.env, value: n };
  }
  if (!bound || !literal) return undefined;
  const value = stringText(literal)!;
  // The key decides; an environment variable decides only for a bare fallback (`return process.env.X ?? "y"`).
  const keyed =
    isHostedModelKey(bound.name) && (env === undefined || bound.name === env || !/voice|speaker/i.test(env));
  if (!keyed || isDisplayName(n, bound.name)) return undefined;
  const facts: Record<string, string> = { key: bound.name, ...(env ? { envFallback: env } : {}) };
  if (/^https?:/i.test(value)) return undefined;
  // A Hub id or path under a model-named member, parameter or destructuring default, or as an environment fallback.
  if (isModelShaped(value)) return { literal, facts };
  // A local runtime named by the setting or the file (`OLLAMA_MODEL_PREF ?? "llama3:latest"`): an Ollama tag.
  if (/ollama/i.test(`${bound.name} ${env ?? ""} ${file}`) && /^[\w.-]+(?::[\w.-]+)?$/.test(value))
    return { literal, kind: "ollama-tag", facts };
  const provider = hostedProviderOf(value, {
    call: callProvider(n, packageOf),
    name: siblingProvider(n) ?? providerOfName(bound.name) ?? (env ? providerOfName(env) : undefined),
    file: fileProvider ?? providerOfPath(file),
  });
  return provider ? { literal, provider, facts } : undefined;
}
