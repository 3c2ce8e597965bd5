/**
 * The AI-BOMs and the JUnit report of one offline scan of the whole shared corpus (every case folder at once, with
 * every bundled rule pack), written by the CLI in one run, checked the way their consumers check them
 * (tests/helpers/bom-checks.ts): SPDX 3.0.1 against the JSON schema, the AI profile's mandatory properties, the
 * SHACL shapes, every licence expression through spdx-expression-parse; CycloneDX 1.6 with the library's strict
 * validator, one component per identity, every component reachable from the product, no tool error text; JUnit
 * against the Jenkins XSD. The examples get the same checks in `npm test` (tests/report/bom-conformance.test.ts).
 */
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { AuditResult } from "../../src/model/types.js";
import { bundledPackIds } from "../../src/policy/load.js";
import {
  allComponents,
  cyclonedxProblems,
  junitProblems,
  spdxLicenceExpressions,
  spdxProblems,
} from "../helpers/bom-checks.js";
import { aiprovAsync, CORPUS } from "../helpers/cli.js";

type Json = Record<string, any>;

let spdx: Json;
let cyclonedx: Json;
let junit: string;
let result: AuditResult;

beforeAll(async () => {
  const tmp = mkdtempSync(join(tmpdir(), "aiprov-corpus-bom-"));
  const out = (f: string): string => join(tmp, f);
  const packs = bundledPackIds().flatMap((p) => ["--policy", p]);
  const r = await aiprovAsync(
    [
      "scan",
      CORPUS,
      "--offline",
      ...packs,
      "--quiet",
      "--json-output",
      out("r.json"),
      "--spdx-output",
      out("spdx.json"),
      "--cyclonedx-output",
      out("cdx.json"),
      "--junit-output",
      out("junit.xml"),
    ],
    { env: { AIPROV_CACHE_DIR: out("cache"), HF_HOME: out("hf") } },
  );
  expect(r.stderr).toBe("");
  expect([0, 1]).toContain(r.code);
  result = JSON.parse(readFileSync(out("r.json"), "utf8")) as AuditResult;
  spdx = JSON.parse(readFileSync(out("spdx.json"), "utf8")) as Json;
  cyclonedx = JSON.parse(readFileSync(out("cdx.json"), "utf8")) as Json;
  junit = readFileSync(out("junit.xml"), "utf8");
}, 120_000);

describe("aiprov scan <corpus> --offline with every bundled pack: SPDX, CycloneDX and JUnit outputs", () => {
  it("scans the corpus with every bundled pack (so the checks below see its models)", () => {
    expect(result.policies.map((p) => p.pack).sort()).toEqual([...bundledPackIds()].sort());
    expect(result.lineage.nodes.length).toBeGreaterThan(100);
  });

  it("SPDX: schema, AI profile, licence expressions and SHACL shapes report no problem", async () => {
    expect(await spdxProblems(spdx)).toEqual([]);
    // Offline no release time is known: model packages (software_Package, purpose model), not AI packages.
    expect((spdx["@graph"] as Json[]).filter((x) => x.software_primaryPurpose === "model").length).toBeGreaterThan(100);
    expect(spdxLicenceExpressions(spdx).length).toBeGreaterThan(5);
  }, 120_000);

  it("CycloneDX: strict validator, identities, reachability and error text report no problem", async () => {
    expect(await cyclonedxProblems(cyclonedx)).toEqual([]);
    expect(allComponents(cyclonedx).length).toBeGreaterThan(100);
  });

  it("JUnit: valid against the Jenkins XSD", async () => {
    expect(await junitProblems(junit)).toEqual([]);
    expect(junit).toMatch(/<testcase /);
  });
});
