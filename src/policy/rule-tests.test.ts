import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ConfigError } from "../errors.js";
import { BUNDLED_RULES_DIR, bundledPackIds, loadPacks } from "./load.js";
import { testPacks } from "./rule-tests.js";

const tmp = mkdtempSync(join(tmpdir(), "aiprov-rule-tests-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe("every shipped pack's cases (the runner behind aiprov rules test)", () => {
  const results = testPacks(BUNDLED_RULES_DIR);

  for (const id of bundledPackIds()) {
    const pack = loadPacks([id])[0]!;
    for (const rule of pack.rules) {
      it(`${id}/${rule.id}: has valid and invalid cases, and all pass`, () => {
        const mine = results.filter((r) => r.pack === id && (r.rule === rule.id || r.rule === "*"));
        expect(mine.filter((r) => !r.ok).flatMap((r) => [`${r.kind} ${r.name}`, ...r.problems])).toEqual([]);
        expect(mine.some((r) => r.kind === "valid")).toBe(true);
        expect(mine.some((r) => r.kind === "invalid")).toBe(true);
      });
    }
  }

  it("every shipped rule cites a source URL", () => {
    for (const pack of loadPacks(bundledPackIds()))
      for (const r of pack.rules) expect(r.source.url, `${pack.id}/${r.id}`).toMatch(/^https:\/\//);
  });
});

describe("the runner", () => {
  const dir = join(tmp, "packs");
  const write = (tests: string): void => {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    copyFileSync(join(BUNDLED_RULES_DIR, "unknown-provenance.yaml"), join(dir, "unknown-provenance.yaml"));
    writeFileSync(join(dir, "unknown-provenance.tests.yaml"), tests);
  };

  it("reports a wrong expectation, an unexpected finding and a rule without cases", () => {
    write(`pack: unknown-provenance
tests:
  publisher-country-unknown:
    valid:
      - name: wrongly called valid
        nodes: [{ id: "hub:x/y", publisher: { org: x, country: unknown } }]
    invalid:
      - name: expects the wrong node
        nodes: [{ id: "hub:x/y", publisher: { org: x, country: unknown } }]
        errors: [{ node: "hub:x/y", messageId: countryUnknown, severity: error }]
`);
    const results = testPacks(dir);
    const failed = results.filter((r) => !r.ok);
    expect(failed.map((r) => `${r.rule} ${r.kind}`).sort()).toEqual([
      "publisher-country-unknown invalid",
      "publisher-country-unknown valid",
      "undetermined-ancestor coverage",
      "undetermined-component coverage",
    ]);
    expect(failed.find((r) => r.kind === "invalid")?.problems).toEqual([
      "hub:x/y: expected severity error, got warning",
    ]);
    expect(failed.find((r) => r.kind === "valid")?.problems[0]).toMatch(
      /^expected no finding, got hub:x\/y \(countryUnknown\)/,
    );
  });

  it("rejects an invalid test file with every problem, before running anything", () => {
    write(`pack: unknown-provenance
tests:
  no-such-rule:
    valid: [{ name: a, nodes: [{ id: "local:a" }] }]
    invalid: [{ name: b, nodes: [{ id: "local:a" }], edges: [{ from: "local:a", to: "hub:missing", relation: finetune }], errors: [{ node: "local:a", messageId: m }] }]
  undetermined-component:
    valid: [{ name: c, nodes: [{ id: "local:a", colour: red }] }]
    invalid: [{ name: d, nodes: [{ id: "local:a" }] }]
`);
    let err: unknown;
    try {
      testPacks(dir);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    const problems = (err as ConfigError).problems;
    expect(
      problems.some((p) => p.endsWith("/tests/undetermined-component/valid/0/nodes/0: unknown property 'colour'")),
    ).toBe(true);
    write(`pack: unknown-provenance
tests:
  no-such-rule:
    valid: [{ name: a, nodes: [{ id: "local:a" }] }]
    invalid: [{ name: b, nodes: [{ id: "local:a" }], edges: [{ from: "local:a", to: "hub:missing", relation: finetune }], errors: [{ node: "local:a", messageId: m }] }]
  undetermined-component:
    valid: [{ name: c, nodes: [{ id: "local:a" }] }]
    invalid: [{ name: d, nodes: [{ id: "local:a" }] }]
`);
    try {
      testPacks(dir);
      expect.unreachable();
    } catch (e) {
      const p = (e as ConfigError).problems;
      expect(p.some((x) => x.endsWith("/tests/no-such-rule: pack unknown-provenance has no rule 'no-such-rule'"))).toBe(
        true,
      );
      expect(p.some((x) => x.endsWith("/tests/no-such-rule/invalid/0/edges/0/to: no node 'hub:missing'"))).toBe(true);
      expect(
        p.some((x) =>
          x.endsWith(
            "/tests/undetermined-component/invalid/0/errors: an invalid case must list at least one expected finding",
          ),
        ),
      ).toBe(true);
    }
  });
});
