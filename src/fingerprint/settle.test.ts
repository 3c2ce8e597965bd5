import { mkdtemp, readFile, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DiskCache } from "../resolve/hub/cache.js";
import { parseByteSize } from "../cli/options.js";
import type { ComponentComparison } from "./compare.js";
import {
  compareCommand,
  componentOutcome,
  overBudgetOutcome,
  sketchOutcome,
  sketchWindows,
  validCachedResult,
  type SettleCandidate,
} from "./settle.js";
import type { SourceTensor } from "./source.js";
import { DERIVED_MIN, MIN_MATRIX_ELEMENTS, UNRELATED_MAX } from "./thresholds.js";

function matrix(name: string, shape: number[], dtype: "F32" | "BF16", start: number): SourceTensor {
  const width = dtype === "F32" ? 4 : 2;
  return {
    name,
    dtype,
    shape,
    start,
    end: start + shape.reduce((a, d) => a * d, 1) * width,
    file: "model.safetensors",
    kind: "vision",
    prefix: "visual.",
    relative: name.slice("visual.".length),
  };
}

describe("sketchWindows", () => {
  // 40 matrices of 1536x384 (F32 upstream, BF16 local), as a 4-block ViT's attention and MLP weights.
  const pairs: [SourceTensor, SourceTensor][] = Array.from({ length: 40 }, (_, i) => [
    matrix(`visual.blocks.${i}.w`, [1536, 384], "BF16", i * 1536 * 384 * 2),
    matrix(`visual.blocks.${i}.w`, [1536, 384], "F32", i * 1536 * 384 * 4),
  ]);

  it("reads the same whole rows on both sides, each window at least the smallest sample a verdict uses", () => {
    const ws = sketchWindows(pairs, "vision", 160_000);
    expect(ws.length).toBeGreaterThan(1);
    expect(ws.length).toBeLessThanOrEqual(16);
    for (const [a, b] of ws) {
      expect(a.shape).toEqual(b.shape);
      expect(a.shape[1]).toBe(384);
      expect(a.shape[0]! * 384).toBeGreaterThanOrEqual(MIN_MATRIX_ELEMENTS);
      // Same row offset on both sides: byte offsets scale with each side's dtype width.
      const rowA = (a.start - pairs.find((p) => p[0].name === a.name)![0].start) / (384 * 2);
      const rowB = (b.start - pairs.find((p) => p[1].name === b.name)![1].start) / (384 * 4);
      expect(rowA).toBe(rowB);
      expect(Number.isInteger(rowA)).toBe(true);
      expect(a.end - a.start).toBe(a.shape[0]! * 384 * 2);
    }
    const upstreamBytes = ws.reduce((n, [, b]) => n + b.end - b.start, 0);
    expect(upstreamBytes).toBeGreaterThanOrEqual(100_000);
    expect(upstreamBytes).toBeLessThanOrEqual(170_000);
  });

  it("grows the windows, never their number past 16, when the target is large", () => {
    const ws = sketchWindows(pairs, "vision", 4 * 1024 * 1024);
    expect(ws.length).toBe(16);
    expect(ws.reduce((n, [, b]) => n + b.end - b.start, 0)).toBeLessThanOrEqual(4 * 1024 * 1024);
    expect(new Set(ws.map(([a]) => a.name)).size).toBe(16);
  });
});

describe("cached weight comparisons", () => {
  let dir: string;
  beforeAll(async () => void (dir = await mkdtemp(join(tmpdir(), "aiprov-settle-cache-"))));
  afterAll(async () => rm(dir, { recursive: true, force: true }));
  const key = { repo: "acme/upstream-vl", revision: "a".repeat(40), localHash: "b".repeat(64), part: "vision" };
  const result = {
    outcome: "not-derived",
    reason: "sketch-at-control-level",
    phase: "sketch",
    statistic: {
      name: "pooled-pearson",
      value: 0.003,
      control: -0.002,
      elements: 49152,
      matrices: 12,
      derivedMin: 0.3,
      unrelatedMax: 0.1,
    },
    upstreamBytes: 38_764_032,
    remoteBytes: 160_000,
    localBytes: 80_000,
  };

  it("returns what was stored, for the same key only", () => {
    const cache = new DiskCache(dir);
    cache.putWeightResult(key, result);
    expect(validCachedResult(cache.getWeightResult(key))).toEqual(result);
    expect(cache.getWeightResult({ ...key, localHash: "c".repeat(64) })).toBeUndefined();
  });

  it("refuses a record whose result was edited (content hash) or whose fields have the wrong types", async () => {
    const cache = new DiskCache(join(dir, "tampered"));
    cache.putWeightResult(key, result);
    const files = await readdir(join(dir, "tampered", "hub-v1", "weights", "acme", "upstream-vl", key.revision));
    const file = join(dir, "tampered", "hub-v1", "weights", "acme", "upstream-vl", key.revision, files[0]!);
    const rec = JSON.parse(await readFile(file, "utf8")) as { result: { outcome: string } };
    rec.result.outcome = "derived";
    await writeFile(file, JSON.stringify(rec));
    expect(cache.getWeightResult(key)).toBeNull();
    expect(validCachedResult({ ...result, remoteBytes: "many" })).toBeUndefined();
    expect(validCachedResult({ ...result, outcome: "unrelated" })).toBeUndefined();
    expect(validCachedResult({ ...result, statistic: { ...result.statistic, value: null } })).toBeUndefined();
  });
});

describe("compareCommand", () => {
  const c: SettleCandidate = {
    subject: "m/config.json#/vision_config",
    kind: "vision",
    folder: "weights/my model",
    files: [],
    repo: "acme/upstream-vl",
    node: "known:acme-vit",
    via: "structural",
  };
  it("names the local folder under the root as the user wrote it, the repo at its commit, and a non-default Hub", () => {
    expect(compareCommand(c, "./sub", "https://huggingface.co", "f".repeat(40))).toBe(
      `aiprov compare 'sub/weights/my model' acme/upstream-vl@${"f".repeat(40)} --component vision`,
    );
    expect(compareCommand({ ...c, folder: "." }, "sub", "http://127.0.0.1:9")).toBe(
      "aiprov compare sub acme/upstream-vl --component vision --hub-url http://127.0.0.1:9",
    );
  });
});

describe("parseByteSize", () => {
  it("reads SI and IEC units and rejects anything else", () => {
    expect([
      parseByteSize("0"),
      parseByteSize("500MB"),
      parseByteSize("2GiB"),
      parseByteSize("1.5 kB"),
      parseByteSize("64mib"),
    ]).toEqual([0, 500_000_000, 2 ** 31, 1500, 64 * 2 ** 20]);
    expect(() => parseByteSize("lots")).toThrow(/not a byte size/);
    expect(() => parseByteSize("-1MB")).toThrow(/not a byte size/);
    expect(() => parseByteSize("5 parsecs")).toThrow(/not a byte size/);
  });
});

/** A comparison as compareComponent returns it, with a pooled Pearson when `pearson` is given. */
function comparison(verdict: ComponentComparison["verdict"], reason: string, pearson?: number): ComponentComparison {
  return {
    component: "vision",
    verdict,
    reason,
    config: {},
    layout: { common: 4, sameShape: 4, onlyA: 0, onlyB: 0, shapeMismatch: 0 },
    hashes: { compared: 4, equal: 0 },
    notCompared: {},
    smallOrOneDimensional: 0,
    ...(pearson === undefined
      ? {}
      : {
          similarity: {
            elements: 200_000,
            cosine: pearson,
            pearson,
            control: { cosine: 0.001, pearson: 0.0012345678 },
            valuesEqual: false,
            maxAbsDiff: 0.1,
            nonFinite: 0,
            degenerate: false,
            matrices: 4,
            perTensorPearson: { min: pearson, median: pearson, max: pearson },
            controlMaxAbsPearson: 0.002,
          },
        }),
  };
}

describe("settle outcomes (what each comparison pass decides)", () => {
  it("a sketch settles derived or not-derived, stops on a read error, and otherwise asks for the whole component", () => {
    expect(sketchOutcome(comparison("derived", "pearson-above-derived-threshold", 0.93))).toEqual({
      outcome: "derived",
      reason: "sketch-correlated",
      phase: "sketch",
      statistic: {
        name: "pooled-pearson",
        value: 0.93,
        control: 0.001235,
        elements: 200_000,
        matrices: 4,
        derivedMin: DERIVED_MIN,
        unrelatedMax: UNRELATED_MAX,
      },
    });
    expect(sketchOutcome(comparison("unrelated", "pearson-at-control-level", 0.001))).toMatchObject({
      outcome: "not-derived",
      reason: "sketch-at-control-level",
      phase: "sketch",
    });
    expect(sketchOutcome(comparison("undetermined", "read-error: truncated"))).toBe("read-error");
    expect(sketchOutcome(comparison("undetermined", "pearson-between-thresholds", 0.3))).toBeUndefined();
    expect(sketchOutcome(comparison("identical", "all-hashes-equal"))).toBeUndefined();
  });

  it("over budget, identical windows count as a copy and anything else stays undetermined", () => {
    expect(overBudgetOutcome(comparison("identical", "all-hashes-equal"))).toEqual({
      outcome: "derived",
      reason: "sketch-identical-component-over-budget",
      phase: "sketch",
    });
    expect(overBudgetOutcome(comparison("undetermined", "pearson-between-thresholds", 0.3))).toMatchObject({
      outcome: "undetermined",
      reason: "over-budget",
      phase: "sketch",
      statistic: { value: 0.3 },
    });
  });

  it("the whole component maps compare's verdict, keeping its reason; a read error keeps no statistic", () => {
    expect(componentOutcome(comparison("identical", "all-hashes-equal"))).toEqual({
      outcome: "identical",
      reason: "all-hashes-equal",
      phase: "component",
    });
    expect(componentOutcome(comparison("unrelated", "pearson-at-control-level", 0.0))).toMatchObject({
      outcome: "not-derived",
      reason: "pearson-at-control-level",
    });
    expect(componentOutcome(comparison("same-architecture-only", "no-large-matrices"))).toEqual({
      outcome: "undetermined",
      reason: "no-large-matrices",
      phase: "component",
    });
    expect(componentOutcome(comparison("undetermined", "read-error: gone", 0.5))).toEqual({
      outcome: "undetermined",
      reason: "read-error",
      phase: "component",
    });
  });
});
