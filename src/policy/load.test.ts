import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ConfigError } from "../errors.js";
import { bundledPackIds, loadPacks, parameterProblems } from "./load.js";

const tmp = mkdtempSync(join(tmpdir(), "aiprov-load-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe("loading packs", () => {
  it("ships the six packs, and test files are not packs", () => {
    expect(bundledPackIds()).toEqual([
      "eu-ai-act-gpai",
      "kr-sovereign-from-scratch",
      "licence-duties",
      "supply-chain-hygiene",
      "unknown-provenance",
      "us-covered-adversary",
    ]);
    expect(loadPacks(bundledPackIds())).toHaveLength(6);
  });

  it("checks config parameters against the applied packs: unknown names and wrong types, all listed", () => {
    const packs = loadPacks(["us-covered-adversary", "licence-duties"]);
    const problems = parameterProblems(
      packs,
      {
        "us-covered-adversary": { coveredCountries: "CN", ancestorSeverity: "fatal", typo: 1 },
        "licence-duties": { commercial: "yes" },
        "eu-ai-act-gpai": { x: 1 },
        "licence-dutys": { commercial: false },
      },
      ".aiprovrc.yaml",
    );
    expect(problems).toEqual([
      ".aiprovrc.yaml:/parameters/licence-dutys: no such rule pack (bundled packs: eu-ai-act-gpai, kr-sovereign-from-scratch, licence-duties, supply-chain-hygiene, unknown-provenance, us-covered-adversary)",
      ".aiprovrc.yaml:/parameters/us-covered-adversary/coveredCountries: must be a list of strings (type string-list)",
      ".aiprovrc.yaml:/parameters/us-covered-adversary/ancestorSeverity: must be one of error, warning, note (type severity)",
      ".aiprovrc.yaml:/parameters/us-covered-adversary/typo: unknown parameter of pack us-covered-adversary (parameters: coveredCountries, namedEntities, ancestorSeverity)",
      ".aiprovrc.yaml:/parameters/licence-duties/commercial: must be true or false (type boolean)",
    ]);
  });

  it("rejects unknown predicates, undeclared parameters and misused parameter types, all at once", () => {
    const file = join(tmp, "my-pack.yaml");
    writeFileSync(
      file,
      `id: my-pack
version: "1"
title: t
description: d
undetermined: warn
parameters:
  flag: { type: boolean, description: d, default: true }
  level: { type: string-list, description: d, default: [a] }
rules:
  - { id: a, title: t, severity: $level, verdict: fail, description: d, source: { title: s }, messages: { m: x }, when: { eval: "1+1" } }
  - { id: b, title: t, severity: error, verdict: fail, description: d, source: { title: s }, messages: { m: x }, when: { all: [{ parameter: $level }, { country: $flag }, { name: $missing }] } }
`,
    );
    try {
      loadPacks([file]);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      expect((e as ConfigError).problems).toContain(`${file}:/rules/0/when: unknown property 'eval'`);
    }
    writeFileSync(file, readFileReplace(file, `when: { eval: "1+1" }`, `when: { kind: local }`));
    try {
      loadPacks([file]);
      expect.unreachable();
    } catch (e) {
      expect((e as ConfigError).problems).toEqual([
        `${file}:/rules/0/severity: parameter '$level' must be declared with type severity, not string-list`,
        `${file}:/rules/1/when: parameter '$level' is used as a boolean but declared string-list`,
        `${file}:/rules/1/when: parameter '$flag' is used as a list but declared boolean`,
        `${file}:/rules/1/when: unknown parameter '$missing'`,
      ]);
    }
  });
});

import { readFileSync } from "node:fs";
function readFileReplace(file: string, a: string, b: string): string {
  return readFileSync(file, "utf8").replace(a, b);
}
