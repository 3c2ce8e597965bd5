/**
 * Waivers through the whole pipeline: a waivers file accepts the vision encoder's signature-match finding in the omni
 * example, and every report shows it as waived with its owner, reason and expiry (SARIF as an accepted suppression,
 * JUnit as skipped, HTML in the waivers table, Markdown inline, CycloneDX and SPDX in the finding text).
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { AuditResult } from "../../src/model/types.js";
import { aiprov } from "../helpers/cli.js";

type Json = Record<string, any>;

describe("waivers in every report", () => {
  it("marks the waived finding in SARIF, JUnit, HTML, Markdown, CycloneDX and SPDX", () => {
    const dir = mkdtempSync(join(tmpdir(), "aiprov-waive-"));
    writeFileSync(
      join(dir, "waivers.yaml"),
      [
        "waivers:",
        "  - rule: kr-sovereign-from-scratch/checkpoint-signature-match",
        "    component: encoders/vision/*",
        "    reason: under-review",
        "    comment: ViT re-initialisation log requested from the vendor",
        "    owner: ml-platform@example.com",
        "    expires: 2026-06-30",
        "",
      ].join("\n"),
    );
    const out = (f: string): string => join(dir, f);
    const r = aiprov([
      "scan",
      "examples/omni-submission",
      "--policy",
      "kr-sovereign-from-scratch",
      "--waivers",
      out("waivers.yaml"),
      "--now",
      "2026-01-15",
      "--json-output",
      out("r.json"),
      "--sarif-output",
      out("r.sarif"),
      "--junit-output",
      out("r.xml"),
      "--html-output",
      out("r.html"),
      "--markdown-output",
      out("r.md"),
      "--cyclonedx-output",
      out("r.cdx.json"),
      "--spdx-output",
      out("r.spdx.json"),
    ]);
    expect(r.stderr).toBe("");
    const result = JSON.parse(readFileSync(out("r.json"), "utf8")) as AuditResult;
    const waived = result.findings.filter((f) => f.waived);
    expect(waived.length).toBeGreaterThan(0);
    for (const f of waived)
      expect(f.waived).toMatchObject({
        owner: "ml-platform@example.com",
        expires: "2026-06-30",
        reason: "under-review",
      });

    const sarif = JSON.parse(readFileSync(out("r.sarif"), "utf8")) as Json;
    const suppressed = (sarif.runs[0].results as Json[]).filter((x) => x.suppressions);
    expect(suppressed.map((x) => x.partialFingerprints["aiprovFindingId/v1"]).sort()).toEqual(
      waived.map((f) => f.id).sort(),
    );
    for (const x of suppressed)
      expect(x.suppressions[0]).toMatchObject({
        kind: "external",
        status: "accepted",
        properties: { owner: "ml-platform@example.com", expires: "2026-06-30" },
      });

    const junit = readFileSync(out("r.xml"), "utf8");
    expect(junit.match(/<skipped message="waived by ml-platform@example.com until 2026-06-30/g)).toHaveLength(
      waived.length,
    );

    const html = readFileSync(out("r.html"), "utf8");
    const table = html.slice(
      html.indexOf('<section id="waivers">'),
      html.indexOf("</section>", html.indexOf('<section id="waivers">')),
    );
    expect(table).toContain(`Waivers (${waived.length})`);
    expect(table).toContain("ml-platform@example.com");
    expect(table).toContain("2026-06-30");
    expect(table).toContain("ViT re-initialisation log requested from the vendor");

    expect(readFileSync(out("r.md"), "utf8")).toContain(
      "_Waived by ml-platform@example.com until 2026-06-30: under-review:",
    );
    expect(readFileSync(out("r.cdx.json"), "utf8")).toContain("waived by ml-platform@example.com until 2026-06-30");
    expect(readFileSync(out("r.spdx.json"), "utf8")).toContain("waived by ml-platform@example.com until 2026-06-30");
  });
});
