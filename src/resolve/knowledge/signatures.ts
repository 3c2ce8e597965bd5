/**
 * Matching a component's config against known pretrained components (structural evidence), through the name-blind
 * matcher of `./structural.ts`: aliases and library defaults per family, names as evidence only, every colliding
 * candidate returned, near misses kept. A match says "these N hyperparameters equal X's": it proves the
 * architecture, never the weights.
 */
import type { LocalComponent } from "../../model/types.js";
import type { KnowledgeBase, KnownComponent, SignatureValue } from "./knowledge-base.js";
import { identifyBlock, type NearMiss, type StructuralMatch } from "./structural.js";

/** A structural match of one component against one known component. */
export interface SignatureMatch extends Omit<StructuralMatch, "matched"> {
  /** The identity keys compared and their equal values (as the component spells the key; canonical when defaulted). */
  matched: { key: string; value: SignatureValue; defaulted?: boolean }[];
}

/**
 * All structural matches of a component against the knowledge base (exact and checkpoint matches first), and the
 * near misses. Components with no config facts match nothing.
 */
export function identifyComponent(
  component: LocalComponent,
  kb: Pick<KnowledgeBase, "components">,
): { matches: SignatureMatch[]; nearMisses: NearMiss[] } {
  if (!component.config || Object.keys(component.config).length === 0) return { matches: [], nearMisses: [] };
  const r = identifyBlock(
    {
      config: component.config,
      role: component.role,
      ...(component.modelType ? { modelType: component.modelType } : {}),
      ...(component.architectures ? { architectures: component.architectures } : {}),
    },
    kb,
  );
  return {
    matches: r.matches.map((m) => ({
      ...m,
      matched: m.matched.map((x) => ({
        key: x.blockKey ?? x.key,
        value: x.known,
        ...(x.defaulted ? { defaulted: true } : {}),
      })),
    })),
    nearMisses: r.nearMisses,
  };
}

/** The structural matches of {@link identifyComponent} alone. */
export function matchSignatures(component: LocalComponent, kb: Pick<KnowledgeBase, "components">): SignatureMatch[] {
  return identifyComponent(component, kb).matches;
}

/** Known checkpoints whose repo name appears as a whole, dash-bounded part of a path segment (case-insensitive). */
export function matchPathSegments(
  file: string,
  kb: KnowledgeBase,
): { segment: string; repo: string; known: KnownComponent; checkpoint: number }[] {
  const segments = file.split("/").slice(0, -1);
  const out: { segment: string; repo: string; known: KnownComponent; checkpoint: number }[] = [];
  // A checkpoint listed both by a component entry and by a composition (role `model`: Qwen2-Audio-7B-Instruct and its
  // audio encoder) is named through the component entry: one match per segment and repo is kept, components first.
  const entries = [...kb.components].sort((a, b) => Number(a.role === "model") - Number(b.role === "model"));
  for (const seg of segments) {
    const s = seg.toLowerCase().replace(/_/g, "-");
    for (const known of entries) {
      known.checkpoints.forEach((cp, i) => {
        for (const repo of cp.repos) {
          const name = repo.split("/")[1]!.toLowerCase().replace(/_/g, "-");
          const idx = s.indexOf(name);
          if (idx < 0) continue;
          const before = idx === 0 || /[-.]/.test(s[idx - 1]!);
          const after = idx + name.length === s.length || /[-.]/.test(s[idx + name.length]!);
          if (before && after && !out.some((o) => o.segment === seg && o.repo === repo))
            out.push({ segment: seg, repo, known, checkpoint: i });
        }
      });
    }
  }
  // Prefer the longest name within one segment: `...-from-qwen2-audio-7b-instruct` names the Instruct release,
  // not also `Qwen2-Audio-7B`.
  return out.filter(
    (o) =>
      !out.some(
        (p) =>
          p !== o &&
          p.segment === o.segment &&
          p.repo.length > o.repo.length &&
          p.repo.toLowerCase().startsWith(o.repo.toLowerCase()),
      ),
  );
}
