import { describe, expect, it } from "vitest";
import type { ModelReference } from "../model/types.js";
import { foldKey } from "../policy/aggregate.js";
import { datasetName, isPlaceholderPath, notAModelReason, separateDatasets } from "./datasets.js";

const ref = (raw: string, extra: Partial<ModelReference> = {}): ModelReference => ({
  id: raw,
  extractor: "python-code",
  kind: "hub-id",
  raw,
  strength: "declared",
  location: { file: "a.py", line: 1 },
  skipReason: "dynamic-value",
  ...extra,
});

describe("values that cannot name a model", () => {
  it("are empty strings, option words, bare constructions, literals, functions and comparisons", () => {
    expect(notAModelReason(ref("", { skipReason: "missing-value" }))).toBe("empty-value");
    expect(notAModelReason(ref("once", { skipReason: "unknown-alias" }))).toBe("option-word");
    expect(notAModelReason(ref("HF", { skipReason: "unknown-alias" }))).toBe("option-word");
    expect(notAModelReason(ref("DataProto()", { skipReason: "missing-value" }))).toBe("object-construction");
    expect(notAModelReason(ref("[]"))).toBe("literal");
    expect(notAModelReason(ref('{ pooling: "mean" }'))).toBe("literal");
    expect(notAModelReason(ref("() => persisted.model ?? DEFAULT"))).toBe("function");
    expect(notAModelReason(ref("selectedModelId === model.id"))).toBe("comparison");
  });
  it("leave names, size aliases, run-time reads and resolved references alone", () => {
    expect(notAModelReason(ref("small", { skipReason: "unknown-alias" }))).toBeUndefined();
    expect(notAModelReason(ref("model_path"))).toBeUndefined();
    expect(notAModelReason(ref("os.path.join(ckpt, name)"))).toBeUndefined();
    expect(notAModelReason(ref("a if b == c else d"))).toBeUndefined();
    expect(notAModelReason(ref("auto", { skipReason: undefined, target: "auto" }))).toBeUndefined();
  });
});

describe("datasets", () => {
  it("are named by repo_type, a Hub dataset URL or a datasets/ id", () => {
    expect(
      datasetName(ref("org/set", { skipReason: undefined, target: "org/set", facts: { repoType: "dataset" } })),
    ).toBe("org/set");
    expect(datasetName(ref("https://huggingface.co/datasets/org/set/resolve/main/x.json", { kind: "url" }))).toBe(
      "org/set",
    );
    expect(datasetName(ref("org/model", { skipReason: undefined, target: "org/model" }))).toBeUndefined();
  });
  it("leave the references as one entry per dataset with every place", () => {
    const a = ref("org/set", {
      id: "1",
      skipReason: undefined,
      target: "org/set",
      facts: { repoType: "dataset", loader: "load_dataset" },
    });
    const b = ref("org/set", {
      id: "2",
      skipReason: undefined,
      target: "org/set",
      location: { file: "b.py", line: 3 },
      facts: { repoType: "dataset", loader: "snapshot_download" },
    });
    const m = ref("org/model", { id: "3", skipReason: undefined, target: "org/model" });
    const out = separateDatasets([a, m, b]);
    expect(out.references.map((r) => r.id)).toEqual(["3"]);
    expect(out.datasets).toEqual([
      { name: "org/set", locations: [a.location, b.location], loaders: ["load_dataset", "snapshot_download"] },
    ]);
  });
});

describe("foldKey", () => {
  it("reads optional chaining and empty fallbacks as the same expression", () => {
    expect(foldKey('settings?.ModelPref || ""')).toBe("settings.ModelPref");
    expect(foldKey("cfg.get('m') or None")).toBe("cfg.get('m')");
    expect(foldKey("a\n   .b")).toBe("a .b");
  });
});

describe("isPlaceholderPath", () => {
  it("knows the slots a user fills in, and nothing else", () => {
    for (const p of [
      "/path/to/pretrained_checkpoint",
      "path/to/your/model",
      "~/path/to/ckpt",
      "<model_path>",
      "YOUR_MODEL_PATH",
      "./models/your-model",
    ])
      expect(isPlaceholderPath(p), p).toBe(true);
    for (const p of [
      "./models/llama-7b",
      "Qwen/Qwen2-7B",
      "<a.py not read: binary (NUL bytes)>",
      "~/model_weights/llama-7b",
      "pathology/model",
    ])
      expect(isPlaceholderPath(p), p).toBe(false);
  });
});
