import { describe, expect, it } from "vitest";
import { loadKnowledgeBase } from "./knowledge-base.js";
import { mapOllamaTags } from "./ollama.js";
import { link } from "../../extract/link.js";
import { codeReference } from "../../extract/code/model-ref.js";
import type { ModelReference } from "../../model/types.js";

const kb = loadKnowledgeBase();
const tag = (value: string, line = 1): ModelReference =>
  codeReference({ extractor: "modelfile", location: { file: "Modelfile", line }, value, kind: "ollama-tag" });

describe("Ollama library tags (rules/knowledge/ollama-tags.yaml)", () => {
  it("loads the cited table: every entry names its ollama.com page and a default size", () => {
    expect(kb.ollamaTags?.length).toBeGreaterThan(5);
    for (const t of kb.ollamaTags ?? []) {
      expect(t.source.url).toBe(`https://ollama.com/library/${t.name}`);
      expect(t.upstream[t.default], t.name).toBeDefined();
    }
  });

  it("maps sizes, latest and quantization suffixes to Hub repos, and leaves unknown tags unresolved", () => {
    const out = mapOllamaTags(
      [
        tag("qwen2.5:7b"),
        tag("llama3.1"),
        tag("exaone3.5:2.4b"),
        tag("bge-m3:567m-fp16"),
        tag("exaone"),
        tag("qwen2.5:999b"),
      ],
      kb,
    );
    expect(out.map((r) => [r.kind, r.target, r.skipReason ?? null])).toEqual([
      ["hub-id", "Qwen/Qwen2.5-7B-Instruct", null],
      ["hub-id", "meta-llama/Llama-3.1-8B-Instruct", null],
      ["hub-id", "LGAI-EXAONE/EXAONE-3.5-2.4B-Instruct", null],
      ["hub-id", "BAAI/bge-m3", null],
      ["ollama-tag", "exaone:latest", "unknown-alias"],
      ["ollama-tag", "qwen2.5:999b", "unknown-alias"],
    ]);
    expect(out[0]?.facts).toMatchObject({ ollamaTag: "qwen2.5:7b", mappedBy: "https://ollama.com/library/qwen2.5" });
  });
});

describe("linking code to settings keys and .env values", () => {
  it("resolves settings().a.b from the tree's settings file and ${VAR:-d} from .env, keeping the Ollama kind", () => {
    const settings = codeReference({
      extractor: "app-settings",
      location: { file: "settings.yaml", line: 4, pointer: "/huggingface/embedding_hf_model_name" },
      value: "nomic-ai/nomic-embed-text-v1.5",
    });
    const code = codeReference({
      extractor: "python-code",
      location: { file: "scripts/setup", line: 9 },
      expression: "settings().huggingface.embedding_hf_model_name",
    });
    const env = codeReference({
      extractor: "app-settings",
      location: { file: "settings-docker.yaml", line: 3 },
      value: "${PGPT_OLLAMA_LLM_MODEL:-llama3.1}",
      kind: "ollama-tag",
    });
    const linked = link([
      { references: [settings, code, env] },
      {
        variables: [
          { name: "PGPT_OLLAMA_LLM_MODEL", value: "qwen2.5:7b", location: { file: ".env", line: 1 }, scope: "" },
        ],
      },
    ]);
    const fromCode = linked.references.find((r) => r.location.file === "scripts/setup")!;
    expect(fromCode).toMatchObject({
      kind: "hub-id",
      target: "nomic-ai/nomic-embed-text-v1.5",
      facts: { settingsKey: "/huggingface/embedding_hf_model_name", definedAt: "settings.yaml:4" },
    });
    expect(fromCode.skipReason).toBeUndefined();
    const fromEnv = mapOllamaTags(linked.references, kb).find((r) => r.location.file === "settings-docker.yaml")!;
    expect(fromEnv).toMatchObject({
      kind: "hub-id",
      target: "Qwen/Qwen2.5-7B-Instruct",
      facts: { variable: "PGPT_OLLAMA_LLM_MODEL", definedAt: ".env:1" },
    });
  });
});
