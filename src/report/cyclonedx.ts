/**
 * CycloneDX 1.6 JSON AI-BOM (https://cyclonedx.org/docs/1.6/json/), built with the OWASP CycloneDX JavaScript
 * library (`@cyclonedx/cyclonedx-library`: its models, SPDX id table and 1.6 JSON normaliser).
 *
 * Every lineage node becomes a component of type `machine-learning-model` (bom-ref = the node id): `supplier` with
 * `address.country` (ISO 3166-1 alpha-2, from the knowledge base or the Hub), licences as SPDX ids or names, a
 * `pkg:huggingface` purl for Hub repos (version = the pinned commit), `pedigree.ancestors` for its lineage (one
 * ancestor per upstream edge, carrying the relation type, strength and evidence as `aiprov:` properties and
 * `aiprov:ref` naming the ancestor's own component), `modelCard.modelParameters` from the config where known, and
 * findings as `aiprov:finding` properties. A local model `dependsOn` its nested parts. The library's model has no
 * pedigree, model card or postal address yet, so those are added to its normalised output.
 *
 * Datasets the project reads (`result.datasets`: `load_dataset`, `repo_type="dataset"` downloads, Hub dataset URLs)
 * are components of type `data` (bom-ref `dataset:<name>`), with where each is named as `aiprov:location` properties;
 * the product depends on them. Training data the result does not record is not invented.
 */
import * as CDX from "@cyclonedx/cyclonedx-library";
import type { AuditResult, Evidence, LineageNode } from "../model/types.js";
import { stableId } from "../util/hash.js";
import { type GraphIndex, STATUS_LABEL, indexGraph, isLocalPartEdge, originEdges, pinnedSource, productRoots, weakeningLines } from "./common.js";
import { reasonText } from "./text.js";
import { trimEndChars } from "../util/text.js";
import { resultVerdict } from "../policy/verdict.js";

/** Namespace of aiprov's CycloneDX property names (https://cyclonedx.org/docs/1.6/json/#components_items_properties). */
export const CDX_PROPERTY_NAMESPACE = "aiprov";

type Json = Record<string, unknown>;

/** Deterministic RFC 4122-shaped UUID from the result (SHA-256 based, version nibble 5), for `serialNumber`. */
function serialFor(result: AuditResult): string {
  const hex = stableId([result.root, result.createdAt, result.tool.version, JSON.stringify(result.lineage.nodes.map((n) => n.id))], 32);
  return `urn:uuid:${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16)}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** `pkg:huggingface/<org>/<name>[@<commit>]` (purl type `huggingface`: version is the lower-cased commit). */
export function huggingfacePurl(repo: string, revision?: string): string {
  const [org, ...rest] = repo.split("/");
  const path = rest.length > 0 ? `${encodeURIComponent(org!)}/${rest.map(encodeURIComponent).join("/")}` : encodeURIComponent(org!);
  return `pkg:huggingface/${path}${revision && /^[0-9a-f]{7,64}$/i.test(revision) ? `@${revision.toLowerCase()}` : ""}`;
}

function prop(name: string, value: string): CDX.Models.Property {
  return new CDX.Models.Property(`${CDX_PROPERTY_NAMESPACE}:${name}`, value);
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

function componentFor(result: AuditResult, n: LineageNode): CDX.Models.Component {
  const c = new CDX.Models.Component(CDX.Enums.ComponentType.MachineLearningModel, n.repo ? n.repo.split("/").slice(1).join("/") || n.repo : n.name, {
    bomRef: n.id,
    ...(n.repo && n.repo.includes("/") ? { group: n.repo.split("/")[0] } : {}),
    ...(n.revision ? { version: n.revision } : {}),
    ...(n.repo ? { purl: huggingfacePurl(n.repo, n.revision) } : {}),
    ...(n.publisher ? { supplier: new CDX.Models.OrganizationalEntity({ name: n.publisher.entity }) } : {}),
    description: `${n.role}; ${STATUS_LABEL[n.status]}${n.statusReason ? `: ${reasonText(n.statusReason)}` : ""}`,
  });
  if (n.license) c.licenses.add(licenseFor(n.license));
  c.properties.add(prop("kind", n.kind));
  c.properties.add(prop("role", n.role));
  c.properties.add(prop("status", n.status));
  c.properties.add(prop("in-product", String(n.inProduct)));
  if (n.statusReason) c.properties.add(prop("status-reason", n.statusReason.code));
  if (n.location) c.properties.add(prop("location", pinnedSource(n.location)));
  if (n.knownComponent) c.properties.add(prop("known-component", n.knownComponent));
  for (const r of n.repos ?? []) c.properties.add(prop("released-in", r));
  for (const x of n.checked ?? []) c.properties.add(prop("checked", x));
  if (n.publisher) {
    c.properties.add(prop("publisher-org", n.publisher.org));
    if (n.publisher.source) c.properties.add(prop("publisher-source", n.publisher.source));
    if (n.publisher.repackager) c.properties.add(prop("repackager", "true"));
  }
  if (n.claims?.fromScratch) c.properties.add(prop("claims-from-scratch", evidenceValue(n.claims.fromScratch)));
  for (const f of result.findings.filter((x) => x.node === n.id)) {
    c.properties.add(prop("finding", `${f.pack}/${f.rule} ${f.severity} ${f.verdict}${f.waived ? ` waived by ${f.waived.owner}${f.waived.expires ? ` until ${f.waived.expires}` : ""}` : ""}: ${f.message.text}`));
  }
  return c;
}

// Pedigree ancestors are what the weights come from; a configuration-only match (same-architecture) is not lineage
// and stays out of it (it is still in the component's aiprov: properties and in the findings).
function ancestorsFor(n: LineageNode, g: GraphIndex): Json[] {
  const seen = new Set<string>();
  return originEdges(n.id, g).filter((e) => e.relation !== "same-architecture" && e.relation !== "tokenizer-of" && !seen.has(e.to) && (seen.add(e.to), true)).map((e) => {
    const to = g.nodes.get(e.to);
    const props: Json[] = [
      { name: `${CDX_PROPERTY_NAMESPACE}:ref`, value: e.to },
      { name: `${CDX_PROPERTY_NAMESPACE}:relation`, value: e.relation },
      { name: `${CDX_PROPERTY_NAMESPACE}:strength`, value: e.strength },
      ...e.evidence.map((ev) => ({ name: `${CDX_PROPERTY_NAMESPACE}:evidence`, value: evidenceValue(ev) })),
    ];
    const anc: Json = {
      type: "machine-learning-model",
      "bom-ref": `pedigree:${e.id}`,
      name: to?.repo ? to.repo.split("/").slice(1).join("/") || to.repo : (to?.name ?? e.to),
    };
    if (to?.repo?.includes("/")) anc.group = to.repo.split("/")[0];
    if (to?.revision) anc.version = to.revision;
    if (to?.repo) anc.purl = huggingfacePurl(to.repo, to.revision);
    if (to?.publisher) anc.supplier = { name: to.publisher.entity, address: { country: to.publisher.country } };
    anc.properties = props;
    return anc;
  });
}

function modelCardFor(n: LineageNode, result: AuditResult): Json | undefined {
  const key = n.kind === "local" && n.id.startsWith("local:") ? n.id.slice("local:".length) : undefined;
  const comp = key ? result.components.find((c) => c.key === key) : undefined;
  if (!comp || (!comp.modelType && !comp.architectures?.length)) return undefined;
  const params: Json = {};
  if (comp.modelType) params.architectureFamily = comp.modelType;
  if (comp.architectures?.length) params.modelArchitecture = comp.architectures.join(", ");
  return { modelParameters: params, properties: [{ name: `${CDX_PROPERTY_NAMESPACE}:role`, value: n.role }] };
}

/** Builds the CycloneDX 1.6 BOM as a JSON object. Pure and deterministic (lists sorted, serial number derived). */
export function toCycloneDx(result: AuditResult): Json {
  const g = indexGraph(result);
  const bom = new CDX.Models.Bom({ version: 1, serialNumber: serialFor(result) });
  bom.metadata.timestamp = new Date(result.createdAt);
  bom.metadata.tools.components.add(new CDX.Models.Component(CDX.Enums.ComponentType.Application, "aiprov", { version: result.tool.version, bomRef: "tool:aiprov" }));
  const product = new CDX.Models.Component(CDX.Enums.ComponentType.Application, trimEndChars(result.root, "/").split("/").pop() || result.root, {
    bomRef: "product",
    description: `AI product scanned at ${result.root}`,
  });
  bom.metadata.component = product;
  bom.metadata.properties.add(prop("verdict", resultVerdict(result)));
  bom.metadata.properties.add(prop("fail-on", result.settings.failOn));
  for (const p of result.policies) bom.metadata.properties.add(prop("policy", `${p.pack}@${p.version}`));
  bom.metadata.properties.add(prop("knowledge-base-version", result.tool.knowledgeBaseVersion));
  for (const w of weakeningLines(result)) bom.metadata.properties.add(prop("weakening", w));
  const byId = new Map<string, CDX.Models.Component>();
  for (const n of result.lineage.nodes) {
    const c = componentFor(result, n);
    byId.set(n.id, c);
    bom.components.add(c);
  }
  for (const r of productRoots(result, g)) {
    const c = byId.get(r.id);
    if (c) product.dependencies.add(c.bomRef);
  }
  for (const d of result.datasets ?? []) {
    const c = new CDX.Models.Component(CDX.Enums.ComponentType.Data, d.name, { bomRef: `dataset:${d.name}`, description: `dataset read by the project (${d.loaders.join(", ")})` });
    for (const l of d.locations) c.properties.add(prop("location", pinnedSource(l)));
    if (d.unresolved) c.properties.add(prop("unresolved", d.unresolved));
    bom.components.add(c);
    product.dependencies.add(c.bomRef);
  }
  for (const e of result.lineage.edges) {
    if (!isLocalPartEdge(e, g)) continue;
    const parent = byId.get(e.to);
    const part = byId.get(e.from);
    if (parent && part) parent.dependencies.add(part.bomRef);
  }
  const normalized = new CDX.Serialize.JSON.Normalize.Factory(CDX.Spec.Spec1dot6).makeForBom().normalize(bom, { sortLists: true }) as unknown as Json;
  // Fields the library's model does not carry yet: supplier address, pedigree, model card.
  const nodes = new Map(result.lineage.nodes.map((n) => [n.id, n]));
  for (const c of (normalized.components ?? []) as Json[]) {
    const n = nodes.get(c["bom-ref"] as string);
    if (!n) continue;
    if (n.publisher && c.supplier) (c.supplier as Json).address = { country: n.publisher.country };
    const ancestors = ancestorsFor(n, g);
    if (ancestors.length > 0) c.pedigree = { ancestors };
    const card = modelCardFor(n, result);
    if (card) c.modelCard = card;
  }
  return normalized;
}

/** {@link toCycloneDx} serialised as pretty JSON with a trailing newline. */
export function renderCycloneDx(result: AuditResult): string {
  return `${JSON.stringify(toCycloneDx(result), null, 2)}\n`;
}
