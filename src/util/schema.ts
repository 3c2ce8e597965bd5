/**
 * JSON Schema validation (ajv, draft-07, all errors) of everything aiprov reads from YAML or JSON that it did not
 * write itself: knowledge files, rule packs, config files; and of the reports it writes (in tests).
 */
import { readFileSync } from "node:fs";
import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import addFormatsModule from "ajv-formats";
import { packagePath } from "./package-root.js";

// ajv-formats is CommonJS; its default export arrives as the module object under NodeNext resolution.
const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true });
addFormats(ajv);
const cache = new Map<string, ValidateFunction>();

/** Compiled validator for a schema file in `schemas/` (cached). @throws Error when the schema does not compile. */
export function validatorFor(schemaFile: string): ValidateFunction {
  let v = cache.get(schemaFile);
  if (!v) {
    const schema = JSON.parse(readFileSync(packagePath("schemas", schemaFile), "utf8")) as { $id?: string };
    v = (schema.$id && ajv.getSchema(schema.$id)) || ajv.compile(schema);
    cache.set(schemaFile, v);
  }
  return v;
}

/** Formats ajv errors as `file:/json/pointer: message` lines (one per error, all of them). */
export function formatSchemaErrors(file: string, errors: ErrorObject[] | null | undefined): string[] {
  return (errors ?? []).map((e) => {
    let msg = e.message ?? "is invalid";
    if (e.keyword === "additionalProperties") msg = `unknown property '${(e.params as { additionalProperty: string }).additionalProperty}'`;
    if (e.keyword === "enum") msg = `${msg}: ${(e.params as { allowedValues: unknown[] }).allowedValues.map(String).join(", ")}`;
    return `${file}:${e.instancePath || "/"}: ${msg}`;
  });
}

/** Validates `data` against a schema; returns the problems as `file:path: message` lines (empty when valid). */
export function validate(schemaFile: string, data: unknown, file: string): string[] {
  const v = validatorFor(schemaFile);
  return v(data) ? [] : formatSchemaErrors(file, v.errors);
}
