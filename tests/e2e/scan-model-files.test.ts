/**
 * End to end over model files the corpus does not hold (GGUF, safetensors, tokenizer.json, sentence-transformers):
 * a tree built from the extractors' fixtures, plus a malformed copy of each binary, scans to a valid report whose
 * references and components carry the facts the fixtures hold, and every bad file is one diagnostic.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { aiprov, REPO_ROOT } from "../helpers/cli.js";
import { validate } from "../../src/util/schema.js";
import type { AuditResult } from "../../src/model/types.js";

const X = join(REPO_ROOT, "src", "extract", "extractors");

describe("aiprov scan over GGUF, safetensors and tokenizer files", () => {
  it("reads headers only, reports lineage facts, and turns malformed binaries into diagnostics", () => {
    const root = mkdtempSync(join(tmpdir(), "aiprov-models-"));
    mkdirSync(join(root, "gguf"));
    mkdirSync(join(root, "embed"));
    mkdirSync(join(root, "broken"));
    cpSync(
      join(X, "gguf", "fixtures", "EXAONE-3.5-7.8B-Instruct-abliterated-Q8_0.gguf"),
      join(root, "gguf", "exaone.gguf"),
    );
    cpSync(join(X, "safetensors-header", "fixtures", "model.safetensors"), join(root, "embed", "model.safetensors"));
    cpSync(join(X, "tokenizer-json", "fixtures", "tokenizer.json"), join(root, "embed", "tokenizer.json"));
    for (const f of ["modules.json", "config_sentence_transformers.json"])
      cpSync(join(X, "sentence-transformers", "fixtures", "all-MiniLM-L6-v2", f), join(root, "embed", f));
    const gguf = readFileSync(join(root, "gguf", "exaone.gguf"));
    writeFileSync(join(root, "broken", "cut.gguf"), gguf.subarray(0, 100));
    const st = Buffer.alloc(16);
    st.writeBigUInt64LE(200_000_000n);
    writeFileSync(join(root, "broken", "huge-header.safetensors"), st);
    writeFileSync(join(root, "broken", "tokenizer.json"), '{"model": {"type": "BPE", "vocab": {"a": 0');

    const r = aiprov(["scan", root, "--format", "json"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const result = JSON.parse(r.stdout) as AuditResult;
    expect(validate("report.schema.json", result, "report")).toEqual([]);

    const source = result.references.find((x) => x.location.pointer === "/general.source.url");
    expect(source).toMatchObject({
      target: "huihui-ai/EXAONE-3.5-7.8B-Instruct-abliterated",
      relation: "quantized",
      location: { file: "gguf/exaone.gguf" },
    });
    const embedding = result.components.find((c) => c.role === "embedding");
    expect(embedding?.location.file).toMatch(/^embed\//);
    const tokenizer = result.components.find((c) => c.location.file === "embed/tokenizer.json");
    expect(tokenizer).toMatchObject({ role: "tokenizer", parent: embedding!.key, facts: { vocabSize: 40 } });
    expect(result.components.find((c) => c.key === "embed/model.safetensors#/visual.")?.role).toBe("vision-encoder");

    const diag = (file: string) => result.diagnostics.filter((d) => d.location?.file === file).map((d) => d.code);
    expect(diag("broken/cut.gguf")).toEqual(["invalid-gguf"]);
    expect(diag("broken/huge-header.safetensors")).toEqual(["invalid-safetensors"]);
    expect(diag("broken/tokenizer.json")).toEqual(["parse-error"]);
  });
});
