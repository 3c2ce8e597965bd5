import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { packagePath } from "../util/package-root.js";
import { CARD_RELATIONS, cardRelation, RELATIONS, WEIGHT_RELATIONS } from "./relations.js";

describe("relations", () => {
  it("every schema's relation enum is the one list", () => {
    for (const file of ["report.schema.json", "rule-pack.schema.json", "rule-tests.schema.json"]) {
      const schema: unknown = JSON.parse(readFileSync(packagePath("schemas", file), "utf8"));
      const found = JSON.stringify(schema).match(/"relation":\{"enum":\[[^\]]*\]/g) ?? [];
      expect(found.length, file).toBeGreaterThan(0);
      for (const f of found) expect(JSON.parse(f.slice('"relation":{"enum":'.length)), file).toEqual([...RELATIONS]);
    }
  });

  it("weight relations exclude the structural ones; card relations are the Hub's four", () => {
    expect(RELATIONS.filter((r) => !WEIGHT_RELATIONS.has(r))).toEqual([
      "component-of",
      "same-architecture",
      "tokenizer-of",
    ]);
    expect([...CARD_RELATIONS].sort()).toEqual(["adapter", "finetune", "merge", "quantized"]);
    expect(cardRelation("quantized")).toBe("quantized");
    expect(cardRelation("distillation")).toBeUndefined();
    expect(cardRelation(3)).toBeUndefined();
  });
});
