import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { extractFile } from "../../testing.js";
import { mergekitExtractor, mergekitReferencesInText } from "./index.js";

const FIX = join(import.meta.dirname, "fixtures");

describe("mergekit extractor", () => {
  it("matches mergekit_config.yml and *merge*.yaml", () => {
    expect(mergekitExtractor.matches("mergekit_config.yml", "mergekit_config.yml")).toBe(true);
    expect(mergekitExtractor.matches("recipes/slerp-merge.yaml", "slerp-merge.yaml")).toBe(true);
    expect(mergekitExtractor.matches("config.yml", "config.yml")).toBe(false);
  });

  it("Yi-1.5 SLERP: both slice sources and the base, relation merge, with lines", async () => {
    const out = await extractFile(mergekitExtractor, FIX, "mergekit-slerp-yi15-6b/mergekit_config.yml");
    expect(out.references!.map((r) => [r.target, r.location.line, r.relation])).toEqual([
      ["01-ai/Yi-1.5-6B-Chat", 4, "merge"],
      ["01-ai/Yi-1.5-6B", 6, "merge"],
      ["01-ai/Yi-1.5-6B-Chat", 9, "merge"],
    ]);
    expect(out.references![2]!.facts).toMatchObject({ mergeMethod: "slerp", mergeBase: true });
    expect(out.references!.every((r) => r.subject === "folder:mergekit-slerp-yi15-6b")).toBe(true);
  });

  it("a broken YAML file is a diagnostic only when it reads like a recipe", async () => {
    const { mkdtempSync, writeFileSync } = await import("node:fs");
    const { tmpdir } = await import("node:os");
    const root = mkdtempSync(join(tmpdir(), "aiprov-mk-"));
    writeFileSync(join(root, "automerge.yml"), "key: {{ .Values.x }\n");
    expect(await extractFile(mergekitExtractor, root, "automerge.yml")).toEqual({});
    writeFileSync(join(root, "merge.yml"), "merge_method: slerp\nslices: [\n");
    expect((await extractFile(mergekitExtractor, root, "merge.yml")).diagnostics?.[0]?.code).toBe("parse-error");
  });

  it("model_stock of three Llama-3.1 derivatives", async () => {
    const out = await extractFile(mergekitExtractor, FIX, "mergekit-model-stock-llama31-8b/mergekit_config.yml");
    expect(new Set(out.references!.map((r) => r.target))).toEqual(
      new Set([
        "arcee-ai/Llama-3.1-SuperNova-Lite",
        "DreadPoor/Heart_Stolen-8B-Model_Stock",
        "Dampfinchen/Llama-3.1-8B-Ultra-Instruct",
      ]),
    );
  });

  it("splits model+lora entries, reads multi-document text and keeps absolute paths unresolved", () => {
    const text =
      "models:\n  - model: a/base+b/lora\nmerge_method: linear\nbase_model: /home/x/Models/c_d\n---\nmodels:\n  - model: e/f\nmerge_method: ties\nbase_model: e/f\n";
    const refs = mergekitReferencesInText(text, "README.md", "folder:", 10);
    expect(refs.map((r) => [r.target, r.relation, r.location.line])).toEqual([
      ["a/base", "merge", 12],
      ["b/lora", "adapter", 12],
      ["/home/x/Models/c_d", "merge", 14],
      ["e/f", "merge", 17],
      ["e/f", "merge", 19],
    ]);
    expect(refs[2]!.skipReason).toBe("local-path-outside-root");
  });
});
