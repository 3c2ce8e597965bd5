import { describe, expect, it } from "vitest";
import { fileURLToPath } from "node:url";
import { extractJsSource, jsCodeExtractor } from "./index.js";
import { extractFile } from "../../testing.js";

const FIX = fileURLToPath(new URL("./fixtures", import.meta.url));

describe("js-code extractor", () => {
  it("reads transformers.js pipeline calls: constants resolve, run-time models and revisions stay dynamic", async () => {
    const out = await extractFile(jsCodeExtractor, FIX, "worker.js");
    const refs = out.references ?? [];
    expect(refs.find((r) => r.location.line === 9)).toMatchObject({
      skipReason: "dynamic-value",
      facts: { expression: "this.model" },
    });
    expect(refs.find((r) => r.location.line === 9)?.facts?.revisionExpression).toMatch(/no_attentions/);
    expect(refs.find((r) => r.location.line === 19)).toMatchObject({
      target: "Xenova/all-MiniLM-L6-v2",
      facts: { variable: "EMBEDDER", library: "@xenova/transformers" },
    });
    expect(refs.find((r) => r.location.line === 20)).toMatchObject({
      target: "Xenova/vit-gpt2-image-captioning",
      revision: "main",
      facts: { dtype: "q8" },
    });
  });

  it("reads ids built at run time, conditional revisions and the names a model is tested against", async () => {
    const refs = (await extractFile(jsCodeExtractor, FIX, "transcribe.js")).references ?? [];
    const at = (line: number) => refs.filter((r) => r.location.line === line);
    // `model.startsWith("distil-whisper/")` names an organization, without loading anything
    expect(at(5)).toMatchObject([
      {
        usage: "name",
        raw: "distil-whisper/",
        facts: { test: "startsWith", subject: "model", organization: "distil-whisper" },
      },
    ]);
    expect(at(5)[0]!.target).toBeUndefined();
    // `let modelName = model; modelName += ".en"`: the concatenation, honestly a run-time value
    expect(at(6)).toMatchObject([
      {
        skipReason: "dynamic-value",
        facts: { variable: "modelName", built: "concatenation", appends: ".en", expression: 'model + ".en"' },
      },
    ]);
    // the revision and dtype conditionals: their choices, and the line they are read from
    expect(at(10)[0]).toMatchObject({
      skipReason: "dynamic-value",
      facts: {
        revisionCandidates: "no_attentions|main",
        revisionAt: "transcribe.js:12",
        dtypeCandidates: "q8|fp32",
        dtypeAt: "transcribe.js:13",
      },
    });
    expect(at(12)).toMatchObject([
      { usage: "name", raw: "/whisper-medium", facts: { repository: "whisper-medium", subject: "modelName" } },
    ]);
    // a comparison with a Hub id names that model
    expect(at(15)).toMatchObject([
      { usage: "name", kind: "hub-id", target: "Xenova/whisper-tiny", facts: { test: "comparison" } },
    ]);
    // a string test on a value that is not model-named is nothing
    expect(at(16)).toEqual([]);
  });

  it("gives a setter fed by a <select> the options it offers", async () => {
    const refs = (await extractFile(jsCodeExtractor, FIX, "SettingsMenu.tsx")).references ?? [];
    const at = (line: number) => refs.filter((r) => r.location.line === line);
    // options mapped from the menu's keys (through a filter): the menu's ids, the first standing for them
    expect(at(10).find((r) => r.facts?.setter)).toMatchObject({
      target: "Xenova/whisper-tiny",
      facts: {
        choices: "Xenova/whisper-tiny|Xenova/whisper-small|distil-whisper/distil-large-v2",
        optionsFrom: "models",
        resolvedFrom: "select-options",
      },
    });
    // constant options: only model-shaped values
    expect(at(17)[0]).toMatchObject({
      target: "onnx-community/whisper-base",
      facts: { choices: "onnx-community/whisper-base" },
    });
    // a free-text input is a run-time value
    expect(at(21)[0]).toMatchObject({ skipReason: "dynamic-value", facts: { setter: "setModel" } });
  });

  it("reads model-named keys and keeps dataset URLs and MIME types out", async () => {
    const out = await extractFile(jsCodeExtractor, FIX, "Constants.ts");
    expect(out.references?.map((r) => [r.target, r.location.line])).toEqual([["Xenova/whisper-tiny", 5]]);
  });

  it("reads a model menu whose keys are Hub ids (TSX)", async () => {
    const out = await extractFile(jsCodeExtractor, FIX, "AudioManager.tsx");
    expect(out.references?.filter((r) => !r.skipReason).map((r) => r.target)).toEqual([
      "Xenova/whisper-tiny",
      "Xenova/whisper-base",
      "distil-whisper/distil-medium.en",
    ]);
    // The menu's setter chooses the model at run time.
    expect(out.references?.filter((r) => r.skipReason)).toMatchObject([
      {
        skipReason: "dynamic-value",
        location: { line: 8 },
        facts: { setter: "setModel", expression: "e.target.value" },
      },
    ]);
  });

  it("reads @huggingface/inference calls and from_pretrained, with process.env as ${VAR}", async () => {
    const out = await extractFile(jsCodeExtractor, FIX, "inference.mjs");
    const refs = out.references ?? [];
    expect(refs.map((r) => r.target ?? r.raw)).toEqual([
      "meta-llama/Llama-3.1-8B-Instruct",
      "onnx-community/Qwen2.5-0.5B-Instruct",
      "${TOKENIZER_ID}",
    ]);
    expect(refs[2]).toMatchObject({ role: "tokenizer", skipReason: "dynamic-value" });
  });

  it("does not want minified bundles or type declarations", () => {
    expect(jsCodeExtractor.matches("dist/app.js", "app.js")).toBe(false);
    expect(jsCodeExtractor.matches("src/types.d.ts", "types.d.ts")).toBe(false);
    expect(jsCodeExtractor.matches("src/app.tsx", "app.tsx")).toBe(true);
  });

  it("follows a model parameter through same-file helpers to the calls that hand it in; a constant default parameter resolves", async () => {
    const text = [
      'import { pipeline } from "@huggingface/transformers";', // 1
      "async function getPipeline(modelName: string) {", // 2
      '  return pipeline("feature-extraction", modelName);', // 3
      "}", // 4
      "export async function embed(name: string, inputs: string[]) {", // 5
      "  return (await getPipeline(name))(inputs);", // 6
      "}", // 7
      'export const run = (cfg: { id: string }) => embed(cfg.id, ["a"]);', // 8
      'export const fixed = () => embed("Xenova/all-MiniLM-L6-v2", ["b"]);', // 9
      'export async function caption(model = "Xenova/vit-gpt2-image-captioning") {', // 10
      '  return pipeline("image-to-text", model);', // 11
      "}", // 12
    ].join("\n");
    const refs = await extractJsSource(text, "src/embed.ts");
    const at = (line: number) => refs.filter((r) => r.location.line === line);
    expect(at(3)[0]).toMatchObject({ skipReason: "dynamic-value", facts: { expression: "modelName" } });
    expect(at(6)).toEqual([]);
    expect(at(8)[0]).toMatchObject({
      skipReason: "dynamic-value",
      facts: { expression: "cfg.id", through: "embed", loader: "pipeline" },
    });
    expect(at(9)[0]).toMatchObject({ target: "Xenova/all-MiniLM-L6-v2", facts: { through: "embed" } });
    expect(at(11)[0]).toMatchObject({ target: "Xenova/vit-gpt2-image-captioning" });
  });
});

describe("js-code: hosted models and environment fallbacks (issue 17)", () => {
  it("names each hosted model with its provider, and reads fallbacks", async () => {
    const menu = await extractFile(jsCodeExtractor, FIX, "hosted/models.ts");
    const got = (menu.references ?? []).map((r) => [r.kind, r.target, r.provider ?? null]);
    expect(got).toEqual([
      ["hosted-model", "gpt-4o", "openai"],
      ["hosted-model", "mixtral-8x7b-32768", "groq"],
      ["hosted-model", "deepseek-chat", "deepseek"],
      ["hosted-model", "moonshot-v1-32k", "moonshot"],
      ["hub-id", "Xenova/speecht5_tts", null],
    ]);
    const groq = await extractFile(jsCodeExtractor, FIX, "hosted/providers/groq/index.js");
    expect((groq.references ?? []).map((r) => [r.target, r.provider])).toEqual([
      ["llama-3.1-8b-instant", "groq"],
      ["llama3-8b-8192", "groq"],
      ["gemma2-9b-it", "groq"],
    ]);
  });
});

describe("js-code: members and local runtimes (issue 17)", () => {
  it("reads a Hub id set on this.model and an Ollama tag from an environment fallback", async () => {
    const out = await extractFile(jsCodeExtractor, FIX, "hosted/local.js");
    expect((out.references ?? []).map((r) => [r.kind, r.target])).toEqual([
      ["hub-id", "Xenova/ms-marco-MiniLM-L-6-v2"],
      ["ollama-tag", "llama3:latest"],
    ]);
  });
});

describe("js-code library defaults (issue 17)", () => {
  it("new OpenAIEmbeddings() without a model key uses the class's documented default; a named model is read as written", async () => {
    const refs = await extractJsSource(
      [
        "import { OpenAIEmbeddings } from 'langchain/embeddings/openai';",
        "const a = new OpenAIEmbeddings();",
        "const b = new OpenAIEmbeddings({ batchSize: 512 });",
        "const c = new OpenAIEmbeddings({ modelName: 'text-embedding-3-small' });",
        "const d = new SomethingElse();",
      ].join("\n"),
      "pages/api/chat.ts",
    );
    const at = (line: number) => refs.filter((r) => r.location.line === line);
    expect(at(2)).toMatchObject([
      {
        kind: "hosted-model",
        target: "text-embedding-ada-002",
        provider: "openai",
        role: "embedding",
        facts: { libraryDefault: true },
      },
    ]);
    expect(at(3)).toMatchObject([{ target: "text-embedding-ada-002", facts: { libraryDefault: true } }]);
    expect(at(4)).toMatchObject([{ kind: "hosted-model", target: "text-embedding-3-small", provider: "openai" }]);
    expect(at(4)[0]?.facts?.libraryDefault).toBeUndefined();
    expect(at(5)).toEqual([]);
  });
});
