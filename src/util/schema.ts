/**
 * JSON Schema validation (ajv, draft-07, all errors) of everything aiprov reads from YAML or JSON that it did not
 * write itself: knowledge files, rule packs, config files; and of the reports it writes (in tests).
 *
 * The validators are compiled at build time (Ajv standalone code, `scripts/build-generated.js` ->
 * `dist/generated/validators/<schema>.cjs`): compiling them at every start cost a tenth of a second. A generated
 * validator is used only while its schema file reads exactly as the schema it was generated from; otherwise (an edited
 * schema, a run from the sources) the schema is compiled here with the same options, and Ajv is loaded only then.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { Ajv, ErrorObject, ValidateFunction } from "ajv";
import { packagePath } from "./package-root.js";

const require = createRequire(import.meta.url);

let ajv: Ajv | undefined;
const cache = new Map<string, ValidateFunction>();

/** The validator generated at build time for `schemaFile`, when it was generated from exactly `source`. */
function generatedValidator(schemaFile: string, source: string): ValidateFunction | undefined {
  try {
    const v = require(
      packagePath("dist", "generated", "validators", schemaFile.replace(/\.json$/, ".cjs")),
    ) as ValidateFunction & { schemaSource?: string };
    return v.schemaSource === source ? v : undefined;
  } catch {
    return undefined; // not built, or no generated validator for this schema
  }
}

function compiler(): Ajv {
  if (!ajv) {
    // ajv and ajv-formats are CommonJS; loaded only when a schema must be compiled at run time.
    const { Ajv: AjvClass } = require("ajv") as typeof import("ajv");
    const addFormats = require("ajv-formats") as (a: Ajv) => Ajv;
    ajv = new AjvClass({ allErrors: true, strict: true, allowUnionTypes: true });
    addFormats(ajv);
  }
  return ajv;
}

/** Compiled validator for a schema file in `schemas/` (cached). @throws Error when the schema does not compile. */
export function validatorFor(schemaFile: string): ValidateFunction {
  let v = cache.get(schemaFile);
  if (!v) {
    const text = readFileSync(packagePath("schemas", schemaFile), "utf8");
    v = generatedValidator(schemaFile, text);
    if (!v) {
      const schema = JSON.parse(text) as { $id?: string };
      const a = compiler();
      v = (schema.$id && a.getSchema(schema.$id)) || a.compile(schema);
    }
    cache.set(schemaFile, v);
  }
  return v;
}

/** Formats ajv errors as `file:/json/pointer: message` lines (one per error, all of them). */
export function formatSchemaErrors(file: string, errors: ErrorObject[] | null | undefined): string[] {
  return (errors ?? []).map((e) => {
    let msg = e.message ?? "is invalid";
    if (e.keyword === "additionalProperties")
      msg = `unknown property '${(e.params as { additionalProperty: string }).additionalProperty}'`;
    if (e.keyword === "enum")
      msg = `${msg}: ${(e.params as { allowedValues: unknown[] }).allowedValues.map(String).join(", ")}`;
    return `${file}:${e.instancePath || "/"}: ${msg}`;
  });
}

/** Validates `data` against a schema; returns the problems as `file:path: message` lines (empty when valid). */
export function validate(schemaFile: string, data: unknown, file: string): string[] {
  const v = validatorFor(schemaFile);
  return v(data) ? [] : formatSchemaErrors(file, v.errors);
}
