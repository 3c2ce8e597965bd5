/**
 * Builds the lineage graph: nodes for the components found in the tree and for their upstreams, typed edges from each
 * derived node to what it derives from, each edge carrying its evidence.
 *
 * Node ids are stable across runs: `local:<file>#<pointer>` for components in the tree, `hub:<org/name>` for Hub
 * repos, `known:<id>` for known pretrained components of the knowledge base, `ref:<reference id>` for references that
 * could not be resolved to anything.
 */
import type {
  ComponentRole,
  Diagnostic,
  Evidence,
  EvidenceStrength,
  LineageEdge,
  LineageGraph,
  LineageNode,
  LocalComponent,
  ModelReference,
  Publisher,
  Relation,
} from "../model/types.js";
import { stableId } from "../util/hash.js";
import { hubOrg, parseHubId } from "../util/hub-id.js";
import { toPublisher, type KnowledgeBase, type KnownComponent } from "../resolve/knowledge/knowledge-base.js";
import { identifyComponent, matchPathSegments } from "../resolve/knowledge/signatures.js";
import type { UpstreamInfo } from "../resolve/types.js";
import type { TokenizerEvidenceInput } from "../fingerprint/tokenizer-match.js";
import { WEIGHT_RELATIONS } from "../model/relations.js";
import { hasPathPrefix, isAbsolutePath } from "../util/path-shape.js";
import type { WeightEvidenceInput, WeightInconclusiveInput } from "../model/weight-evidence.js";

const STRENGTH_ORDER: Record<EvidenceStrength, number> = { structural: 0, declared: 1, "weight-similar": 2, "weight-identical": 3 };

/** The strongest of some strengths (weight evidence beats declarations, declarations beat structure). */
export function strongest(strengths: readonly EvidenceStrength[]): EvidenceStrength {
  return strengths.reduce<EvidenceStrength>((a, b) => (STRENGTH_ORDER[b] > STRENGTH_ORDER[a] ? b : a), "structural");
}

/** Roles a reference gives only to what it loads from a repo, never to the repo's node (the repo is the model). */
const NOT_NODE_ROLES: ReadonlySet<ComponentRole> = new Set(["model", "tokenizer", "processor"]);

/** Sub-component roles for which a known component of the same role names the part, not the whole repo. */
const PART_ROLES: ReadonlySet<ComponentRole> = new Set(["vision-encoder", "audio-encoder", "projector", "text-encoder", "audio-decoder", "vision-decoder", "vae"]);

export type { WeightEvidenceInput };


/** Inputs of {@link buildLineage}. */
export interface BuildInput {
  components: readonly LocalComponent[];
  references: readonly ModelReference[];
  kb: KnowledgeBase;
  /** Hub orgs, publisher ids or entity names that count as the applicant's own. */
  organization: readonly string[];
  /** What the resolver found for every Hub repo referenced (and their parents). */
  upstream: ReadonlyMap<string, UpstreamInfo>;
  /** Weight evidence (optional; absent when no fingerprint entry matched or none was loaded). */
  weights?: readonly WeightEvidenceInput[];
  /** Project tokenizers equal to, extending or overlapping known tokenizers (optional). */
  tokenizers?: readonly TokenizerEvidenceInput[];
  /** Weight comparisons between the thresholds (optional). */
  weightsInconclusive?: readonly WeightInconclusiveInput[];
}

/** Whether a publisher belongs to the applicant's organization. */
export function isOwn(publisher: Publisher | undefined, organization: readonly string[], kb: KnowledgeBase): boolean {
  if (!publisher) return false;
  const names = new Set(organization.map((o) => o.toLowerCase()));
  if (names.has(publisher.org.toLowerCase()) || names.has(publisher.entity.toLowerCase())) return true;
  const entry = kb.publisherForOrg(publisher.org);
  return !!entry && (names.has(entry.id) || entry.orgs.some((o) => names.has(o.toLowerCase())));
}

/** Builds the graph. Pure: no I/O. */
export function buildLineage(input: BuildInput): { graph: LineageGraph; diagnostics: Diagnostic[] } {
  const { kb, organization, upstream } = input;
  const nodes = new Map<string, LineageNode>();
  const edges = new Map<string, LineageEdge>();
  const diagnostics: Diagnostic[] = [];
  const unresolvedBy = new Map<string, ModelReference[]>();
  const checked = new Map<string, string[]>();

  const addEdge = (from: string, to: string, relation: Relation, evidence: Evidence): void => {
    if (from === to) return;
    const id = stableId([from, to, relation]);
    const e = edges.get(id);
    if (e) {
      if (!e.evidence.some((x) => x.code === evidence.code && x.location.file === evidence.location.file && x.location.pointer === evidence.location.pointer && x.location.line === evidence.location.line && x.args?.upstream === evidence.args?.upstream)) e.evidence.push(evidence);
      e.strength = strongest(e.evidence.map((x) => x.strength));
    } else edges.set(id, { id, from, to, relation, strength: evidence.strength, evidence: [evidence] });
  };

  const knownNode = (known: KnownComponent): string => {
    const id = `known:${known.id}`;
    if (!nodes.has(id)) {
      const publisher = toPublisher(known.publisher, kb.publisherForOrg(known.publisher));
      nodes.set(id, {
        id,
        kind: "upstream",
        role: known.role,
        name: known.name,
        knownComponent: known.id,
        repos: known.checkpoints.flatMap((c) => c.repos),
        publisher,
        ...(known.license ? { license: known.license } : {}),
        status: isOwn(publisher, organization, kb) ? "own" : "third-party",
        inProduct: false,
      });
      for (const l of known.lineage ?? []) {
        const parent = l.component ? kb.component(l.component) : undefined;
        const to = parent ? knownNode(parent) : l.repo ? hubNode(l.repo, false) : undefined;
        if (!to) continue;
        addEdge(id, to, l.relation, { code: "knowledge-base-lineage", strength: "declared", location: { file: known.file }, raw: l.source.title, args: { source: l.source.url ?? l.source.title } });
      }
    }
    return id;
  };

  /** A model the product reaches over a provider's API: the provider's entity and country from the knowledge base. */
  const hostedNode = (providerId: string, model: string, role: ComponentRole | undefined, r: ModelReference): string => {
    const id = `hosted:${providerId}/${model}`;
    if (nodes.has(id)) return id;
    const entry = kb.hostedProvider?.(providerId);
    const publisher: Publisher = entry
      ? { org: providerId, entity: entry.entity, country: entry.country, source: entry.source.url ? `${entry.source.title} <${entry.source.url}>` : entry.source.title }
      : { org: providerId, entity: providerId, country: "unknown" };
    nodes.set(id, {
      id,
      kind: "hosted",
      role: role ?? "model",
      name: model,
      provider: { id: providerId, name: entry?.name ?? providerId },
      publisher,
      location: r.location,
      status: isOwn(publisher, organization, kb) ? "own" : "third-party",
      statusReason: { code: "hosted-model", args: { provider: entry?.name ?? providerId } },
      inProduct: true,
    });
    return id;
  };

  const hubNode = (repo: string, inProduct: boolean): string => {
    const id = `hub:${repo}`;
    const existing = nodes.get(id);
    if (existing) {
      existing.inProduct ||= inProduct;
      return id;
    }
    const info = upstream.get(repo);
    const publisher = info?.publisher ?? toPublisher(hubOrg(repo), kb.publisherForOrg(hubOrg(repo)));
    const own = isOwn(publisher, organization, kb);
    let status: LineageNode["status"] = own ? "own" : "third-party";
    let statusReason: LineageNode["statusReason"];
    if (info?.state === "undetermined") {
      status = "undetermined";
      statusReason = info.reason ?? { code: "unresolved" };
    } else if (publisher.repackager && !(info?.parents.length)) {
      // A re-packager is never the origin: without its declared base, the origin is undetermined.
      status = "undetermined";
      statusReason = { code: "repackager-origin-unresolved", args: { org: publisher.org, lookedUp: info?.lineageLookedUp ?? false, ...(info?.reason?.code === "unreachable" ? { why: "unreachable" } : {}) } };
    } else if (info && !info.lineageLookedUp && !own) {
      statusReason = { code: "lineage-not-looked-up", args: { why: info.reason?.code === "unreachable" ? "unreachable" : "offline" } };
    }
    nodes.set(id, {
      id,
      kind: "upstream",
      role: "model",
      name: repo,
      repo,
      publisher,
      ...(info?.license ? { license: info.license } : {}),
      ...(info?.revision ? { revision: info.revision } : {}),
      ...(info?.releaseTime ? { releaseTime: info.releaseTime } : {}),
      status,
      ...(statusReason ? { statusReason } : {}),
      inProduct,
    });
    for (const p of info?.parents ?? []) {
      const to = p.role ? upstreamFor(p.repo, p.role, false) : hubNode(p.repo, false);
      for (const ev of p.evidence) addEdge(id, to, p.relation, ev);
    }
    expandComposition(repo, id);
    return id;
  };

  /**
   * A released checkpoint the knowledge base describes by its parts (LLaVA-1.5: a CLIP tower and a Vicuna LLM;
   * Qwen2-Audio: a Whisper-initialised encoder): each part becomes a node, `component-of` the checkpoint, with the
   * part's own lineage. Offline: the knowledge base's cited composition, not a download.
   */
  function expandComposition(repo: string, container: string): void {
    const lower = repo.toLowerCase();
    for (const entry of kb.components) {
      if (!entry.parts?.length || !entry.checkpoints.some((c) => c.repos.some((r) => r.toLowerCase() === lower))) continue;
      for (const part of entry.parts) {
        const evidence: Evidence = { code: "knowledge-base-composition", strength: "declared", location: { file: entry.file, ...(part.pointer ? { pointer: part.pointer } : {}) }, raw: part.source.title, args: { checkpoint: repo, role: part.role, source: part.source.url ?? part.source.title } };
        const known = part.component ? kb.component(part.component) : undefined;
        const origin = known ? knownNode(known) : part.repo ? hubNode(part.repo, false) : undefined;
        if (!origin) continue;
        if (part.relation === "component-of") {
          addEdge(origin, container, "component-of", evidence);
          continue;
        }
        // The part as shipped is the checkpoint's own, trained from the named origin.
        const id = `part:${repo}#${part.role}${part.name ? `/${part.name}` : ""}`;
        if (!nodes.has(id)) {
          const c = nodes.get(container)!;
          nodes.set(id, { id, kind: "upstream", role: part.role, name: `${repo} ${part.name ?? part.role}`, ...(c.publisher ? { publisher: c.publisher } : {}), ...(c.license ? { license: c.license } : {}), status: c.status === "own" ? "own" : "third-party", inProduct: false });
        }
        addEdge(id, container, "component-of", evidence);
        addEdge(id, origin, part.relation, evidence);
      }
    }
  }

  /** The upstream node a reference from a component of `role` to `repo` points at. */
  const upstreamFor = (repo: string, role: ComponentRole | undefined, inProduct: boolean): string => {
    if (role && PART_ROLES.has(role)) {
      const known = kb.components.find((k) => k.role === role && k.checkpoints.some((c) => c.repos.some((r) => r.toLowerCase() === repo.toLowerCase())));
      if (known) {
        const id = knownNode(known);
        // Loaded by the product itself (an `audio_model` the code loads): the part is in the product.
        if (inProduct) nodes.get(id)!.inProduct = true;
        // The part lives in that repo: keep the repo visible as the known component's container.
        const container = hubNode(repo, false);
        addEdge(id, container, "component-of", { code: "knowledge-base-checkpoint", strength: "declared", location: { file: known.file }, args: { repo } });
        return id;
      }
    }
    return hubNode(repo, inProduct);
  };

  // 1. Local nodes and component-of edges.
  for (const c of input.components) {
    nodes.set(`local:${c.key}`, {
      id: `local:${c.key}`,
      kind: "local",
      role: c.role,
      name: c.name,
      location: c.location,
      ...(c.license ? { license: c.license } : {}),
      ...(c.claims ? { claims: c.claims } : {}),
      status: c.unparsable ? "undetermined" : "no-third-party-lineage",
      ...(c.unparsable ? { statusReason: typeof c.facts?.notRead === "string" ? { code: "manifest-not-read", args: { file: c.location.file, reason: c.facts.notRead } } : { code: "manifest-unparsable", args: { file: c.location.file } } } : {}),
      inProduct: true,
    });
  }
  for (const c of input.components) {
    if (c.parent && nodes.has(`local:${c.parent}`)) {
      addEdge(`local:${c.key}`, `local:${c.parent}`, "component-of", { code: "nested-component-config", strength: "declared", location: c.location, raw: c.location.pointer ?? "" });
    }
  }

  // 2. Structural and path evidence from the knowledge base.
  for (const c of input.components) {
    const from = `local:${c.key}`;
    const what: string[] = [];
    if (c.config && Object.keys(c.config).length > 0) {
      what.push(`config identity compared with ${kb.components.length} known component signatures`);
      const { matches, nearMisses } = identifyComponent(c, kb);
      // Entries that share this configuration are all candidates: each gets its edge, and each edge names the others.
      const candidates = matches.map((m) => m.known.id);
      for (const m of matches) {
        const to = knownNode(m.known);
        const cp = m.checkpoint !== undefined ? m.known.checkpoints[m.checkpoint] : undefined;
        const firstKey = m.matched.find((x) => !x.defaulted)?.key;
        const keyLine = firstKey ? c.configLines?.[firstKey] : undefined;
        addEdge(from, to, "same-architecture", {
          code: "signature-match",
          strength: "structural",
          location: keyLine && firstKey ? { file: c.location.file, line: keyLine, pointer: `${c.location.pointer ?? ""}/${firstKey}` } : c.location,
          raw: m.matched.map((x) => `${x.key}=${JSON.stringify(x.value)}${x.defaulted ? " (default)" : ""}`).join(", "),
          args: {
            level: m.level,
            known: m.known.id,
            matchedKeys: m.matched.length,
            keys: m.matched.map((x) => x.key),
            exact: m.exact,
            ...(m.matched.some((x) => x.defaulted) ? { defaulted: m.matched.filter((x) => x.defaulted).map((x) => x.key) } : {}),
            ...(m.differs.length ? { differs: m.differs.map((d) => `${d.blockKey ?? d.key}=${JSON.stringify(d.value)} (${m.known.name}: ${JSON.stringify(d.known)}; no weight effect)`) } : {}),
            ...(m.missing.length ? { notGiven: m.missing } : {}),
            ...(m.names.length ? { names: m.names } : {}),
            ...(candidates.length > 1 ? { candidates } : {}),
            ...(cp ? { checkpoints: m.repos.length ? m.repos : cp.repos, source: cp.source.url ?? cp.source.title } : {}),
          },
        });
      }
      for (const n of nearMisses) {
        const d = n.differs;
        what.push(`near miss: equal to ${n.known.name} (${n.known.id}) on ${n.equal} of ${n.total} identity keys; differs in ${d.blockKey ?? d.key} (${JSON.stringify(d.value)}; ${n.known.name}: ${JSON.stringify(d.known)})`);
      }
    }
    const segs = matchPathSegments(c.location.file, kb);
    what.push("path segments compared with known checkpoint names");
    for (const s of segs) {
      const to = s.known.role === c.role ? knownNode(s.known) : hubNode(s.repo, false);
      if (s.known.role === c.role) addEdge(to, hubNode(s.repo, false), "component-of", { code: "knowledge-base-checkpoint", strength: "declared", location: { file: s.known.file }, args: { repo: s.repo } });
      addEdge(from, to, "initialised-from", {
        code: "path-segment",
        strength: "declared",
        location: { file: c.location.file },
        raw: s.segment,
        args: { segment: s.segment, repo: s.repo },
      });
    }
    checked.set(from, what);
  }

  // 2b. Weight evidence: the component's tensors match a fingerprint entry.
  for (const w of input.weights ?? []) {
    const from = `local:${w.subject}`;
    if (!nodes.has(from)) continue;
    if (w.outcome === "not-derived" || w.outcome === "undetermined") {
      // Evidence on every edge already drawn to the target (the configuration match, a declaration).
      const target = w.target.node ?? (w.target.knownComponent ? `known:${w.target.knownComponent}` : `hub:${w.target.repo}`);
      for (const e of edges.values()) if (e.from === from && e.to === target) addEdge(from, target, e.relation, w.evidence);
      checked.get(from)?.push(`weights compared with ${w.target.entry}: ${w.outcome}${w.evidence.raw ? ` (${w.evidence.raw})` : ""}`);
      continue;
    }
    const known = w.target.knownComponent ? kb.component(w.target.knownComponent) : undefined;
    let to: string;
    if (w.target.node && nodes.has(w.target.node)) to = w.target.node;
    else if (known) to = knownNode(known);
    else if (w.target.repo) to = upstreamFor(w.target.repo, w.target.role, false);
    else {
      to = `fingerprint:${w.target.entry}`;
      if (!nodes.has(to)) nodes.set(to, { id: to, kind: "upstream", role: w.target.role, name: w.target.name, status: "third-party", statusReason: { code: "fingerprint-entry", args: { entry: w.target.entry } }, inProduct: false });
    }
    addEdge(from, to, "initialised-from", w.evidence);
    checked.get(from)?.push(w.evidence.code === "weight-fingerprint-match" ? `weights compared with fingerprint entry ${w.target.entry}` : `weights compared with ${w.target.entry}`);
  }

  // 2c. Tokenizer evidence: a project tokenizer equal to, or extending, a known one (tokenizer lineage, never weights).
  for (const t of input.tokenizers ?? []) {
    const from = `local:${t.subject}`;
    if (!nodes.has(from)) continue;
    const to = `tokenizer:${t.known.id}`;
    if (!nodes.has(to)) {
      const publisher = toPublisher(t.known.publisher, kb.publisherForOrg(t.known.publisher));
      nodes.set(to, { id: to, kind: "upstream", role: "tokenizer", name: t.known.name, repos: t.known.models, publisher, ...(t.known.license ? { license: t.known.license } : {}), status: isOwn(publisher, organization, kb) ? "own" : "third-party", inProduct: false });
      const ships = hubNode(t.known.models[0]!, false);
      addEdge(to, ships, "component-of", { code: "knowledge-base-tokenizer", strength: "declared", location: { file: t.known.file }, args: { repo: t.known.models[0]!, source: t.known.source.url ?? t.known.source.title } });
    }
    const raw = t.verdict === "identical" ? `vocabulary equal to ${t.known.name}'s${t.specialTokensDiffer ? " (special tokens renamed or changed)" : ""}` : t.verdict === "extended" ? `${t.known.name}'s vocabulary kept (ids unchanged) and extended by ${t.newTokens} tokens` : `${Math.round(t.overlap * 100)}% of ${t.known.name}'s vocabulary found`;
    addEdge(from, to, "tokenizer-of", {
      code: "tokenizer-fingerprint",
      strength: "structural",
      location: { file: nodes.get(from)!.location?.file ?? t.subject },
      raw,
      args: { known: t.known.id, verdict: t.verdict, overlap: t.overlap, newTokens: t.newTokens, specialTokensDiffer: t.specialTokensDiffer, ...(t.mergesEqual !== undefined ? { mergesEqual: t.mergesEqual } : {}), ...(t.candidates.length > 1 ? { candidates: t.candidates } : {}), source: t.known.source.url ?? t.known.source.title },
    });
    checked.get(from)?.push(`tokenizer compared with ${kb.tokenizers.length} known tokenizers`);
  }

  // 3. References. Every node a reference names keeps where it was named (all places, file order).
  const named = (id: string, r: ModelReference): void => {
    const n = nodes.get(id);
    if (!n) return;
    const refs = (n.references ??= []);
    if (refs.includes(r.id)) return;
    refs.push(r.id);
    (n.locations ??= []).push(r.location);
    if (!n.location && n.kind === "upstream") n.location = r.location;
  };
  // Unresolved references without a subject: one node per text per enclosing function per file.
  const unresolvedGroups = new Map<string, string>();
  // Loads by file, then line: where a write's `derivedFromLoad` location points.
  const loadsAt = new Map<string, Map<number, ModelReference>>();
  for (const r of input.references) {
    if (r.usage || !((r.kind === "hub-id" && r.target && !r.skipReason) || r.localTarget)) continue;
    const byLine = loadsAt.get(r.location.file) ?? new Map<number, ModelReference>();
    byLine.set(r.location.line ?? 0, r);
    loadsAt.set(r.location.file, byLine);
  }
  for (const r of input.references) {
    const from = r.subject ? `local:${r.subject}` : undefined;
    const evidence: Evidence = { code: `reference:${r.extractor}`, strength: r.strength, location: r.location, raw: r.raw, ...(r.facts ? { args: { ...r.facts } as Record<string, string | number | boolean> } : {}) };
    // Names (a family key, a patched architecture) and transforms (whose input is loaded by its own reference) are
    // evidence, never a dependency; a write adds lineage only to the in-tree folder it wrote, from a Hub model it
    // derived from.
    if (r.usage === "name" || r.usage === "transform") continue;
    if (r.usage === "write") {
      // The model it derives from: the value read in the file, or the Hub id the load reference at
      // `derivedFromLoad` location resolved to after linking (an id from another module or a `.env`).
      const load = r.derivedFromLoad ? loadsAt.get(r.derivedFromLoad.file)?.get(r.derivedFromLoad.line ?? 0) : undefined;
      const hub = typeof r.facts?.derivedFrom === "string" && !hasPathPrefix(r.facts.derivedFrom) ? parseHubId(r.facts.derivedFrom)?.id : load?.kind === "hub-id" && !load.skipReason ? load.target : undefined;
      // A model folder of the tree the code loaded (`from_pretrained("./merged")`) is a parent as well.
      const written = r.localTarget && nodes.has(`local:${r.localTarget}`) ? `local:${r.localTarget}` : undefined;
      const parent = !written ? undefined : hub ? upstreamFor(hub, r.role, false) : load?.localTarget && nodes.has(`local:${load.localTarget}`) ? `local:${load.localTarget}` : undefined;
      if (written && parent) addEdge(written, parent, r.relation ?? "initialised-from", { ...evidence, code: "code-writes-derived-model" });
      else if (written) {
        // The code writes this folder from a model the scan cannot resolve (a path outside the tree, a run-time
        // value): where the folder comes from is not known, so it is undetermined, never "no third-party lineage".
        const source = typeof r.facts?.derivedFrom === "string" ? r.facts.derivedFrom : undefined;
        const reason = load?.skipReason ?? (source === undefined ? "dynamic-value" : isAbsolutePath(source) ? "local-path-outside-root" : hasPathPrefix(source) ? "local-path" : "unknown-alias");
        const list = unresolvedBy.get(written) ?? [];
        list.push({ ...r, raw: source ?? r.raw, skipReason: reason });
        unresolvedBy.set(written, list);
      }
      continue;
    }
    if (r.localTarget) {
      if (from) addEdge(from, `local:${r.localTarget}`, r.relation ?? "initialised-from", evidence);
      continue;
    }
    if (r.kind === "hosted-model" && r.target && r.provider && !r.skipReason) {
      const to = hostedNode(r.provider, r.target, r.role, r);
      if (from) addEdge(from, to, r.relation ?? "initialised-from", evidence);
      continue;
    }
    if (r.kind === "hub-id" && r.target && !r.skipReason) {
      const subjectRole = from ? nodes.get(from)?.role : undefined;
      const role = r.role ?? (subjectRole && PART_ROLES.has(subjectRole) ? subjectRole : undefined);
      const to = upstreamFor(r.target, role, !from);
      // A Hub repo loaded under a role key (`vision_tower`, `audio_model`) plays that role in the product.
      const toNode = nodes.get(to);
      named(to, r);
      // A tokenizer or processor load names the same repo as the model: it says nothing about the repo's role.
      if (toNode && toNode.role === "model" && r.role && !NOT_NODE_ROLES.has(r.role)) toNode.role = r.role;
      if (from) {
        addEdge(from, to, r.relation ?? "initialised-from", evidence);
        if (r.definedAt) addEdge(from, to, r.relation ?? "initialised-from", { code: "variable-definition", strength: r.strength, location: r.definedAt, raw: `${String(r.facts?.variable)}=${r.target}` });
        checked.get(from)?.push(`reference ${r.raw}`);
      }
      continue;
    }
    if (r.skipReason === "not-a-model") continue;
    if (from) {
      const list = unresolvedBy.get(from) ?? [];
      list.push(r);
      unresolvedBy.set(from, list);
    } else {
      const key = [r.location.file, typeof r.facts?.function === "string" ? r.facts.function : "", r.kind, r.raw].join("\u0000");
      const existing = unresolvedGroups.get(key);
      const node = existing ? nodes.get(existing) : undefined;
      if (node) {
        named(node.id, r);
        if (node.statusReason?.args) node.statusReason.args.count = node.locations?.length ?? 1;
        if (node.role === "model" && r.role && r.role !== "model") node.role = r.role;
        continue;
      }
      const id = `ref:${r.id}`;
      unresolvedGroups.set(key, id);
      nodes.set(id, { id, kind: "upstream", role: r.role ?? "model", name: r.raw, location: r.location, status: "undetermined", statusReason: { code: "unresolved-reference", args: { reason: r.skipReason ?? "unresolved", raw: r.raw } }, inProduct: true });
      named(id, r);
    }
  }

  // 4. Local statuses.
  const out = [...edges.values()];
  for (const node of nodes.values()) {
    if (node.kind !== "local") continue;
    const own = out.filter((e) => e.from === node.id && e.relation !== "component-of");
    const thirdParty = own.some((e) => WEIGHT_RELATIONS.has(e.relation) && ["third-party", "undetermined"].includes(nodes.get(e.to)?.status ?? ""));
    const unresolved = unresolvedBy.get(node.id) ?? [];
    if (node.status === "undetermined") continue;
    if (thirdParty) {
      node.status = "third-party";
      continue;
    }
    // A tokenizer equal to, or extending, a known third party's is that party's tokenizer (a fact, not weights).
    const tok = node.role === "tokenizer" ? own.find((e) => e.relation === "tokenizer-of" && e.evidence.some((x) => x.args?.verdict === "identical" || x.args?.verdict === "extended") && nodes.get(e.to)?.status === "third-party") : undefined;
    if (tok) {
      const ev = tok.evidence.find((x) => x.code === "tokenizer-fingerprint");
      node.status = "third-party";
      node.statusReason = { code: "tokenizer-of", args: { known: nodes.get(tok.to)!.name, verdict: String(ev?.args?.verdict ?? "identical"), newTokens: Number(ev?.args?.newTokens ?? 0) } };
      continue;
    }
    const inconclusive = (input.weightsInconclusive ?? []).find((w) => `local:${w.subject}` === node.id);
    if (inconclusive) {
      node.status = "undetermined";
      node.statusReason = { code: "weights-inconclusive", args: { entry: inconclusive.entry, name: inconclusive.name, component: inconclusive.component, pearson: inconclusive.pearson, controlPearson: inconclusive.controlPearson, values: inconclusive.values } };
      continue;
    }
    // A configuration match settled by the weights (not derived from any checkpoint it names) leaves nothing open.
    const settled = (e: LineageEdge): boolean => {
      const compared = e.evidence.filter((x) => x.code === "weight-comparison");
      return compared.length > 0 && compared.every((x) => x.args?.outcome === "not-derived");
    };
    const checkpointMatch = own.find((e) => e.relation === "same-architecture" && e.evidence.some((x) => x.code === "signature-match" && x.args?.level === "checkpoint") && nodes.get(e.to)?.status === "third-party" && !settled(e));
    if (checkpointMatch) {
      node.status = "undetermined";
      const all = own.filter((e) => e.relation === "same-architecture" && e.evidence.some((x) => x.code === "signature-match" && x.args?.level === "checkpoint") && nodes.get(e.to)?.status === "third-party" && !settled(e)).map((e) => nodes.get(e.to)?.name ?? e.to);
      const pending = checkpointMatch.evidence.filter((x) => x.code === "weight-comparison" && x.args?.outcome === "undetermined");
      node.statusReason = {
        code: "checkpoint-signature-match",
        args: {
          known: all.length > 1 ? all.join(" / ") : (nodes.get(checkpointMatch.to)?.name ?? checkpointMatch.to),
          ...(all.length > 1 ? { candidates: all } : {}),
          ...(pending.length > 0 ? { weights: [...new Set(pending.map((x) => String(x.args?.reason)))], upstreams: pending.map((x) => String(x.args?.upstream)), compare: pending.map((x) => String(x.args?.command)) } : {}),
        },
      };
      continue;
    }
    if (unresolved.length > 0) {
      node.status = "undetermined";
      node.statusReason = { code: "unresolved-reference", args: { reason: unresolved[0]!.skipReason ?? "unresolved", raw: unresolved[0]!.raw, count: unresolved.length } };
      continue;
    }
    node.checked = checked.get(node.id) ?? [];
  }

  // 5. A model is no cleaner than its parts: a part's third-party or undetermined origin shows on the whole.
  const partsOf = new Map<string, string[]>();
  for (const e of out) if (e.relation === "component-of" && nodes.get(e.from)?.kind === "local" && nodes.get(e.to)?.kind === "local") partsOf.set(e.to, [...(partsOf.get(e.to) ?? []), e.from]);
  const settle = (id: string, seen: Set<string>): LineageNode["status"] => {
    const node = nodes.get(id)!;
    if (seen.has(id) || node.status !== "no-third-party-lineage") return node.status;
    seen.add(id);
    // A reused tokenizer is reported on the tokenizer itself; it says nothing about the model's weights.
    const parts = (partsOf.get(id) ?? []).map((p) => ({ id: p, status: settle(p, seen) })).filter((p) => nodes.get(p.id)!.statusReason?.code !== "tokenizer-of");
    const third = parts.filter((p) => p.status === "third-party").map((p) => nodes.get(p.id)!.name);
    const und = parts.filter((p) => p.status === "undetermined").map((p) => nodes.get(p.id)!.name);
    if (third.length > 0) {
      node.status = "third-party";
      node.statusReason = { code: "part-third-party", args: { parts: third, ...(und.length ? { undetermined: und } : {}) } };
    } else if (und.length > 0) {
      node.status = "undetermined";
      node.statusReason = { code: "part-undetermined", args: { parts: und } };
    }
    if (node.status !== "no-third-party-lineage") delete node.checked;
    return node.status;
  };
  for (const n of nodes.values()) if (n.kind === "local") settle(n.id, new Set());

  const sortedNodes = [...nodes.values()].sort((a, b) => a.id.localeCompare(b.id));
  const sortedEdges = out.sort((a, b) => a.from.localeCompare(b.from) || a.to.localeCompare(b.to) || a.relation.localeCompare(b.relation));
  return { graph: { nodes: sortedNodes, edges: sortedEdges }, diagnostics };
}
