/**
 * Value-flow rule "registry": a dict or list literal bound to a model-named module-level name (`_MODELS = {"tiny":
 * "Systran/faster-whisper-tiny", ...}`, `DEFAULT_ALIGN_MODELS_HF = {...}`, `CHECKPOINTS = [...]`) is a table the code
 * picks a model from by key at run time; every entry can be the one loaded, so every entry is reported (a Hub id or a
 * path as itself, a bundle or alias name such as `WAV2VEC2_ASR_BASE_960H` as a known-component alias).
 */
import { isModelShaped } from "../../code/model-ref.js";
import type { SyntaxNode } from "../../code/tree-sitter.js";
import { stringValue, type Scope } from "./flow.js";

/** Names of registries: a plural or collective model word (`MODELS`, `_MODELS`, `model_zoo`, `CHECKPOINTS`, `*_MODELS_HF`). */
const REGISTRY_NAME =
  /(?:^|_)(?:models?|checkpoints?|ckpts?|weights|model_?zoo|pretrained(?:_models?)?|encoders|backbones)(?:_|$)|(?:Models|Checkpoints)$/i;
const NOT_REGISTRY =
  /(?:type|kwargs|config|class|args|dtype|device|prompt|template|dir|url|size|len|max|cache|price|cost|limit|token)/i;

/** True when `name` names a table of models. */
export function isRegistryName(name: string): boolean {
  return REGISTRY_NAME.test(name) && !NOT_REGISTRY.test(name);
}

/** An entry of a registry: the string node, its value, and the key it sits under (dicts). */
export interface RegistryEntry {
  node: SyntaxNode;
  value: string;
  key?: string;
  /** `alias`: a name such as a bundle constant, not a Hub id or a path. */
  shape: "model" | "alias";
}

/** A bundle or alias name (`WAV2VEC2_ASR_BASE_960H`, `vit_base_patch16_224`): letters, digits, `_.-`, with a digit. */
const ALIAS = /^[A-Za-z][\w.-]{2,80}$/;

/**
 * The entries of the registry an assignment binds, or none when the name is not a registry's or the value is not a
 * dict, list or tuple literal of strings. An alias-shaped value counts when it is a bundle constant (upper case) or
 * `hosted` says it is a hosted model name.
 */
export function registryEntries(
  left: SyntaxNode | null,
  right: SyntaxNode | null,
  scope: Scope,
  hosted?: (value: string) => boolean,
): RegistryEntry[] {
  if (!left || !right || left.type !== "identifier" || !isRegistryName(left.text)) return [];
  // Alias tables are module or class constants; inside a function only Hub ids and paths count.
  let inFunction = false;
  for (let p = left.parent; p; p = p.parent) if (p.type === "function_definition") inFunction = true;
  const items: { node: SyntaxNode; key?: string }[] = [];
  if (right.type === "dictionary") {
    for (const p of right.namedChildren) {
      if (p?.type !== "pair") continue;
      const v = p.childForFieldName("value");
      const k = p.childForFieldName("key");
      if (v?.type === "string")
        items.push({ node: v, ...(k?.type === "string" ? { key: stringValue(k, scope, 0) ?? "" } : {}) });
    }
  } else if (right.type === "list" || right.type === "tuple") {
    for (const c of right.namedChildren) if (c?.type === "string") items.push({ node: c });
  } else return [];
  const out: RegistryEntry[] = [];
  for (const it of items) {
    const value = stringValue(it.node, scope, 0);
    // A cache folder name (`models--org--name.tar`) is read by its own rule, which knows archives.
    if (!value || value.includes("models--")) continue;
    if (isModelShaped(value))
      out.push({ node: it.node, value, shape: "model", ...(it.key !== undefined ? { key: it.key } : {}) });
    else if (
      ALIAS.test(value) &&
      /\d/.test(value) &&
      /[_-]/.test(value) &&
      !inFunction &&
      (hosted?.(value) || /^[A-Z][A-Z0-9_]+$/.test(value))
    )
      out.push({ node: it.node, value, shape: "alias", ...(it.key !== undefined ? { key: it.key } : {}) });
  }
  return out;
}
