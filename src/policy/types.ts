/**
 * Rule packs: policy as data. A pack is one YAML file in `rules/` whose name is the pack id, validated by
 * `schemas/rule-pack.schema.json`. Conditions are built from a closed set of predicates combined with
 * `all` / `any` / `not` (no expressions, no code: packs may come from untrusted places), so adding predicates and
 * quantifiers later is additive. Rule metadata follows ESLint's rule modules (id, severity, description, source,
 * messages, howToFix).
 */
import type { ComponentRole, EvidenceStrength, LineageNode, Relation, Severity } from "../model/types.js";

/** A list value, or `$name` naming a pack parameter that holds the list. */
export type ListOrParam<T extends string = string> = T[] | `$${string}`;

/**
 * A condition over one lineage node. Exactly one key per object (the schema enforces it).
 * - `all` / `any` / `not`: combinators;
 * - `kind`, `role`, `status`, `statusReason`, `inProduct`, `thirdParty`, `knownComponent`: the node's own attributes;
 *   `thirdParty` holds for upstream nodes with a known publisher that is not the applicant's organization (an
 *   unresolved reference has no origin: it is undetermined, not third-party);
 * - `country`, `publisher`, `license`: publisher country (ISO alpha-2), publisher org / knowledge-base id / entity,
 *   licence (`*` globs), each a list or a `$parameter`;
 * - `edge`: some outgoing edge of the given relations (and strengths / evidence levels) leads to a node where `to` holds;
 * - `ancestor`: some node reachable through outgoing edges of the given relations satisfies `where` (the path and its
 *   evidence become the finding's evidence chain);
 * - `subcomponent`: some part of this node (reverse `component-of`, any depth) satisfies `where`;
 * - `claims`: the component's documentation makes the named claim (`from-scratch`).
 *
 * Added for the shipped packs (all additive, all closed):
 * - `name` / `repo`: `*` globs (case-insensitive) on the node's name, or on its Hub repo / known component's repos;
 *   `name: ["Llama*"]` encodes the Llama 3.x naming duty;
 * - `parameter`: a boolean pack parameter (`$commercial`) is true, so one pack serves several deployment profiles;
 * - `someNode`: some node of the graph (any node, not only this one's lineage) satisfies `where`, for project-wide
 *   consistency checks such as a "from scratch" claim beside evidence of reuse elsewhere in the product;
 * - `reference`: some reference in the project that points at this node (or, for a local node, that it declares)
 *   is of the given kinds, pinned or not, and carries the given facts (`trustRemoteCode`, `weightFormat`, ...) or lacks
 *   others (`checksum`);
 * - `fact`: the local component's own extracted facts (`weightFormat: [pickle]`);
 * - `projectFile`: some file of the scanned project matches a glob (on its path or its base name), e.g. `NOTICE*`;
 * - `projectText`: some attribution document of the project (README, NOTICE, LICENSE, USE_POLICY) contains one of
 *   the phrases (case-insensitive, whitespace-normalised), e.g. "Built with Llama".
 */
export type Condition =
  | { all: Condition[] }
  | { any: Condition[] }
  | { not: Condition }
  | { kind: LineageNode["kind"] }
  | { role: ListOrParam<ComponentRole> }
  | { status: LineageNode["status"][] }
  | { statusReason: string[] }
  | { inProduct: boolean }
  | { thirdParty: boolean }
  | { knownComponent: boolean }
  | { country: ListOrParam }
  | { publisher: ListOrParam }
  | { license: ListOrParam }
  | { claims: "from-scratch"[] }
  | {
      edge: {
        relations: Relation[];
        strengths?: EvidenceStrength[];
        levels?: ("checkpoint" | "family")[];
        to?: Condition;
      };
    }
  | { ancestor: { via: Relation[]; strengths?: EvidenceStrength[]; maxDepth?: number; where: Condition } }
  | { subcomponent: { where: Condition } }
  | { name: ListOrParam }
  | { repo: ListOrParam }
  | { parameter: `$${string}` }
  | { someNode: { where: Condition } }
  | { reference: ReferenceCondition }
  | { fact: Record<string, (string | boolean | number)[]> }
  | { projectFile: ListOrParam }
  | { projectText: ListOrParam };

/**
 * What a reference must look like for the `reference` predicate (every given key must hold).
 * `pinned` is true when the reference names a revision (a commit, tag or branch: `revision=`, `@rev`).
 * `facts`: fact name -> accepted values; `withoutFacts`: facts that must be absent or false.
 */
export interface ReferenceCondition {
  kinds?: ("hub-id" | "local-path" | "ollama-tag" | "url" | "known-component" | "modelscope-id" | "hosted-model")[];
  pinned?: boolean;
  facts?: Record<string, (string | boolean | number)[]>;
  withoutFacts?: string[];
  extractors?: string[];
}

/** A pack parameter: a typed value with a documented default, overridable from the config file. */
export interface PackParameter {
  /** `severity` is a string restricted to error / warning / note (a rule's `severity: $name` reads it). */
  type: "string-list" | "string" | "boolean" | "severity";
  description: string;
  default: string[] | string | boolean;
}

/** One entry of a rule's `message` list: the message id, taken when `when` holds on the matched node. */
export interface MessageChoice {
  id: string;
  when?: Condition;
}

/** One rule. */
export interface Rule {
  id: string;
  title: string;
  /** A severity, or `$name` of a `severity` parameter (configurable per deployment, e.g. ancestors of a component). */
  severity: Severity | `$${string}`;
  /** What a match means: the rule is violated (`fail`) or the data cannot settle it (`undetermined`). */
  verdict: "fail" | "undetermined";
  description: string;
  source: { title: string; url?: string };
  /** Message templates keyed by id; `{name}` placeholders are filled from the finding's arguments. */
  messages: Record<string, string>;
  /**
   * Which message a finding takes (ESLint's `messageId`): an id of `messages`, or `{ id, when }` entries tried in order
   * on the matched node (an entry without `when` always holds). Without it, or when no entry holds, the first message.
   */
  message?: string | MessageChoice[];
  howToFix?: string;
  when: Condition;
}

/** A rule pack. */
export interface RulePack {
  id: string;
  version: string;
  title: string;
  description: string;
  /** How the pack treats undetermined components: fail (error), warn (warning) or ignore. */
  undetermined: "fail" | "warn" | "ignore";
  parameters?: Record<string, PackParameter>;
  rules: Rule[];
  /** File it was loaded from. */
  file: string;
}
