import { describe, expect, it } from "vitest";
import { join } from "node:path";
import { aiprov, REPO_ROOT } from "../helpers/cli.js";
import { validate } from "../../src/util/schema.js";
import type { AuditResult } from "../../src/model/types.js";

// The case's encoder configs, copied from the corpus (tests/fixtures/SOURCES.md).
const OMNISERVE = join(REPO_ROOT, "tests", "fixtures", "hyperclovax-omniserve");

describe("aiprov scan on the OmniServe case (corpus hyperclovax-omniserve)", () => {
  it("fails kr-sovereign-from-scratch and names both encoders with their evidence", () => {
    const r = aiprov(["scan", OMNISERVE, "--policy", "kr-sovereign-from-scratch", "--format", "json"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(1);
    const result = JSON.parse(r.stdout) as AuditResult;
    expect(validate("report.schema.json", result, "report")).toEqual([]);

    const audio = result.findings.find((f) => f.rule === "third-party-weights");
    expect(audio?.severity).toBe("error");
    expect(audio?.message.args.target).toBe("Qwen2-Audio encoder");
    expect(audio?.message.args.country).toBe("CN");
    expect(String(audio?.message.args.upstreamLineage)).toMatch(/Whisper large-v3 encoder \(OpenAI, US\)/);
    const strengths = new Set(audio?.evidence.map((e) => e.strength));
    expect(strengths).toEqual(new Set(["declared", "structural"]));
    const structural = audio!.evidence.find((e) => e.code === "signature-match")!;
    expect(structural.location).toMatchObject({
      file: "encoder/audio/track_b/app/model/weights/qwen2-audio-encoder-from-qwen2-audio-7b-instruct/config.json",
      line: 8,
      pointer: "/d_model",
    });

    const vision = result.findings.filter((f) => f.rule === "checkpoint-signature-match");
    expect(vision.map((f) => f.location?.file).sort()).toEqual([
      "encoder/vision/track_a/app/model/configs/32b_cont_config.yaml",
      "encoder/vision/track_b/app/model/configs/omni_cont_config.yaml",
    ]);
    for (const f of vision) {
      expect(f.verdict).toBe("undetermined");
      expect(f.message.args.target).toBe("Qwen2.5-VL ViT");
      expect(f.message.args.country).toBe("CN");
      expect(f.evidence[0]).toMatchObject({ strength: "structural", location: { line: 11, pointer: "/depth" } });
      expect(f.message.args.checkpoints).toContain("Qwen/Qwen2.5-VL-32B-Instruct");
    }
  });

  it("prints the text report and exits 1", () => {
    const r = aiprov(["scan", OMNISERVE, "--policy", "kr-sovereign-from-scratch"]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("Qwen2.5-VL ViT");
    expect(r.stdout).toContain("Whisper large-v3 encoder");
    expect(r.stdout).toContain("Verdict: FAIL");
  });

  it("without a policy prints the inventory, says no policy was applied and exits 0", () => {
    const r = aiprov(["scan", OMNISERVE]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("No policy applied");
  });

  it("produces byte-identical JSON on two runs with SOURCE_DATE_EPOCH set", () => {
    const a = aiprov(["scan", OMNISERVE, "--policy", "kr-sovereign-from-scratch", "--format", "json"]);
    const b = aiprov(["scan", OMNISERVE, "--policy", "kr-sovereign-from-scratch", "--format", "json"]);
    expect(a.stdout).toBe(b.stdout);
    expect((JSON.parse(a.stdout) as AuditResult).createdAt).toBe("2025-11-29T00:00:00.000Z");
  });

  it("exits 2 with a clear message for an unknown pack", () => {
    const r = aiprov(["scan", OMNISERVE, "--policy", "no-such-pack"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no-such-pack: no such rule pack/);
  });
});
