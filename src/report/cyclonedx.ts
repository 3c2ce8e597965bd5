/**
 * CycloneDX 1.6 JSON AI-BOM (https://cyclonedx.org/docs/1.6/json/), built with the OWASP CycloneDX JavaScript
 * library (`@cyclonedx/cyclonedx-library`: its models, SPDX id table and 1.6 JSON normaliser), in named passes:
 *
 * - components ({@link componentFor}): one `machine-learning-model` component per lineage node, so one per model
 *   identity (bom-ref = the node id; a Hub repo's identity is its `pkg:huggingface` purl, built with packageurl-js,
 *   version = the pinned commit; a local component whose name another component carries is named with its location,
 *   so no two components share a name/version identity). `supplier` carries `address.country` (ISO 3166-1 alpha-2)
 *   from the knowledge base wherever it is known, and no address where it says `unknown`. Licences are SPDX ids or names. The description
 *   holds the role and status only: why a node is undetermined (a Hub error, a missing file) is a tool diagnostic
 *   and goes to the BOM's `annotations` (subject = the component), never into component data.
 * - dependencies ({@link dependencyGraph}): product -> its top-level components and datasets -> their parts ->
 *   their ancestors, so every component is reachable from the product (an adapter depends on its base, a quantized
 *   model on its source, a merge on every parent). A configuration-only match (`same-architecture`) is a candidate
 *   origin, not a proven one, and is still a dependency edge so the candidate is in the graph; the pedigree leaves it
 *   out.
 * - pedigree ({@link pedigreeFor}): `pedigree.ancestors`, one per upstream edge with the relation type, strength and
 *   evidence as `aiprov:` properties. An ancestor is the same identity as its top-level component (same purl, name
 *   and version, `aiprov:ref` naming its bom-ref) and has no bom-ref of its own, so no model appears under two refs.
 * - model cards ({@link modelCardFor}): for every model node, what is known: the task where the role names one, the
 *   architecture from the config, the base models (relation and ref, as in the pedigree), the declared licence, and
 *   for the product's own models the datasets the project reads.
 *
 * Findings are `aiprov:finding` properties of their component; diagnostics not tied to one component are
 * `aiprov:diagnostic` properties of the BOM's metadata. The library's model has no pedigree, model card, postal
 * address or annotations yet, so those are added to its normalised output.
 */
import * as CDX from "@cyclonedx/cyclonedx-library";
import { PackageURL } from "packageurl-js";
import type { AuditResult, ComponentRole, Evidence, LineageNode } from "../model/types.js";
import { stableId } from "../util/hash.js";
import {
  type ComponentIndex,
  type GraphIndex,
  componentIndex,
  STATUS_LABEL,
  indexGraph,
  isLocalPartEdge,
  originEdges,
  pinnedSource,
  productRoots,
  weakeningLines,
} from "./common.js";
import { reasonText } from "./text.js";
import { trimEndChars } from "../util/text.js";
import { resultVerdict } from "../policy/verdict.js";

/** Namespace of aiprov's CycloneDX property names (https://cyclonedx.org/docs/1.6/json/#components_items_properties). */
export const CDX_PROPERTY_NAMESPACE = "aiprov";

type Json = Record<string, unknown>;

/** Deterministic RFC 4122-shaped UUID from the result (SHA-256 based, version nibble 5), for `serialNumber`. */
function serialFor(result: AuditResult): string {
  const hex = stableId(
    [result.root, result.createdAt, result.tool.version, JSON.stringify(result.lineage.nodes.map((n) => n.id))],
    32,
  );
  return `urn:uuid:${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16)}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** `pkg:huggingface/<org>/<name>[@<commit>]` (purl type `huggingface`, packageurl-js; version = the lower-cased commit). */
export function huggingfacePurl(repo: string, revision?: string): string {
  const [org, ...rest] = repo.split("/");
  const namespace = rest.length > 0 ? org : undefined;
  const name = rest.length > 0 ? rest.join("/") : org!;
  const version = revision && /^[0-9a-f]{7,64}$/i.test(revision) ? revision.toLowerCase() : undefined;
  return new PackageURL("huggingface", namespace, name, version, undefined, undefined).toString();
}

function prop(name: string, value: string): CDX.Models.Property {
  return new CDX.Models.Property(`${CDX_PROPERTY_NAMESPACE}:${name}`, value);
}

function jsonProp(name: string, value: string): Json {
  return { name: `${CDX_PROPERTY_NAMESPACE}:${name}`, value };
}

function evidenceValue(e: Evidence): string {
  const raw = e.raw ? ` "${e.raw.length > 200 ? `${e.raw.slice(0, 197)}...` : e.raw}"` : "";
  return `${e.strength} ${e.code} at ${pinnedSource(e.location)}${raw}`;
}

/** A licence as an SPDX id when it is one (case fixed up, `apache-2.0` -> `Apache-2.0`), else as a name. */
function licenseFor(value: string): CDX.Models.DisjunctiveLicense {
  const id = CDX.SPDX.fixupSpdxId(value);
  return id ? new CDX.Models.SpdxLicense(id) : new CDX.Models.NamedLicense(value);
}

/** Whether a node is identified by its name alone (no Hub repo, not a provider's hosted model). */
function namedOnly(n: LineageNode): boolean {
  return !n.repo && !(n.kind === "hosted" && n.provider);
}

/**
 * Names that more than one component identified by its name alone would carry (two `text_encoder` folders, a local
 * copy named like a known model, two config files of one processor): those of them found in a file are named with
 * their location (see {@link identityOf}), so consumers that key components on name and version keep them apart.
 * Nodes folded into another component (see {@link canonicalNodeIds}) are not components and do not count.
 */
function sharedNames(nodes: readonly LineageNode[], canon: ReadonlyMap<string, string>): Set<string> {
  const seen = new Set<string>();
  const shared = new Set<string>();
  for (const n of nodes) {
    if (canon.get(n.id) !== n.id || !namedOnly(n)) continue;
    if (seen.has(n.name)) shared.add(n.name);
    seen.add(n.name);
  }
  return shared;
}

const sharedNamesOf = new WeakMap<ComponentIndex, Set<string>>();

/** {@link sharedNames} of a result's components, computed once per result. */
function sharedNamesIn(ci: ComponentIndex): Set<string> {
  let shared = sharedNamesOf.get(ci);
  if (!shared)
    sharedNamesOf.set(
      ci,
      (shared = sharedNames(
        ci.groups.flatMap((x) => x.nodes),
        ci.canon,
      )),
    );
  return shared;
}

/**
 * `pkg:generic/<org>/<name>?download_url=https://www.modelscope.cn/models/<org>/<name>` for a ModelScope repo: the
 * purl spec has no ModelScope type, and its `generic` type names the download place with the `download_url`
 * qualifier (https://github.com/package-url/purl-spec, types/generic-definition.json).
 */
export function modelscopePurl(repo: string): string {
  const [org, ...rest] = repo.split("/");
  const name = rest.join("/");
  const url = `https://www.modelscope.cn/models/${org}/${name}`;
  return new PackageURL("generic", org, name, undefined, { download_url: url }, undefined).toString();
}

/**
 * Name, group, version and purl of a component (by its representative node; see {@link componentIndex}): a Hub repo
 * by its purl in the spelling the Hub resolved (else the first seen), a ModelScope repo by its generic purl, anything
 * else by its name; a name that another component carries too is followed by the node's location,
 * `name (file#pointer)`.
 */
function identityOf(
  n: LineageNode,
  ci: ComponentIndex,
): { name: string; group?: string; version?: string; purl?: string } {
  // A hosted model is the provider's: the same model name at two providers is two services.
  if (n.kind === "hosted" && n.provider) return { name: n.name, group: n.provider.id };
  const comp = ci.byId.get(ci.canon.get(n.id) ?? n.id);
  const repo = comp?.repo ?? n.repo;
  if (comp?.hub === "modelscope" && repo) {
    const slash = repo.indexOf("/");
    return { name: repo.slice(slash + 1), group: repo.slice(0, slash), purl: modelscopePurl(repo) };
  }
  if (!repo) {
    if (!n.location || !sharedNamesIn(ci).has(n.name)) return { name: n.name };
    return { name: `${n.name} (${n.location.file}${n.location.pointer ? `#${n.location.pointer}` : ""})` };
  }
  const rep = comp?.nodes[0] ?? n;
  const slash = repo.indexOf("/");
  return {
    name: slash > 0 ? repo.slice(slash + 1) : repo,
    ...(slash > 0 ? { group: repo.slice(0, slash) } : {}),
    ...(rep.revision ? { version: rep.revision } : {}),
    purl: huggingfacePurl(repo, rep.revision),
  };
}

/** Who supplies a node: its publisher, or the provider of a hosted model. Country only where the knowledge base knows it. */
function supplierOf(n: LineageNode): { name: string; country?: string } | undefined {
  if (n.publisher)
    return {
      name: n.publisher.entity,
      ...(isCountryCode(n.publisher.country) ? { country: n.publisher.country } : {}),
    };
  if (n.provider) return { name: n.provider.name };
  return undefined;
}

function isCountryCode(c: string | undefined): c is string {
  return c !== undefined && /^[A-Z]{2}$/.test(c);
}

function componentFor(result: AuditResult, n: LineageNode): CDX.Models.Component {
  const id = identityOf(n, componentIndex(result));
  const supplier = supplierOf(n);
  const c = new CDX.Models.Component(CDX.Enums.ComponentType.MachineLearningModel, id.name, {
    bomRef: n.id,
    ...(id.group ? { group: id.group } : {}),
    ...(id.version ? { version: id.version } : {}),
    ...(id.purl ? { purl: id.purl } : {}),
    ...(supplier ? { supplier: new CDX.Models.OrganizationalEntity({ name: supplier.name }) } : {}),
    description: `${n.role}; ${STATUS_LABEL[n.status]}`,
    // Named only by test or benchmark code: not part of the delivered product (like a development dependency).
    ...(n.scope === "test" ? { scope: CDX.Enums.ComponentScope.Excluded } : {}),
  });
  if (n.license) c.licenses.add(licenseFor(n.license));
  c.properties.add(prop("kind", n.kind));
  c.properties.add(prop("role", n.role));
  c.properties.add(prop("status", n.status));
  c.properties.add(prop("in-product", String(componentIndex(result).byId.get(n.id)?.inProduct ?? n.inProduct)));
  if (n.statusReason) c.properties.add(prop("status-reason", n.statusReason.code));
  if (n.location) c.properties.add(prop("location", pinnedSource(n.location)));
  if (n.knownComponent) c.properties.add(prop("known-component", n.knownComponent));
  if (n.releaseTime) c.properties.add(prop("release-time", n.releaseTime));
  for (const r of n.repos ?? []) c.properties.add(prop("released-in", r));
  for (const x of n.checked ?? []) c.properties.add(prop("checked", x));
  if (n.publisher) {
    c.properties.add(prop("publisher-org", n.publisher.org));
    if (!isCountryCode(n.publisher.country))
      c.properties.add(prop("publisher-country", "unknown (no source in the knowledge base names one)"));
    if (n.publisher.source) c.properties.add(prop("publisher-source", n.publisher.source));
    if (n.publisher.repackager) c.properties.add(prop("repackager", "true"));
  }
  if (n.claims?.fromScratch) c.properties.add(prop("claims-from-scratch", evidenceValue(n.claims.fromScratch)));
  addFindings(c, result, n.id);
  return c;
}

/**
 * A finding's message without the tool's error detail (`HTTP 401`, `status=500`): why a lookup failed is the tool's
 * account and lives in the component's annotation (see {@link annotationsFor}), never in component data.
 */
function withoutToolError(text: string): string {
  return text
    .replace(/,\s*(?:HTTP|status=?)\s?[45]\d\d\b/g, "")
    .replace(/ ?\((?:HTTP|status=?) ?[45]\d\d\)/g, "")
    .replace(/,\s*[^,()]{0,80}\bE(?:NOTFOUND|CONNREFUSED|CONNRESET|TIMEDOUT|AI_AGAIN)\b[^,()]{0,80}/g, "");
}

/** The findings on a node, as `aiprov:finding` properties of its component. */
function addFindings(c: CDX.Models.Component, result: AuditResult, nodeId: string): void {
  for (const f of result.findings.filter((x) => x.node === nodeId)) {
    c.properties.add(
      prop(
        "finding",
        `${f.pack}/${f.rule} ${f.severity} ${f.verdict}${f.waived ? ` waived by ${f.waived.owner}${f.waived.expires ? ` until ${f.waived.expires}` : ""}` : ""}: ${withoutToolError(f.message.text)}`,
      ),
    );
  }
}

/** A node folded into another's component (see {@link canonicalNodeIds}): its id, places and findings join that component. */
function addFolded(c: CDX.Models.Component, result: AuditResult, n: LineageNode): void {
  c.properties.add(prop("folded-node", n.id));
  for (const l of n.locations ?? (n.location ? [n.location] : [])) c.properties.add(prop("location", pinnedSource(l)));
  addFindings(c, result, n.id);
}

/**
 * Edges that make up a component's pedigree: what the weights of any of its nodes come from (not a configuration or
 * vocabulary match), one per ancestor component, never the component itself.
 */
function pedigreeEdges(n: LineageNode, g: GraphIndex, ci: ComponentIndex): ReturnType<typeof originEdges> {
  const self = ci.canon.get(n.id) ?? n.id;
  const members = ci.byId.get(self)?.nodes ?? [n];
  const seen = new Set<string>([self]);
  return members
    .flatMap((m) => originEdges(m.id, g))
    .filter((e) => {
      const to = ci.canon.get(e.to) ?? e.to;
      if (e.relation === "same-architecture" || e.relation === "tokenizer-of" || seen.has(to)) return false;
      seen.add(to);
      return true;
    });
}

/**
 * `pedigree.ancestors` of a node: one entry per upstream edge, carrying the ancestor's identity (the same name, group,
 * version, purl and supplier as its top-level component, no bom-ref of its own) and `aiprov:ref` = that component's
 * bom-ref.
 */
export function pedigreeFor(n: LineageNode, g: GraphIndex, ci: ComponentIndex): Json[] {
  return pedigreeEdges(n, g, ci).map((e) => {
    const to = g.nodes.get(e.to);
    const rep = to ? (g.nodes.get(ci.canon.get(to.id) ?? to.id) ?? to) : undefined;
    const id = rep ? identityOf(rep, ci) : { name: e.to };
    const supplier = rep ? supplierOf(rep) : undefined;
    return {
      type: "machine-learning-model",
      ...id,
      ...(supplier
        ? { supplier: { name: supplier.name, ...(supplier.country ? { address: { country: supplier.country } } : {}) } }
        : {}),
      properties: [
        jsonProp("ref", ci.canon.get(e.to) ?? e.to),
        jsonProp("relation", e.relation),
        jsonProp("strength", e.strength),
        ...e.evidence.map((ev) => jsonProp("evidence", evidenceValue(ev))),
      ],
    };
  });
}

/** Hugging Face task names (the Hub's `pipeline_tag` values) implied by a role; roles that do not name a task are absent. */
const ROLE_TASK: Partial<Record<ComponentRole, string>> = {
  embedding: "feature-extraction",
  reranker: "text-ranking",
  "text-encoder": "feature-extraction",
  diffusion: "text-to-image",
};

/** Roles that are models (a tokenizer or processor is a component of one, not a model with a card). */
const NOT_A_MODEL: ReadonlySet<ComponentRole> = new Set(["tokenizer", "processor"]);

/** Hub dataset page of a dataset id, on the Hub the scan used. */
function hubDatasetUrl(result: AuditResult, id: string): string {
  return `${trimEndChars(result.settings.hubUrl ?? "https://huggingface.co", "/")}/datasets/${id}`;
}

/**
 * `modelCard` of a model node with what the result knows: `modelParameters` (the task the Hub gives the model, its
 * `pipeline_tag`, else the task its role implies; architecture family and class from the config of a local model;
 * the training datasets the Hub card declares, inline as `dataset` data with their Hub page, and for a product model
 * the datasets the project reads, by ref) and properties for the role, each base model (`<relation> <ref>`, the
 * pedigree in short), the Hub task's source and the declared licence. Every Hub model has one; undefined for a
 * tokenizer or processor, and for another node of which nothing is known beyond its role. Facts of every node folded
 * into the component count (see {@link componentIndex}).
 */
export function modelCardFor(n: LineageNode, result: AuditResult, g: GraphIndex): Json | undefined {
  if (NOT_A_MODEL.has(n.role)) return undefined;
  const ci = componentIndex(result);
  const members = ci.byId.get(ci.canon.get(n.id) ?? n.id)?.nodes ?? [n];
  const key = n.kind === "local" && n.id.startsWith("local:") ? n.id.slice("local:".length) : undefined;
  const comp = key ? result.components.find((c) => c.key === key) : undefined;
  const params: Json = {};
  const hubTask = members.find((m) => m.task)?.task;
  const task = hubTask ?? ROLE_TASK[n.role];
  if (task) params.task = task;
  if (comp?.modelType) params.architectureFamily = comp.modelType;
  if (comp?.architectures?.length) params.modelArchitecture = comp.architectures.join(", ");
  const trained = [...new Set(members.flatMap((m) => m.datasets ?? []))].map((id) => ({
    type: "dataset",
    name: id,
    contents: { url: hubDatasetUrl(result, id) },
  }));
  const read =
    n.kind === "local" && n.inProduct ? (result.datasets ?? []).map((d) => ({ ref: `dataset:${d.name}` })) : [];
  if (trained.length + read.length > 0) params.datasets = [...trained, ...read];
  const props = [
    jsonProp("role", n.role),
    ...pedigreeEdges(n, g, ci).map((e) => jsonProp("base-model", `${e.relation} ${ci.canon.get(e.to) ?? e.to}`)),
    ...(hubTask ? [jsonProp("task-source", "the Hub's pipeline_tag")] : []),
    ...(trained.length > 0 ? [jsonProp("datasets-source", "the Hub model card's datasets")] : []),
    ...(n.license ? [jsonProp("declared-license", n.license)] : []),
  ];
  if (!n.repo && Object.keys(params).length === 0 && props.length === 1) return undefined;
  return { ...(Object.keys(params).length > 0 ? { modelParameters: params } : {}), properties: props };
}

/**
 * The component each lineage node is written as (node id -> the id of its component's representative): the shared
 * identity of every report ({@link componentIndex}: Hub ids case-insensitive, one unresolved expression one
 * component, a ModelScope id apart from a Hugging Face one).
 */
export function canonicalNodeIds(result: AuditResult): Map<string, string> {
  return componentIndex(result).canon;
}

/** The BOM ref of the product (the scanned project, `metadata.component`). */
export const PRODUCT_REF = "product";

/**
 * The dependency graph as `ref -> dependsOn refs`, in passes:
 * 1. the product depends on its top-level components (see `productRoots`), the hosted models it calls and the
 *    datasets it reads;
 * 2. a local model depends on its nested parts (`component-of` inside the tree);
 * 3. a node depends on what it derives from (every upstream relation but `component-of`: finetune, adapter, merge,
 *    quantized, distillation, initialised-from, and the candidate origins same-architecture and tokenizer-of);
 * 4. an upstream `component-of` edge (a part released inside a checkpoint) points from the part to its checkpoint when
 *    the product reaches the part (the product's encoder comes from that checkpoint), else from the checkpoint to
 *    its part (the checkpoint is made of it); decided edge by edge until nothing changes;
 * 5. a node still unreachable (lineage no product component leads to) hangs off the product, so the BOM lists no
 *    orphan; the caller records these as `aiprov:unattached` metadata properties.
 * Refs are the folded ones of {@link canonicalNodeIds}. Every list is sorted; no edge is added twice.
 */
export function dependencyGraph(
  result: AuditResult,
  g: GraphIndex = indexGraph(result),
): { deps: Map<string, Set<string>>; unattached: string[] } {
  const canon = canonicalNodeIds(result);
  const deps = new Map<string, Set<string>>();
  const add = (rawFrom: string, rawTo: string): void => {
    const from = canon.get(rawFrom) ?? rawFrom;
    const to = canon.get(rawTo) ?? rawTo;
    if (from === to) return;
    if (!deps.has(from)) deps.set(from, new Set());
    deps.get(from)!.add(to);
  };
  for (const r of productRoots(result, g)) add(PRODUCT_REF, r.id);
  for (const n of result.lineage.nodes) if (n.kind === "hosted" && n.inProduct) add(PRODUCT_REF, n.id);
  for (const d of result.datasets ?? []) add(PRODUCT_REF, `dataset:${d.name}`);
  const released: typeof result.lineage.edges = [];
  for (const e of result.lineage.edges) {
    if (isLocalPartEdge(e, g)) add(e.to, e.from);
    else if (e.relation === "component-of") released.push(e);
    else add(e.from, e.to);
  }
  let pending = released;
  for (let changed = true; changed && pending.length > 0;) {
    const reached = reachable(deps, PRODUCT_REF);
    const next = pending.filter((e) => !reached.has(e.from) && !reached.has(e.to));
    for (const e of pending) if (reached.has(e.from)) add(e.from, e.to);
    for (const e of pending) if (!reached.has(e.from) && reached.has(e.to)) add(e.to, e.from);
    changed = next.length < pending.length;
    pending = next;
  }
  for (const e of pending) add(e.to, e.from);
  const reached = reachable(deps, PRODUCT_REF);
  const unattached = [...new Set(canon.values())].filter((id) => !reached.has(id));
  for (const id of unattached) add(PRODUCT_REF, id);
  return { deps, unattached };
}

/** Every ref reachable from `root` along `deps` (root included). */
export function reachable(deps: ReadonlyMap<string, ReadonlySet<string>>, root: string): Set<string> {
  const seen = new Set([root]);
  const queue = [root];
  while (queue.length > 0) {
    for (const next of deps.get(queue.shift()!) ?? []) {
      if (!seen.has(next)) {
        seen.add(next);
        queue.push(next);
      }
    }
  }
  return seen;
}

/** One annotation per undetermined node with a reason: the tool's account of what failed, about that component. */
function annotationsFor(result: AuditResult): Json[] {
  const canon = canonicalNodeIds(result);
  const annotator = { component: { type: "application", name: "aiprov", version: result.tool.version } };
  const byKey = new Map<string, Json>();
  for (const n of result.lineage.nodes.filter((x) => x.statusReason)) {
    const subject = canon.get(n.id) ?? n.id;
    const text = `${n.name}: ${STATUS_LABEL[n.status]}: ${reasonText(n.statusReason)} (${n.statusReason!.code})`;
    // Folded nodes with the same reason say it once.
    byKey.set(`${subject}\u0000${text}`, {
      subjects: [subject],
      annotator,
      timestamp: new Date(result.createdAt).toISOString(),
      text,
    });
  }
  return [...byKey.values()];
}

function productComponent(result: AuditResult): CDX.Models.Component {
  return new CDX.Models.Component(
    CDX.Enums.ComponentType.Application,
    trimEndChars(result.root, "/").split("/").pop() || result.root,
    {
      bomRef: PRODUCT_REF,
      description: `AI product scanned at ${result.root}`,
    },
  );
}

function metadataProperties(bom: CDX.Models.Bom, result: AuditResult, unattached: readonly string[]): void {
  const m = bom.metadata.properties;
  m.add(prop("verdict", resultVerdict(result)));
  m.add(prop("fail-on", result.settings.failOn));
  for (const p of result.policies) m.add(prop("policy", `${p.pack}@${p.version}`));
  m.add(prop("knowledge-base-version", result.tool.knowledgeBaseVersion));
  for (const w of weakeningLines(result)) m.add(prop("weakening", w));
  for (const d of result.diagnostics)
    m.add(
      prop("diagnostic", `${d.severity} ${d.code}${d.location ? ` at ${pinnedSource(d.location)}` : ""}: ${d.message}`),
    );
  for (const id of unattached) m.add(prop("unattached", id));
}

function datasetComponent(d: NonNullable<AuditResult["datasets"]>[number]): CDX.Models.Component {
  const c = new CDX.Models.Component(CDX.Enums.ComponentType.Data, d.name, {
    bomRef: `dataset:${d.name}`,
    description: `dataset read by the project (${d.loaders.join(", ")})`,
  });
  for (const l of d.locations) c.properties.add(prop("location", pinnedSource(l)));
  if (d.unresolved) c.properties.add(prop("unresolved", d.unresolved));
  return c;
}

/** Fields the library's model does not carry yet: supplier address, pedigree, model card. */
function addUnmodelledFields(normalized: Json, result: AuditResult, g: GraphIndex): void {
  for (const c of (normalized.components ?? []) as Json[]) {
    const n = g.nodes.get(c["bom-ref"] as string);
    if (!n) continue;
    const country = supplierOf(n)?.country;
    if (country && c.supplier) (c.supplier as Json).address = { country };
    const ancestors = pedigreeFor(n, g, componentIndex(result));
    if (ancestors.length > 0) c.pedigree = { ancestors };
    const card = modelCardFor(n, result, g);
    if (card) c.modelCard = card;
  }
  const annotations = annotationsFor(result);
  if (annotations.length > 0) normalized.annotations = annotations;
}

/** Builds the CycloneDX 1.6 BOM as a JSON object. Pure and deterministic (lists sorted, serial number derived). */
export function toCycloneDx(result: AuditResult): Json {
  const g = indexGraph(result);
  const bom = new CDX.Models.Bom({ version: 1, serialNumber: serialFor(result) });
  bom.metadata.timestamp = new Date(result.createdAt);
  bom.metadata.tools.components.add(
    new CDX.Models.Component(CDX.Enums.ComponentType.Application, "aiprov", {
      version: result.tool.version,
      bomRef: "tool:aiprov",
    }),
  );
  const product = productComponent(result);
  bom.metadata.component = product;
  const refs = new Map<string, CDX.Models.Component>([[PRODUCT_REF, product]]);
  const canon = canonicalNodeIds(result);
  for (const n of result.lineage.nodes) if (canon.get(n.id) === n.id) refs.set(n.id, componentFor(result, n));
  for (const n of result.lineage.nodes) if (canon.get(n.id) !== n.id) addFolded(refs.get(canon.get(n.id)!)!, result, n);
  for (const d of result.datasets ?? []) refs.set(`dataset:${d.name}`, datasetComponent(d));
  for (const [ref, c] of refs) if (ref !== PRODUCT_REF) bom.components.add(c);
  const { deps, unattached } = dependencyGraph(result, g);
  for (const [from, tos] of deps)
    for (const to of tos) {
      const a = refs.get(from);
      const b = refs.get(to);
      if (a && b) a.dependencies.add(b.bomRef);
    }
  metadataProperties(bom, result, unattached);
  const normalized = new CDX.Serialize.JSON.Normalize.Factory(CDX.Spec.Spec1dot6)
    .makeForBom()
    .normalize(bom, { sortLists: true }) as unknown as Json;
  addUnmodelledFields(normalized, result, g);
  return normalized;
}

/** {@link toCycloneDx} serialised as pretty JSON with a trailing newline. */
export function renderCycloneDx(result: AuditResult): string {
  return `${JSON.stringify(toCycloneDx(result), null, 2)}\n`;
}
