/**
 * The lineage graph under construction: its nodes and edges, and one constructor per kind of node (a known
 * component of the knowledge base, a Hub repo with its looked-up parents and composition, a hosted model). Every pass
 * of {@link buildLineage} (src/lineage/build.ts) adds to one builder. Node ids: `local:<key>`, `hub:<org/name>`,
 * `known:<id>`, `hosted:<provider>/<model>`, `part:<repo>#<role>`, `ref:<reference id>`.
 */
import type {
  ComponentRole,
  Evidence,
  EvidenceStrength,
  LineageEdge,
  LineageNode,
  ModelReference,
  Publisher,
  Relation,
} from "../model/types.js";
import { stableId } from "../util/hash.js";
import { hubOrg } from "../util/hub-id.js";
import { toPublisher, type KnowledgeBase, type KnownComponent } from "../resolve/knowledge/knowledge-base.js";
import type { UpstreamInfo } from "../resolve/types.js";

const STRENGTH_ORDER: Record<EvidenceStrength, number> = {
  structural: 0,
  declared: 1,
  "weight-similar": 2,
  "weight-identical": 3,
};

/** The strongest of some strengths (weight evidence beats declarations, declarations beat structure). */
export function strongest(strengths: readonly EvidenceStrength[]): EvidenceStrength {
  return strengths.reduce<EvidenceStrength>((a, b) => (STRENGTH_ORDER[b] > STRENGTH_ORDER[a] ? b : a), "structural");
}

/** Sub-component roles for which a known component of the same role names the part, not the whole repo. */
export const PART_ROLES: ReadonlySet<ComponentRole> = new Set([
  "vision-encoder",
  "audio-encoder",
  "projector",
  "text-encoder",
  "audio-decoder",
  "vision-decoder",
  "vae",
]);

/** Whether a publisher belongs to the applicant's organization. */
export function isOwn(publisher: Publisher | undefined, organization: readonly string[], kb: KnowledgeBase): boolean {
  if (!publisher) return false;
  const names = new Set(organization.map((o) => o.toLowerCase()));
  if (names.has(publisher.org.toLowerCase()) || names.has(publisher.entity.toLowerCase())) return true;
  const entry = kb.publisherForOrg(publisher.org);
  return !!entry && (names.has(entry.id) || entry.orgs.some((o) => names.has(o.toLowerCase())));
}

/** What every pass reads: the knowledge base, the applicant's organization and what the resolver found. */
export interface GraphContext {
  kb: KnowledgeBase;
  organization: readonly string[];
  upstream: ReadonlyMap<string, UpstreamInfo>;
}

/** Nodes and edges being built, with the constructors every pass shares. */
export class GraphBuilder {
  readonly nodes = new Map<string, LineageNode>();
  readonly edges = new Map<string, LineageEdge>();

  constructor(readonly ctx: GraphContext) {}

  /** Adds an edge, or the evidence to the edge already drawn (strength: the strongest of its evidence). */
  addEdge(from: string, to: string, relation: Relation, evidence: Evidence): void {
    if (from === to) return;
    const id = stableId([from, to, relation]);
    const e = this.edges.get(id);
    if (e) {
      if (
        !e.evidence.some(
          (x) =>
            x.code === evidence.code &&
            x.location.file === evidence.location.file &&
            x.location.pointer === evidence.location.pointer &&
            x.location.line === evidence.location.line &&
            x.args?.upstream === evidence.args?.upstream,
        )
      )
        e.evidence.push(evidence);
      e.strength = strongest(e.evidence.map((x) => x.strength));
    } else this.edges.set(id, { id, from, to, relation, strength: evidence.strength, evidence: [evidence] });
  }

  /** Whether a publisher is the applicant's. */
  own(publisher: Publisher | undefined): boolean {
    return isOwn(publisher, this.ctx.organization, this.ctx.kb);
  }

  /** The node of a known component, with the lineage the knowledge base cites for it. */
  knownNode(known: KnownComponent): string {
    const { kb } = this.ctx;
    const id = `known:${known.id}`;
    if (this.nodes.has(id)) return id;
    const publisher = toPublisher(known.publisher, kb.publisherForOrg(known.publisher));
    this.nodes.set(id, {
      id,
      kind: "upstream",
      role: known.role,
      name: known.name,
      knownComponent: known.id,
      repos: known.checkpoints.flatMap((c) => c.repos),
      publisher,
      ...(known.license ? { license: known.license } : {}),
      status: this.own(publisher) ? "own" : "third-party",
      inProduct: false,
    });
    for (const l of known.lineage ?? []) {
      const parent = l.component ? kb.component(l.component) : undefined;
      const to = parent ? this.knownNode(parent) : l.repo ? this.hubNode(l.repo, false) : undefined;
      if (!to) continue;
      this.addEdge(id, to, l.relation, {
        code: "knowledge-base-lineage",
        strength: "declared",
        location: { file: known.file },
        raw: l.source.title,
        args: { source: l.source.url ?? l.source.title },
      });
    }
    return id;
  }

  /** A model the product reaches over a provider's API: the provider's entity and country from the knowledge base. */
  hostedNode(providerId: string, model: string, role: ComponentRole | undefined, r: ModelReference): string {
    const id = `hosted:${providerId}/${model}`;
    if (this.nodes.has(id)) return id;
    const entry = this.ctx.kb.hostedProvider?.(providerId);
    const publisher: Publisher = entry
      ? {
          org: providerId,
          entity: entry.entity,
          country: entry.country,
          source: entry.source.url ? `${entry.source.title} <${entry.source.url}>` : entry.source.title,
        }
      : { org: providerId, entity: providerId, country: "unknown" };
    this.nodes.set(id, {
      id,
      kind: "hosted",
      role: role ?? "model",
      name: model,
      provider: { id: providerId, name: entry?.name ?? providerId },
      publisher,
      location: r.location,
      status: this.own(publisher) ? "own" : "third-party",
      statusReason: { code: "hosted-model", args: { provider: entry?.name ?? providerId } },
      inProduct: true,
    });
    return id;
  }

  /** The status of a Hub repo from what the resolver found: own, third-party, or undetermined with the reason. */
  private hubStatus(
    info: UpstreamInfo | undefined,
    publisher: Publisher,
  ): Pick<LineageNode, "status" | "statusReason"> {
    const own = this.own(publisher);
    if (info?.state === "undetermined")
      return { status: "undetermined", statusReason: info.reason ?? { code: "unresolved" } };
    if (publisher.repackager && !info?.parents.length) {
      // A re-packager is never the origin: without its declared base, the origin is undetermined.
      return {
        status: "undetermined",
        statusReason: {
          code: "repackager-origin-unresolved",
          args: {
            org: publisher.org,
            lookedUp: info?.lineageLookedUp ?? false,
            ...(info?.reason?.code === "unreachable" ? { why: "unreachable" } : {}),
          },
        },
      };
    }
    const status = own ? "own" : "third-party";
    if (info && !info.lineageLookedUp && !own)
      return {
        status,
        statusReason: {
          code: "lineage-not-looked-up",
          args: { why: info.reason?.code === "unreachable" ? "unreachable" : "offline" },
        },
      };
    return { status };
  }

  /** The node of a Hub repo (created once; `inProduct` only ever turns on), its parents and its known parts. */
  hubNode(repo: string, inProduct: boolean): string {
    const id = `hub:${repo}`;
    const existing = this.nodes.get(id);
    if (existing) {
      existing.inProduct ||= inProduct;
      return id;
    }
    const { kb, upstream } = this.ctx;
    const info = upstream.get(repo);
    const publisher = info?.publisher ?? toPublisher(hubOrg(repo), kb.publisherForOrg(hubOrg(repo)));
    const { status, statusReason } = this.hubStatus(info, publisher);
    // The card's licence, else (offline, or a card that states none) the one the knowledge base cites for the repo.
    const license = info?.license ?? this.knownLicense(repo);
    this.nodes.set(id, {
      id,
      kind: "upstream",
      role: "model",
      name: repo,
      repo,
      publisher,
      ...(license ? { license } : {}),
      ...(info?.revision ? { revision: info.revision } : {}),
      ...(info?.releaseTime ? { releaseTime: info.releaseTime } : {}),
      ...(info?.task ? { task: info.task } : {}),
      ...(info?.datasets?.length ? { datasets: info.datasets } : {}),
      status,
      ...(statusReason ? { statusReason } : {}),
      inProduct,
    });
    for (const p of info?.parents ?? []) {
      const to = p.role ? this.upstreamFor(p.repo, p.role, false) : this.hubNode(p.repo, false);
      for (const ev of p.evidence) this.addEdge(id, to, p.relation, ev);
    }
    this.expandComposition(repo, id);
    return id;
  }

  /** The licence the knowledge base gives the component a Hub repo is a checkpoint of (ids compared without case). */
  private knownLicense(repo: string): string | undefined {
    const lower = repo.toLowerCase();
    return this.ctx.kb.components.find(
      (k) => k.license && k.checkpoints.some((c) => c.repos.some((r) => r.toLowerCase() === lower)),
    )?.license;
  }

  /**
   * A released checkpoint the knowledge base describes by its parts (LLaVA-1.5: a CLIP tower and a Vicuna LLM;
   * Qwen2-Audio: a Whisper-initialised encoder): each part becomes a node, `component-of` the checkpoint, with the
   * part's own lineage. Offline: the knowledge base's cited composition, not a download.
   */
  private expandComposition(repo: string, container: string): void {
    const { kb } = this.ctx;
    const lower = repo.toLowerCase();
    for (const entry of kb.components) {
      if (!entry.parts?.length || !entry.checkpoints.some((c) => c.repos.some((r) => r.toLowerCase() === lower)))
        continue;
      for (const part of entry.parts) {
        const evidence: Evidence = {
          code: "knowledge-base-composition",
          strength: "declared",
          location: { file: entry.file, ...(part.pointer ? { pointer: part.pointer } : {}) },
          raw: part.source.title,
          args: { checkpoint: repo, role: part.role, source: part.source.url ?? part.source.title },
        };
        const known = part.component ? kb.component(part.component) : undefined;
        const origin = known ? this.knownNode(known) : part.repo ? this.hubNode(part.repo, false) : undefined;
        if (!origin) continue;
        if (part.relation === "component-of") {
          this.addEdge(origin, container, "component-of", evidence);
          continue;
        }
        // The part as shipped is the checkpoint's own, trained from the named origin.
        const id = `part:${repo}#${part.role}${part.name ? `/${part.name}` : ""}`;
        if (!this.nodes.has(id)) {
          const c = this.nodes.get(container)!;
          this.nodes.set(id, {
            id,
            kind: "upstream",
            role: part.role,
            name: `${repo} ${part.name ?? part.role}`,
            ...(c.publisher ? { publisher: c.publisher } : {}),
            ...(c.license ? { license: c.license } : {}),
            status: c.status === "own" ? "own" : "third-party",
            inProduct: false,
          });
        }
        this.addEdge(id, container, "component-of", evidence);
        this.addEdge(id, origin, part.relation, evidence);
      }
    }
  }

  /** The upstream node a reference from a component of `role` to `repo` points at (a known part, or the repo). */
  upstreamFor(repo: string, role: ComponentRole | undefined, inProduct: boolean): string {
    if (role && PART_ROLES.has(role)) {
      const known = this.ctx.kb.components.find(
        (k) =>
          k.role === role && k.checkpoints.some((c) => c.repos.some((r) => r.toLowerCase() === repo.toLowerCase())),
      );
      if (known) {
        const id = this.knownNode(known);
        // Loaded by the product itself (an `audio_model` the code loads): the part is in the product.
        if (inProduct) this.nodes.get(id)!.inProduct = true;
        // The part lives in that repo: keep the repo visible as the known component's container.
        const container = this.hubNode(repo, false);
        this.addEdge(id, container, "component-of", {
          code: "knowledge-base-checkpoint",
          strength: "declared",
          location: { file: known.file },
          args: { repo },
        });
        return id;
      }
    }
    return this.hubNode(repo, inProduct);
  }
}
