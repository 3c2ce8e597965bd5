import { mkdtemp, readFile, rm, writeFile, mkdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { compareModels, elementwiseVerdict, type ComponentComparison } from "./compare.js";
import { generateModel, generatedConfig, permuteNeurons, perturb, reprefix, writeModelFolder } from "./generate.js";
import { openLocalModel } from "./source.js";
import { DERIVED_MIN, MIN_POOLED_ELEMENTS, UNRELATED_MAX } from "./thresholds.js";
import type { PairSums } from "./content.js";

let root: string;
const dir = (name: string): string => join(root, name);

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "aiprov-fp-"));
  const up = generateModel({ seed: 1 });
  const upVision = up.filter((t) => t.name.startsWith("visual."));
  await writeModelFolder(dir("upstream"), up, "F32", generatedConfig({ seed: 1 }));
  // The upstream's vision tower, byte for byte, inside a different model with the current layout and its own LLM.
  const other = generateModel({ seed: 2, visionPrefix: null, textHidden: 96 });
  await writeModelFolder(
    dir("reuse"),
    [
      ...reprefix(upVision, "visual.", "model.visual."),
      ...reprefix(other, "model.", "model.language_model."),
      ...other.filter((t) => t.name === "lm_head.weight"),
    ],
    "F32",
    generatedConfig({ seed: 2, textHidden: 96 }),
  );
  await writeModelFolder(dir("finetune"), perturb(up, 0.5, 7), "F32", generatedConfig({ seed: 1 }));
  // Independently initialised, same shapes, LayerNorm weights all 1.0 (raw cosine there is 1).
  await writeModelFolder(dir("unrelated"), generateModel({ seed: 3 }), "F32", generatedConfig({ seed: 1 }));
  await writeModelFolder(dir("bf16"), up, "BF16", generatedConfig({ seed: 1 }));
  // Same function, neurons and heads reordered: element-wise the tensors no longer correlate.
  await writeModelFolder(dir("permuted"), permuteNeurons(up, 11), "F32", generatedConfig({ seed: 1 }));
  await writeModelFolder(
    dir("permuted-finetune"),
    permuteNeurons(perturb(up, 0.5, 13), 12),
    "BF16",
    generatedConfig({ seed: 1 }),
  );
  await writeModelFolder(dir("f16"), up, "F16", generatedConfig({ seed: 1 }));
  // Truncated: the last 1,000 bytes missing.
  const full = await readFile(join(dir("upstream"), "model.safetensors"));
  await mkdir(dir("truncated"));
  await writeFile(join(dir("truncated"), "model.safetensors"), full.subarray(0, full.length - 1000));
  // A header that lies: the first tensor's offsets are shifted past the end of the buffer.
  const n = Number(full.readBigUInt64LE(0));
  const header = JSON.parse(full.subarray(8, 8 + n).toString("utf8")) as Record<
    string,
    { data_offsets: [number, number] }
  >;
  const first = Object.keys(header)[0]!;
  header[first]!.data_offsets = [header[first]!.data_offsets[0] + 4, header[first]!.data_offsets[1] + 4];
  const hb = Buffer.from(JSON.stringify(header));
  const len = Buffer.alloc(8);
  len.writeBigUInt64LE(BigInt(hb.length));
  await mkdir(dir("lying"));
  await writeFile(join(dir("lying"), "model.safetensors"), Buffer.concat([len, hb, full.subarray(8 + n)]));
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

async function compare(a: string, b: string, component: "vision" | "text" | "all" = "vision") {
  const sa = await openLocalModel(dir(a), a);
  const sb = await openLocalModel(dir(b), b);
  try {
    return await compareModels(sa, sb, component);
  } finally {
    await sa.close();
    await sb.close();
  }
}

describe("compareModels on generated models", () => {
  it("finds the byte-identical vision tower in another model's layout", async () => {
    const r = await compare("upstream", "reuse");
    const v = r.components[0]!;
    expect(v.verdict).toBe("identical");
    expect(v.reason).toBe("all-hashes-equal");
    expect(v.a!.prefixes).toEqual(["visual."]);
    expect(v.b!.prefixes).toEqual(["model.visual."]);
    expect(v.hashes.equal).toBe(v.hashes.compared);
    expect(v.similarity!.pearson).toBeCloseTo(1, 6);
    expect(Math.abs(v.similarity!.control.pearson)).toBeLessThan(UNRELATED_MAX);
    expect(v.config.architectureEqual).toBe(true);
  });

  it("says the reuse model's own text model is unrelated to the upstream's", async () => {
    const r = await compare("upstream", "reuse", "text");
    expect(r.components[0]!.verdict).not.toBe("identical");
    expect(r.components[0]!.verdict).not.toBe("derived");
  });

  it("says derived for a copy fine-tuned by noise, with the control near 0", async () => {
    const r = await compare("upstream", "finetune");
    const v = r.components[0]!;
    expect(v.verdict).toBe("derived");
    expect(v.hashes.equal).toBeLessThan(v.hashes.compared);
    // Noise of 0.5 sd gives r = 1/sqrt(1.25) = 0.894.
    expect(v.similarity!.pearson).toBeGreaterThan(0.85);
    expect(v.similarity!.pearson).toBeLessThan(0.95);
    expect(Math.abs(v.similarity!.control.pearson)).toBeLessThan(UNRELATED_MAX);
  });

  it("says unrelated for an independent model of the same shapes, although 1-D LayerNorm weights are equal", async () => {
    const r = await compare("upstream", "unrelated");
    const v = r.components[0]!;
    expect(v.verdict).toBe("unrelated");
    expect(Math.abs(v.similarity!.pearson)).toBeLessThan(UNRELATED_MAX);
    // The norm vectors hash-equal (all 1.0) and are reported, but they do not make the towers related.
    expect(v.hashes.equal).toBeGreaterThan(0);
    expect(v.smallOrOneDimensional).toBeGreaterThan(0);
    // The trap: pooled cosine of the 1-D tensors (all-ones norms, zero biases) is 1 between unrelated models.
    expect(v.smallCosine).toBeCloseTo(1, 6);
    expect(v.config.architectureEqual).toBe(true);
  });

  it("says derived, never unrelated, for a copy whose neurons and heads are reordered (same function)", async () => {
    const r = await compare("upstream", "permuted", "all");
    expect(r.components.length).toBe(2);
    for (const v of r.components) expect(v.verdict).toBe("derived");
    // The vision tower's matrices are all reordered but the patch embedding: element-wise it no longer correlates.
    const vision = r.components.find((v) => v.component === "vision")!;
    expect(vision.similarity!.pearson).toBeLessThan(DERIVED_MIN);
    expect(vision.reason).toBe("permuted-copy");
    expect(vision.permutation!.pearson).toBeGreaterThan(0.9999);
  });

  it("says derived or undetermined for a permuted fine-tune, and keeps an independent model unrelated", async () => {
    const r = await compare("upstream", "permuted-finetune", "all");
    for (const v of r.components) expect(["derived", "undetermined"]).toContain(v.verdict);
    expect(r.components.map((v) => v.verdict)).toContain("derived");
    const u = await compare("upstream", "unrelated", "all");
    for (const v of u.components) {
      expect(v.verdict).toBe("unrelated");
      expect(Math.abs(v.permutation!.pearson)).toBeLessThanOrEqual(UNRELATED_MAX);
    }
  });

  it.each(["bf16", "f16"])(
    "says identical for a copy re-serialized as %s (values equal up to rounding)",
    async (name) => {
      const r = await compare("upstream", name);
      const v = r.components[0]!;
      expect(v.verdict).toBe("identical");
      expect(v.reason).toBe("values-equal-up-to-dtype-rounding");
      expect(v.hashes.equal).toBeLessThan(v.hashes.compared);
      expect(v.similarity!.pearson).toBeGreaterThan(0.999);
    },
  );

  it("says identical comparing the bf16 copy with itself the other way round", async () => {
    const r = await compare("bf16", "upstream");
    expect(r.components[0]!.verdict).toBe("identical");
  });

  it("reports a truncated file and leaves the verdict undetermined", async () => {
    const r = await compare("upstream", "truncated");
    expect(r.components[0]!.verdict).toBe("undetermined");
    expect(r.components[0]!.reason).toBe("weights-unreadable-in-b");
    expect(r.problems).toEqual([
      {
        side: "b",
        file: "model.safetensors",
        message: expect.stringMatching(/MetadataIncompleteBuffer|InvalidOffset/),
      },
    ]);
  });

  it("reports a header that lies about offsets and leaves the verdict undetermined", async () => {
    const r = await compare("lying", "upstream");
    expect(r.components[0]!.verdict).toBe("undetermined");
    expect(r.problems[0]).toMatchObject({
      side: "a",
      file: "model.safetensors",
      message: expect.stringMatching(/InvalidOffset/),
    });
  });

  it("reads only the component's bytes plus headers", async () => {
    const sa = await openLocalModel(dir("upstream"));
    const sb = await openLocalModel(dir("finetune"));
    await compareModels(sa, sb, "vision");
    const vision = sa.tensors.filter((t) => t.kind === "vision").reduce((a, t) => a + t.end - t.start, 0);
    const headers = sa.tensors.reduce((m, t) => Math.min(m, t.start), Infinity);
    // Each side is read twice at most (hash pass and statistics pass).
    expect(sa.bytesRead()).toBeLessThanOrEqual(2 * vision + headers);
    expect(sa.bytesRead()).toBeLessThan(sa.totalBytes());
    await sa.close();
    await sb.close();
  });

  it("keeps the shipped thresholds ordered", () => {
    expect(DERIVED_MIN).toBeGreaterThan(UNRELATED_MAX);
  });
});

describe("compareModels without comparable weights", () => {
  it("says same architecture only when B has the config but no weights", async () => {
    const onlyConfig = join(root, "config-only");
    await mkdir(onlyConfig);
    await writeFile(join(onlyConfig, "config.json"), JSON.stringify(generatedConfig({ seed: 1 })));
    const r = await compare("upstream", "config-only");
    expect(r.components[0]).toMatchObject({
      verdict: "same-architecture-only",
      reason: "component-absent-in-b",
      config: { architectureEqual: true },
    });
  });

  it("compares quantized tensors by hash only and says which dtypes were not decoded", async () => {
    const q = join(root, "int8");
    await mkdir(q);
    const { buildSafetensors } = await import("../formats/safetensors.js");
    const tensors = generateModel({ seed: 1, textPrefix: null }).map((t) => ({
      name: t.name,
      dtype: "I8",
      shape: t.shape,
      data: new Uint8Array(t.values.length).map((_, i) => i % 251),
    }));
    await writeFile(join(q, "model.safetensors"), buildSafetensors(tensors));
    await writeFile(join(q, "config.json"), JSON.stringify(generatedConfig({ seed: 1 })));
    const r = await compare("upstream", "int8");
    expect(r.components[0]).toMatchObject({
      verdict: "same-architecture-only",
      reason: "dtype-not-compared",
      notCompared: { I8: 18 },
    });
  });
});

describe("a standalone copy of a component (no prefix)", () => {
  it("is compared with the other side's component, and matched against a fingerprint entry", async () => {
    const up = generateModel({ seed: 1 });
    await writeModelFolder(join(root, "standalone-tower"), reprefix(up, "visual.", ""), "BF16");
    const r = await compare("upstream", "standalone-tower");
    expect(r.components[0]).toMatchObject({
      component: "vision",
      verdict: "identical",
      reason: "values-equal-up-to-dtype-rounding",
    });

    const { createFingerprint, matchFingerprint } = await import("./entry.js");
    const sa = await openLocalModel(dir("upstream"));
    const entry = await createFingerprint(sa, { id: "up", components: ["vision"], createdWith: "test" });
    await sa.close();
    const sb = await openLocalModel(join(root, "standalone-tower"));
    const m = await matchFingerprint(sb, entry, { hash: true });
    // BF16 bytes differ from the F32 entry's hashes: similar by sketches, not byte-identical.
    expect(m.map((x) => [x.component, x.strength])).toEqual([["vision", "weight-similar"]]);
    expect(m[0]!.sketch.valuesEqual).toBe(true);
    expect(m[0]!.hashes).toMatchObject({ equal: 0, entryTensors: 18 });
    // Read: the header, the sketched windows (BF16: 2 bytes a value), then the component once for the hashes.
    const header = Math.min(...sb.tensors.map((t) => t.start));
    const component = sb.tensors.reduce((a, t) => a + t.end - t.start, 0);
    const windows = entry.components[0]!.sketches.reduce((a, k) => a + 2 * k.values.length, 0);
    expect(sb.bytesRead()).toBe(header + windows + component);
    await sb.close();
  });
});

describe("components made only of 1-D tensors", () => {
  it("never calls equal LayerNorm vectors identical", async () => {
    const norms = (seed: number) => generateModel({ seed, textPrefix: null }).filter((t) => t.shape.length === 1);
    await writeModelFolder(join(root, "norms-a"), norms(1), "F32");
    await writeModelFolder(join(root, "norms-b"), norms(9), "F32");
    const r = await compare("norms-a", "norms-b");
    expect(r.components[0]).toMatchObject({
      verdict: "undetermined",
      reason: "no-large-matrices",
      hashes: { equal: 7, compared: 7 },
    });
    expect(r.components[0]!.smallCosine).toBeCloseTo(1, 6);
  });
});

describe("the audio component", () => {
  it("finds an audio tower copied from the Qwen2.5-Omni layout (thinker.audio_tower.) to the MiniCPM-o one (apm.)", async () => {
    const tower = generateModel({ seed: 31, textPrefix: null });
    await writeModelFolder(
      join(root, "omni"),
      [
        ...reprefix(tower, "visual.", "thinker.audio_tower."),
        ...generateModel({ seed: 32, visionPrefix: null, textPrefix: "thinker.model." }),
      ],
      "F32",
    );
    await writeModelFolder(
      join(root, "minicpm-o"),
      [
        ...reprefix(tower, "visual.", "apm."),
        ...generateModel({ seed: 33, visionPrefix: null, textPrefix: "llm.model." }),
      ],
      "BF16",
    );
    const r = await compare("omni", "minicpm-o", "all");
    expect(r.components.map((c) => [c.component, c.verdict])).toEqual([
      ["audio", "identical"],
      ["text", "unrelated"],
    ]);
    expect(r.components[0]!.a!.prefixes).toEqual(["thinker.audio_tower."]);
    expect(r.components[0]!.b!.prefixes).toEqual(["apm."]);
  });
});

describe("elementwiseVerdict (the decision after one read of every pair)", () => {
  const measured = (
    over: Partial<ComponentComparison> & {
      pearson?: number;
      control?: number;
      degenerate?: boolean;
      elements?: number;
    },
  ): ComponentComparison => {
    const { pearson, control = 0.001, degenerate = false, elements = MIN_POOLED_ELEMENTS, ...rest } = over;
    return {
      component: "vision",
      verdict: "undetermined",
      reason: "",
      config: {},
      layout: { common: 3, sameShape: 3, onlyA: 0, onlyB: 0, shapeMismatch: 0 },
      hashes: { compared: 3, equal: 0 },
      notCompared: {},
      smallOrOneDimensional: 0,
      ...(pearson === undefined
        ? {}
        : {
            similarity: {
              elements,
              cosine: pearson,
              pearson,
              control: { cosine: control, pearson: control },
              valuesEqual: false,
              maxAbsDiff: 1,
              nonFinite: 0,
              degenerate,
              matrices: 3,
              perTensorPearson: { min: pearson, median: pearson, max: pearson },
              controlMaxAbsPearson: control,
            },
          }),
      ...rest,
    };
  };
  const large = { large: [{} as PairSums], uncomparable: [] };

  it("needs a large matrix: equal norms alone are no weights (same architecture only when the configs agree)", () => {
    expect(
      elementwiseVerdict(measured({ hashes: { compared: 2, equal: 2 } }), { large: [], uncomparable: [] }, 2),
    ).toEqual({ verdict: "undetermined", reason: "no-large-matrices" });
    expect(
      elementwiseVerdict(measured({ config: { architectureEqual: true } }), { large: [], uncomparable: [] }, 2),
    ).toEqual({ verdict: "same-architecture-only", reason: "no-large-matrices" });
  });

  it("says identical only when every tensor of A is in B", () => {
    expect(elementwiseVerdict(measured({ hashes: { compared: 3, equal: 3 } }), large, 3)).toEqual({
      verdict: "identical",
      reason: "all-hashes-equal",
    });
    const extra = measured({
      hashes: { compared: 3, equal: 3 },
      layout: { common: 3, sameShape: 3, onlyA: 1, onlyB: 0, shapeMismatch: 0 },
      pearson: 1,
    });
    expect(elementwiseVerdict(extra, large, 3)).toEqual({
      verdict: "derived",
      reason: "pearson-above-derived-threshold",
    });
    expect(elementwiseVerdict(measured({ valuesEqual: true, pearson: 1 }), large, 3)).toEqual({
      verdict: "identical",
      reason: "values-equal-up-to-dtype-rounding",
    });
  });

  it("leaves too few values, no variance, or a high control undecided, and asks for permutation alignment below the threshold", () => {
    expect(elementwiseVerdict(measured({ pearson: 0.99, elements: MIN_POOLED_ELEMENTS - 1 }), large, 3)).toEqual({
      verdict: "undetermined",
      reason: "no-large-matrices",
    });
    expect(
      elementwiseVerdict(
        measured({ pearson: 0.99, elements: MIN_POOLED_ELEMENTS - 1, notCompared: { Q4_K: 1 } }),
        large,
        3,
      ),
    ).toEqual({ verdict: "undetermined", reason: "dtype-not-compared" });
    expect(elementwiseVerdict(measured({ pearson: 0.99, degenerate: true }), large, 3)).toEqual({
      verdict: "undetermined",
      reason: "no-variance",
    });
    expect(elementwiseVerdict(measured({ pearson: DERIVED_MIN }), large, 3)).toEqual({
      verdict: "derived",
      reason: "pearson-above-derived-threshold",
    });
    expect(elementwiseVerdict(measured({ pearson: 0.99, control: UNRELATED_MAX * 2 }), large, 3)).toBe(
      "check-permutation",
    );
    expect(elementwiseVerdict(measured({ pearson: 0.0 }), large, 3)).toBe("check-permutation");
  });
});
