import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { Ajv } from "ajv";
import addFormatsModule from "ajv-formats";
import { describe, expect, it } from "vitest";
import { packagePath } from "./package-root.js";
import { formatSchemaErrors, validate, validatorFor } from "./schema.js";

const require = createRequire(import.meta.url);
const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

// Invalid documents for the schemas aiprov validates at run time: each must give the same problems from the validator
// generated at build time as from one compiled now with the same options.
const INVALID: Record<string, unknown[]> = {
  "knowledge-component.schema.json": [{ id: "x", role: "nope", extra: 1 }, { id: 3 }, []],
  "knowledge-publishers.schema.json": [
    { publishers: [{ id: "a", orgs: "b" }] },
    { publishers: [{ id: "a", entity: "A", country: "XX", orgs: [], source: { title: "t", url: "not a url" } }] },
  ],
  "config.schema.json": [{ failOn: "sometimes", jobs: -1, unknown: true }, { policy: 7 }],
  "rule-pack.schema.json": [{ id: "Bad Id", rules: [{}] }],
  "waivers.schema.json": [{ waivers: [{ rule: "r", expires: "not-a-date" }] }],
};

describe("schema validators", () => {
  it("are generated at build time for every run-time schema, with the schema they were generated from", () => {
    for (const file of Object.keys(INVALID)) {
      const generated = require(packagePath("dist", "generated", "validators", file.replace(/\.json$/, ".cjs"))) as {
        schemaSource: string;
      };
      expect(generated.schemaSource).toBe(readFileSync(packagePath("schemas", file), "utf8"));
      expect(validatorFor(file), file).toBe(generated);
    }
  });

  it("report the same problems as a validator compiled at run time", () => {
    const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true });
    addFormats(ajv);
    for (const [file, docs] of Object.entries(INVALID)) {
      const compiled = ajv.compile(JSON.parse(readFileSync(packagePath("schemas", file), "utf8")) as object);
      for (const doc of docs) {
        compiled(doc);
        const expected = formatSchemaErrors("f.yaml", compiled.errors);
        expect(expected.length, `${file} ${JSON.stringify(doc)}`).toBeGreaterThan(0);
        expect(validate(file, doc, "f.yaml")).toEqual(expected);
      }
    }
  });
});
