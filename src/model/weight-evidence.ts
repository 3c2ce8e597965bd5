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
  target: { entry: string; name: string; role: ComponentRole; knownComponent?: string; repo?: string };
  /** Strength `weight-identical` or `weight-similar`. */
  evidence: Evidence;
}
