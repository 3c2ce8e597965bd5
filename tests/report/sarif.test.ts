import { readFileSync } from "node:fs";
import { Ajv } from "ajv";
import AjvDraft04Module from "ajv-draft-04";
import addFormatsModule from "ajv-formats";
import { describe, expect, it } from "vitest";
import { omniResult, omniWithWaiverAndHubPin } from "../helpers/results.js";
import type { AuditResult, Finding } from "../../src/model/types.js";
import { packagePath } from "../../src/util/package-root.js";
import { SARIF_LIMITS, toSarif } from "../../src/report/sarif.js";

// Both packages are CommonJS; under NodeNext their default export arrives as the module object.
const AjvDraft04 = ((AjvDraft04Module as unknown as { default?: unknown }).default ??
  AjvDraft04Module) as unknown as typeof Ajv;
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as unknown as (
  a: Ajv,
) => Ajv;

/** The official OASIS SARIF 2.1.0 schema (schemas/sarif-schema-2.1.0.json, draft-04), compiled once. */
const validateSarif = (() => {
  const ajv = new AjvDraft04({ allErrors: true, strict: false });
  addFormats(ajv);
  return ajv.compile(JSON.parse(readFileSync(packagePath("schemas", "sarif-schema-2.1.0.json"), "utf8")) as object);
})();

type Json = Record<string, any>;

function run(log: Json): Json {
  return log.runs[0] as Json;
}

describe("SARIF 2.1.0 reporter", () => {
  it("validates against the official OASIS schema, for the omni result and for a waived, Hub-pinned variant", () => {
    for (const r of [omniResult(), omniWithWaiverAndHubPin()]) {
      const log = toSarif(r);
      expect(validateSarif(log), JSON.stringify(validateSarif.errors, null, 1)).toBe(true);
    }
  });

  it("the schema rejects a broken log (so the check above can fail)", () => {
    const log = toSarif(omniResult());
    run(log).results[0].level = "fatal";
    expect(validateSarif(log)).toBe(false);
  });

  it("writes one descriptor per rule with help text and the source it encodes", () => {
    const r = omniResult();
    const rules = run(toSarif(r)).tool.driver.rules as Json[];
    expect(rules.map((x) => x.id)).toEqual(r.policies.flatMap((p) => p.rules.map((x) => `${p.pack}/${x.id}`)));
    const weights = rules.find((x) => x.id === "kr-sovereign-from-scratch/third-party-weights")!;
    const src = r.policies[0]!.rules.find((x) => x.id === "third-party-weights")!.source;
    expect(weights.helpUri).toBe(src.url);
    expect(weights.help.text).toContain(src.title);
    expect(weights.help.markdown).toContain("**How to fix:**");
    expect(weights.defaultConfiguration.level).toBe("error");
  });

  it("puts each finding at the referencing file and line, with the lineage path in the message", () => {
    const r = omniResult();
    const results = run(toSarif(r)).results as Json[];
    expect(results).toHaveLength(r.findings.length);
    const audio = results.find((x) => x.properties.node === "local:model/config.json#/audio_config")!;
    expect(audio.ruleId).toBe("kr-sovereign-from-scratch/third-party-weights");
    expect(audio.locations[0].physicalLocation).toEqual({
      artifactLocation: { uri: "examples/omni-submission/model/config.json", uriBaseId: "%SRCROOT%" },
      region: { startLine: 37, startColumn: 5 },
    });
    expect(audio.locations[0].logicalLocations[0].fullyQualifiedName).toBe("/audio_config/_name_or_path");
    expect(audio.message.text).toContain("Lineage: model/audio_config → Qwen2-Audio encoder.");
    const vision = results.find((x) => x.properties.node === "local:encoders/vision/vision_encoder_config.yaml#")!;
    expect(vision.locations[0].physicalLocation.region.startLine).toBe(11);
    expect(vision.message.text).toContain("(undetermined");
  });

  it("gives partialFingerprints that do not move when lines move, and differ between findings", () => {
    const a = omniResult();
    const b = omniResult();
    // The same finding after a reformat that shifts every line by 3: the engine's finding id hashes no line.
    for (const f of b.findings) for (const e of f.evidence) if (e.location.line) e.location.line += 3;
    const fa = (run(toSarif(a)).results as Json[]).map((x) => x.partialFingerprints["aiprovFindingId/v1"]);
    const fb = (run(toSarif(b)).results as Json[]).map((x) => x.partialFingerprints["aiprovFindingId/v1"]);
    expect(fb).toEqual(fa);
    expect(new Set(fa).size).toBe(a.findings.length);
  });

  it("writes a waived finding as an accepted external suppression naming owner and expiry, and Hub evidence as a pinned URL", () => {
    const results = run(toSarif(omniWithWaiverAndHubPin())).results as Json[];
    const waived = results.filter((x) => x.suppressions);
    expect(waived).toHaveLength(1);
    expect(waived[0]!.suppressions[0]).toMatchObject({
      kind: "external",
      status: "accepted",
      properties: { owner: "ml-platform@example.com", expires: "2026-06-30" },
    });
    expect(waived[0]!.suppressions[0].justification).toContain("ml-platform@example.com");
    const uris = results.flatMap((x) =>
      (x.relatedLocations ?? []).map((l: Json) => l.physicalLocation?.artifactLocation?.uri),
    );
    expect(uris).toContain(
      "https://huggingface.co/Qwen/Qwen2-Audio-7B-Instruct/blob/0a095220c30b7b31434169c3086508ef3ea5bf0a/config.json",
    );
  });

  it("keeps GitHub's display limit: at most 5,000 results, errors first, and says how many it left out", () => {
    const r: AuditResult = omniResult();
    const template = r.findings[0]!;
    const many: Finding[] = [];
    for (let i = 0; i < SARIF_LIMITS.results + 100; i++) {
      many.push({ ...template, id: `n${String(i).padStart(6, "0")}`, severity: i % 2 === 0 ? "note" : "error" });
    }
    r.findings = many;
    const log = toSarif(r);
    const results = run(log).results as Json[];
    expect(results).toHaveLength(SARIF_LIMITS.results);
    // Severity is the level of a fail result and a property of a review (undetermined) one.
    expect(results.filter((x) => (x.properties as Json).severity === "error")).toHaveLength(
      (SARIF_LIMITS.results + 100) / 2,
    );
    const notes = run(log).invocations[0].toolExecutionNotifications as Json[];
    expect(
      notes.some(
        (n) => n.descriptor.id === "sarif-results-truncated" && String(n.message.text).startsWith("100 of 5100"),
      ),
    ).toBe(true);
    expect(validateSarif(log)).toBe(true);
  });
});
