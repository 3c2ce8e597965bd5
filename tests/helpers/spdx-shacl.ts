/**
 * SHACL validation of SPDX 3.0.1 documents against the official SPDX 3.0.1 model shapes, offline and in pure
 * JavaScript: the JSON-LD document is expanded to RDF by `jsonld` with a document loader that answers only the SPDX
 * 3.0.1 context, kept as a data file (schemas/spdx-context-3.0.1.jsonld), and the RDF is checked by
 * `rdf-validate-shacl` against the shapes (schemas/spdx-model-3.0.1.ttl, parsed by `n3`). Both files come from the
 * SPDX specification's published site (see schemas/SOURCES.md).
 *
 * As SPDX's own validator (spdx3-validate, pySHACL with the model as its ontology graph) does, the model's
 * ontology is added to the data graph: its `rdfs:subClassOf` statements, so a shape on a class also targets its
 * subclasses' instances (an `ai_AIPackage` is checked as a `software_Package`, an `Artifact` and an `Element`), and
 * the types of its named individuals (`RelationshipType/contains` is a `RelationshipType`), which `sh:class`
 * constraints on vocabulary values look up. (The model has no SHACL-SPARQL constraints, which rdf-validate-shacl
 * would not run.)
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import jsonld from "jsonld";
import { DataFactory, Parser, Store, type Quad } from "n3";
import SHACLValidator from "rdf-validate-shacl";
import { REPO_ROOT } from "./cli.js";

/** The context URL every SPDX 3.0.1 document names, and the only document the loader answers. */
export const SPDX_CONTEXT_URL = "https://spdx.org/rdf/3.0.1/spdx-context.jsonld";

const RDFS_SUBCLASS = "http://www.w3.org/2000/01/rdf-schema#subClassOf";

const RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type";
const OWL_INDIVIDUAL = "http://www.w3.org/2002/07/owl#NamedIndividual";

let cached: { shapes: Quad[]; ontology: Quad[]; individuals: Set<string>; context: unknown } | undefined;

function load(): NonNullable<typeof cached> {
  if (!cached) {
    const shapes = new Parser().parse(readFileSync(join(REPO_ROOT, "schemas", "spdx-model-3.0.1.ttl"), "utf8"));
    // The model declares its shapes `owl:Class, sh:NodeShape`; SHACL's implicit class targets apply to SHACL instances
    // of rdfs:Class, and owl:Class is one (OWL 2 RDF semantics), which the shapes graph has to say for a SHACL engine.
    const { namedNode, quad } = DataFactory;
    shapes.push(
      quad(
        namedNode("http://www.w3.org/2002/07/owl#Class"),
        namedNode(RDFS_SUBCLASS),
        namedNode("http://www.w3.org/2000/01/rdf-schema#Class"),
      ),
    );
    const context = JSON.parse(
      readFileSync(join(REPO_ROOT, "schemas", "spdx-context-3.0.1.jsonld"), "utf8"),
    ) as unknown;
    const individuals = new Set(
      shapes
        .filter((q) => q.predicate.value === RDF_TYPE && q.object.value === OWL_INDIVIDUAL)
        .map((q) => q.subject.value),
    );
    const ontology = shapes.filter(
      (q) =>
        q.predicate.value === RDFS_SUBCLASS || (q.predicate.value === RDF_TYPE && individuals.has(q.subject.value)),
    );
    cached = { shapes, ontology, individuals, context };
  }
  return cached;
}

/** jsonld's document loader: the SPDX 3.0.1 context from its data file; any other URL is an error (no network). */
async function documentLoader(url: string): Promise<{ contextUrl: null; documentUrl: string; document: unknown }> {
  if (url !== SPDX_CONTEXT_URL) throw new Error(`offline SPDX validation: no document for ${url}`);
  return { contextUrl: null, documentUrl: url, document: load().context };
}

/** The RDF quads of an SPDX JSON-LD document (N-Quads through `n3`, so the terms are RDF/JS terms). */
export async function spdxToQuads(doc: object): Promise<Quad[]> {
  const nquads = (await jsonld.toRDF(doc as jsonld.JsonLdDocument, {
    format: "application/n-quads",
    documentLoader: documentLoader as never,
  })) as unknown as string;
  return new Parser({ format: "N-Quads" }).parse(nquads);
}

/**
 * Validates an SPDX 3.0.1 JSON-LD document against the official SHACL shapes. Returns one line per violation
 * (`<focus node> <path>: <message>`), empty when the document conforms.
 */
export async function spdxShaclProblems(doc: object): Promise<string[]> {
  const { shapes, ontology, individuals } = load();
  const data = [...(await spdxToQuads(doc)), ...ontology];
  const validator = new SHACLValidator(new Store(shapes));
  const report = await validator.validate(new Store(data));
  // The model's own individuals (NoAssertionElement, SpdxOrganization, ...) are not elements of the document: the
  // document refers to them and the model defines them, without the creationInfo an element of a document carries.
  return report.results
    .filter((r) => !individuals.has(r.focusNode?.value ?? ""))
    .map(
      (r) =>
        `${r.focusNode?.value ?? "?"} ${r.path?.value ?? ""}: ${r.message.map((m) => m.value).join("; ") || r.sourceConstraintComponent?.value}`,
    );
}
