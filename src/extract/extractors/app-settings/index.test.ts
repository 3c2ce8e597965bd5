import { describe, expect, it } from "vitest";
import { fileURLToPath } from "node:url";
import { appSettingsExtractor } from "./index.js";
import { extractFile } from "../../testing.js";

const FIX = fileURLToPath(new URL("./fixtures", import.meta.url));

describe("app-settings extractor", () => {
  it("reads model keys, ${VAR:default} forms and Ollama sections; keeps paths, MIME types, prompt files and API models out", async () => {
    const refs = (await extractFile(appSettingsExtractor, FIX, "settings.yaml")).references ?? [];
    expect(refs.map((r) => [r.kind, r.target ?? r.raw, r.location.line])).toEqual([
      ["hub-id", "${PGPT_TOKENIZER:meta-llama/Meta-Llama-3.1-8B-Instruct}", 4],
      ["hub-id", "cross-encoder/ms-marco-MiniLM-L-2-v2", 8],
      ["hub-id", "lmstudio-community/Meta-Llama-3.1-8B-Instruct-GGUF", 10],
      ["hub-id", "nomic-ai/nomic-embed-text-v1.5", 13],
      ["ollama-tag", "llama3.1:latest", 16],
      ["ollama-tag", "nomic-embed-text:latest", 17],
    ]);
    expect(refs[0]).toMatchObject({ skipReason: "dynamic-value", role: "tokenizer" });
    expect(refs[1]?.role).toBe("reranker");
    expect(refs[3]?.role).toBe("embedding");
  });

  it("reads the model of an object under a model-named key (Helm values), not image repositories or service names", async () => {
    const refs = (await extractFile(appSettingsExtractor, FIX, "helm-chart/values.yaml")).references ?? [];
    expect(refs.map((r) => [r.target, r.location.pointer, r.location.line])).toEqual([
      ["Qwen/Qwen2.5-7B-Instruct", "/model/name", 7],
      ["BAAI/bge-m3", "/embeddingModel/id", 11],
    ]);
  });

  it("reads a model catalog: parent_id, base_model tags (with their relation), Hub file URLs and other GGUF file URLs, not dataset URLs", async () => {
    const refs = (await extractFile(appSettingsExtractor, FIX, "catalog-manifest.yaml")).references ?? [];
    expect(refs.map((r) => [r.target, r.location.line, r.relation ?? null, r.facts?.via ?? null])).toEqual([
      ["upstage/SOLAR-10.7B-Instruct-v1.0", 2, null, null],
      ["upstage/SOLAR-10.7B-v1.0", 6, null, "tag"],
      ["upstage/SOLAR-10.7B-v1.0", 7, "finetune", "tag"],
      ["TheBloke/SOLAR-10.7B-Instruct-v1.0-GGUF", 13, "quantized", "file-url"],
      // A GGUF file downloaded from elsewhere is a weight download too (weight-url rule), not a Hub repository.
      ["https://example.com/resolve/main/x.gguf", 16, null, "weight-url"],
    ]);
  });

  it("reads LiteLLM provider prefixes", async () => {
    const refs = (await extractFile(appSettingsExtractor, FIX, "litellm_config.yaml")).references ?? [];
    // openai/gpt-4o is OpenAI's API; openai/whisper-large-v3 is a Hub repo of the openai org
    expect(refs.map((r) => [r.kind, r.target])).toEqual([
      ["hub-id", "meta-llama/Llama-3.1-8B-Instruct"],
      ["ollama-tag", "qwen2.5:7b"],
      ["hub-id", "openai/whisper-large-v3"],
    ]);
  });

  it("reads TOML and JSON model lists with lines and pointers", async () => {
    const toml = (await extractFile(appSettingsExtractor, FIX, "app.toml")).references ?? [];
    expect(toml.map((r) => [r.target, r.location.line])).toEqual([
      ["BAAI/bge-m3", 3],
      ["Qwen/Qwen2.5-7B-Instruct", 6],
    ]);
    const json = (await extractFile(appSettingsExtractor, FIX, "models.json")).references ?? [];
    expect(json.map((r) => [r.target, r.location.pointer, r.location.line])).toEqual([
      ["NousResearch/Hermes-3-Llama-3.1-8B", "/models/0/name", 3],
      ["Xenova/gte-small", "/models/1/name", 4],
    ]);
  });

  it("leaves merge recipes to their extractor and skips files it does not own", async () => {
    expect((await extractFile(appSettingsExtractor, FIX, "mergekit.yaml")).references).toEqual([]);
    for (const f of [
      "package.json",
      "config.json",
      "tokenizer_config.json",
      "docker-compose.yml",
      ".github/workflows/ci.yaml",
    ])
      expect(appSettingsExtractor.matches(f, f.split("/").pop()!)).toBe(false);
  });
});

describe("app-settings weight URLs (issue 17)", () => {
  it("reads a weight download URL under any key; data files, pages and archives without a checkpoint word are not models", async () => {
    const refs = (await extractFile(appSettingsExtractor, FIX, "weight-urls.yaml")).references ?? [];
    expect(refs.map((r) => [r.kind, r.target, r.location.line, r.facts?.via])).toEqual([
      [
        "url",
        "https://storage.googleapis.com/sfr-vision-language-research/BLIP/models/model_base_caption_capfilt_large.pth",
        6,
        "weight-url",
      ],
      ["url", "https://dl.fbaipublicfiles.com/deit/deit_base_patch16_224-b5f2ef4d.pth", 9, "weight-url"],
      ["hub-id", "guozinan/PuLID", 10, "file-url"],
    ]);
  });
});
