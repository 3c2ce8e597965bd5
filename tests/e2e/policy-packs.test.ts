/**
 * End-to-end acceptance of the policy packs, waivers, baselines and the rules / init commands, spawning the built CLI.
 * Every run uses a fixed clock (SOURCE_DATE_EPOCH from tests/helpers/cli.ts, or --now).
 */
import { cpSync, existsSync, mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { aiprov, aiprovAsync, REPO_ROOT } from "../helpers/cli.js";
import { startLocalHub } from "../../src/local-hub/server.js";
import { validate } from "../../src/util/schema.js";
import type { AuditResult, Finding } from "../../src/model/types.js";

const OMNI = join(REPO_ROOT, "examples", "omni-submission");
const LLAMA = join(REPO_ROOT, "examples", "llama-finetune");
const tmp = mkdtempSync(join(tmpdir(), "aiprov-policy-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const json = (stdout: string): AuditResult => JSON.parse(stdout) as AuditResult;

/** A waiver for each finding, matched by rule and the finding's node id. */
/** One waiver per finding and node: a folded finding stands for several nodes, and a waiver covers only what it names. */
function waiversFor(findings: Finding[], expires: string): Record<string, unknown>[] {
  return findings
    .flatMap((f) => (f.nodes ?? [f.node]).map((node) => ({ f, node })))
    .map(({ f, node }) => ({
      rule: `${f.pack}/${f.rule}`,
      component: node,
      reason: "risk-accepted",
      comment: "accepted for the pilot",
      owner: "compliance@example.com",
      expires,
    }));
}

describe("shipped packs on the examples", () => {
  it("the omni example fails kr-sovereign-from-scratch and us-covered-adversary", () => {
    const r = aiprov([
      "scan",
      OMNI,
      "--policy",
      "kr-sovereign-from-scratch",
      "--policy",
      "us-covered-adversary",
      "--format",
      "json",
    ]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(1);
    const result = json(r.stdout);
    expect(validate("report.schema.json", result, "report")).toEqual([]);
    const errors = (pack: string): string[] =>
      result.findings.filter((f) => f.pack === pack && f.severity === "error").map((f) => f.rule);
    expect(errors("kr-sovereign-from-scratch")).toEqual(
      expect.arrayContaining(["third-party-weights", "disclosure-inconsistent"]),
    );
    const covered = result.findings.filter((f) => f.rule === "covered-component");
    expect(covered.map((f) => f.node).sort()).toEqual([
      "local:encoders/audio/qwen2-audio-encoder-from-qwen2-audio-7b-instruct/config.json#",
      "local:model/config.json#/audio_config",
    ]);
    for (const f of covered) expect(f.message.args).toMatchObject({ country: "CN", target: "Qwen2-Audio encoder" });
    // The vision encoders' configuration alone is undetermined, a warning under this pack.
    const arch = result.findings.filter((f) => f.rule === "covered-architecture-match");
    expect(arch).toHaveLength(2);
    for (const f of arch) expect(f).toMatchObject({ severity: "warning", verdict: "undetermined" });
  });

  it("the disclosure rule points at the card's from-scratch claim", () => {
    const r = aiprov(["scan", OMNI, "--policy", "kr-sovereign-from-scratch", "--format", "json"]);
    const f = json(r.stdout).findings.find((x) => x.rule === "disclosure-inconsistent");
    expect(f?.location).toMatchObject({ file: "README.md" });
    expect(f?.evidence.some((e) => e.code === "card-claims-from-scratch")).toBe(true);
  });

  it("the Llama 3.1 fine-tune published under another name fails licence-duties on naming, attribution and NOTICE", () => {
    const r = aiprov(["scan", LLAMA, "--policy", "licence-duties", "--format", "json"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(1);
    const result = json(r.stdout);
    expect(validate("report.schema.json", result, "report")).toEqual([]);
    // Offline, Llama 3.1 Instruct's own lineage is not looked up: the duties it inherits from further up are
    // undetermined (missing data is never a pass), beside the three duties the fine-tune breaks.
    expect(result.findings.map((f) => `${f.rule} ${f.node} ${f.verdict}`).sort()).toEqual([
      "ancestor-lookup-failed local:acme-assist-8b/config.json# undetermined",
      "llama-built-with local:acme-assist-8b/config.json# fail",
      "llama-name-prefix local:acme-assist-8b/config.json# fail",
      "llama-notice local:acme-assist-8b/config.json# fail",
    ]);
    expect(result.findings.find((f) => f.rule === "ancestor-lookup-failed")?.message.id).toBe("ancestorNotLookedUp");
  });

  it("the Llama example passes once renamed, attributed and given a NOTICE, with its lineage looked up", async () => {
    const dir = join(tmp, "llama-fixed");
    cpSync(LLAMA, dir, { recursive: true });
    cpSync(join(dir, "acme-assist-8b"), join(dir, "Llama-3.1-Acme-Assist-8B"), { recursive: true });
    rmSync(join(dir, "acme-assist-8b"), { recursive: true });
    writeFileSync(
      join(dir, "NOTICE"),
      "Llama 3.1 is licensed under the Llama 3.1 Community License, Copyright © Meta Platforms, Inc. All Rights Reserved.\n",
    );
    writeFileSync(join(dir, "README.md"), "# Acme\n\nBuilt with Llama.\n");
    // Offline, only the undetermined ancestry is left: a warning, below the default --fail-on error.
    const offline = aiprov(["scan", dir, "--policy", "licence-duties", "--format", "json"]);
    expect(json(offline.stdout).findings.map((f) => `${f.rule} ${f.verdict} ${f.severity}`)).toEqual([
      "ancestor-lookup-failed undetermined warning",
    ]);
    expect(offline.code).toBe(0);
    expect(aiprov(["scan", dir, "--policy", "licence-duties", "--fail-on", "warning", "--format", "json"]).code).toBe(
      1,
    );
    // With the lineage looked up on a (local) Hub that knows Llama 3.1 Instruct descends from Llama 3.1, it passes.
    const hubRepos = join(tmp, "llama-hub");
    for (const [id, card] of [
      [
        "meta-llama/Llama-3.1-8B-Instruct",
        "---\nlicense: llama3.1\nbase_model: meta-llama/Llama-3.1-8B\nbase_model_relation: finetune\n---\n# Llama 3.1 8B Instruct\n",
      ],
      ["meta-llama/Llama-3.1-8B", "---\nlicense: llama3.1\n---\n# Llama 3.1 8B\n"],
    ] as const) {
      mkdirSync(join(hubRepos, id), { recursive: true });
      writeFileSync(join(hubRepos, id, "README.md"), card);
    }
    const hub = await startLocalHub({ fixtures: hubRepos });
    try {
      const env = { HF_HUB_OFFLINE: "0", AIPROV_CACHE_DIR: join(tmp, "llama-cache"), HF_HOME: join(tmp, "llama-hf") };
      const online = await aiprovAsync(
        ["scan", dir, "--policy", "licence-duties", "--fail-on", "warning", "--hub-url", hub.url, "--format", "json"],
        { env },
      );
      expect(json(online.stdout).findings).toEqual([]);
      expect(online.code).toBe(0);
    } finally {
      await hub.close();
    }
  });
});

describe("waivers", () => {
  const packs = ["--policy", "kr-sovereign-from-scratch", "--policy", "us-covered-adversary"];
  const all = json(aiprov(["scan", OMNI, ...packs, "--format", "json"]).stdout).findings;
  // A folded finding stands for several nodes, each waived by name: the waivers file has one entry per node.
  const waiverCount = all.reduce((n, f) => n + (f.nodes?.length ?? 1), 0);

  it("waivers covering every finding with a future expiry turn the exit code to 0 and show the findings as waived", () => {
    const file = join(tmp, "future.yaml");
    writeFileSync(file, stringify({ waivers: waiversFor(all, "2026-12-31") }));
    const r = aiprov(["scan", OMNI, ...packs, "--waivers", file, "--now", "2026-06-01", "--format", "json"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const result = json(r.stdout);
    expect(validate("report.schema.json", result, "report")).toEqual([]);
    expect(result.findings).toHaveLength(all.length);
    for (const f of result.findings)
      expect(f.waived).toMatchObject({
        reason: "risk-accepted",
        owner: "compliance@example.com",
        expires: "2026-12-31",
      });
    expect(result.summary.waived).toBe(all.length);
    expect(result.diagnostics.filter((d) => d.code.startsWith("waiver-"))).toEqual([]);
    const text = aiprov(["scan", OMNI, ...packs, "--waivers", file, "--now", "2026-06-01"]);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain("[waived: risk-accepted, compliance@example.com, until 2026-12-31]");
    expect(text.stdout).toContain("Verdict: PASS");
  });

  it("the same waivers past their expiry stop applying and are reported as expired", () => {
    const file = join(tmp, "past.yaml");
    writeFileSync(file, stringify({ waivers: waiversFor(all, "2026-03-31") }));
    const r = aiprov(["scan", OMNI, ...packs, "--waivers", file, "--now", "2026-06-01", "--format", "json"]);
    expect(r.code).toBe(1);
    const result = json(r.stdout);
    expect(result.findings.filter((f) => f.waived)).toEqual([]);
    const expired = result.diagnostics.filter((d) => d.code === "waiver-expired");
    expect(expired).toHaveLength(waiverCount);
    expect(expired[0]?.location).toMatchObject({ file, pointer: "/waivers/0" });
  });

  it("waivers in the config file apply too, and one that matches nothing is reported as stale", () => {
    const dir = join(tmp, "cfg");
    mkdirSync(dir, { recursive: true });
    const waivers = [
      ...waiversFor(all, "2026-12-31"),
      {
        rule: "covered-component",
        component: "hub:nobody/nothing",
        reason: "false-positive",
        comment: "old",
        owner: "me",
      },
    ];
    writeFileSync(
      join(dir, ".aiprovrc.yaml"),
      stringify({ policy: ["kr-sovereign-from-scratch", "us-covered-adversary"], waivers }),
    );
    const r = aiprov(["scan", OMNI, "--format", "json", "--now", "2026-06-01"], { cwd: dir });
    expect(r.code).toBe(0);
    const stale = json(r.stdout).diagnostics.filter((d) => d.code === "waiver-stale");
    expect(stale).toHaveLength(1);
    expect(stale[0]?.location?.pointer).toBe(`/waivers/${waiverCount}`);
  });

  it("a waiver with a malformed date exits 2 before scanning, naming the file and path", () => {
    const file = join(tmp, "bad-date.yaml");
    writeFileSync(
      file,
      stringify({
        waivers: [
          {
            rule: "covered-component",
            component: "*",
            reason: "risk-accepted",
            comment: "c",
            owner: "o",
            expires: "2026-13-45",
          },
          { rule: "x", component: "*", reason: "because", comment: "c", owner: "o" },
        ],
      }),
    );
    const r = aiprov(["scan", OMNI, ...packs, "--waivers", file]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain(`${file}:/waivers/0/expires: must match format "date"`);
    expect(r.stderr).toContain(`${file}:/waivers/1/reason:`);
  });
});

describe("parameters", () => {
  it("an unknown parameter and a wrong type are both listed, exit 2, before scanning", () => {
    const dir = join(tmp, "params");
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      join(dir, "aiprov.config.json"),
      JSON.stringify({ parameters: { "us-covered-adversary": { coveredCountry: ["CN"], ancestorSeverity: "fatal" } } }),
    );
    const r = aiprov(["scan", OMNI, "--policy", "us-covered-adversary"], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(
      /aiprov\.config\.json:\/parameters\/us-covered-adversary\/coveredCountry: unknown parameter/,
    );
    expect(r.stderr).toMatch(
      /aiprov\.config\.json:\/parameters\/us-covered-adversary\/ancestorSeverity: must be one of error, warning, note/,
    );
  });

  it("a parameter override changes the verdict (covered countries without CN)", () => {
    const dir = join(tmp, "params-ok");
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      join(dir, "aiprov.config.json"),
      JSON.stringify({ parameters: { "us-covered-adversary": { coveredCountries: ["RU", "IR", "KP"] } } }),
    );
    const r = aiprov(["scan", OMNI, "--policy", "us-covered-adversary", "--format", "json"], { cwd: dir });
    expect(r.code).toBe(0);
    expect(json(r.stdout).findings.filter((f) => f.rule === "covered-component")).toEqual([]);
  });
});

describe("baselines", () => {
  const project = join(tmp, "omni-copy");
  cpSync(OMNI, project, { recursive: true });
  const base = join(tmp, "baseline.json");

  it("an unchanged project exits 0 against its own baseline; adding one disallowed reference exits 1 and reports only it", () => {
    const first = aiprov(["scan", project, "--policy", "us-covered-adversary", "--format", "json", "--output", base]);
    expect(first.code).toBe(1);
    const again = aiprov(["scan", project, "--policy", "us-covered-adversary", "--baseline", base, "--format", "json"]);
    expect(again.code).toBe(0);
    const result = json(again.stdout);
    expect(result.settings.baseline).toBe(base);
    expect(result.findings.every((f) => f.baseline === "existing")).toBe(true);

    // Moving lines does not make a finding new: prepend blank lines to the audio config.
    const audio = join(project, "model", "config.json");
    writeFileSync(audio, `\n\n\n${readFileSync(audio, "utf8")}`);
    expect(aiprov(["scan", project, "--policy", "us-covered-adversary", "--baseline", base]).code).toBe(0);

    mkdirSync(join(project, "extra"), { recursive: true });
    writeFileSync(
      join(project, "extra", "config.json"),
      JSON.stringify(
        {
          _name_or_path: "deepseek-ai/DeepSeek-V3",
          model_type: "deepseek_v3",
          architectures: ["DeepseekV3ForCausalLM"],
        },
        null,
        2,
      ),
    );
    const after = aiprov(["scan", project, "--policy", "us-covered-adversary", "--baseline", base, "--format", "json"]);
    expect(after.code).toBe(1);
    const fresh = json(after.stdout).findings.filter((f) => f.baseline === "new");
    expect(fresh.map((f) => `${f.rule} ${f.node}`)).toEqual(["covered-component local:extra/config.json#"]);
    const text = aiprov(["scan", project, "--policy", "us-covered-adversary", "--baseline", base]);
    expect(text.stdout).toContain("DeepSeek");
    expect(text.stdout).not.toContain("Qwen2-Audio encoder (Alibaba");
    expect(text.stdout).toMatch(/in the baseline, not shown/);
  });

  it("a baseline that is not an aiprov report exits 2", () => {
    const bad = join(tmp, "not-a-report.json");
    writeFileSync(bad, "{}");
    const r = aiprov(["scan", OMNI, "--policy", "us-covered-adversary", "--baseline", bad]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("not an aiprov JSON report");
  });
});

describe("rules and init commands", () => {
  it("rules list names every bundled pack", () => {
    const r = aiprov(["rules", "list"]);
    expect(r.code).toBe(0);
    for (const p of [
      "kr-sovereign-from-scratch",
      "us-covered-adversary",
      "licence-duties",
      "eu-ai-act-gpai",
      "unknown-provenance",
      "supply-chain-hygiene",
    ])
      expect(r.stdout).toContain(p);
  });

  it("rules show gives a rule's source, rationale and fix", () => {
    const r = aiprov(["rules", "show", "licence-duties/llama-name-prefix"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("https://github.com/meta-llama/llama-models/blob/main/models/llama3_1/LICENSE");
    expect(r.stdout).toContain("Rationale:");
    expect(r.stdout).toContain("How to fix:");
    expect(aiprov(["rules", "show", "no-such-rule"]).code).toBe(2);
  });

  it("rules test runs a user's pack: exit 0 when its cases pass, 1 when one fails", () => {
    const dir = join(tmp, "user-packs");
    mkdirSync(dir, { recursive: true });
    cpSync(join(REPO_ROOT, "rules", "unknown-provenance.yaml"), join(dir, "unknown-provenance.yaml"));
    cpSync(join(REPO_ROOT, "rules", "unknown-provenance.tests.yaml"), join(dir, "unknown-provenance.tests.yaml"));
    const ok = aiprov(["rules", "test", dir]);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/\d+ passed, 0 failed/);
    const tests = readFileSync(join(dir, "unknown-provenance.tests.yaml"), "utf8").replace(
      "messageId: countryUnknown",
      "messageId: wrongMessage",
    );
    writeFileSync(join(dir, "unknown-provenance.tests.yaml"), tests);
    const bad = aiprov(["rules", "test", dir]);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain("FAIL unknown-provenance/publisher-country-unknown invalid");
  });

  it("init writes a schema-valid commented config and refuses to overwrite it", () => {
    const dir = join(tmp, "init");
    mkdirSync(dir, { recursive: true });
    const r = aiprov(["init", "--organization", "acme", "--policy", "us-covered-adversary"], { cwd: dir });
    expect(r.code).toBe(0);
    const text = readFileSync(join(dir, ".aiprovrc.yaml"), "utf8");
    expect(text).toContain("waivers: []");
    expect(text).toContain("#     ancestorSeverity:");
    const scan = aiprov(["scan", OMNI], { cwd: dir });
    expect(scan.code).toBe(1);
    expect(scan.stdout).toContain("Policies: us-covered-adversary");
    const again = aiprov(["init"], { cwd: dir });
    expect(again.code).toBe(2);
    expect(again.stderr).toContain("already exists");
    expect(existsSync(join(dir, ".aiprovrc.yaml"))).toBe(true);
  });
});
