/**
 * SPDX 3.0.1 JSON-LD document with the AI profile (https://spdx.github.io/spdx-spec/v3.0.1/; serialisation:
 * https://spdx.github.io/spdx-spec/v3.0.1/serializations/; JSON schema https://spdx.org/schema/3.0.1/spdx-json-schema.json).
 *
 * One package per component (the shared identity of every report, `componentIndex` in ./common.ts: the nodes of one
 * model identity share it), primary purpose `model`, supplied by an `Organization` (the publisher; SPDX has no country
 * field, so the headquarters country is in the organization's `comment`). The lineage is written as `Relationship`s:
 * derivations (finetune, adapter, merge, quantized, distillation, initialised-from) as `descendantOf` from the derived
 * package to its parent, `component-of` as `contains` from the whole to the part, `same-architecture` as `other`; each
 * relationship's `comment` names aiprov's relation type, strength and evidence. Each package has exactly one
 * `hasDeclaredLicense` and one `hasConcludedLicense` relationship, as the AI profile's conformance clause requires
 * (NoAssertionLicense where unknown; aiprov concludes nothing). Declared licences are SPDX licence expressions
 * (./license.ts: `spdx-expression-parse`, `spdx-license-ids`, `spdx-correct`); a licence that is not on the SPDX
 * License List (`llama3.1`, `gemma`, `creativeml-openrail-m`) is a `LicenseRef-` whose `simplelicensing_customIdToUri`
 * entry links the licence's text where it is a well-known model licence, else the Hub page that declares it.
 *
 * A model whose release time is known (the Hub's `createdAt`) is an `ai_AIPackage` with every property the AI profile
 * requires (AIPackage "External properties restrictions", minCount 1, https://spdx.github.io/spdx-spec/v3.0.1/model/
 * AI/Classes/AIPackage/): `releaseTime`, `suppliedBy` (the publisher organization, or an Organization named
 * NOASSERTION), `software_downloadLocation` (the Hub or ModelScope page, else NOASSERTION),
 * `software_packageVersion` (the commit the facts were read at, else NOASSERTION) and `software_primaryPurpose`; its
 * Hub task (`pipeline_tag`) and the card's training datasets are `ai_informationAboutApplication` and
 * `ai_informationAboutTraining`. A model whose release time nobody knows (offline, an unresolved reference, a model
 * in the tree) is a `software_Package` with purpose `model`: the audit time stamped as a release time would say
 * nothing true, and an AI package without one would break the profile.
 * Findings are `review` annotations on their package. A `software_Sbom` of type `analyzed` holds the product and its
 * components.
 */
import type { AuditResult, LineageEdge, LineageNode } from "../model/types.js";
import { stableId } from "../util/hash.js";
import {
  type ComponentGroup,
  type GraphIndex,
  STATUS_LABEL,
  componentIndex,
  indexGraph,
  isLocalPartEdge,
  pinnedSource,
  productRoots,
  weakeningLines,
} from "./common.js";
import { knownLicenseName, knownLicenseUrl, spdxLicense } from "./license.js";
import { reasonText } from "./text.js";
import { trimEndChars } from "../util/text.js";
import { resultVerdict } from "../policy/verdict.js";

/** The SPDX 3.0.1 JSON-LD context every document names. */
export const SPDX_CONTEXT = "https://spdx.org/rdf/3.0.1/spdx-context.jsonld";
/** The NoAssertionLicense individual, in the compact form the 3.0.1 context and JSON schema name. */
const NO_ASSERTION_LICENSE = "expandedlicensing_NoAssertionLicense";
const CREATION_INFO = "_:creationinfo";

type Json = Record<string, unknown>;

/** The SPDX value for "no assertion" in string-valued properties (SPDX 2 convention; SPDX 3 has no typed one). */
const NOASSERTION = "NOASSERTION";

/** An ISO 8601 instant in the form the 3.0.1 schema's DateTime pattern accepts (`YYYY-MM-DDTHH:MM:SSZ`). */
function spdxDateTime(iso: string): string {
  return new Date(iso).toISOString().replace(/\.\d+Z$/, "Z");
}

function relationshipType(e: LineageEdge): "descendantOf" | "contains" | "other" {
  if (e.relation === "component-of") return "contains";
  if (e.relation === "same-architecture" || e.relation === "tokenizer-of") return "other";
  return "descendantOf";
}

/**
 * The document being built: its namespace, the graph in element order, and helpers that add elements. Each pass
 * below adds one kind of element; {@link toSpdx} runs them in order.
 */
interface SpdxDoc {
  ns: string;
  created: string;
  graph: Json[];
  /** A deterministic element id: `<ns>:<kind>-<hash of parts>`. */
  id: (kind: string, ...parts: string[]) => string;
  /** Adds an element with the shared creation info; returns its spdxId. */
  element: (o: Json) => string;
  /** Organization elements by publisher entity. */
  orgs: Map<string, string>;
  unknownSupplier?: string;
  /** Package id of each lineage node. */
  pkgIds: Map<string, string>;
}

function newDoc(result: AuditResult): SpdxDoc {
  const ns = `urn:aiprov:spdx:${stableId([result.root, result.createdAt, JSON.stringify(result.lineage.nodes.map((n) => n.id))], 24)}`;
  const graph: Json[] = [];
  return {
    ns,
    created: result.createdAt.replace(/\.\d+Z$/, "Z"),
    graph,
    id: (kind, ...parts) => `${ns}:${kind}-${stableId(parts, 16)}`,
    element: (o) => {
      graph.push({ creationInfo: CREATION_INFO, ...o });
      return o.spdxId as string;
    },
    orgs: new Map(),
    pkgIds: new Map(),
  };
}

/** Pass 1: the creation info, and aiprov as the agent and tool that created the document. */
function addCreationInfo(d: SpdxDoc, result: AuditResult): void {
  const agentId = `${d.ns}:agent-aiprov`;
  const toolId = `${d.ns}:tool-aiprov`;
  d.graph.push({
    type: "CreationInfo",
    "@id": CREATION_INFO,
    specVersion: "3.0.1",
    created: d.created,
    createdBy: [agentId],
    createdUsing: [toolId],
  });
  d.element({ type: "SoftwareAgent", spdxId: agentId, name: "aiprov" });
  d.element({ type: "Tool", spdxId: toolId, name: `aiprov ${result.tool.version}` });
}

/** The supplier of a node: its publisher's Organization (added once per entity), else the NOASSERTION one. */
function supplierFor(d: SpdxDoc, n: LineageNode): string {
  if (!n.publisher) {
    d.unknownSupplier ??= d.element({
      type: "Organization",
      spdxId: `${d.ns}:org-noassertion`,
      name: NOASSERTION,
      comment: "Supplier not determined by aiprov.",
    });
    return d.unknownSupplier;
  }
  const key = n.publisher.entity;
  let o = d.orgs.get(key);
  if (!o) {
    o = d.id("org", key);
    d.orgs.set(key, o);
    d.element({
      type: "Organization",
      spdxId: o,
      name: n.publisher.entity,
      comment: `Headquarters country (ISO 3166-1 alpha-2): ${n.publisher.country}. Hub organization: ${n.publisher.org}.${n.publisher.source ? ` Source: ${n.publisher.source}` : ""}`,
    });
  }
  return o;
}

/** Where a component can be downloaded: its Hub page, a ModelScope repo's page, else NOASSERTION. */
function downloadLocation(n: LineageNode, group: ComponentGroup | undefined): string {
  if (n.repo) return `https://huggingface.co/${n.repo}${n.revision ? `/tree/${n.revision}` : ""}`;
  if (group?.hub === "modelscope" && group.repo) return `https://www.modelscope.cn/models/${group.repo}`;
  return NOASSERTION;
}

/**
 * The package of a component (its representative node `n`, facts of every folded node counted). A model whose release
 * time is known (the Hub's `createdAt`) is an `ai_AIPackage` with every property the AI profile requires and the
 * config's hyperparameters; the Hub's task (`pipeline_tag`) is its `ai_informationAboutApplication` and the card's
 * training datasets its `ai_informationAboutTraining`. A model whose release time nobody knows (offline, an
 * unresolved reference, a model in the tree) is a `software_Package` with primary purpose `model`: the AI profile
 * requires `releaseTime` of every AI package (AIPackage "External properties restrictions", minCount 1), and a
 * stamped audit time would say nothing true.
 */
function aiPackage(
  d: SpdxDoc,
  result: AuditResult,
  n: LineageNode,
  pid: string,
  supplier: string,
  group?: ComponentGroup,
): Json {
  const members = group?.nodes ?? [n];
  const key = n.kind === "local" && n.id.startsWith("local:") ? n.id.slice("local:".length) : undefined;
  const comp = key ? result.components.find((c) => c.key === key) : undefined;
  const releaseTime = members.find((m) => m.releaseTime)?.releaseTime;
  const task = members.find((m) => m.task)?.task;
  const datasets = [...new Set(members.flatMap((m) => m.datasets ?? []))];
  const application = task ? `Hub task (pipeline_tag): ${task}.` : "";
  const training = datasets.length ? `Training datasets declared by the Hub model card: ${datasets.join(", ")}.` : "";
  const pkg: Json = {
    type: releaseTime ? "ai_AIPackage" : "software_Package",
    spdxId: pid,
    name: n.name,
    summary: `${n.role}; ${STATUS_LABEL[n.status]}`,
    comment: [
      `aiprov node ${n.id} (${n.kind}, role ${n.role}, status ${n.status}${n.statusReason ? `: ${reasonText(n.statusReason)}` : ""}).`,
      n.location ? `Defined at ${pinnedSource(n.location)}.` : "",
      n.repos?.length ? `Released in ${n.repos.join(", ")}.` : "",
      n.checked?.length ? `Checked: ${n.checked.join("; ")}.` : "",
      releaseTime
        ? ""
        : "An AI model whose release time is not known: a software Package with purpose model, not an AI package (the AI profile requires a release time).",
      releaseTime ? "" : `${application} ${training}`.trim(),
      !releaseTime && comp?.modelType
        ? `Configuration: model_type ${comp.modelType}${comp.architectures?.length ? `, architectures ${comp.architectures.join(", ")}` : ""}.`
        : "",
    ]
      .filter(Boolean)
      .join(" "),
    software_primaryPurpose: "model",
    ...(releaseTime ? { releaseTime: spdxDateTime(releaseTime) } : {}),
    suppliedBy: supplier,
    software_downloadLocation: downloadLocation(n, group),
    software_packageVersion: members.find((m) => m.revision)?.revision ?? NOASSERTION,
  };
  if (!releaseTime) return pkg;
  if (application) pkg.ai_informationAboutApplication = application;
  if (training) pkg.ai_informationAboutTraining = training;
  if (comp?.modelType) pkg.ai_typeOfModel = [comp.modelType];
  if (comp?.config) {
    const entries = Object.entries(comp.config)
      .filter(([, v]) => v !== null)
      .sort(([a], [b]) => a.localeCompare(b))
      .slice(0, 64)
      .map(([k, v]) => ({ type: "DictionaryEntry", key: k, value: Array.isArray(v) ? JSON.stringify(v) : String(v) }));
    if (entries.length > 0) pkg.ai_hyperparameter = entries;
  }
  return pkg;
}

/**
 * The declared licence of a node as a licence expression element (a LicenseRef- linked to the Hub page that
 * declares it when the licence is not on the SPDX list), or NoAssertionLicense; returns the element id.
 */
function declaredLicense(d: SpdxDoc, n: LineageNode): string {
  if (!n.license) return NO_ASSERTION_LICENSE;
  const lic = spdxLicense(n.license);
  const declaredAt = n.repo ? `https://huggingface.co/${n.repo}` : undefined;
  // The licence's own text where it is a well-known model licence, else the Hub page that declares it.
  const linkOf = (r: { value: string }): string | undefined => knownLicenseUrl(r.value) ?? declaredAt;
  const expr: Json = {
    type: "simplelicensing_LicenseExpression",
    spdxId: d.id("lic", lic.expression, lic.listed ? "" : lic.refs.map((r) => linkOf(r) ?? "").join(" ")),
    simplelicensing_licenseExpression: lic.expression,
  };
  if (!lic.listed) {
    const linked = lic.refs.flatMap((r) => {
      const url = linkOf(r);
      return url ? [{ type: "DictionaryEntry", key: r.id, value: url }] : [];
    });
    if (linked.length > 0) expr.simplelicensing_customIdToUri = linked;
    expr.comment = `Not on the SPDX License List: ${lic.refs
      .map((r) => {
        const name = knownLicenseName(r.value);
        const url = knownLicenseUrl(r.value);
        return `${r.id} is the licence declared as "${r.value}"${name ? ` (${name}${url ? `, text at ${url}` : ""})` : ""}`;
      })
      .join("; ")}${declaredAt ? ` (declared on ${declaredAt})` : ""}.`;
  }
  return d.element(expr);
}

/**
 * Pass 2: one package per component (the shared identity of every report, {@link componentIndex}: nodes of one model
 * identity share its package), with its supplier and exactly one declared and one concluded licence.
 */
function addPackages(d: SpdxDoc, result: AuditResult): void {
  for (const group of componentIndex(result).groups) {
    const n = group.nodes[0]!;
    const pid = d.id("pkg", n.id);
    for (const m of group.nodes) d.pkgIds.set(m.id, pid);
    const pkg = aiPackage(d, result, n, pid, supplierFor(d, n), group);
    if (group.nodes.length > 1)
      pkg.comment = `${String(pkg.comment)} Also named as ${group.nodes
        .slice(1)
        .map((m) => m.id)
        .join(", ")}.`;
    d.element(pkg);
    const declared = declaredLicense(d, n);
    d.element({
      type: "Relationship",
      spdxId: d.id("rel", n.id, "declared"),
      from: pid,
      to: [declared],
      relationshipType: "hasDeclaredLicense",
    });
    d.element({
      type: "Relationship",
      spdxId: d.id("rel", n.id, "concluded"),
      from: pid,
      to: [NO_ASSERTION_LICENSE],
      relationshipType: "hasConcludedLicense",
    });
  }
  // Licence expressions are shared: keep one element per id (the first).
  const seenIds = new Set<string>();
  for (let i = d.graph.length - 1; i >= 0; i--) {
    const sid = d.graph[i]!.spdxId as string | undefined;
    if (!sid) continue;
    if (seenIds.has(sid)) d.graph.splice(i, 1);
    else seenIds.add(sid);
  }
}

/** Pass 3: the lineage as relationships (descendantOf, contains, other), each naming aiprov's relation and evidence. */
function addLineage(d: SpdxDoc, result: AuditResult, g: GraphIndex): void {
  const written = new Set<string>();
  for (const e of result.lineage.edges) {
    const from = d.pkgIds.get(e.from);
    const to = d.pkgIds.get(e.to);
    // Two nodes of one component: no relationship of a package with itself; one per pair and relation.
    if (!from || !to || from === to || written.has(`${from} ${to} ${e.relation}`)) continue;
    written.add(`${from} ${to} ${e.relation}`);
    const type = relationshipType(e);
    const [a, b] = type === "contains" ? [to, from] : [from, to];
    const evidence = e.evidence.map((x) => `${x.strength} ${x.code} at ${pinnedSource(x.location)}`).join("; ");
    d.element({
      type: "Relationship",
      spdxId: d.id("rel", e.id),
      from: a,
      to: [b],
      relationshipType: type,
      comment: `aiprov relation ${e.relation} (${e.strength})${isLocalPartEdge(e, g) ? ", a nested configuration of the model" : ""}. Evidence: ${evidence}`,
    });
  }
}

/** Pass 4: findings as `review` annotations on their package. */
function addFindings(d: SpdxDoc, result: AuditResult): void {
  for (const f of result.findings) {
    const subject = d.pkgIds.get(f.node);
    if (!subject) continue;
    d.element({
      type: "Annotation",
      spdxId: d.id("finding", f.id),
      annotationType: "review",
      subject,
      statement: `${f.pack}/${f.rule} ${f.severity} (${f.verdict})${f.waived ? `, waived by ${f.waived.owner}${f.waived.expires ? ` until ${f.waived.expires}` : ""}: ${f.waived.reason}` : ""}: ${f.message.text}`,
    });
  }
}

/** Pass 5: the product package containing its top-level components, the Sbom and the SpdxDocument listing every element. */
function addProductAndDocument(d: SpdxDoc, result: AuditResult, g: GraphIndex): void {
  const productId = d.element({
    type: "software_Package",
    spdxId: d.id("product", result.root),
    name: trimEndChars(result.root, "/").split("/").pop() || result.root,
    software_primaryPurpose: "application",
    comment: `AI product scanned by aiprov at ${result.root}; verdict ${resultVerdict(result)}.${weakeningLines(result)
      .map((w) => ` Weakening setting: ${w}.`)
      .join("")}`,
  });
  const roots = [
    ...new Set(
      productRoots(result, g)
        .map((n) => d.pkgIds.get(n.id))
        .filter((x): x is string => x !== undefined),
    ),
  ];
  if (roots.length > 0)
    d.element({
      type: "Relationship",
      spdxId: d.id("rel", "product"),
      from: productId,
      to: roots,
      relationshipType: "contains",
    });
  const sbomId = d.id("sbom", result.root);
  const docId = d.id("doc", result.root);
  const elements = d.graph.filter((x) => x.spdxId && x.type !== "SpdxDocument").map((x) => x.spdxId as string);
  d.graph.push({
    type: "software_Sbom",
    spdxId: sbomId,
    creationInfo: CREATION_INFO,
    name: `AI-BOM of ${result.root}`,
    software_sbomType: ["analyzed"],
    rootElement: [productId],
    element: elements,
  });
  d.graph.push({
    type: "SpdxDocument",
    spdxId: docId,
    creationInfo: CREATION_INFO,
    name: `aiprov AI-BOM of ${result.root}`,
    profileConformance: ["core", "software", "ai", "simpleLicensing"],
    rootElement: [sbomId],
    element: [...elements, sbomId],
  });
}

/** Builds the SPDX 3.0.1 document as a JSON-LD object, in the passes above. Pure and deterministic. */
export function toSpdx(result: AuditResult): Json {
  const g = indexGraph(result);
  const d = newDoc(result);
  addCreationInfo(d, result);
  addPackages(d, result);
  addLineage(d, result, g);
  addFindings(d, result);
  addProductAndDocument(d, result, g);
  return { "@context": SPDX_CONTEXT, "@graph": d.graph };
}

/** {@link toSpdx} serialised as pretty JSON with a trailing newline. */
export function renderSpdx(result: AuditResult): string {
  return `${JSON.stringify(toSpdx(result), null, 2)}\n`;
}
