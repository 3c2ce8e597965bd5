/**
 * `scan` settles a configuration match with the weights (src/fingerprint/settle.ts), against the local Hub on
 * 127.0.0.1 serving a generated upstream checkpoint of tens of MB (src/fingerprint/generate.ts, written at test time):
 * a fine-tuned copy of its vision tower fails kr-sovereign-from-scratch with weight-similar evidence, an independently
 * initialised tower of the same shape passes with "not derived" evidence from under 1% of the upstream component, a
 * copy under another tensor prefix is still derived, a layout that does not line up is reported as such, offline or
 * with the Hub unreachable the component stays undetermined with the `aiprov compare` command, and a second scan
 * reads no weights from the Hub.
 */
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLocalHub, type LocalHub } from "../../src/local-hub/server.js";
import {
  generateModel,
  generatedConfig,
  perturb,
  reprefix,
  writeModelFolder,
  type GenerateOptions,
} from "../../src/fingerprint/generate.js";
import type { AuditResult, WeightComparison } from "../../src/model/types.js";
import { validate } from "../../src/util/schema.js";
import { aiprovAsync } from "../helpers/cli.js";

let root: string;
let hub: LocalHub;
// A vision tower of about 38 MB in F32 (4 blocks of width 384 and the merger), beside a small text model.
const SHAPE: GenerateOptions = { seed: 41, visionHidden: 384, visionDepth: 4, textHidden: 64 };
const p = (...x: string[]): string => join(root, ...x);

/** A knowledge directory whose component signature is the generated tower's configuration, released as acme/upstream-vl. */
async function writeKnowledge(dir: string, id = "acme-vit", repo = "acme/upstream-vl"): Promise<void> {
  const v = generatedConfig(SHAPE).vision_config as Record<string, unknown>;
  await mkdir(join(dir, "components"), { recursive: true });
  await writeFile(
    join(dir, "components", `${id}.yaml`),
    [
      `id: ${id}`,
      "name: Acme ViT",
      "role: vision-encoder",
      "publisher: acme",
      "match:",
      "  modelTypes: [qwen2_5_vl]",
      "identity:",
      ...["depth", "hidden_size", "num_heads", "patch_size", "temporal_patch_size", "in_chans", "hidden_act"].map(
        (k) => `  ${k}: ${JSON.stringify(v[k])}`,
      ),
      "checkpoints:",
      `  - repos: [${repo}]`,
      `    identity: { intermediate_size: ${JSON.stringify(v.intermediate_size)} }`,
      "    source: { title: generated test checkpoint served by the local Hub }",
      "sources:",
      "  - title: generated test checkpoint (src/fingerprint/generate.ts)",
      "",
    ].join("\n"),
  );
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "aiprov-e2e-settle-"));
  const up = generateModel(SHAPE);
  await writeModelFolder(p("hub", "acme", "upstream-vl"), up, "F32", generatedConfig(SHAPE));
  const text = generateModel({ seed: 42, visionPrefix: null, textHidden: 64 });
  const ownText = reprefix(text, "model.", "model.");
  const tower = (ts: ReturnType<typeof generateModel>) => reprefix(ts, "visual.", "visual.");
  // A fine-tune of the upstream tower: its weights plus noise of half their spread (expected Pearson 0.89).
  await writeModelFolder(
    p("finetuned", "model"),
    [...tower(perturb(up, 0.5, 7)), ...ownText, ...text.filter((t) => t.name === "lm_head.weight")],
    "BF16",
    generatedConfig(SHAPE),
  );
  // The same architecture, initialised independently.
  const scratch = generateModel({ ...SHAPE, seed: 99 });
  await writeModelFolder(p("scratch", "model"), scratch, "BF16", generatedConfig(SHAPE));
  // The fine-tuned tower saved under the LLaVA-style prefix.
  await writeModelFolder(
    p("reprefixed", "model"),
    [...reprefix(perturb(up, 0.5, 8), "visual.", "vision_tower."), ...ownText],
    "F32",
    generatedConfig(SHAPE),
  );
  // Tensor names that do not line up with the upstream's (HF-style block names): a layout mismatch, not "unrelated".
  await writeModelFolder(
    p("renamed", "model"),
    [
      ...scratch
        .filter((t) => t.name.startsWith("visual."))
        .map((t) => ({ ...t, name: t.name.replace("blocks.", "encoder.layer.").replace("attn.qkv", "attention.qkv") })),
      ...ownText,
    ],
    "F32",
    generatedConfig(SHAPE),
  );
  // A model that declares the upstream (`_name_or_path`) and carries a fine-tune of its text model too.
  await writeModelFolder(p("declared", "model"), perturb(up, 0.5, 9), "BF16", {
    ...generatedConfig(SHAPE),
    _name_or_path: "acme/upstream-vl",
  });
  // A gated release of the same configuration (its weights are never served without a granted token).
  await writeModelFolder(
    p("hub", "acme", "gated-vl"),
    generateModel({ seed: 5, visionHidden: 16, textHidden: 16 }),
    "F32",
    generatedConfig(SHAPE),
  );
  await writeFile(p("hub", "acme", "gated-vl", "info.json"), JSON.stringify({ gated: "auto" }));
  await writeKnowledge(p("kb"));
  await writeKnowledge(p("kb-gated"), "acme-gated-vit", "acme/gated-vl");
  hub = await startLocalHub({ fixtures: p("hub") });
}, 120_000);

afterAll(async () => {
  await hub?.close();
  await rm(root, { recursive: true, force: true });
});

const weightRequests = (): number =>
  hub.requests.filter((r) => r.path.includes("/resolve/") && r.path.endsWith(".safetensors")).length;

async function scan(
  project: string,
  extra: string[] = [],
  env: Record<string, string> = {},
  kb = p("kb"),
): Promise<{ code: number; result: AuditResult; text: string }> {
  const json = p(`${project}-${Math.random().toString(36).slice(2)}.json`);
  const r = await aiprovAsync(
    [
      "scan",
      p(project),
      "--knowledge",
      kb,
      "--policy",
      "kr-sovereign-from-scratch",
      "--hub-url",
      hub.url,
      "--json-output",
      json,
      ...extra,
    ],
    { env: { HF_HUB_OFFLINE: "0", AIPROV_CACHE_DIR: p("cache", project), ...env } },
  );
  expect(r.stderr).toBe("");
  const { readFile } = await import("node:fs/promises");
  const result = JSON.parse(await readFile(json, "utf8")) as AuditResult;
  expect(validate("report.schema.json", result, "report")).toEqual([]);
  return { code: r.code, result, text: r.stdout };
}

const vision = (r: AuditResult): WeightComparison[] =>
  (r.weightComparisons ?? []).filter((w) => w.component === "model/config.json#/vision_config");

describe("scan settles a configuration match with the weights", () => {
  it("fails a fine-tuned copy of the upstream tower with weight-similar evidence (statistic, control, bytes read)", async () => {
    hub.reset();
    const { code, result, text } = await scan("finetuned");
    expect(code).toBe(1);
    const [w] = vision(result);
    expect(w).toMatchObject({
      outcome: "derived",
      reason: "sketch-correlated",
      phase: "sketch",
      upstream: { repo: "acme/upstream-vl", knownComponent: "acme-vit", via: "structural" },
    });
    expect(w!.statistic!.value).toBeGreaterThan(0.8);
    expect(Math.abs(w!.statistic!.control)).toBeLessThan(0.1);
    expect(w!.bytesRead.remote).toBeGreaterThan(0);
    const f = result.findings.find(
      (x) => x.rule === "third-party-weights" && x.node === "local:model/config.json#/vision_config",
    );
    const ev = f?.evidence.find((e) => e.code === "weight-comparison");
    expect(ev).toMatchObject({
      strength: "weight-similar",
      args: { outcome: "derived", upstream: "acme/upstream-vl", bytesRead: w!.bytesRead.remote },
    });
    expect(ev!.args!.pearson).toBe(w!.statistic!.value);
    expect(typeof ev!.args!.controlPearson).toBe("number");
    expect(result.findings.some((x) => x.rule === "checkpoint-signature-match")).toBe(false);
    expect(text).toMatch(/Weight comparisons \(1\)\n.*vs acme\/upstream-vl@[0-9a-f]{12}: DERIVED \(weight-similar\)/);
    expect(text).toMatch(/pooled Pearson 0\.\d{4}, control -?0\.\d{4}/);
    expect(text).toMatch(/bytes read: \d+ from the Hub \(\d+\.\d\d% of the \d+-byte upstream component\), \d+ locally/);
  });

  it("passes a tower of the same shape initialised independently, with 'not derived' evidence, reading at most 1% of the upstream component", async () => {
    hub.reset();
    const { code, result, text } = await scan("scratch");
    const [w] = vision(result);
    expect(w).toMatchObject({ outcome: "not-derived", reason: "sketch-at-control-level", phase: "sketch" });
    expect(Math.abs(w!.statistic!.value)).toBeLessThan(0.1);
    expect(w!.upstreamBytes).toBeGreaterThan(30_000_000);
    expect(w!.bytesRead.remote / w!.upstreamBytes!).toBeLessThanOrEqual(0.01);
    // Every weight request was a range request.
    expect(
      hub.requests.filter((r) => r.path.endsWith(".safetensors") && r.method === "GET").every((r) => r.status === 206),
    ).toBe(true);
    expect(
      result.findings.filter((f) => f.rule === "checkpoint-signature-match" || f.rule === "third-party-weights"),
    ).toEqual([]);
    const node = result.lineage.nodes.find((n) => n.id === "local:model/config.json#/vision_config")!;
    expect(node.status).toBe("no-third-party-lineage");
    const edge = result.lineage.edges.find((e) => e.from === node.id && e.relation === "same-architecture")!;
    expect(edge.evidence.find((e) => e.code === "weight-comparison")).toMatchObject({
      args: { outcome: "not-derived", upstream: "acme/upstream-vl" },
    });
    expect(code).toBe(0);
    expect(text).toMatch(/NOT DERIVED/);
    expect(text).toMatch(/Verdict: PASS/);
  });

  it("judges a copy under another tensor prefix (vision_tower. for visual.) derived", async () => {
    const { code, result } = await scan("reprefixed");
    const [w] = vision(result);
    expect(w).toMatchObject({
      outcome: "derived",
      layout: { localPrefixes: ["vision_tower."], upstreamPrefixes: ["visual."] },
    });
    expect(code).toBe(1);
    expect(
      result.findings.some(
        (f) => f.rule === "third-party-weights" && f.evidence.some((e) => e.strength === "weight-similar"),
      ),
    ).toBe(true);
  });

  it("reports tensor names that do not line up as a layout mismatch, undetermined, never 'not derived'", async () => {
    const { code, result, text } = await scan("renamed");
    const [w] = vision(result);
    expect(w).toMatchObject({ outcome: "undetermined", reason: "layout-mismatch" });
    expect(code).toBe(1);
    expect(result.findings.some((f) => f.rule === "checkpoint-signature-match")).toBe(true);
    expect(text).toMatch(
      /layout: \d+ large matrices paired by name; local \d+ tensors under "visual\.", upstream \d+ under "visual\."/,
    );
  });

  it("makes no weight request on a second scan: the result is cached per local weights, repo and commit", async () => {
    hub.reset();
    const first = await scan("scratch", [], { AIPROV_CACHE_DIR: p("cache", "second") });
    expect(weightRequests()).toBeGreaterThan(0);
    hub.reset();
    const second = await scan("scratch", [], { AIPROV_CACHE_DIR: p("cache", "second") });
    expect(weightRequests()).toBe(0);
    expect(hub.requests).toEqual([]);
    const [w] = vision(second.result);
    expect(w).toMatchObject({
      outcome: "not-derived",
      cached: true,
      bytesRead: { remote: 0, local: 0 },
      firstBytesRead: vision(first.result)[0]!.bytesRead,
    });
    expect(second.code).toBe(0);
    expect(second.text).toMatch(/bytes read: 0 \(cached result; the first comparison read \d+ bytes from the Hub/);
  });

  it("stays undetermined offline and with the Hub unreachable, naming the upstream and the compare command", async () => {
    for (const project of ["finetuned", "scratch"]) {
      const offline = await scan(project, ["--offline"]);
      expect(offline.code).toBe(1);
      expect(vision(offline.result)).toMatchObject([
        { outcome: "undetermined", reason: "offline", bytesRead: { remote: 0 } },
      ]);
      const f = offline.result.findings.find((x) => x.rule === "checkpoint-signature-match")!;
      expect(f.verdict).toBe("undetermined");
      expect(f.evidence.find((e) => e.code === "weight-comparison")?.args?.command).toBe(
        `aiprov compare ${p(project, "model")} acme/upstream-vl --component vision --hub-url ${hub.url}`,
      );
      expect(offline.text).toContain(
        `compare them with: aiprov compare ${p(project, "model")} acme/upstream-vl --component vision`,
      );
    }
    // A port nothing listens on.
    const port = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, "127.0.0.1", () => {
        const a = s.address() as { port: number };
        s.close(() => resolve(a.port));
      });
    });
    for (const project of ["finetuned", "scratch"]) {
      const dead = `http://127.0.0.1:${port}`;
      const r = await aiprovAsync(
        [
          "scan",
          p(project),
          "--knowledge",
          p("kb"),
          "--policy",
          "kr-sovereign-from-scratch",
          "--hub-url",
          dead,
          "--timeout",
          "2",
        ],
        { env: { HF_HUB_OFFLINE: "0", AIPROV_CACHE_DIR: p("cache", "dead") } },
      );
      expect(r.code).toBe(1);
      expect(r.stdout).toMatch(/checkpoint-signature-match[^\n]* undetermined/);
      expect(r.stdout).toContain(
        `compare by hand: aiprov compare ${p(project, "model")} acme/upstream-vl --component vision --hub-url ${dead}`,
      );
      expect(r.stdout).toMatch(/UNDETERMINED .*\[unreachable\]/);
    }
  });

  it("compares a declared upstream as well: the model naming acme/upstream-vl gets weight evidence on that edge", async () => {
    const { code, result } = await scan("declared");
    const declared = (result.weightComparisons ?? []).find((w) => w.upstream.via === "declared")!;
    expect(declared).toMatchObject({
      component: "model/config.json#",
      part: "text",
      outcome: "derived",
      upstream: { repo: "acme/upstream-vl" },
    });
    const edge = result.lineage.edges.find(
      (e) => e.from === "local:model/config.json#" && e.to === "hub:acme/upstream-vl",
    )!;
    expect(edge.strength).toBe("weight-similar");
    expect(edge.evidence.map((e) => e.code)).toEqual(expect.arrayContaining(["weight-comparison"]));
    expect(vision(result)).toMatchObject([{ outcome: "derived" }]);
    expect(code).toBe(1);
  });

  it("stays undetermined when the upstream is gated, and says so", async () => {
    const { code, result, text } = await scan("scratch", [], {}, p("kb-gated"));
    expect(vision(result)).toMatchObject([
      { outcome: "undetermined", reason: "gated", upstream: { repo: "acme/gated-vl" }, bytesRead: { remote: 0 } },
    ]);
    expect(code).toBe(1);
    expect(
      result.diagnostics.some(
        (d) => d.code === "weight-upstream-unreadable" && /acme\/gated-vl.*gated/.test(d.message),
      ),
    ).toBe(true);
    expect(text).toContain(`compare by hand: aiprov compare ${p("scratch", "model")} acme/gated-vl@`);
  });

  it("compares nothing with --weight-budget 0 and stops at the budget", async () => {
    const none = await scan("scratch", ["--weight-budget", "0"], { AIPROV_CACHE_DIR: p("cache", "budget") });
    expect(vision(none.result)).toMatchObject([{ outcome: "undetermined", reason: "disabled", budget: 0 }]);
    expect(none.code).toBe(1);
    const small = await scan("scratch", ["--weight-budget", "20kB"], { AIPROV_CACHE_DIR: p("cache", "budget") });
    expect(vision(small.result)).toMatchObject([{ outcome: "undetermined", reason: "over-budget", budget: 20_000 }]);
    const bad = await aiprovAsync(["scan", p("scratch"), "--weight-budget", "lots"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--weight-budget: 'lots' is not a byte size/);
  });
});
