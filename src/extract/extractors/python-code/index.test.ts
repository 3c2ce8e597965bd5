import { describe, expect, it } from "vitest";
import { fileURLToPath } from "node:url";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pythonCodeExtractor, extractPythonSource } from "./index.js";
import { extractFile } from "../../testing.js";

const FIX = fileURLToPath(new URL("./fixtures", import.meta.url));

describe("python-code extractor", () => {
  it("finds every loader in loaders.py with its line, kind and facts", async () => {
    const out = await extractFile(pythonCodeExtractor, FIX, "loaders.py");
    const at = (line: number) => (out.references ?? []).filter((r) => r.location.line === line);
    expect(at(15)[0]).toMatchObject({
      kind: "hub-id",
      target: "meta-llama/Llama-3.1-8B-Instruct",
      role: "tokenizer",
      revision: "0e9e39f249a16976918f6564b8830bc894c89659",
    });
    expect(at(16)[0]?.facts).toMatchObject({ trustRemoteCode: true, variable: "MODEL_ID" });
    expect(at(17)[0]).toMatchObject({ target: "Qwen/Qwen2.5-VL-7B-Instruct", facts: { configOnly: true } });
    expect(at(18)[0]).toMatchObject({
      kind: "local-path",
      target: "adapters/ko-lora",
      role: "adapter",
      relation: "adapter",
    });
    expect(at(19)[0]?.target).toBe("openai/whisper-large-v3");
    expect(at(20)[0]).toMatchObject({ target: "BAAI/bge-m3", role: "embedding" });
    expect(at(21)[0]).toMatchObject({ target: "BAAI/bge-reranker-v2-m3", role: "reranker" });
    expect(at(22)[0]?.facts).toMatchObject({ weightFormat: "gguf", filename: "Llama-3.2-3B-Instruct-Q4_K_M.gguf" });
    expect(at(24)[0]).toMatchObject({ kind: "modelscope-id", target: "qwen/Qwen2.5-7B-Instruct" });
    expect(at(26)[0]).toMatchObject({
      target: "NCSOFT/VARCO-VISION-2.0-1.7B",
      facts: { trustRemoteCode: true, loader: "vllm.LLM" },
    });
    expect(at(28)[0]).toMatchObject({
      kind: "known-component",
      target: "large-v3",
      facts: { upstream: "openai/whisper-large-v3" },
    });
    expect(at(29)[0]).toMatchObject({ kind: "known-component", target: "intel-isl/MiDaS:DPT_Large" });
    expect(at(31)[0]?.facts).toMatchObject({ weightFormat: "pickle" });
    // os.getenv with a default becomes ${VAR:-default} for the linking pass.
    expect(at(32)[0]).toMatchObject({
      skipReason: "dynamic-value",
      raw: "${LLM_MODEL:-upstage/SOLAR-10.7B-Instruct-v1.0}",
    });
    // A loop variable over a list literal takes each element: one reference per value, the expression kept.
    expect(at(34).map((r) => [r.target, r.facts?.expression, r.facts?.itemAt])).toEqual([
      ["a/b", "name", "loaders.py:33"],
      ["c/d", "name", "loaders.py:33"],
    ]);
  });

  it("reads notebook code cells, skipping shell escapes and markdown", async () => {
    const out = await extractFile(pythonCodeExtractor, FIX, "notebook.ipynb");
    expect(out.references?.map((r) => [r.target, r.location.pointer, r.location.line])).toEqual([
      ["google/siglip-so400m-patch14-384", "/cells/1/source", 3],
    ]);
  });

  it("judges a notebook by the size of its code cells, not of its outputs", async () => {
    const dir = await mkdtemp(join(tmpdir(), "aiprov-nb-"));
    try {
      // 3 MiB of embedded image output, a few bytes of code.
      const image = "A".repeat(3 * 1024 * 1024);
      const nb = (code: string) =>
        JSON.stringify({
          nbformat: 4,
          cells: [{ cell_type: "code", source: code, outputs: [{ data: { "image/png": image } }] }],
        });
      await writeFile(
        join(dir, "small.ipynb"),
        nb('from transformers import AutoModel\nm = AutoModel.from_pretrained("org/small-model")\n'),
      );
      const out = await extractFile(pythonCodeExtractor, dir, "small.ipynb");
      expect(out.references?.map((r) => r.target)).toEqual(["org/small-model"]);
      await writeFile(join(dir, "big.ipynb"), nb(`x = "${"y".repeat(1100 * 1024)}"\n`));
      await expect(extractFile(pythonCodeExtractor, dir, "big.ipynb")).rejects.toThrow(/larger than the 1048576-byte/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("turns a notebook with broken JSON into a diagnostic", async () => {
    const out = await extractFile(pythonCodeExtractor, FIX, "broken.ipynb");
    expect(out.references ?? []).toEqual([]);
    expect(out.diagnostics?.[0]).toMatchObject({ code: "parse-error", location: { file: "broken.ipynb" } });
  });

  it("sniffs extensionless scripts for a Python shebang", async () => {
    const out = await extractFile(pythonCodeExtractor, FIX, "scripts/setup");
    expect(out.references?.[0]?.target).toBe("meta-llama/Meta-Llama-3.1-8B-Instruct");
  });

  it("resolves parameter defaults and f-strings of constants, and keeps other expressions", async () => {
    const src = [
      'BASE = "models"',
      'def load(model_path: str = "moonshotai/Kimi-VL-A3B-Thinking"):',
      "    AutoConfig.from_pretrained(model_path, trust_remote_code=True)",
      'load_pretrained_model(f"{BASE}/Llama-3.1-8B-Omni", model_base=None)',
      "AutoModel.from_pretrained(cfg.speech_encoder)",
    ].join("\n");
    const refs = await extractPythonSource(src, { file: "x.py" });
    expect(refs.find((r) => r.location.line === 3)).toMatchObject({
      target: "moonshotai/Kimi-VL-A3B-Thinking",
      facts: { resolvedFrom: "parameter-default", trustRemoteCode: true },
    });
    expect(refs.find((r) => r.location.line === 4)).toMatchObject({
      kind: "local-path",
      target: "models/Llama-3.1-8B-Omni",
    });
    expect(refs.find((r) => r.location.line === 5)).toMatchObject({
      skipReason: "dynamic-value",
      facts: { expression: "cfg.speech_encoder" },
    });
  });

  it("parses a file whose only loader is a sentence-transformers class", async () => {
    const { pythonCodeExtractor: x } = await import("./index.js");
    const { mkdtempSync, writeFileSync } = await import("node:fs");
    const { tmpdir } = await import("node:os");
    const { join } = await import("node:path");
    const dir = mkdtempSync(join(tmpdir(), "aiprov-py-"));
    writeFileSync(
      join(dir, "embed.py"),
      'from sentence_transformers import SentenceTransformer\nembedder = SentenceTransformer("BAAI/bge-m3")\n',
    );
    const out = await extractFile(x, dir, "embed.py");
    expect(out.references?.map((r) => r.target)).toEqual(["BAAI/bge-m3"]);
  });

  it("does not treat look-alikes as models (MIME types, prompt files, generic LLM classes)", async () => {
    const src = [
      'MIME = "image/png"',
      'prompt = load_prompt("prompts/rag-exaone.yaml")',
      "class LLM: pass",
      'x = LLM(model="not/vllm")',
    ].join("\n");
    const refs = await extractPythonSource(src, { file: "x.py" });
    expect(refs.filter((r) => r.target === "image/png" || /prompts/.test(r.raw))).toEqual([]);
    // A local class named LLM is not vLLM's, but a model-named keyword with a Hub-shaped value is still a reference.
    expect(refs.find((r) => r.target === "not/vllm")?.facts?.loader).toBeUndefined();
  });
});

describe("python-code same-file flow", () => {
  it("follows a parameter to its callers, argparse defaults to args.<dest>, and pathlib joins", async () => {
    const text = [
      "import argparse", // 1
      "from pathlib import Path", // 2
      "from transformers import AutoModel, AutoTokenizer", // 3
      "", // 4
      "def load(model_id, device):", // 5
      "    return AutoModel.from_pretrained(model_id)", // 6
      "", // 7
      "def load_parts(root: Path):", // 8
      '    return AutoTokenizer.from_pretrained(root / "text_model")', // 9
      "", // 10
      "def use(opts):", // 11
      "    return AutoModel.from_pretrained(opts.base)", // 12
      "", // 13
      "def other(name):", // 14
      "    return AutoModel.from_pretrained(name)", // 15
      "", // 16
      "def main():", // 17
      "    parser = argparse.ArgumentParser()", // 18
      '    parser.add_argument("--model", default="Qwen/Qwen2.5-7B-Instruct")', // 19
      '    parser.add_argument("--checkpoint-path", default="ckpt-599808")', // 20
      '    parser.add_argument("--base", default="google/gemma-2-2b")', // 21
      "    args = parser.parse_args()", // 22
      '    load(args.model, "cuda")', // 23
      "    load_parts(Path(args.checkpoint_path))", // 24
      "    use(parser.parse_args())", // 25
      '    other("a/b")', // 26
      '    other("c/d")', // 27
    ].join("\n");
    const refs = await extractPythonSource(text, { file: "infer.py" });
    const at = (line: number) => refs.find((r) => r.location.line === line);
    expect(at(6)).toMatchObject({
      target: "Qwen/Qwen2.5-7B-Instruct",
      facts: { resolvedFrom: "caller", through: "load", cliFlag: "model" },
    });
    expect(at(9)).toMatchObject({ kind: "local-path", target: "ckpt-599808/text_model", facts: { pathJoin: true } });
    expect(at(12)).toMatchObject({
      target: "google/gemma-2-2b",
      facts: { resolvedFrom: "argparse-default", cliFlag: "base" },
    });
    // Callers that disagree: one reference per value each caller passes, with the caller's line.
    expect(refs.filter((r) => r.location.line === 15).map((r) => [r.target, r.facts?.callerAt])).toEqual([
      ["a/b", "infer.py:26"],
      ["c/d", "infer.py:27"],
    ]);
  });

  it("follows a list a loop walks, a dataclass registry, a constructor built in the file and a file read with open()", async () => {
    const out = await extractFile(pythonCodeExtractor, FIX, "flows.py");
    const at = (line: number) => (out.references ?? []).filter((r) => r.location.line === line);
    // `for spec in REGISTRY: fetch(spec)` -> `spec.repo_id`: each registry entry's keyword value.
    expect(at(30).map((r) => [r.target, r.facts?.itemAt, r.facts?.expression])).toEqual([
      ["Qwen/Qwen3-1.7B", "flows.py:20", "spec.repo_id"],
      ["Qwen/Qwen3-4B-Instruct-2507", "flows.py:21", "spec.repo_id"],
    ]);
    // `Runner("./checkpoints")` -> `self.model_name_or_path = model_name_or_path` -> the loader.
    expect(at(36)[0]).toMatchObject({
      kind: "local-path",
      target: "checkpoints",
      facts: { resolvedFrom: "assignment", through: "Runner" },
    });
    // BASE_URL (an f-string) + each tarball name; the HF modules cache is remote code.
    const urls = at(46).filter((r) => r.kind === "url");
    expect(urls.map((r) => r.target)).toEqual([
      "https://weights.example.com/releases/weights/models--Qwen--Qwen3-1.7B.tar",
      "https://weights.example.com/releases/weights/modules.tar",
    ]);
    expect(urls[0]?.facts).toMatchObject({ prefixAt: "flows.py:10", definedAt: "flows.py:45", values: 2 });
    expect(urls[1]?.facts).toMatchObject({ hfModulesCache: true, remoteCode: true });
    // The download's destination is written; the vocoder config is read with open() and handed to the loader.
    expect(at(47).find((r) => r.usage === "write")).toMatchObject({
      kind: "local-path",
      target: "weights",
      facts: { definedAt: "flows.py:9" },
    });
    expect(at(48)[0]).toMatchObject({
      target: "weights/vocoder/config.json",
      role: "audio-decoder",
      facts: { loader: "open", configFor: "CodeHiFiGANVocoder" },
    });
  });
});

describe("python-code outputs, derivations and names", () => {
  it("records writes, transforms and names with their usage and relation", async () => {
    const out = await extractFile(pythonCodeExtractor, FIX, "derivations.py");
    const refs = out.references ?? [];
    const at = (line: number) => refs.filter((r) => r.location.line === line);
    // A `*_MODEL_TYPE` setting and a `model_type` comparison name a family; a monkey-patch claims an architecture.
    expect(at(19)[0]).toMatchObject({
      usage: "name",
      kind: "known-component",
      target: "siglip",
      facts: { familyKey: true },
    });
    expect(at(61)[0]).toMatchObject({ usage: "name", target: "internvl_chat", facts: { familyKey: "model_type" } });
    expect(at(54)[0]).toMatchObject({
      usage: "name",
      target: "llama",
      facts: { patch: "replace_llama_attn_with_flash_attn", claims: "architecture" },
    });
    // `optimizer` is not a family.
    expect(at(55)).toEqual([]);
    // The step imported when the merged model is missing produces it.
    expect(at(26)[0]).toMatchObject({
      usage: "write",
      target: "/data/models/merged",
      facts: { producedBy: "train.step1" },
    });
    // llm-compressor oneshot quantizes the model loaded from BASE; save_pretrained writes the derivative, per caller.
    expect(at(29)[0]).toMatchObject({
      usage: "transform",
      relation: "quantized",
      target: "meta-llama/Llama-3.1-8B-Instruct",
      facts: { scheme: "W8A8", modifiers: "GPTQModifier" },
    });
    expect(at(30).map((r) => [r.usage, r.relation, r.target, r.facts?.derivedFrom, r.facts?.transformAt])).toEqual([
      ["write", "quantized", "/data/models/w8a8_002", "meta-llama/Llama-3.1-8B-Instruct", "derivations.py:29"],
      ["write", "quantized", "/data/models/w8a8_0015", "meta-llama/Llama-3.1-8B-Instruct", "derivations.py:29"],
    ]);
    expect(at(30)[0]?.facts).toMatchObject({
      rootAt: "derivations.py:17",
      definedAt: "derivations.py:24",
      callerAt: "derivations.py:67",
    });
    // The tokenizer is saved too, but nothing transformed it.
    expect(at(31)[0]).toMatchObject({ usage: "write", role: "tokenizer" });
    expect(at(31)[0]?.relation).toBeUndefined();
    // A provenance record written by the code names its base.
    expect(at(33)[0]).toMatchObject({
      usage: "name",
      target: "meta-llama/Llama-3.1-8B-Instruct",
      facts: { key: "lora_base" },
    });
    // State-dict arithmetic merges the chat model into the base; the saved base is a merge.
    expect(at(40)[0]).toMatchObject({
      usage: "transform",
      relation: "merge",
      target: "beomi/Llama-3-KoEn-8B",
      facts: { mergedInto: "meta-llama/Llama-3.1-8B-Instruct" },
    });
    expect(at(44)[0]).toMatchObject({
      usage: "write",
      relation: "merge",
      kind: "local-path",
      target: "merged",
      facts: { transformAt: "derivations.py:40" },
    });
    // AutoAWQ quantize + save_quantized in another function: its own transform, not oneshot's.
    expect(at(50)[0]).toMatchObject({
      usage: "write",
      relation: "quantized",
      facts: { transformAt: "derivations.py:49" },
    });
    // An engine config's quantization format is a fact of the loader it is handed to, with its own line.
    expect(at(59)[0]).toMatchObject({
      target: "OpenGVLab/InternVL2-8B-AWQ",
      facts: { quantization: "awq", quantizationAt: "derivations.py:57" },
    });
    expect(at(60)[0]?.facts).toMatchObject({ quantization: "awq", loader: "vllm.LLM" });
    // Loads stay loads.
    expect(at(27)[0]?.usage).toBeUndefined();
  });

  it("gives a parameter its default and each caller's value, per function, and reads dict entries and formatted strings", async () => {
    const out = await extractFile(pythonCodeExtractor, FIX, "caller-values.py");
    const at = (line: number) =>
      (out.references ?? [])
        .filter((r) => r.location.line === line)
        .map((r) => r.target)
        .sort();
    // The default and the value the caller passes: two references (a caller leaving it out takes the default).
    expect(at(14)).toEqual(["beomi/Llama-3-Open-Ko-8B", "upstage/SOLAR-10.7B-Instruct-v1.0"]);
    expect(
      (out.references ?? []).find((r) => r.location.line === 14 && r.target === "beomi/Llama-3-Open-Ko-8B")?.facts,
    ).toMatchObject({ callerAt: "caller-values.py:17", expression: "name" });
    // Another function's parameter of the same name takes only its own callers' values.
    expect(at(22)).toEqual(["google/gemma-2-9b-it"]);
    expect(at(30)).toEqual(["microsoft/Phi-3-mini-4k-instruct", "microsoft/phi-2"]);
    // A dict literal: every entry for an unknown key, the named entry for a constant key.
    expect(at(37)).toEqual(["Qwen/Qwen2.5-0.5B-Instruct", "Qwen/Qwen2.5-7B-Instruct"]);
    expect((out.references ?? []).find((r) => r.location.line === 40)).toMatchObject({
      kind: "hub-id",
      target: "Qwen/Qwen2.5-0.5B-Instruct",
      facts: { dictKey: "small", resolvedFrom: "dict-entry" },
    });
    // `.get(key, fallback)`: every entry and the fallback for an unknown key; the named entry for a constant one.
    expect(at(51)).toEqual(["Qwen/Qwen2.5-0.5B-Instruct", "Qwen/Qwen2.5-1.5B-Instruct", "Qwen/Qwen2.5-7B-Instruct"]);
    expect(at(54)).toEqual(["Qwen/Qwen2.5-7B-Instruct"]);
    expect(at(41)).toEqual(["google/gemma-2-2b-it"]);
    expect(at(42)).toEqual(["google/gemma-2-9b-it"]);
    expect(at(43)).toEqual(["google/gemma-2-2b-it"]);
    // "." is the folder itself: a local path (the scanned root here), not a model alias.
    expect((out.references ?? []).find((r) => r.location.line === 47)).toMatchObject({
      kind: "local-path",
      target: ".",
      role: "adapter",
    });
  });

  it("does not read a dict changed in place, nor format calls it cannot fill", async () => {
    const src = [
      "from transformers import AutoModel",
      'MODELS = {"small": "Qwen/Qwen2.5-0.5B-Instruct"}',
      'MODELS["small"] = get_override()',
      'a = AutoModel.from_pretrained(MODELS["small"])',
      'b = AutoModel.from_pretrained("{}/{}".format("google"))',
      'c = AutoModel.from_pretrained("%s/%x" % ("google", 1))',
      'd = AutoModel.from_pretrained(f"{MODELS}")',
    ].join("\n");
    const refs = await extractPythonSource(src, { file: "sub/x.py" });
    for (const line of [4, 5, 6])
      expect(refs.find((r) => r.location.line === line)).toMatchObject({ skipReason: "dynamic-value" });
    const dot = await extractPythonSource('from peft import PeftModel\nm = PeftModel.from_pretrained(base, "..")', {
      file: "sub/x.py",
    });
    expect(dot[0]).toMatchObject({ kind: "local-path", target: "." });
  });
});

describe("python-code: issue 17 value-flow rules and loader rows", () => {
  it("reads registries, field defaults, hosted models and the loader table", async () => {
    const out = await extractFile(pythonCodeExtractor, FIX, "recall.py");
    const refs = out.references ?? [];
    const at = (line: number) =>
      refs
        .filter((r) => r.location.line === line)
        .map((r) => ({ kind: r.kind, target: r.target, provider: r.provider, role: r.role }));
    // A registry: every entry, Hub ids as themselves and bundle constants as aliases.
    expect(at(11)).toEqual([
      { kind: "hub-id", target: "Systran/faster-whisper-small", provider: undefined, role: undefined },
    ]);
    expect(at(14).map((r) => [r.kind, r.target])).toEqual([
      ["known-component", "WAV2VEC2_ASR_BASE_960H"],
      ["known-component", "VOXPOPULI_ASR_BASE_10K_FR"],
    ]);
    // Dataclass field defaults.
    expect(at(19)[0]?.target).toBe("facebook/opt-125m");
    expect(at(20)[0]?.target).toBe("google/siglip-so400m-patch14-384");
    // Loader rows: a size alias becomes its Hub repo; a pack the library loads by default; an architecture.
    expect(at(23)[0]).toMatchObject({ kind: "hub-id", target: "Systran/faster-whisper-large-v3" });
    expect(at(24)[0]).toMatchObject({ kind: "known-component", target: "buffalo_l", role: "vision-encoder" });
    expect(at(25)[0]).toMatchObject({ kind: "known-component", target: "vit_large_patch14_clip_224" });
    expect(at(30)[0]).toMatchObject({ kind: "hub-id", target: "h94/IP-Adapter", role: "adapter" });
    // Hosted models: by SDK and call, by provider class (an aggregator serving another publisher's model), by shape.
    expect(at(27)[0]).toMatchObject({
      kind: "hosted-model",
      target: "claude-3-5-sonnet-20240620",
      provider: "anthropic",
    });
    expect(at(28)[0]).toMatchObject({ kind: "hosted-model", target: "llama3-70b-8192", provider: "groq" });
    expect(at(29)[0]).toMatchObject({ kind: "hosted-model", target: "gpt-4o-mini", provider: "openai" });
    // Inside a function only Hub ids of a model-named list count, never bare aliases.
    expect(refs.some((r) => r.target === "not-a-registry-alias-1")).toBe(false);
  });
});

describe("python-code: path settings, typed parameters and weight-file joins (issue 17)", () => {
  it("reads weight paths by name and value, a Model-typed default, and the constant tail of os.path.join", async () => {
    const out = await extractFile(pythonCodeExtractor, FIX, "recall.py");
    const byLine = new Map((out.references ?? []).map((r) => [r.location.line, r.raw]));
    expect(byLine.get(40)).toBe("asset/Vocoder.safetensors");
    expect(byLine.get(41)).toBe("asset/Embed.safetensors");
    expect(byLine.has(42)).toBe(false);
    expect(byLine.get(45)).toBe("pyannote/segmentation-3.0");
    expect(byLine.get(46)).toBe("assets/pytorch_model.bin");
  });
});

describe("python-code: environment defaults in dict entries and long argparse flags (issue 17)", () => {
  it("keeps the default of os.getenv in a model-named entry and names a flag by its long form", async () => {
    const out = await extractFile(pythonCodeExtractor, FIX, "recall.py");
    const at = (line: number) => (out.references ?? []).filter((r) => r.location.line === line);
    expect(at(50)[0]).toMatchObject({
      raw: "${GENERATION_MODEL:-ibm/granite-13b-chat-v2}",
      facts: { key: "generation_model" },
    });
    expect(at(51)[0]).toMatchObject({ target: "Qwen/Qwen-VL-Chat", facts: { cliFlag: "checkpoint_path" } });
  });
  it("takes a flag's default that also feeds an OpenAI branch for a local model unless it fits OpenAI's names", async () => {
    // Shape of lm-sys/FastChat fastchat/serve/monitor/topic_clustering.py: one `--model` flag, an OpenAI embeddings
    // branch for "text-embedding-ada-002" and a SentenceTransformer for everything else.
    const src = [
      "import argparse",
      "from openai import OpenAI",
      "from sentence_transformers import SentenceTransformer",
      "",
      "def get_embeddings(texts, model_name):",
      '    if model_name == "text-embedding-ada-002":',
      "        client = OpenAI()",
      "        return client.embeddings.create(input=texts, model=model_name).data",
      "    model = SentenceTransformer(model_name)",
      "    return model.encode(texts)",
      "",
      'if __name__ == "__main__":',
      "    parser = argparse.ArgumentParser()",
      '    parser.add_argument("--model", type=str, default="all-mpnet-base-v2")',
      "    args = parser.parse_args()",
      "    get_embeddings([], args.model)",
      "",
    ].join("\n");
    const refs = await extractPythonSource(src, { file: "topic_clustering.py" });
    expect(refs.filter((r) => r.raw === "all-mpnet-base-v2" && r.kind === "hosted-model")).toEqual([]);
    expect(refs.some((r) => r.raw === "all-mpnet-base-v2" && r.location.line === 9)).toBe(true);
    // A default that fits the provider's names stays its hosted model.
    const gpt = await extractPythonSource(src.replace("all-mpnet-base-v2", "gpt-4o-mini"), { file: "t.py" });
    expect(gpt.some((r) => r.kind === "hosted-model" && r.target === "gpt-4o-mini" && r.provider === "openai")).toBe(
      true,
    );
  });
  it("reads a model-named variable handed to a ModelScope loader as a ModelScope id", async () => {
    // Shape of QwenLM/Qwen-VL README.md, section "ModelScope" (ids as published there).
    const src = [
      "from modelscope import (",
      "    snapshot_download, AutoModelForCausalLM, AutoTokenizer, GenerationConfig",
      ")",
      "model_id = 'qwen/Qwen-VL-Chat'",
      "revision = 'v1.0.0'",
      "model_dir = snapshot_download(model_id, revision=revision)",
      "",
    ].join("\n");
    const refs = await extractPythonSource(src, { file: "README.md" });
    const named = refs.filter((r) => r.target?.toLowerCase() === "qwen/qwen-vl-chat");
    expect(named.length).toBeGreaterThanOrEqual(2);
    expect(named.every((r) => r.kind === "modelscope-id")).toBe(true);
    // The same variable without a ModelScope loader stays a Hub id.
    const alone = await extractPythonSource("model_id = 'qwen/Qwen-VL-Chat'\n", { file: "README.md" });
    expect(alone.map((r) => r.kind)).toEqual(["hub-id"]);
  });
  it("credits a model sent through an OpenAI-shaped client to the provider its base_url names", async () => {
    // Shape of 2noise/ChatTTS examples/ipynb/colab.ipynb: the repo's own ChatOpenAI wrapper pointed at DeepSeek's API.
    const src = [
      "from ChatTTS.tools.llm import ChatOpenAI",
      'client = ChatOpenAI(api_key="sk-...", base_url="https://api.deepseek.com", model="deepseek-chat")',
      'other = ChatOpenAI(api_key="sk-...", model="gpt-4o-mini")',
      "",
    ].join("\n");
    const refs = await extractPythonSource(src, { file: "colab.py" });
    expect(refs.find((r) => r.target === "deepseek-chat")).toMatchObject({
      kind: "hosted-model",
      provider: "deepseek",
    });
    expect(refs.find((r) => r.target === "gpt-4o-mini")).toMatchObject({ kind: "hosted-model", provider: "openai" });
  });
  it("reads a model-named constant as a ModelScope id when every load of the module is ModelScope's", async () => {
    // Shape of QwenLM/Qwen-VL web_demo_mm.py: modelscope's AutoModelForCausalLM, the id an argparse default.
    const src = [
      "from argparse import ArgumentParser",
      "from modelscope import AutoModelForCausalLM, AutoTokenizer",
      "DEFAULT_CKPT_PATH = 'qwen/Qwen-VL-Chat'",
      "parser = ArgumentParser()",
      'parser.add_argument("-c", "--checkpoint-path", type=str, default=DEFAULT_CKPT_PATH)',
      "args = parser.parse_args()",
      "tokenizer = AutoTokenizer.from_pretrained(args.checkpoint_path, trust_remote_code=True)",
      "model = AutoModelForCausalLM.from_pretrained(args.checkpoint_path, revision='master').eval()",
      "",
    ].join("\n");
    const refs = await extractPythonSource(src, { file: "web_demo_mm.py" });
    const named = refs.filter((r) => r.raw === "qwen/Qwen-VL-Chat");
    expect(named.length).toBeGreaterThan(0);
    expect(named.every((r) => r.kind === "modelscope-id")).toBe(true);
    // With transformers' loader instead, the same constant is a Hub id.
    const hf = await extractPythonSource(src.replace("from modelscope import", "from transformers import"), {
      file: "web_demo.py",
    });
    expect(hf.filter((r) => r.raw === "qwen/Qwen-VL-Chat").some((r) => r.kind === "hub-id")).toBe(true);
  });
});
