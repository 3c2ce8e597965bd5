/**
 * Matching a component's config against known pretrained component signatures (structural evidence).
 *
 * A family matches when the component passes the signature's model_type/architecture gate and every identity
 * hyperparameter is present and equal; a checkpoint matches when, in addition, the checkpoint's own values are equal.
 * Keys listed in `excluded` (for a vision tower, `out_hidden_size`, set by the paired LLM) are never compared.
 * A match says "these N hyperparameters equal X's": it proves the architecture, never the weights.
 */
import type { LocalComponent } from "../../model/types.js";
import type { KnowledgeBase, KnownComponent, SignatureValue } from "./knowledge-base.js";

/** A structural match of one component against one known component. */
export interface SignatureMatch {
  known: KnownComponent;
  /** `checkpoint` when a release's own values matched too; `family` when only the shared identity did. */
  level: "checkpoint" | "family";
  /** Index into `known.checkpoints` for checkpoint-level matches. */
  checkpoint?: number;
  /** The keys compared and their equal values (as the component spells the key). */
  matched: { key: string; value: SignatureValue }[];
}

function equal(a: unknown, b: SignatureValue): boolean {
  if (Array.isArray(b)) return Array.isArray(a) && a.length === b.length && a.every((x, i) => x === b[i]);
  if (typeof b === "number" && typeof a === "number") return Math.abs(a - b) < 1e-9;
  return a === b;
}

function lookup(component: LocalComponent, key: string, aliases: Record<string, string[]> | undefined): { key: string; value: unknown } | undefined {
  const config = component.config ?? {};
  for (const k of [key, ...(aliases?.[key] ?? [])]) if (k in config && config[k] !== null) return { key: k, value: config[k] };
  return undefined;
}

function gate(component: LocalComponent, known: KnownComponent): boolean {
  if (known.role !== component.role && !(component.role === "model" && (component.architectures?.length ?? 0) > 0)) return false;
  const m = known.match;
  if (!m) return true;
  const types = m.modelTypes ?? [];
  const archs = m.architectures ?? [];
  const hasType = component.modelType !== undefined;
  const hasArch = (component.architectures?.length ?? 0) > 0;
  if (!hasType && !hasArch) return true;
  const typeOk = hasType && types.includes(component.modelType!);
  const archOk = hasArch && component.architectures!.some((a) => archs.includes(a));
  return typeOk || archOk;
}

/**
 * All structural matches of a component against the knowledge base, checkpoint matches first.
 * Components with no config facts match nothing.
 */
export function matchSignatures(component: LocalComponent, kb: KnowledgeBase): SignatureMatch[] {
  if (!component.config || Object.keys(component.config).length === 0) return [];
  const out: SignatureMatch[] = [];
  for (const known of kb.components) {
    // Entries without an identity of their own (role `model`: a released checkpoint described by its parts) are
    // never matched by configuration.
    if (!known.identity || Object.keys(known.identity).length === 0) continue;
    if (!gate(component, known)) continue;
    const matched: SignatureMatch["matched"] = [];
    let ok = true;
    for (const [key, expected] of Object.entries(known.identity)) {
      const found = lookup(component, key, known.keyAliases);
      if (!found || !equal(found.value, expected)) {
        ok = false;
        break;
      }
      matched.push({ key: found.key, value: expected });
    }
    if (!ok) continue;
    let level: SignatureMatch["level"] = "family";
    let checkpoint: number | undefined;
    const extra: SignatureMatch["matched"] = [];
    for (const [i, cp] of known.checkpoints.entries()) {
      const keys = Object.entries(cp.identity);
      const cpMatched: SignatureMatch["matched"] = [];
      if (keys.every(([k, v]) => {
        const f = lookup(component, k, known.keyAliases);
        if (f && equal(f.value, v)) {
          cpMatched.push({ key: f.key, value: v });
          return true;
        }
        return false;
      })) {
        level = "checkpoint";
        checkpoint = i;
        extra.push(...cpMatched);
        break;
      }
    }
    out.push({ known, level, ...(checkpoint !== undefined ? { checkpoint } : {}), matched: [...matched, ...extra] });
  }
  return out.sort((a, b) => (a.level === b.level ? a.known.id.localeCompare(b.known.id) : a.level === "checkpoint" ? -1 : 1));
}

/** Known checkpoints whose repo name appears as a whole, dash-bounded part of a path segment (case-insensitive). */
export function matchPathSegments(file: string, kb: KnowledgeBase): { segment: string; repo: string; known: KnownComponent; checkpoint: number }[] {
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
          if (before && after && !out.some((o) => o.segment === seg && o.repo === repo)) out.push({ segment: seg, repo, known, checkpoint: i });
        }
      });
    }
  }
  // Prefer the longest name within one segment: `...-from-qwen2-audio-7b-instruct` names the Instruct release,
  // not also `Qwen2-Audio-7B`.
  return out.filter((o) => !out.some((p) => p !== o && p.segment === o.segment && p.repo.length > o.repo.length && p.repo.toLowerCase().startsWith(o.repo.toLowerCase())));
}
