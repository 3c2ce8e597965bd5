import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { aiprov, REPO_ROOT } from "../helpers/cli.js";
import {
  generateModel,
  generatedConfig,
  perturb,
  reprefix,
  writeModelFolder,
  writeTokenizer,
} from "../../src/fingerprint/generate.js";
import type { ModelComparison } from "../../src/fingerprint/compare.js";
import { decodeFloats, encodeFloats } from "../../src/formats/safetensors.js";
import type { AuditResult } from "../../src/model/types.js";
import { validate } from "../../src/util/schema.js";
import { loadKnowledgeBase } from "../../src/resolve/knowledge/knowledge-base.js";

let root: string;
const p = (...s: string[]): string => join(root, ...s);

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "aiprov-e2e-fp-"));
  const up = generateModel({ seed: 11 });
  await writeModelFolder(p("upstream"), up, "BF16", generatedConfig({ seed: 11 }));
  const other = generateModel({ seed: 12, visionPrefix: null, textHidden: 96 });
  const ownText = [
    ...reprefix(other, "model.", "model.language_model."),
    ...other.filter((t) => t.name === "lm_head.weight"),
  ];
  // A submission whose vision tower is the upstream's, byte for byte, under the current layout.
  await writeModelFolder(
    p("project-reuse", "vlm"),
    [...reprefix(up, "visual.", "model.visual."), ...ownText],
    "BF16",
    generatedConfig({ seed: 12, textHidden: 96 }),
  );
  // A submission whose vision tower was fine-tuned from the upstream's (noise of 0.3 sd).
  await writeModelFolder(
    p("project-finetune", "vlm"),
    [...reprefix(perturb(up, 0.3, 5), "visual.", "model.visual."), ...ownText],
    "BF16",
    generatedConfig({ seed: 12, textHidden: 96 }),
  );
  // A submission trained from scratch with the same architecture (LayerNorm weights all 1.0).
  await writeModelFolder(
    p("project-scratch", "vlm"),
    generateModel({ seed: 13 }),
    "BF16",
    generatedConfig({ seed: 11 }),
  );
  // The upstream's tower re-serialised as F32 (values exactly the BF16 ones), and one so far fine-tuned (noise of 4 sd)
  // that its correlation lies between the thresholds.
  const asBf16 = up.map((t) => ({
    ...t,
    values: Float32Array.from(decodeFloats(encodeFloats(t.values, "BF16"), "BF16")),
  }));
  await writeModelFolder(
    p("project-f32", "vlm"),
    [...reprefix(asBf16, "visual.", "model.visual."), ...ownText],
    "F32",
    generatedConfig({ seed: 12, textHidden: 96 }),
  );
  await writeModelFolder(
    p("project-weak", "vlm"),
    [...reprefix(perturb(up, 4, 6), "visual.", "model.visual."), ...ownText],
    "BF16",
    generatedConfig({ seed: 12, textHidden: 96 }),
  );
  // Tokenizers: the fine-tune keeps the upstream's; the scratch model extends it with 200 tokens of its own.
  await writeTokenizer(p("upstream"), { vocab: 1000 });
  await writeTokenizer(p("project-finetune", "vlm"), { vocab: 1000 });
  await writeTokenizer(p("project-scratch", "vlm"), {
    vocab: 1000,
    extra: Array.from({ length: 200 }, (_, i) => `ko${i}`),
  });
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe("aiprov compare (CLI)", () => {
  it("says identical for the reused vision tower, with numbers and the control", () => {
    const r = aiprov(["compare", p("upstream"), p("project-reuse", "vlm"), "--component", "vision"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^vision: IDENTICAL/m);
    expect(r.stdout).toMatch(/hashes +18 of 18 same-shape tensors byte-identical/);
    expect(r.stdout).toMatch(/Pearson 1\.0000 \(control -?0\.0\d+\)/);
  });

  it("says derived for the fine-tuned tower and unrelated for the one trained from scratch", () => {
    const ft = aiprov(["compare", p("upstream"), p("project-finetune", "vlm"), "--component", "vision"]);
    expect(ft.stdout).toMatch(/^vision: DERIVED/m);
    const un = aiprov(["compare", p("upstream"), p("project-scratch", "vlm"), "--component", "vision"]);
    expect(un.stdout).toMatch(/^vision: UNRELATED/m);
    expect(un.stdout).toMatch(/norm weights start at 1\.0/);
  });

  it("gives the same verdicts as data with --format json", () => {
    const verdict = (b: string): ModelComparison =>
      JSON.parse(
        aiprov(["compare", p("upstream"), b, "--component", "vision", "--format", "json"]).stdout,
      ) as ModelComparison;
    const reuse = verdict(p("project-reuse", "vlm"));
    expect(reuse.components.map((c) => [c.component, c.verdict])).toEqual([["vision", "identical"]]);
    expect(reuse.components[0]!.similarity!.pearson).toBeGreaterThan(0.9999);
    expect(Math.abs(reuse.components[0]!.similarity!.control.pearson)).toBeLessThan(reuse.thresholds.unrelatedMax);
    expect(verdict(p("project-finetune", "vlm")).components[0]!.verdict).toBe("derived");
    const scratchResult = verdict(p("project-scratch", "vlm"));
    const scratch = scratchResult.components[0]!;
    expect(scratch.verdict).toBe("unrelated");
    expect(Math.abs(scratch.similarity!.pearson)).toBeLessThanOrEqual(scratchResult.thresholds.unrelatedMax);
  });

  it("prints the tokenizer signals: identical for the fine-tune, overlapping with the exact Jaccard for the extension", () => {
    const ft = aiprov(["compare", p("upstream"), p("project-finetune", "vlm"), "--component", "vision"]);
    expect(ft.stdout).toMatch(/^tokenizer: IDENTICAL \(proves tokenizer lineage only, never weights\)/m);
    const ext = JSON.parse(
      aiprov(["compare", p("upstream"), p("project-scratch", "vlm"), "--component", "vision", "--format", "json"])
        .stdout,
    ) as ModelComparison;
    expect(ext.tokenizer).toMatchObject({
      verdict: "overlapping",
      vocabHashEqual: false,
      specialTokensEqual: false,
      chatTemplateEqual: true,
      vocabSize: { a: 1000, b: 1200 },
      jaccardExact: true,
    });
    expect(ext.tokenizer!.jaccard).toBeCloseTo(1000 / 1200, 6);
    // The tokenizer never changes the weight verdict.
    expect(ext.components[0]!.verdict).toBe("unrelated");
  });

  it("reports a malformed tokenizer.json as a problem and still compares the weights", async () => {
    await writeModelFolder(p("broken-tok"), generateModel({ seed: 11 }), "BF16", generatedConfig({ seed: 11 }));
    await writeFile(p("broken-tok", "tokenizer.json"), '{"model": {"type": "BPE", "vocab": {"a": 0,');
    const r = JSON.parse(
      aiprov(["compare", p("upstream"), p("broken-tok"), "--component", "vision", "--format", "json"]).stdout,
    ) as ModelComparison;
    expect(r.components[0]!.verdict).toBe("identical");
    expect(r.problems).toEqual([
      { side: "b", file: "tokenizer.json", message: expect.stringMatching(/invalid tokenizer\.json|truncated|JSON/) },
    ]);
  });

  it("exits 2 for a missing folder while offline", () => {
    const r = aiprov(["compare", p("nope"), p("upstream")]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no such folder/);
  });
});

describe("aiprov fingerprint + scan", () => {
  it("writes a schema-valid entry into a knowledge directory, and a scan turns a match into weight evidence", async () => {
    const kb = p("my-knowledge");
    const w = aiprov([
      "fingerprint",
      p("upstream"),
      "--component",
      "vision",
      "--known",
      "vision=qwen2.5-vl-vit",
      "--id",
      "gen-upstream",
      "--out",
      kb,
    ]);
    expect(w.code).toBe(0);
    expect(w.stderr).toMatch(/wrote .*fingerprints\/gen-upstream\.json: vision; 18 tensors hashed, 11 sketches/);
    const entry = JSON.parse(await readFile(join(kb, "fingerprints", "gen-upstream.json"), "utf8")) as {
      tokenizer?: { vocabSize: number; vocabMinHash: number[]; specialTokens: unknown[] };
    };
    expect(validate("knowledge-fingerprint.schema.json", entry, "entry")).toEqual([]);
    expect(entry.tokenizer).toMatchObject({
      vocabSize: 1000,
      specialTokens: [
        { id: 1000, content: "<|endoftext|>" },
        { id: 1001, content: "<|im_start|>" },
        { id: 1002, content: "<|im_end|>" },
      ],
    });
    expect(entry.tokenizer!.vocabMinHash).toHaveLength(128);
    expect(loadKnowledgeBase([kb]).fingerprints.map((f) => f.id)).toEqual(["gen-upstream"]);

    const scan = (project: string): AuditResult => {
      const r = aiprov([
        "scan",
        p(project),
        "--knowledge",
        kb,
        "--policy",
        "kr-sovereign-from-scratch",
        "--format",
        "json",
      ]);
      const result = JSON.parse(r.stdout) as AuditResult;
      expect(validate("report.schema.json", result, "report")).toEqual([]);
      return result;
    };
    const weightEdges = (r: AuditResult) =>
      r.lineage.edges.filter((e) => e.evidence.some((x) => x.code === "weight-fingerprint-match"));

    const reuse = scan("project-reuse");
    expect(weightEdges(reuse).map((e) => [e.from, e.to, e.relation, e.strength])).toEqual([
      ["local:vlm/config.json#/vision_config", "known:qwen2.5-vl-vit", "initialised-from", "weight-identical"],
    ]);
    expect(
      reuse.findings.some(
        (f) => f.rule === "third-party-weights" && f.evidence.some((e) => e.strength === "weight-identical"),
      ),
    ).toBe(true);

    const ft = scan("project-finetune");
    expect(weightEdges(ft).map((e) => e.strength)).toEqual(["weight-similar"]);

    const scratch = scan("project-scratch");
    expect(weightEdges(scratch)).toEqual([]);
    expect(scratch.diagnostics.some((d) => d.code === "weights-compared")).toBe(true);

    // An exact BF16 -> F32 re-serialisation is identical in scan too (as in compare), not merely similar.
    const f32 = scan("project-f32");
    expect(weightEdges(f32).map((e) => e.strength)).toEqual(["weight-identical"]);
    expect(weightEdges(f32)[0]!.evidence[0]!.args).toMatchObject({ hashesEqual: 18, entryTensors: 18, reencoded: 18 });

    // A correlation between the thresholds settles nothing: the tower is undetermined and fails the strict pack.
    const weak = scan("project-weak");
    expect(weightEdges(weak)).toEqual([]);
    const tower = weak.lineage.nodes.find((n) => n.id === "local:vlm/config.json#/vision_config")!;
    expect(tower).toMatchObject({
      status: "undetermined",
      statusReason: { code: "weights-inconclusive", args: { entry: "gen-upstream", component: "vision" } },
    });
    const r = tower.statusReason!.args!.pearson as number;
    expect(r).toBeGreaterThan(0.1);
    expect(r).toBeLessThan(0.3);
    expect(weak.findings.some((f) => f.rule === "undetermined-lineage" && f.node === tower.id)).toBe(true);
  });

  it("reports a truncated weight file as a diagnostic and goes on scanning", async () => {
    const kb = p("kb-truncated-case");
    expect(aiprov(["fingerprint", p("upstream"), "--component", "vision", "--out", kb]).code).toBe(0);
    const full = await readFile(p("project-reuse", "vlm", "model.safetensors"));
    await writeModelFolder(p("project-truncated", "vlm"), [], "F32", generatedConfig({ seed: 12, textHidden: 96 }));
    await writeFile(p("project-truncated", "vlm", "model.safetensors"), full.subarray(0, full.length - 10));
    const r = aiprov(["scan", p("project-truncated"), "--knowledge", kb, "--format", "json"]);
    expect(r.code).toBe(0);
    const result = JSON.parse(r.stdout) as AuditResult;
    expect(result.diagnostics.find((d) => d.code === "weights-unreadable")).toMatchObject({
      severity: "warning",
      location: { file: "vlm/model.safetensors" },
      message: expect.stringMatching(/MetadataIncompleteBuffer/),
    });
    expect(result.lineage.edges.filter((e) => e.evidence.some((x) => x.code === "weight-fingerprint-match"))).toEqual(
      [],
    );
  });

  it("never writes into the installed package", () => {
    const r = aiprov(["fingerprint", p("upstream"), "--out", join(REPO_ROOT, "rules", "knowledge")]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/inside the installed aiprov package/);
  });

  it("rejects an invalid fingerprint file in a knowledge directory, naming it", async () => {
    const kb = p("bad-knowledge");
    await writeModelFolder(p("tmp-model"), generateModel({ seed: 1, textPrefix: null }), "F32");
    const w = aiprov(["fingerprint", p("tmp-model"), "--id", "x", "--out", kb]);
    expect(w.code).toBe(0);
    const file = join(kb, "fingerprints", "x.json");
    const e = JSON.parse(await readFile(file, "utf8")) as { components: { tensors: { sha256: string }[] }[] };
    e.components[0]!.tensors[0]!.sha256 = "not-a-hash";
    await writeFile(file, JSON.stringify(e));
    const r = aiprov(["scan", p("project-reuse"), "--knowledge", kb]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/x\.json:\/components\/0\/tensors\/0\/sha256: must match pattern/);
  });
});
