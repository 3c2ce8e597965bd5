/**
 * What the fingerprint stage hands the lineage builder for each local component whose weights match a knowledge-base
 * fingerprint (src/fingerprint/scan-match.ts produces it, src/lineage/build.ts consumes it).
 */
import type { ComponentRole, Evidence } from "./types.js";

/**
 * Tensor evidence from the fingerprint stage (`src/fingerprint/scan-match.ts`): the local component `subject` carries
 * weights of a knowledge-base fingerprint entry. The target node is the entry's known component when it names one,
 * else its Hub repo, else a `fingerprint:<entry>` node.
 */
export interface WeightEvidenceInput {
  subject: string;
  /** `node`: the exact lineage node the comparison was made against (a known component or a Hub repo), when known. */
  target: { entry: string; name: string; role: ComponentRole; knownComponent?: string; repo?: string; node?: string };
  /** Strength `weight-identical` or `weight-similar` for a derived component; `structural` otherwise. */
  evidence: Evidence;
  /**
   * `derived` (default): an `initialised-from` edge with the weight evidence. `not-derived`: the weights were compared
   * and are not derived from the target, so the evidence goes on the component's edge to it and a configuration
   * match with the target no longer leaves the component undetermined. `undetermined`: not compared or inconclusive;
   * the evidence (with the command that settles it) goes on the edge and the component stays undetermined.
   */
  outcome?: "derived" | "not-derived" | "undetermined";
}

/**
 * A weight comparison that settles nothing: the sketches of `subject` correlate with a fingerprint entry's between the
 * calibrated thresholds (or with a control off chance). The subject's origin is undetermined, as `aiprov compare`
 * would say.
 */
export interface WeightInconclusiveInput {
  subject: string;
  entry: string;
  name: string;
  component: string;
  pearson: number;
  controlPearson: number;
  values: number;
}
