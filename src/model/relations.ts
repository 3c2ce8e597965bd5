/**
 * Lineage relations: the closed list, the ones that carry weights, and the ones a model card may declare. The one home
 * of these sets (the engine, the lineage builder, the card extractor and the Hub resolver read them from here).
 *
 * A relation is the type of a lineage edge, from the derived node (`from`) to the node it derives from (`to`).
 * `finetune`, `adapter`, `merge`, `quantized` are the Hub's `base_model_relation` values
 * (https://huggingface.co/docs/hub/model-cards#specifying-a-base-model); `distillation` is training on a
 * teacher's outputs; `initialised-from` means the weights started from the parent's weights (used as-is or trained
 * further: the criterion MSIT applies, see shared/research/domain-policy.md §1.2); `component-of` links a part to the
 * model that contains it; `same-architecture` records only that configs agree (it proves nothing about weights);
 * `tokenizer-of` links a tokenizer to the known tokenizer it equals or extends (tokenizer lineage, never weights).
 */

/** All relation values, in a stable order (the schemas' `relation` enums equal it; a test checks). */
export const RELATIONS = [
  "finetune",
  "adapter",
  "merge",
  "quantized",
  "distillation",
  "initialised-from",
  "component-of",
  "same-architecture",
  "tokenizer-of",
] as const;

/** Type of a lineage edge (see the module comment). */
export type Relation = (typeof RELATIONS)[number];

/** Relations that carry weights from parent to child (everything but `component-of`, `same-architecture` and `tokenizer-of`). */
export const WEIGHT_RELATIONS: ReadonlySet<Relation> = new Set([
  "finetune",
  "adapter",
  "merge",
  "quantized",
  "distillation",
  "initialised-from",
]);

/** The values a model card's `base_model_relation` may take (the Hub's documented list, URL above). */
export const CARD_RELATIONS: ReadonlySet<Relation> = new Set(["adapter", "merge", "quantized", "finetune"]);

/** A card's `base_model_relation` value as a relation, or undefined when it is missing or not one the Hub defines. */
export function cardRelation(value: unknown): Relation | undefined {
  return typeof value === "string" && CARD_RELATIONS.has(value as Relation) ? (value as Relation) : undefined;
}
