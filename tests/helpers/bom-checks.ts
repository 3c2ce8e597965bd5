/**
 * The checks an AI-BOM's consumers apply, as functions that take a document and return its problems (one line each,
 * empty when it conforms). Used on the examples' BOMs (tests/report/bom-conformance.test.ts) and on a corpus-wide
 * scan (tests/corpus/bom-conformance-corpus.test.ts).
 * - SPDX 3.0.1: the published JSON schema (schemas/spdx-json-schema-3.0.1.json); the AI profile's mandatory
 *   properties of every ai_AIPackage (AIPackage "External properties cardinality updates": releaseTime, suppliedBy,
 *   downloadLocation, packageVersion, primaryPurpose; and exactly one hasDeclaredLicense / hasConcludedLicense
 *   relationship, the profile's conformance clause); every reference resolving to an element of the document; every
 *   licence expression parsed by spdx-expression-parse, every LicenseRef- named and linked; the official SHACL
 *   shapes (tests/helpers/spdx-shacl.ts).
 * - CycloneDX 1.6: the CycloneDX library's strict JSON validator, plus what its consumers assume of an AI-BOM: one
 *   component per identity (bom-ref, purl, name/version; pedigree ancestors name their top-level component), every
 *   component reachable from the product along `dependencies`, no tool error text in component data (it belongs in
 *   annotations or metadata properties).
 * - Every format of one scan: the same component count (CycloneDX model components, SPDX model packages, the HTML header
 *   and inventory rows, the Markdown and text headers), see {@link componentCountProblems}.
 * - JUnit: the common Jenkins JUnit XSD (schemas/junit-jenkins-10.xsd) through libxml2 (xmllint-wasm).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as CDX from "@cyclonedx/cyclonedx-library";
import { Ajv2020 } from "ajv/dist/2020.js";
import parse from "spdx-expression-parse";
import { validateXML } from "xmllint-wasm";
import { REPO_ROOT } from "./cli.js";
import { spdxShaclProblems } from "./spdx-shacl.js";

type Json = Record<string, any>;

/** The properties the SPDX 3.0.1 AI profile requires of every ai_AIPackage (besides its licence relationships). */
export const AI_REQUIRED = [
  "releaseTime",
  "suppliedBy",
  "software_downloadLocation",
  "software_packageVersion",
  "software_primaryPurpose",
];

let spdxSchema: ReturnType<Ajv2020["compile"]> | undefined;

/** Errors of the SPDX 3.0.1 JSON schema. */
export function spdxSchemaProblems(doc: object): string[] {
  spdxSchema ??= new Ajv2020({ allErrors: true, strict: false }).compile(
    JSON.parse(readFileSync(join(REPO_ROOT, "schemas", "spdx-json-schema-3.0.1.json"), "utf8")) as object,
  );
  if (spdxSchema(doc)) return [];
  return (spdxSchema.errors ?? []).map(
    (e) => `schema: ${e.instancePath || "/"} ${e.message ?? ""} ${JSON.stringify(e.params)}`,
  );
}

/** The AI profile's mandatory properties and licence relationships of every ai_AIPackage, and dangling references. */
export function spdxProfileProblems(doc: Json): string[] {
  const problems: string[] = [];
  const graph = doc["@graph"] as Json[];
  const ids = new Set(graph.map((x) => x.spdxId).filter(Boolean));
  const rels = graph.filter((x) => x.type === "Relationship");
  const created = (graph.find((x) => x.type === "CreationInfo") ?? {}).created as string | undefined;
  for (const p of graph.filter((x) => x.type === "ai_AIPackage")) {
    for (const k of AI_REQUIRED) if (!p[k]) problems.push(`${p.name} lacks ${k}`);
    // A release time equal to the document's creation is the audit's time stamped on the model, not its release.
    if (created && p.releaseTime === created) problems.push(`${p.name}: releaseTime is the document's creation time`);
    if (!ids.has(p.suppliedBy)) problems.push(`${p.name}: supplier ${p.suppliedBy} is not an element of the document`);
    for (const t of ["hasDeclaredLicense", "hasConcludedLicense"]) {
      const n = rels.filter((x) => x.from === p.spdxId && x.relationshipType === t).length;
      if (n !== 1) problems.push(`${p.name}: ${n} ${t} relationships`);
    }
  }
  for (const rel of rels)
    for (const to of rel.to as string[])
      if (!ids.has(to) && !to.startsWith("expandedlicensing_")) problems.push(`dangling ${to}`);
  return problems;
}

/** The licence expressions of an SPDX document, as written. */
export function spdxLicenceExpressions(doc: Json): string[] {
  return (doc["@graph"] as Json[])
    .filter((x) => x.type === "simplelicensing_LicenseExpression")
    .map((e) => e.simplelicensing_licenseExpression as string);
}

/** Licence expressions spdx-expression-parse rejects, and LicenseRef- ids without their note or link. */
export function spdxLicenceProblems(doc: Json): string[] {
  const problems: string[] = [];
  for (const e of (doc["@graph"] as Json[]).filter((x) => x.type === "simplelicensing_LicenseExpression")) {
    const expr = e.simplelicensing_licenseExpression as string;
    try {
      parse(expr);
    } catch (err) {
      problems.push(`licence expression ${JSON.stringify(expr)}: ${(err as Error).message}`);
    }
    if (!expr.includes("LicenseRef-")) continue;
    if (!/Not on the SPDX License List/.test(String(e.comment)))
      problems.push(`${expr}: no note that it is not on the SPDX License List`);
    for (const m of (e.simplelicensing_customIdToUri ?? []) as Json[])
      if (!expr.includes(m.key as string)) problems.push(`${expr}: links ${m.key}, which it does not use`);
  }
  return problems;
}

/** Every SPDX check: schema, AI profile, licence expressions and the SHACL shapes. */
export async function spdxProblems(doc: Json): Promise<string[]> {
  return [
    ...spdxSchemaProblems(doc),
    ...spdxProfileProblems(doc),
    ...spdxLicenceProblems(doc),
    ...(await spdxShaclProblems(doc)).map((p) => `shacl: ${p}`),
  ];
}

const cdxValidator = new CDX.Validation.JsonStrictValidator(CDX.Spec.Version.v1dot6);

/** The CycloneDX library's strict 1.6 JSON validator: its errors, none when the BOM is valid. */
export async function cyclonedxSchemaProblems(bom: object): Promise<string[]> {
  const errors = await cdxValidator.validate(JSON.stringify(bom));
  return errors === null ? [] : [`strict validator: ${JSON.stringify(errors).slice(0, 2000)}`];
}

/** Every component of a BOM with a bom-ref, nested ones included (pedigree ancestors have none: see below). */
export function allComponents(bom: Json): Json[] {
  const out: Json[] = [];
  const walk = (cs: Json[] | undefined): void => {
    for (const c of cs ?? []) {
      out.push(c);
      walk(c.components as Json[] | undefined);
    }
  };
  walk(bom.components as Json[]);
  return out;
}

/**
 * An identity: the purl when there is one, compared without case, because Hub ids are case-insensitive
 * (`qwen/Qwen-VL-Chat` and `Qwen/Qwen-VL-Chat` are one repo, the Hub redirects one to the other); else
 * group/name@version as written.
 */
function identity(c: Json): string {
  // Only a repo id is case-insensitive: two expressions `model` and `Model` in code are two names.
  return c.purl ? String(c.purl).toLowerCase() : `${c.group ?? ""}/${c.name}@${c.version ?? ""}`;
}

/** What a tool error looks like in text: an HTTP status, a Hub error code, a Node network error, an exception. */
const TOOL_ERROR =
  /status=\d{3}|errorCode=|\bE(?:NOTFOUND|CONNREFUSED|CONNRESET|TIMEDOUT|AI_AGAIN)\b|\bHTTP [45]\d\d\b|answered [45]\d\d|\b(?:Type|Syntax|Range)?Error: /;

/** Problems of one BOM: duplicate identities, components the product does not reach, tool errors in component data. */
export function cyclonedxGraphProblems(bom: Json): string[] {
  const problems: string[] = [];
  const comps = allComponents(bom);
  const byRef = new Map<string, Json>();
  const byIdentity = new Map<string, string>();
  for (const c of comps) {
    const ref = c["bom-ref"] as string;
    if (byRef.has(ref)) problems.push(`duplicate bom-ref ${ref}`);
    byRef.set(ref, c);
    const id = identity(c);
    if (byIdentity.has(id)) problems.push(`${id} appears as ${byIdentity.get(id)} and ${ref}`);
    byIdentity.set(id, ref);
  }
  // A pedigree ancestor names its top-level component and carries the same identity; it has no bom-ref of its own.
  for (const c of comps) {
    for (const a of (c.pedigree?.ancestors ?? []) as Json[]) {
      if (a["bom-ref"]) problems.push(`ancestor of ${c["bom-ref"]} has its own bom-ref ${a["bom-ref"]}`);
      const ref = ((a.properties ?? []) as Json[]).find((p) => p.name === "aiprov:ref")?.value as string | undefined;
      const target = ref ? byRef.get(ref) : undefined;
      if (!target) problems.push(`ancestor of ${c["bom-ref"]} names no component (${ref})`);
      else if (identity(target) !== identity(a))
        problems.push(
          `ancestor ${ref} of ${c["bom-ref"]} has identity ${identity(a)}, its component ${identity(target)}`,
        );
    }
  }
  const deps = new Map<string, string[]>(
    ((bom.dependencies ?? []) as Json[]).map((d) => [d.ref as string, (d.dependsOn ?? []) as string[]]),
  );
  const root = bom.metadata.component["bom-ref"] as string;
  const seen = new Set([root]);
  const queue = [root];
  while (queue.length > 0) {
    for (const n of deps.get(queue.shift()!) ?? []) {
      if (seen.has(n)) continue;
      seen.add(n);
      queue.push(n);
    }
  }
  for (const ref of byRef.keys()) if (!seen.has(ref)) problems.push(`${ref} is not reachable from the product`);
  for (const c of comps) {
    const m = TOOL_ERROR.exec(JSON.stringify(c));
    if (m) problems.push(`${c["bom-ref"]} carries tool error text: ${m[0]}`);
  }
  return problems;
}

/** Every CycloneDX check: the strict validator, identities, reachability and error text. */
export async function cyclonedxProblems(bom: Json): Promise<string[]> {
  return [...(await cyclonedxSchemaProblems(bom)), ...cyclonedxGraphProblems(bom)];
}

let junitXsd: string | undefined;

/** Errors of a JUnit XML report against the common Jenkins JUnit XSD. */
export async function junitProblems(xml: string): Promise<string[]> {
  junitXsd ??= readFileSync(join(REPO_ROOT, "schemas", "junit-jenkins-10.xsd"), "utf8");
  const v = await validateXML({ xml: [{ fileName: "junit.xml", contents: xml }], schema: [junitXsd] });
  return v.errors.map((e) => e.message);
}

/** The component count each format of one scan states or lists (see {@link componentCountProblems}). */
export interface FormatCounts {
  cyclonedx: number;
  spdx: number;
  htmlHeader: number;
  htmlRows: number;
  markdown: number;
  text: number;
}

/** Reads the component count of each rendered format of one scan; NaN where a format states none. */
export function formatComponentCounts(o: {
  cyclonedx: Json;
  spdx: Json;
  html: string;
  markdown: string;
  text: string;
}): FormatCounts {
  const inventory = o.html.split(`<section id="inventory">`)[1]?.split("</section>")[0] ?? "";
  const num = (m: RegExpExecArray | null): number => (m ? Number(m[1]) : Number.NaN);
  return {
    cyclonedx: ((o.cyclonedx.components ?? []) as Json[]).filter((c) => c.type === "machine-learning-model").length,
    spdx: (o.spdx["@graph"] as Json[]).filter((x) => x.software_primaryPurpose === "model").length,
    htmlHeader: num(/(\d+) components<\/a>/.exec(o.html)),
    htmlRows: (inventory.match(/<tr class="status-/g) ?? []).length,
    markdown: num(/· (\d+) components \(/.exec(o.markdown)),
    text: num(/^Components: (\d+) /m.exec(o.text)),
  };
}

/** One problem per format whose count differs from CycloneDX's (all formats must count the same components). */
export function componentCountProblems(counts: FormatCounts): string[] {
  return Object.entries(counts)
    .filter(([, n]) => n !== counts.cyclonedx)
    .map(([format, n]) => `${format} counts ${n} components, CycloneDX ${counts.cyclonedx}`);
}

/**
 * The Markdown components table against its own header: the rows plus the "… N more components not shown" line
 * must make the header's "(P used by the product)"; one problem when they do not.
 */
export function markdownTableProblems(markdown: string): string[] {
  const used = /components \((\d+) used by the product\)/.exec(markdown);
  if (!used) return ["Markdown header states no product count"];
  const table = markdown.split("### Components")[1]?.split(/\n### /)[0] ?? "";
  const rows = (table.match(/^\| \*\*/gm) ?? []).length;
  const more = Number(/… (\d+) more components not shown/.exec(table)?.[1] ?? 0);
  return rows + more === Number(used[1])
    ? []
    : [`Markdown lists ${rows} rows + ${more} more, its header ${used[1]} used by the product`];
}
