/**
 * Findings a reviewer can act on (issue 16), end to end through the CLI on small fixtures of our own
 * (tests/fixtures/findings-app, see its README) and on examples/app-product:
 * every finding located (JSON evidence, SARIF locations), offline and unreachable-Hub runs alike; unresolved
 * references grouped per expression, function and file, their findings folded per rule and expression; datasets
 * kept apart from models; roles from role keys; values that cannot name a model dropped; a text report that opens
 * with the bill of materials and cuts lists with "+N more" unless --verbose.
 */
import { createServer } from "node:net";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { AuditResult } from "../../src/model/types.js";
import { validate } from "../../src/util/schema.js";
import { aiprov, REPO_ROOT } from "../helpers/cli.js";

const FIXTURE = join(REPO_ROOT, "tests", "fixtures", "findings-app");
const APP = join(REPO_ROOT, "examples", "app-product");
const PACKS = [
  "kr-sovereign-from-scratch",
  "unknown-provenance",
  "us-covered-adversary",
  "supply-chain-hygiene",
  "licence-duties",
  "eu-ai-act-gpai",
].flatMap((p) => ["--policy", p]);
const cache = mkdtempSync(join(tmpdir(), "aiprov-findings-cache-"));
afterAll(() => rmSync(cache, { recursive: true, force: true }));

const scan = (dir: string, extra: string[], format = "json"): { stdout: string; code: number | null } => {
  // Runs without --offline may reach the (unreachable) Hub named with --hub-url.
  const online = extra.includes("--offline") ? "1" : "0";
  const r = aiprov(["scan", dir, ...PACKS, "--fail-on", "never", "--format", format, ...extra], {
    env: { SOURCE_DATE_EPOCH: "1764374400", AIPROV_CACHE_DIR: cache, HF_HUB_OFFLINE: online },
  });
  expect(r.code).toBe(0);
  return r;
};
const json = (dir: string, extra: string[]): AuditResult => {
  const result = JSON.parse(scan(dir, extra).stdout) as AuditResult;
  expect(validate("report.schema.json", result, "report")).toEqual([]);
  return result;
};

/** A loopback port nothing listens on: the Hub is unreachable. */
async function closedPort(): Promise<number> {
  return new Promise((res) => {
    const s = createServer();
    s.listen(0, "127.0.0.1", () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => res(p));
    });
  });
}

describe("every finding is located, offline and with an unreachable Hub alike", () => {
  it("examples/app-product: every JSON finding and SARIF result has a place; both runs give the same findings", async () => {
    const unreachable = ["--hub-url", `http://127.0.0.1:${await closedPort()}`, "--timeout", "3"];
    for (const extra of [["--offline"], unreachable]) {
      const result = json(APP, extra);
      expect(result.findings.length).toBeGreaterThan(5);
      expect(result.findings.filter((f) => !f.location || f.evidence.length === 0)).toEqual([]);
      const sarif = JSON.parse(scan(APP, extra, "sarif").stdout) as {
        runs: {
          results: {
            kind: string;
            level: string;
            locations: { physicalLocation?: { artifactLocation?: { uri?: string } } }[];
          }[];
          tool: { driver: { rules: { properties: Record<string, unknown> }[] } };
        }[];
      };
      const results = sarif.runs[0]!.results;
      expect(results.length).toBe(result.findings.length);
      expect(results.filter((r) => !r.locations[0]?.physicalLocation?.artifactLocation?.uri)).toEqual([]);
      // Undetermined results are review items; rules carry GitHub's severity properties.
      for (const r of results)
        expect(r.kind === "review" ? r.level : "fail").toBe(r.kind === "review" ? "none" : r.kind);
      for (const rule of sarif.runs[0]!.tool.driver.rules)
        expect(Object.keys(rule.properties)).toEqual(
          expect.arrayContaining(["security-severity", "problem.severity", "precision"]),
        );
    }
    const ids = (extra: string[]): string[] =>
      json(APP, extra)
        .findings.map((f) => `${f.pack}/${f.rule} ${f.node} ${f.verdict}`)
        .sort();
    expect(ids(unreachable)).toEqual(ids(["--offline"]));
    const hub = json(APP, unreachable).lineage.nodes.find((n) => n.id === "hub:BAAI/bge-m3");
    expect(hub?.statusReason).toEqual({ code: "lineage-not-looked-up", args: { why: "unreachable" } });
  });

  it("a Hub model's finding carries every place that names it", () => {
    const result = json(FIXTURE, ["--offline"]);
    const siglip = result.findings.find(
      (f) => f.rule === "third-party-model-used" && f.node === "known:siglip-so400m-patch14-384",
    )!;
    expect(siglip.location).toMatchObject({ file: "train/train.py", line: 8 });
    expect(siglip.evidence.filter((e) => e.code === "referenced-at").map((e) => e.location.line)).toEqual([8, 12]);
  });
});

describe("noise: grouping, folding, non-models, datasets, roles", () => {
  const result = json(FIXTURE, ["--offline"]);

  it("groups an unresolved expression per function and file, and folds its findings per rule with a count", () => {
    const groups = result.lineage.nodes
      .filter((n) => n.statusReason?.code === "unresolved-reference")
      .map((n) => n.locations!.map((l) => `${l.file}:${l.line}`));
    expect(groups.sort()).toEqual([
      ["serve/serve.py:12"],
      ["train/train.py:21"],
      ["train/train.py:25", "train/train.py:26"],
    ]);
    const folded = result.findings.filter(
      (f) => f.pack === "unknown-provenance" && f.rule === "undetermined-component",
    );
    expect(folded).toHaveLength(1);
    expect(folded[0]).toMatchObject({ count: 3, message: { args: { count: 3 } } });
    expect(folded[0]!.nodes).toHaveLength(3);
    expect(new Set(folded[0]!.evidence.map((e) => `${e.location.file}:${e.location.line}`))).toEqual(
      new Set(["serve/serve.py:12", "train/train.py:21", "train/train.py:25", "train/train.py:26"]),
    );
  });

  it("keeps values that cannot name a model out of the lineage", () => {
    const notModels = result.references
      .filter((r) => r.skipReason === "not-a-model")
      .map((r) => [r.location.line, r.facts?.notAModel]);
    expect(notModels).toEqual([
      [9, "empty-value"],
      [10, "object-construction"],
      [11, "option-word"],
    ]);
    expect(result.lineage.nodes.some((n) => ["", "auto", "DataProto()"].includes(n.name))).toBe(false);
  });

  it("reports datasets as datasets, never as models", () => {
    expect(result.datasets?.map((d) => [d.name, d.loaders.join(), d.locations[0]!.line])).toEqual([
      ["liuhaotian/LLaVA-Instruct-150K", "load_dataset", 16],
      ["lmms-lab/MMBench", "snapshot_download", 17],
    ]);
    const named = [...result.references.map((r) => r.target ?? r.raw), ...result.lineage.nodes.map((n) => n.name)];
    expect(named.filter((x) => /LLaVA-Instruct|MMBench/.test(x))).toEqual([]);
    const bom = JSON.parse(scan(FIXTURE, ["--offline"], "cyclonedx").stdout) as {
      components: { type: string; name: string }[];
    };
    expect(bom.components.filter((c) => c.type === "data").map((c) => c.name)).toEqual([
      "liuhaotian/LLaVA-Instruct-150K",
      "lmms-lab/MMBench",
    ]);
    expect(
      bom.components.filter((c) => c.type === "machine-learning-model" && /LLaVA-Instruct|MMBench/.test(c.name)),
    ).toEqual([]);
  });

  it("gives a model named under a role key its role", () => {
    // The Hub id names a released vision tower the knowledge base knows: its node is that known component, with its role.
    expect(result.lineage.nodes.find((n) => n.id === "known:siglip-so400m-patch14-384")?.role).toBe("vision-encoder");
    const whisper = result.lineage.nodes.filter((n) => n.inProduct && n.role === "audio-encoder");
    expect(whisper.map((n) => n.name)).toEqual(["Whisper large-v3 encoder"]);
  });
});

describe("the text report reads like an audit", () => {
  it("opens with the bill of materials, groups findings by rule, cuts lists unless --verbose", () => {
    const text = scan(FIXTURE, ["--offline"], "text").stdout;
    const lines = text.split("\n");
    expect(lines[2]).toMatch(/^Components: \d+ \(\d+ used by the product, \d+ upstream\)$/);
    expect(lines[4]).toMatch(/^Bill of materials \(0 in the tree, 3 loaded from elsewhere, 1 unresolved expression\)/);
    expect(text).toMatch(
      /^ {2}vision-encoder +SigLIP so400m\/14 @384 vision tower +Google LLC +US +third-party origin found · train\/train.py:8:\d+ \(\+1 more\)$/m,
    );
    expect(text).toMatch(/^ {4}"model_path" ×4 dynamic-value/m);
    expect(text).toMatch(/^Datasets \(2; read by the project, not models\)$/m);
    expect(text).toMatch(/unknown-provenance\/undetermined-component +1 \(3 places\) undetermined/);
    expect(text).toMatch(
      /the origin of model_path \(model\) is undetermined \(unresolved-reference\) ×3 \(undetermined\)/,
    );
    const verbose = scan(FIXTURE, ["--offline", "--verbose"], "text").stdout;
    expect(verbose).toContain("Lineage");
    expect(verbose.split("\n").length).toBeGreaterThan(lines.length);
    expect(verbose).not.toMatch(/\(\+\d+ more\)/);
  });
});
