import { mkdtemp, readFile, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DiskCache } from "../resolve/hub/cache.js";
import { parseByteSize } from "../cli/options.js";
import { compareCommand, sketchWindows, validCachedResult, type SettleCandidate } from "./settle.js";
import type { SourceTensor } from "./source.js";
import { MIN_MATRIX_ELEMENTS } from "./thresholds.js";

function matrix(name: string, shape: number[], dtype: "F32" | "BF16", start: number): SourceTensor {
  const width = dtype === "F32" ? 4 : 2;
  return { name, dtype, shape, start, end: start + shape.reduce((a, d) => a * d, 1) * width, file: "model.safetensors", kind: "vision", prefix: "visual.", relative: name.slice("visual.".length) };
}

describe("sketchWindows", () => {
  // 40 matrices of 1536x384 (F32 upstream, BF16 local), as a 4-block ViT's attention and MLP weights.
  const pairs: [SourceTensor, SourceTensor][] = Array.from({ length: 40 }, (_, i) => [matrix(`visual.blocks.${i}.w`, [1536, 384], "BF16", i * 1536 * 384 * 2), matrix(`visual.blocks.${i}.w`, [1536, 384], "F32", i * 1536 * 384 * 4)]);

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
  const result = { outcome: "not-derived", reason: "sketch-at-control-level", phase: "sketch", statistic: { name: "pooled-pearson", value: 0.003, control: -0.002, elements: 49152, matrices: 12, derivedMin: 0.3, unrelatedMax: 0.1 }, upstreamBytes: 38_764_032, remoteBytes: 160_000, localBytes: 80_000 };

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
  const c: SettleCandidate = { subject: "m/config.json#/vision_config", kind: "vision", folder: "weights/my model", files: [], repo: "acme/upstream-vl", node: "known:acme-vit", via: "structural" };
  it("names the local folder under the root as the user wrote it, the repo at its commit, and a non-default Hub", () => {
    expect(compareCommand(c, "./sub", "https://huggingface.co", "f".repeat(40))).toBe(`aiprov compare 'sub/weights/my model' acme/upstream-vl@${"f".repeat(40)} --component vision`);
    expect(compareCommand({ ...c, folder: "." }, "sub", "http://127.0.0.1:9")).toBe("aiprov compare sub acme/upstream-vl --component vision --hub-url http://127.0.0.1:9");
  });
});

describe("parseByteSize", () => {
  it("reads SI and IEC units and rejects anything else", () => {
    expect([parseByteSize("0"), parseByteSize("500MB"), parseByteSize("2GiB"), parseByteSize("1.5 kB"), parseByteSize("64mib")]).toEqual([0, 500_000_000, 2 ** 31, 1500, 64 * 2 ** 20]);
    expect(() => parseByteSize("lots")).toThrow(/not a byte size/);
    expect(() => parseByteSize("-1MB")).toThrow(/not a byte size/);
    expect(() => parseByteSize("5 parsecs")).toThrow(/not a byte size/);
  });
});
