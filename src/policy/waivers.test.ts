import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ConfigError } from "../errors.js";
import type { Finding, LineageNode, PolicyRun } from "../model/types.js";
import { readFileSync } from "node:fs";
import { packagePath } from "../util/package-root.js";
import { applyWaivers, isExpired, loadWaiversFile, waiverMatches, type LoadedWaiver } from "./waivers.js";

const tmp = mkdtempSync(join(tmpdir(), "aiprov-waivers-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const node: LineageNode = {
  id: "local:encoders/audio/config.json#",
  kind: "local",
  role: "audio-encoder",
  name: "qwen2-audio-encoder",
  status: "third-party",
  inProduct: true,
  location: { file: "encoders/audio/config.json" },
};
const finding: Finding = {
  id: "f1",
  pack: "us-covered-adversary",
  rule: "covered-component",
  severity: "error",
  verdict: "fail",
  node: node.id,
  message: { id: "m", text: "t", args: {} },
  path: [node.id, "known:qwen2-audio-encoder"],
  evidence: [{ code: "path-segment", strength: "declared", location: { file: "encoders/audio/config.json" } }],
  location: { file: "encoders/audio/config.json", line: 8 },
};
const runs: PolicyRun[] = [
  {
    pack: "us-covered-adversary",
    version: "1",
    parameters: {},
    rules: [{ id: "covered-component", title: "t", severity: "error", source: { title: "s" }, description: "d" }],
  },
];
const w = (extra: Partial<LoadedWaiver>): LoadedWaiver => ({
  rule: "covered-component",
  component: "encoders/audio/*",
  reason: "government-waiver",
  comment: "DoD waiver",
  owner: "o",
  source: { file: "w.yaml", pointer: "/waivers/0" },
  ...extra,
});

describe("waivers", () => {
  it("match by rule (bare or pack/rule) and by component id, name, repo or file glob, and optionally path", () => {
    expect(waiverMatches(w({}), finding, node)).toBe(true);
    expect(
      waiverMatches(w({ rule: "us-covered-adversary/covered-component", component: "qwen2-audio-*" }), finding, node),
    ).toBe(true);
    expect(waiverMatches(w({ component: node.id }), finding, node)).toBe(true);
    expect(waiverMatches(w({ rule: "kr-sovereign-from-scratch/covered-component" }), finding, node)).toBe(false);
    expect(waiverMatches(w({ component: "encoders/vision/*" }), finding, node)).toBe(false);
    expect(waiverMatches(w({ path: "encoders/audio/*.json" }), finding, node)).toBe(true);
    expect(waiverMatches(w({ path: "model/*" }), finding, node)).toBe(false);
  });

  it("apply through the whole of their last day (UTC) and expire after it", () => {
    expect(isExpired(w({ expires: "2026-06-01" }), new Date("2026-06-01T23:59:00Z"))).toBe(false);
    expect(isExpired(w({ expires: "2026-06-01" }), new Date("2026-06-02T00:00:00Z"))).toBe(true);
    expect(isExpired(w({}), new Date("2100-01-01"))).toBe(false);
  });

  it("mark covered findings, report expired and stale waivers, and ignore waivers of packs not applied", () => {
    const waivers = [
      w({ expires: "2026-12-31" }),
      w({ component: "gone/*", source: { file: "w.yaml", pointer: "/waivers/1" } }),
      w({ rule: "other-pack/x", source: { file: "w.yaml", pointer: "/waivers/2" } }),
    ];
    const now = new Date("2026-06-01");
    const r = applyWaivers([finding], waivers, [node], runs, now);
    expect(r.findings[0]!.waived).toEqual({
      reason: "government-waiver",
      comment: "DoD waiver",
      owner: "o",
      expires: "2026-12-31",
    });
    expect(r.diagnostics.map((d) => `${d.code} ${d.location?.pointer}`)).toEqual(["waiver-stale /waivers/1"]);
    const later = applyWaivers([finding], waivers, [node], runs, new Date("2027-01-01"));
    expect(later.findings[0]!.waived).toBeUndefined();
    expect(later.diagnostics.map((d) => d.code).sort()).toEqual(["waiver-expired", "waiver-stale"]);
  });

  it("load from a YAML file, and reject malformed ones with every problem", () => {
    const good = join(tmp, "good.yaml");
    writeFileSync(
      good,
      "waivers:\n  - rule: covered-component\n    component: '*'\n    reason: risk-accepted\n    comment: pilot\n    owner: me\n    expires: 2026-12-31\n",
    );
    expect(loadWaiversFile(good)[0]).toMatchObject({
      component: "*",
      expires: "2026-12-31",
      source: { file: good, pointer: "/waivers/0" },
    });
    const bad = join(tmp, "bad.yaml");
    writeFileSync(
      bad,
      "waivers:\n  - rule: covered-component\n    component: '*'\n    reason: because\n    owner: me\n    expires: 31/12/2026\n",
    );
    try {
      loadWaiversFile(bad);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      expect((e as ConfigError).problems.sort()).toEqual([
        `${bad}:/waivers/0/expires: must match format "date"`,
        `${bad}:/waivers/0/reason: must be equal to one of the allowed values: risk-accepted, false-positive, not-applicable, licence-obtained, government-waiver, mitigated, under-review`,
        `${bad}:/waivers/0: must have required property 'comment'`,
      ]);
    }
  });

  it("the config schema and the waivers schema define the same waiver", () => {
    const a = JSON.parse(readFileSync(packagePath("schemas", "config.schema.json"), "utf8")) as {
      definitions: { waiver: unknown };
    };
    const b = JSON.parse(readFileSync(packagePath("schemas", "waivers.schema.json"), "utf8")) as {
      definitions: { waiver: unknown };
    };
    expect(b.definitions.waiver).toEqual(a.definitions.waiver);
  });
});
