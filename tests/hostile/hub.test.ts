/**
 * Hostile-input suite, the Hub (issue 11): a project whose model descends from Qwen fails `us-covered-adversary
 * --fail-on warning` with a healthy Hub; whatever the Hub does instead (every status, a request that never answers,
 * resets, malformed, wrong-typed and oversized bodies, redirects to another origin, echoing the Authorization
 * header), the run still fails (exit 1, never 0), names the repo in a diagnostic, never crashes (exit 2 with a stack),
 * and the token appears in no output and no cache file. Scans run in-process (`run`) with `--jobs 1`.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { aiprovInProcess, type CliRun } from "../helpers/cli.js";
import { startLocalHub, type LocalHub } from "../../src/local-hub/server.js";
import type { AuditResult } from "../../src/model/types.js";
import { startHostileHub, type HostileHub, type HostileMode } from "./hostile-hub.js";

const TOKEN = "hf_HostileSuiteToken0123456789abcdefXYZ";
let upstream: LocalHub;
let hub: HostileHub & { other: { url: string; authorizations: string[] } };
let base: string;
let project: string;
/** A product that loads a Hub model as is, whose Qwen ancestry only the Hub's card says (the model's own record). */
let direct: string;

/** Every file under `dir`, with its text (for token searches). */
function filesUnder(dir: string): { path: string; text: string }[] {
  const out: { path: string; text: string }[] = [];
  const walk = (d: string): void => {
    let names: string[];
    try {
      names = readdirSync(d);
    } catch {
      return;
    }
    for (const n of names) {
      const p = join(d, n);
      out.push({ path: p, text: "" });
      if (statSync(p).isDirectory()) walk(p);
      else out[out.length - 1]!.text = readFileSync(p, "latin1");
    }
  };
  walk(dir);
  return out;
}

/** `aiprov <args>` in this process, from the project folder. */
function scan(args: string[], env: Record<string, string>, cwd = project): Promise<CliRun> {
  return aiprovInProcess(args, { cwd, env });
}

beforeAll(async () => {
  base = mkdtempSync(join(tmpdir(), "aiprov-hostile-hub-"));
  // The Hub's repos, written at test time: a fine-tune of Qwen published by an org the knowledge base does not know.
  const repo = (id: string, card: string): void => {
    mkdirSync(join(base, "hub", id), { recursive: true });
    writeFileSync(join(base, "hub", id, "README.md"), card);
  };
  repo(
    "acme/qwen-ft",
    "---\nlicense: apache-2.0\nbase_model: Qwen/Qwen2.5-7B-Instruct\nbase_model_relation: finetune\n---\n# A fine-tune\n",
  );
  repo("Qwen/Qwen2.5-7B-Instruct", "---\nlicense: apache-2.0\n---\n# Qwen2.5\n");
  project = join(base, "project");
  mkdirSync(join(project, "model"), { recursive: true });
  writeFileSync(
    join(project, "model", "config.json"),
    JSON.stringify({ _name_or_path: "acme/qwen-ft", architectures: ["LlamaForCausalLM"] }),
  );
  // NVIDIA's OpenReasoning-Nemotron-7B card declares Qwen2.5-7B-Instruct as its base model (huggingface.co model card).
  repo(
    "nvidia/OpenReasoning-Nemotron-7B",
    "---\nlicense: cc-by-4.0\nbase_model: Qwen/Qwen2.5-7B-Instruct\n---\n# OpenReasoning-Nemotron-7B\n",
  );
  direct = join(base, "direct");
  mkdirSync(direct, { recursive: true });
  writeFileSync(
    join(direct, "app.py"),
    'from transformers import AutoModelForCausalLM\n\nmodel = AutoModelForCausalLM.from_pretrained("nvidia/OpenReasoning-Nemotron-7B")\n',
  );
  upstream = await startLocalHub({ fixtures: join(base, "hub") });
  hub = await startHostileHub(upstream.url);
});
afterAll(async () => {
  await hub?.close();
  await upstream?.close();
});

const MODES: HostileMode[] = [
  400,
  401,
  403,
  404,
  405,
  408,
  410,
  418,
  429,
  451,
  500,
  501,
  502,
  503,
  504,
  301,
  302,
  304,
  "hang",
  "reset",
  "reset-mid-body",
  "malformed-json",
  "wrong-typed-json",
  "html",
  "empty",
  "oversized",
  "oversized-no-length",
  "redirect-other-origin",
  "redirect-loop",
  "header-echo",
  "slow-drip",
];

describe("a hostile Hub never turns a failing audit into a pass", () => {
  it("fails with a healthy Hub (the baseline every hostile answer is compared with)", async () => {
    hub.mode = "ok";
    const cache = join(base, "cache-ok");
    const r = await scan(
      [
        "scan",
        ".",
        "--policy",
        "us-covered-adversary",
        "--fail-on",
        "warning",
        "--hub-url",
        hub.url,
        "--format",
        "json",
        "--jobs",
        "1",
      ],
      { HF_TOKEN: TOKEN, AIPROV_CACHE_DIR: cache, HF_HOME: join(base, "hf") },
    );
    expect(r.stderr).toBe("");
    expect(r.code).toBe(1);
    const result = JSON.parse(r.stdout) as AuditResult;
    expect(result.findings.some((f) => f.rule === "covered-ancestor" && f.verdict === "fail")).toBe(true);
  });

  for (const mode of MODES) {
    it(
      `Hub answers ${String(mode)}: exit 1, a diagnostic names the repo, the token stays private`,
      { timeout: 20_000 },
      async () => {
        hub.mode = mode;
        hub.authorizations.length = 0;
        const cache = join(base, `cache-${String(mode)}`);
        const r = await scan(
          [
            "scan",
            ".",
            "--policy",
            "us-covered-adversary",
            "--fail-on",
            "warning",
            "--hub-url",
            hub.url,
            "--timeout",
            "1",
            "--format",
            "json",
            "--jobs",
            "1",
          ],
          { HF_TOKEN: TOKEN, AIPROV_CACHE_DIR: cache, HF_HOME: join(base, "hf-empty") },
        );
        expect(r.stderr).not.toContain("internal error");
        expect(
          r.code,
          `${r.stderr}\n${JSON.stringify(r.code === 2 ? {} : { nodes: (JSON.parse(r.stdout) as AuditResult).lineage.nodes, findings: (JSON.parse(r.stdout) as AuditResult).findings.map((f) => [f.rule, f.severity, f.verdict]), diags: (JSON.parse(r.stdout) as AuditResult).diagnostics })}`,
        ).toBe(1);
        const result = JSON.parse(r.stdout) as AuditResult;
        expect(result.findings.some((f) => !f.waived && (f.severity === "error" || f.severity === "warning"))).toBe(
          true,
        );
        // A redirect to another origin is followed without the token (the Hub sends file downloads to its CDN); the
        // other origin's answer is lineage like any other. Every other mode is a failure named in a diagnostic.
        if (mode !== "redirect-other-origin") {
          expect(result.diagnostics.some((d) => d.message.includes("acme/qwen-ft"))).toBe(true);
          // The pack raises its undetermined finding on the ancestor that could not be had, and the summary counts it.
          const undetermined = result.findings.filter(
            (f) =>
              f.rule === "ancestor-lookup-failed" &&
              f.verdict === "undetermined" &&
              f.path.includes("hub:acme/qwen-ft"),
          );
          expect(undetermined).toHaveLength(1);
          expect(result.summary.findings.warning).toBeGreaterThanOrEqual(1);
        }
        // A 64 MB body ends at the size cap (named as such), not at the timeout.
        if (mode === "oversized" || mode === "oversized-no-length")
          expect(
            result.diagnostics.some(
              (d) => d.message.includes("acme/qwen-ft") && d.message.includes("oversized answer"),
            ),
          ).toBe(true);
        expect(r.stdout + r.stderr).not.toContain(TOKEN);
        for (const f of filesUnder(cache)) {
          expect(f.path).not.toContain(TOKEN);
          expect(f.text).not.toContain(TOKEN);
        }
        expect(hub.other.authorizations.filter((a) => a.includes(TOKEN))).toEqual([]);
      },
    );
  }

  it(
    "--offline and an unreachable Hub give the same findings, each undetermined with its reason, neither a pass",
    { timeout: 20_000 },
    async () => {
      hub.mode = "hang";
      const common = [
        "scan",
        ".",
        "--policy",
        "us-covered-adversary",
        "--policy",
        "licence-duties",
        "--fail-on",
        "warning",
        "--format",
        "json",
        "--jobs",
        "1",
      ];
      const env = { AIPROV_CACHE_DIR: join(base, "cache-compare"), HF_HOME: join(base, "hf-empty") };
      const unreachable = await scan([...common, "--hub-url", hub.url, "--timeout", "1"], env);
      const offline = await scan([...common, "--offline"], env);
      const ids = (stdout: string): string[] =>
        (JSON.parse(stdout) as AuditResult).findings
          .map((f) => `${f.pack}/${f.rule} ${f.node} ${f.verdict} ${f.message.id}`)
          .sort();
      expect(ids(unreachable.stdout)).toEqual(ids(offline.stdout));
      expect(ids(offline.stdout)).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/^us-covered-adversary\/ancestor-lookup-failed .* undetermined ancestorNotLookedUp$/),
          expect.stringMatching(/^licence-duties\/ancestor-lookup-failed .* undetermined ancestorNotLookedUp$/),
        ]),
      );
      expect([unreachable.code, offline.code]).toEqual([1, 1]);
    },
  );
});

describe("a Hub failure on the product's own Hub model is never a pass", () => {
  const args = (extra: string[]): string[] => [
    "scan",
    ".",
    "--policy",
    "us-covered-adversary",
    "--fail-on",
    "warning",
    "--format",
    "json",
    "--jobs",
    "1",
    ...extra,
  ];
  const env = (name: string): Record<string, string> => ({
    HF_TOKEN: TOKEN,
    AIPROV_CACHE_DIR: join(base, `cache-direct-${name}`),
    HF_HOME: join(base, "hf-empty"),
  });

  it("fails with a healthy Hub: the loaded model descends from Qwen", async () => {
    hub.mode = "ok";
    const r = await scan(args(["--hub-url", hub.url]), env("ok"), direct);
    expect(r.code, r.stderr).toBe(1);
    const result = JSON.parse(r.stdout) as AuditResult;
    expect(
      result.findings.some((f) => f.rule === "covered-ancestor" && f.node === "hub:nvidia/OpenReasoning-Nemotron-7B"),
    ).toBe(true);
  });

  const cases: { mode: HostileMode | "offline"; reason: RegExp }[] = [
    { mode: 500, reason: /hub-error, HTTP 500/ },
    { mode: 404, reason: /not-found, HTTP 404/ },
    { mode: 429, reason: /rate-limited, HTTP 429/ },
    { mode: "malformed-json", reason: /hub-error/ },
    { mode: "hang", reason: /the Hub could not be reached/ },
    { mode: "offline", reason: /\(offline\)/ },
  ];
  for (const { mode, reason } of cases) {
    it(
      `Hub ${String(mode)}: one undetermined finding on the loaded model naming it and why, exit 1`,
      { timeout: 20_000 },
      async () => {
        if (mode !== "offline") hub.mode = mode;
        const extra = mode === "offline" ? ["--offline"] : ["--hub-url", hub.url, "--timeout", "1"];
        const r = await scan(args(extra), env(String(mode)), direct);
        expect(r.stderr).not.toContain("internal error");
        expect(r.code, r.stdout).toBe(1);
        const result = JSON.parse(r.stdout) as AuditResult;
        const own = result.findings.filter((f) => f.rule === "ancestor-lookup-failed");
        expect(own.map((f) => [f.node, f.verdict, f.severity])).toEqual([
          ["hub:nvidia/OpenReasoning-Nemotron-7B", "undetermined", "warning"],
        ]);
        expect(own[0]!.message.text).toContain("nvidia/OpenReasoning-Nemotron-7B");
        expect(own[0]!.message.text).toMatch(reason);
        expect(own[0]!.location?.file).toBe("app.py");
        expect(result.summary.findings.warning).toBeGreaterThanOrEqual(1);
        if (mode !== "offline")
          expect(result.diagnostics.some((d) => d.message.includes("nvidia/OpenReasoning-Nemotron-7B"))).toBe(true);
        expect(r.stdout + r.stderr).not.toContain(TOKEN);
      },
    );
  }

  it("SARIF and text say which repo and why", { timeout: 20_000 }, async () => {
    hub.mode = 500;
    const base_ = args(["--hub-url", hub.url, "--timeout", "1"]).filter(
      (a, i, all) => a !== "json" && all[i] !== "--format",
    );
    const text = await scan([...base_, "--format", "text"], env("text"), direct);
    expect(text.code).toBe(1);
    expect(text.stdout).toMatch(
      /nvidia\/OpenReasoning-Nemotron-7B could not be looked up on the Hub \(hub-error, HTTP 500\)/,
    );
    const sarif = await scan([...base_, "--format", "sarif"], env("sarif"), direct);
    expect(sarif.code).toBe(1);
    const log = JSON.parse(sarif.stdout) as { runs: { results: { ruleId: string; message: { text: string } }[] }[] };
    const hit = log.runs[0]!.results.find((x) => x.ruleId.endsWith("ancestor-lookup-failed"));
    expect(hit?.message.text).toMatch(
      /nvidia\/OpenReasoning-Nemotron-7B could not be looked up on the Hub \(hub-error, HTTP 500\)/,
    );
  });
});
