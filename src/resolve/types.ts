/**
 * The resolver seam: turns upstream ids (Hub repos) into origins (publisher, licence, commit) and their declared
 * parents. The offline resolver answers from the knowledge base alone; the Hub resolver (`src/resolve/hub/`) adds
 * model cards, configs and GGUF headers read through `@huggingface/hub`. Only resolvers touch the network.
 */
import type { ComponentRole, Evidence, Publisher, Relation } from "../model/types.js";

/** What a resolver knows of one upstream repo. */
export interface UpstreamInfo {
  repo: string;
  /** Commit the facts were read at. */
  revision?: string;
  /** When the repo was published (the Hub's `createdAt`, ISO 8601 UTC), when known. */
  releaseTime?: string;
  publisher: Publisher;
  license?: string;
  /** The Hub's task of the model (`pipeline_tag`), when its info or card states one. */
  task?: string;
  /** Training datasets its card declares (Hub dataset ids). */
  datasets?: string[];
  /**
   * `resolved`: facts were read (from the Hub, the cache or the knowledge base);
   * `undetermined`: the repo could not be read (gated, private, missing, rate-limited, offline).
   */
  state: "resolved" | "undetermined";
  /** Why it is undetermined (`gated`, `not-found`, `unauthorized`, `rate-limited`, `offline`, `network`, ...). */
  reason?: { code: string; args?: Record<string, string | number | boolean | string[]> };
  /**
   * Declared parents of the repo (model card `base_model`, adapter base, GGUF base models, ...). `role` is set when a
   * component config of the repo names the parent (a VLM's vision tower), so the parent is that part of the repo.
   */
  parents: { repo: string; relation: Relation; evidence: Evidence[]; role?: ComponentRole }[];
  /** True when the repo's own lineage was looked up (false offline: parents are then unknown, not absent). */
  lineageLookedUp: boolean;
}

/** A source of upstream facts. */
export interface Resolver {
  /** Whether it needs the network (offline mode never constructs one that does). */
  readonly network: boolean;
  /**
   * Resolves repos and, transitively, their parents up to the resolver's depth limit.
   * Never throws for a repo it cannot read: that repo comes back `undetermined` with a reason.
   */
  resolve(repos: readonly string[]): Promise<Map<string, UpstreamInfo>>;
  /** Problems met (rate limits, unreachable Hub), each reported once. */
  diagnostics(): import("../model/types.js").Diagnostic[];
}
