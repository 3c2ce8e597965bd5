/**
 * The resolve pass of the lineage: what the knowledge base and the fingerprints say about each component in the tree.
 * - structure: the component's configuration compared with every known signature (`same-architecture` edges, one per
 *   release that shares it, each naming the others) and its path segments with known checkpoint names;
 * - weights: tensors matching a fingerprint entry or a compared upstream (`initialised-from` edges, or evidence on the
 *   edge already drawn when the comparison says not derived or undetermined);
 * - tokenizers: a project tokenizer equal to, extending or overlapping a known one (`tokenizer-of` edges).
 * Each pass also records, per component, what was compared (`checked`: shown when nothing third-party was found).
 */
import type { Evidence, LocalComponent } from "../model/types.js";
import { toPublisher } from "../resolve/knowledge/knowledge-base.js";
import { identifyComponent, matchPathSegments, type SignatureMatch } from "../resolve/knowledge/signatures.js";
import type { TokenizerEvidenceInput } from "../fingerprint/tokenizer-match.js";
import type { WeightEvidenceInput } from "../model/weight-evidence.js";
import type { GraphBuilder } from "./graph.js";

/** What was compared for each local node (node id -> sentences), filled by the passes below. */
export type CheckedLog = Map<string, string[]>;

/** The `signature-match` evidence of one configuration match (`candidates`: every release sharing it). */
function signatureEvidence(c: LocalComponent, m: SignatureMatch, candidates: readonly string[]): Evidence {
  const cp = m.checkpoint !== undefined ? m.known.checkpoints[m.checkpoint] : undefined;
  const firstKey = m.matched.find((x) => !x.defaulted)?.key;
  const keyLine = firstKey ? c.configLines?.[firstKey] : undefined;
  return {
    code: "signature-match",
    strength: "structural",
    location:
      keyLine && firstKey
        ? { file: c.location.file, line: keyLine, pointer: `${c.location.pointer ?? ""}/${firstKey}` }
        : c.location,
    raw: m.matched.map((x) => `${x.key}=${JSON.stringify(x.value)}${x.defaulted ? " (default)" : ""}`).join(", "),
    args: {
      level: m.level,
      known: m.known.id,
      matchedKeys: m.matched.length,
      keys: m.matched.map((x) => x.key),
      exact: m.exact,
      ...(m.matched.some((x) => x.defaulted)
        ? { defaulted: m.matched.filter((x) => x.defaulted).map((x) => x.key) }
        : {}),
      ...(m.differs.length
        ? {
            differs: m.differs.map(
              (d) =>
                `${d.blockKey ?? d.key}=${JSON.stringify(d.value)} (${m.known.name}: ${JSON.stringify(d.known)}; no weight effect)`,
            ),
          }
        : {}),
      ...(m.missing.length ? { notGiven: m.missing } : {}),
      ...(m.names.length ? { names: m.names } : {}),
      ...(candidates.length > 1 ? { candidates: [...candidates] } : {}),
      ...(cp ? { checkpoints: m.repos.length ? m.repos : cp.repos, source: cp.source.url ?? cp.source.title } : {}),
    },
  };
}

/** Structural and path evidence: configuration signatures and path segments of every component. */
export function addStructuralEvidence(
  b: GraphBuilder,
  components: readonly LocalComponent[],
  checked: CheckedLog,
): void {
  const { kb } = b.ctx;
  for (const c of components) {
    const from = `local:${c.key}`;
    const what: string[] = [];
    if (c.config && Object.keys(c.config).length > 0) {
      what.push(`config identity compared with ${kb.components.length} known component signatures`);
      const { matches, nearMisses } = identifyComponent(c, kb);
      // Entries that share this configuration are all candidates: each gets its edge, and each edge names the others.
      const candidates = matches.map((m) => m.known.id);
      for (const m of matches)
        b.addEdge(from, b.knownNode(m.known), "same-architecture", signatureEvidence(c, m, candidates));
      for (const n of nearMisses) {
        const d = n.differs;
        what.push(
          `near miss: equal to ${n.known.name} (${n.known.id}) on ${n.equal} of ${n.total} identity keys; differs in ${d.blockKey ?? d.key} (${JSON.stringify(d.value)}; ${n.known.name}: ${JSON.stringify(d.known)})`,
        );
      }
    }
    what.push("path segments compared with known checkpoint names");
    for (const s of matchPathSegments(c.location.file, kb)) {
      const to = s.known.role === c.role ? b.knownNode(s.known) : b.hubNode(s.repo, false);
      if (s.known.role === c.role)
        b.addEdge(to, b.hubNode(s.repo, false), "component-of", {
          code: "knowledge-base-checkpoint",
          strength: "declared",
          location: { file: s.known.file },
          args: { repo: s.repo },
        });
      b.addEdge(from, to, "initialised-from", {
        code: "path-segment",
        strength: "declared",
        location: { file: c.location.file },
        raw: s.segment,
        args: { segment: s.segment, repo: s.repo },
      });
    }
    checked.set(from, what);
  }
}

/** Weight evidence: the component's tensors match a fingerprint entry or a compared upstream. */
export function addWeightEvidence(b: GraphBuilder, weights: readonly WeightEvidenceInput[], checked: CheckedLog): void {
  const { kb } = b.ctx;
  for (const w of weights) {
    const from = `local:${w.subject}`;
    if (!b.nodes.has(from)) continue;
    if (w.outcome === "not-derived" || w.outcome === "undetermined") {
      // Evidence on every edge already drawn to the target (the configuration match, a declaration).
      const target =
        w.target.node ?? (w.target.knownComponent ? `known:${w.target.knownComponent}` : `hub:${w.target.repo}`);
      for (const e of [...b.edges.values()])
        if (e.from === from && e.to === target) b.addEdge(from, target, e.relation, w.evidence);
      checked
        .get(from)
        ?.push(`weights compared with ${w.target.entry}: ${w.outcome}${w.evidence.raw ? ` (${w.evidence.raw})` : ""}`);
      continue;
    }
    const known = w.target.knownComponent ? kb.component(w.target.knownComponent) : undefined;
    let to: string;
    if (w.target.node && b.nodes.has(w.target.node)) to = w.target.node;
    else if (known) to = b.knownNode(known);
    else if (w.target.repo) to = b.upstreamFor(w.target.repo, w.target.role, false);
    else {
      to = `fingerprint:${w.target.entry}`;
      if (!b.nodes.has(to))
        b.nodes.set(to, {
          id: to,
          kind: "upstream",
          role: w.target.role,
          name: w.target.name,
          status: "third-party",
          statusReason: { code: "fingerprint-entry", args: { entry: w.target.entry } },
          inProduct: false,
        });
    }
    b.addEdge(from, to, "initialised-from", w.evidence);
    checked
      .get(from)
      ?.push(
        w.evidence.code === "weight-fingerprint-match"
          ? `weights compared with fingerprint entry ${w.target.entry}`
          : `weights compared with ${w.target.entry}`,
      );
  }
}

/** Words for a tokenizer comparison's verdict (`vocabulary equal to Llama 3's`). */
function tokenizerVerdictText(t: TokenizerEvidenceInput): string {
  if (t.verdict === "identical")
    return `vocabulary equal to ${t.known.name}'s${t.specialTokensDiffer ? " (special tokens renamed or changed)" : ""}`;
  if (t.verdict === "extended")
    return `${t.known.name}'s vocabulary kept (ids unchanged) and extended by ${t.newTokens} tokens`;
  return `${Math.round(t.overlap * 100)}% of ${t.known.name}'s vocabulary found`;
}

/** Tokenizer evidence: a project tokenizer equal to, or extending, a known one (tokenizer lineage, never weights). */
export function addTokenizerEvidence(
  b: GraphBuilder,
  tokenizers: readonly TokenizerEvidenceInput[],
  checked: CheckedLog,
): void {
  const { kb } = b.ctx;
  for (const t of tokenizers) {
    const from = `local:${t.subject}`;
    if (!b.nodes.has(from)) continue;
    const to = `tokenizer:${t.known.id}`;
    if (!b.nodes.has(to)) {
      const publisher = toPublisher(t.known.publisher, kb.publisherForOrg(t.known.publisher));
      b.nodes.set(to, {
        id: to,
        kind: "upstream",
        role: "tokenizer",
        name: t.known.name,
        repos: t.known.models,
        publisher,
        ...(t.known.license ? { license: t.known.license } : {}),
        status: b.own(publisher) ? "own" : "third-party",
        inProduct: false,
      });
      const ships = b.hubNode(t.known.models[0]!, false);
      b.addEdge(to, ships, "component-of", {
        code: "knowledge-base-tokenizer",
        strength: "declared",
        location: { file: t.known.file },
        args: { repo: t.known.models[0]!, source: t.known.source.url ?? t.known.source.title },
      });
    }
    b.addEdge(from, to, "tokenizer-of", {
      code: "tokenizer-fingerprint",
      strength: "structural",
      location: { file: b.nodes.get(from)!.location?.file ?? t.subject },
      raw: tokenizerVerdictText(t),
      args: {
        known: t.known.id,
        verdict: t.verdict,
        overlap: t.overlap,
        newTokens: t.newTokens,
        specialTokensDiffer: t.specialTokensDiffer,
        ...(t.mergesEqual !== undefined ? { mergesEqual: t.mergesEqual } : {}),
        ...(t.candidates.length > 1 ? { candidates: t.candidates } : {}),
        source: t.known.source.url ?? t.known.source.title,
      },
    });
    checked.get(from)?.push(`tokenizer compared with ${kb.tokenizers.length} known tokenizers`);
  }
}
