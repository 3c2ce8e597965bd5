/**
 * Models named only by test or benchmark code are not the product (issue 16): they are listed with `scope: "test"`
 * and raise no finding unless `--include-test-code`; a model named by product code and by tests stays product.
 * Fixture: tests/fixtures/test-scope-app (see its README).
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { AuditResult } from "../../src/model/types.js";
import { validate } from "../../src/util/schema.js";
import { isTestCodePath } from "../../src/lineage/scope.js";
import { aiprov, REPO_ROOT } from "../helpers/cli.js";

const FIXTURE = join(REPO_ROOT, "tests", "fixtures", "test-scope-app");
const PACKS = ["kr-sovereign-from-scratch", "supply-chain-hygiene"].flatMap((p) => ["--policy", p]);

function scan(extra: string[] = [], format = "json"): string {
  const r = aiprov(["scan", FIXTURE, "--offline", ...PACKS, "--fail-on", "never", "--format", format, ...extra], {
    env: { SOURCE_DATE_EPOCH: "1764374400" },
  });
  expect(r.code).toBe(0);
  return r.stdout;
}

const TEST_ONLY = [
  "hub:google-bert/bert-base-uncased",
  "hub:meta-llama/Llama-3.1-8B-Instruct",
  "hub:openai-community/gpt2",
  "hub:Systran/faster-whisper-large-v3",
];

describe("test and benchmark code is a scope of its own", () => {
  it("lists test-only models with scope test and no finding; the model product code loads stays product", () => {
    const result = JSON.parse(scan()) as AuditResult;
    expect(validate("report.schema.json", result, "report")).toEqual([]);
    const byId = new Map(result.lineage.nodes.map((n) => [n.id, n]));
    for (const id of TEST_ONLY) expect(byId.get(id)?.scope, id).toBe("test");
    // Qwen is loaded by app/serve.py and by tests/test_serve.py: product.
    const qwen = byId.get("hub:Qwen/Qwen2.5-7B-Instruct");
    expect(qwen?.scope).toBeUndefined();
    expect(qwen?.locations?.map((l) => l.file)).toEqual(
      expect.arrayContaining(["app/serve.py", "tests/test_serve.py"]),
    );
    const judged = new Set(result.findings.flatMap((f) => [f.node, ...(f.nodes ?? [])]));
    expect(judged.has("hub:Qwen/Qwen2.5-7B-Instruct")).toBe(true);
    for (const id of TEST_ONLY) expect(judged.has(id), id).toBe(false);
  });

  it("--include-test-code judges them like the product", () => {
    const result = JSON.parse(scan(["--include-test-code"])) as AuditResult;
    const judged = new Set(result.findings.flatMap((f) => [f.node, ...(f.nodes ?? [])]));
    for (const id of TEST_ONLY) expect(judged.has(id), id).toBe(true);
  });

  it("the text report marks them and CycloneDX excludes them from the product", () => {
    const text = scan([], "text");
    expect(text).toMatch(/openai-community\/gpt2 .*\(test code only: not judged\)/);
    expect(text).not.toMatch(/Qwen\/Qwen2\.5-7B-Instruct .*test code only/);
    const bom = JSON.parse(scan([], "cyclonedx")) as { components: { "bom-ref": string; scope?: string }[] };
    const scopeOf = new Map(bom.components.map((c) => [c["bom-ref"], c.scope]));
    for (const id of TEST_ONLY) expect(scopeOf.get(id), id).toBe("excluded");
    expect(scopeOf.get("hub:Qwen/Qwen2.5-7B-Instruct")).not.toBe("excluded");
  });

  it("knows the usual test and benchmark paths, and not product paths that only look alike", () => {
    for (const p of [
      "tests/test_utils.py",
      "src/__tests__/api.test.ts",
      "pkg/conftest.py",
      "playground/test_embedding/test_search.py",
      "fastchat/serve/test_throughput.py",
      "model/loader_test.py",
      "benchmark/utils.py",
      "web/app.spec.tsx",
      "server/__tests__/fixtures/api.json",
    ])
      expect(isTestCodePath(p), p).toBe(true);
    for (const p of ["app/serve.py", "src/testing_utils.py", "contest/run.py", "latest/model.py", "attest.py"])
      expect(isTestCodePath(p), p).toBe(false);
  });
});
