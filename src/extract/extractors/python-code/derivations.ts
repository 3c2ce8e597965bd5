/**
 * What Python code does with models besides loading them, read from the AST for the python-code extractor:
 * quantization declared on a loader's engine config, the loader a model object came from, state dicts walked by
 * weight arithmetic, llm-compressor recipes, config files read with `open()`, and family keys and tokens.
 */
import type { SyntaxNode } from "../../code/tree-sitter.js";
import { callArgs, callBoundTo, qualify, resolve, stringValue, type Args, type Scope } from "./flow.js";

/**
 * The quantization format a loader call declares: its own `quantization=` (vLLM), or the `model_format=` /
 * `quant_method=` / `quantization=` of the engine config it is handed (`backend_config=TurbomindEngineConfig(
 * model_format='awq')`, lmdeploy: https://lmdeploy.readthedocs.io/en/latest/api/pipeline.html), or a
 * `BitsAndBytesConfig(load_in_4bit=True)` as `quantization_config`. `node` is the value's node (for its line).
 */
export function quantizationOf(call: Args, scope: Scope): { value: string; node: SyntaxNode } | undefined {
  const direct = call.keywords.get("quantization");
  if (direct) {
    const v = resolve(direct, scope);
    if ("value" in v && v.value !== "") return { value: v.value, node: direct };
  }
  for (const k of ["backend_config", "engine_config", "quantization_config", "quant_config"]) {
    const arg = call.keywords.get(k);
    const cfg = arg ? callBoundTo(arg, scope) : undefined;
    if (!cfg) continue;
    const a = callArgs(cfg);
    for (const key of ["model_format", "quant_method", "quantization"]) {
      const node = a.keywords.get(key);
      const v = node ? resolve(node, scope) : undefined;
      if (node && v && "value" in v && v.value !== "" && v.value !== "hf") return { value: v.value, node };
    }
    for (const bits of ["load_in_4bit", "load_in_8bit"]) {
      const node = a.keywords.get(bits);
      if (isTrue(node)) return { value: `bitsandbytes-${bits.slice(8, 9)}bit`, node: node! };
    }
  }
  return undefined;
}

/** Loader calls whose result is a model object (`m = AutoModel.from_pretrained(src)`): the model argument. */
export function loadedFrom(obj: SyntaxNode, scope: Scope): { node: SyntaxNode; loader: string } | undefined {
  const call = callBoundTo(obj, scope);
  const fn = call?.childForFieldName("function");
  if (!call || !fn) return undefined;
  const q = qualify(fn, scope);
  const last = q.split(".").pop() ?? "";
  if (!/^(?:from_pretrained|from_quantized|load_model|load_pretrained_model|pipeline|LLM)$/.test(last))
    return undefined;
  const a = callArgs(call);
  const node =
    a.keywords.get("pretrained_model_name_or_path") ??
    a.keywords.get("model_path") ??
    a.keywords.get("model") ??
    a.positional[0];
  return node ? { node, loader: q } : undefined;
}

/** The model whose state dict an expression walks: `m.state_dict()`, `.items()` / `.keys()` of it, or a name for it. */
export function stateDictOwner(n: SyntaxNode | null | undefined, scope: Scope, depth = 0): SyntaxNode | undefined {
  if (!n || depth > 4) return undefined;
  if (n.type === "identifier") {
    const c = callBoundTo(n, scope);
    return c ? stateDictOwner(c, scope, depth + 1) : undefined;
  }
  if (n.type !== "call") return undefined;
  const fn = n.childForFieldName("function");
  if (fn?.type !== "attribute") return undefined;
  const method = fn.childForFieldName("attribute")?.text;
  const obj = fn.childForFieldName("object");
  if (method === "state_dict") return obj ?? undefined;
  if (method === "items" || method === "keys" || method === "values") return stateDictOwner(obj, scope, depth + 1);
  return undefined;
}

/** Facts of an llm-compressor recipe: the modifier classes and their `scheme=` (https://docs.vllm.ai/projects/llm-compressor). */
export function recipeFacts(recipe: SyntaxNode | undefined, scope: Scope): Record<string, string> {
  if (!recipe) return {};
  const v = resolve(recipe, scope);
  if ("value" in v) return { recipe: v.value };
  const node = recipe.type === "identifier" ? (scope.assignments.get(recipe.text)?.[0] ?? recipe) : recipe;
  const out: Record<string, string> = {};
  const modifiers: string[] = [];
  for (const c of [node, ...node.descendantsOfType("call")]) {
    if (!c || c.type !== "call") continue;
    const name = c.childForFieldName("function")?.text ?? "";
    if (!/Modifier$/.test(name)) continue;
    modifiers.push(name);
    const scheme = callArgs(c).keywords.get("scheme");
    const sv = scheme ? resolve(scheme, scope) : undefined;
    if (sv && "value" in sv) out.scheme = sv.value;
  }
  if (modifiers.length) out.modifiers = modifiers.join("|");
  return out;
}

/**
 * The config key an expression reads (`cfg.model_type`, `getattr(cfg, "speech_encoder_type", None)`,
 * `cfg["model_type"]`, `cfg.get("model_type")`, or a name bound to one of those), when it names a model family:
 * `model_type`, `*_encoder_type`, `*_backbone_type`, `architectures`.
 */
export function familyKeyOf(n: SyntaxNode, scope: Scope, depth = 0): string | undefined {
  if (depth > 3) return undefined;
  let key: string | undefined;
  if (n.type === "attribute") {
    const c = callBoundTo(n, scope);
    if (c && n.childForFieldName("object")?.text === "self") return familyKeyOf(c, scope, depth + 1);
    key = n.childForFieldName("attribute")?.text;
  } else if (n.type === "identifier") {
    const c = callBoundTo(n, scope);
    const defs = scope.assignments.get(n.text) ?? [];
    if (c) return familyKeyOf(c, scope, depth + 1);
    if (defs.length === 1 && !scope.unknownBindings.has(n.text) && defs[0]!.type !== "identifier")
      return familyKeyOf(defs[0]!, scope, depth + 1);
    return undefined;
  } else if (n.type === "subscript") {
    const k = n.childForFieldName("subscript");
    key = k?.type === "string" ? stringValue(k, scope, 0) : undefined;
  } else if (n.type === "call") {
    const fn = n.childForFieldName("function");
    const args = (n.childForFieldName("arguments")?.namedChildren ?? []).filter(
      (a): a is SyntaxNode => !!a && a.type !== "comment",
    );
    const k =
      fn?.text === "getattr"
        ? args[1]
        : fn?.type === "attribute" && fn.childForFieldName("attribute")?.text === "get"
          ? args[0]
          : undefined;
    key = k?.type === "string" ? stringValue(k, scope, 0) : undefined;
  }
  return key && FAMILY_KEY.test(key) ? key : undefined;
}

/**
 * The path of the file a value was parsed from: `cfg = json.load(f)` (or `yaml.safe_load(f)`, `json.loads(f.read())`)
 * inside `with open(P) as f:` gives P.
 */
export function openedFile(n: SyntaxNode, scope: Scope): SyntaxNode | undefined {
  const call = callBoundTo(n, scope);
  const fq = call ? qualify(call.childForFieldName("function")!, scope) : "";
  if (!call || !/^(?:json\.loads?|yaml\.(?:safe_)?load|tomllib\.load|toml\.load)$/.test(fq)) return undefined;
  let handle = callArgs(call).positional[0];
  if (handle?.type === "call" && handle.childForFieldName("function")?.type === "attribute")
    handle = handle.childForFieldName("function")!.childForFieldName("object") ?? undefined;
  if (handle?.type !== "identifier") return undefined;
  for (let p = call.parent; p; p = p.parent) {
    if (p.type !== "with_statement") continue;
    for (const item of p.descendantsOfType("as_pattern")) {
      if (item?.childForFieldName("alias")?.text !== handle.text) continue;
      const opener = item.namedChildren[0];
      if (opener?.type === "call" && /^(?:open|io\.open)$/.test(opener.childForFieldName("function")?.text ?? ""))
        return callArgs(opener).positional[0];
    }
  }
  return undefined;
}

/** Config keys and settings names whose value is a model family key, not a model id. */
export const FAMILY_KEY =
  /^(?:model_type|architectures?|(?:\w+_)?(?:model|encoder|decoder|backbone|tower|arch)_?type)$/i;

/**
 * A model family token in a function name (`patch_qwen3vl_rope` -> `qwen3vl`): a known family word, alone or followed
 * by a version or `vl` (so `optimizer` or `clipping` are not families).
 */
export const FAMILY_TOKEN =
  /^(?:llama|mistral|mixtral|qwen|gemma|phi|falcon|bloom|gpt|opt|t5|bert|roberta|clip|siglip|whisper|llava|internvl|mllama|idefics|paligemma|deepseek|baichuan|chatglm|glm|exaone|cohere|olmo|starcoder|mpt|florence|blip|smolvlm|minicpm|pixtral|molmo|aria|janus|kimi)(?:\d\w*|_?vl\w*)?$/i;

/** True when the node is the literal `True`. */
export function isTrue(n: SyntaxNode | undefined): boolean {
  return n?.type === "true";
}
