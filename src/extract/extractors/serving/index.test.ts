import { describe, expect, it } from "vitest";
import { fileURLToPath } from "node:url";
import { servingExtractor } from "./index.js";
import { analyseCommand, splitShell } from "./command-line.js";
import { extractFile } from "../../testing.js";

const FIX = fileURLToPath(new URL("./fixtures", import.meta.url));

describe("serving extractor", () => {
  it("reads shell scripts: HF CLI, ollama, vllm serve, llama.cpp, and Python heredocs", async () => {
    const refs = (await extractFile(servingExtractor, FIX, "download_model.sh")).references ?? [];
    const by = (line: number) => refs.filter((r) => r.location.line === line);
    expect(by(18)[0]).toMatchObject({
      target: "LGAI-EXAONE/EXAONE-4.5-33B",
      revision: "main",
      facts: { embeddedPython: true },
    });
    expect(by(26)[0]).toMatchObject({
      target: "lmstudio-community/Meta-Llama-3.1-8B-Instruct-GGUF",
      facts: { weightFormat: "gguf" },
    });
    expect(by(27)[0]).toMatchObject({ kind: "ollama-tag", target: "qwen2.5:7b" });
    expect(by(28).map((r) => [r.target, r.role])).toEqual([
      ["Qwen/Qwen2.5-7B-Instruct", undefined],
      ["Qwen/Qwen2.5-7B-Instruct", "tokenizer"],
    ]);
    expect(by(28)[0]?.facts).toMatchObject({ servedModelName: "chat", trustRemoteCode: true });
    // the served name is an alias, never a reference of its own
    expect(refs.some((r) => r.raw === "chat")).toBe(false);
    expect(by(29)[0]).toMatchObject({
      kind: "local-path",
      target: "models/model-q4_k_m.gguf",
      facts: { weightFormat: "gguf" },
    });
    expect(by(30)[0]).toMatchObject({ target: "bartowski/Llama-3.2-3B-Instruct-GGUF" });
  });

  it("reads Dockerfile ENV and exec-form CMD, redacts tokens and defines variables", async () => {
    const out = await extractFile(servingExtractor, FIX, "Dockerfile");
    const refs = out.references ?? [];
    expect(refs.map((r) => [r.target, r.location.line])).toEqual([
      ["meta-llama/Llama-3.1-8B-Instruct", 4],
      ["BAAI/bge-m3", 6],
      ["BAAI/bge-reranker-v2-m3", 7],
      // --local-dir: where the downloaded repository lands (a write the linking pass names loads of by the repository).
      ["/models/reranker", 9],
      ["meta-llama/Llama-3.1-8B-Instruct", 10],
    ]);
    expect(refs[3]).toMatchObject({
      usage: "write",
      facts: { derivedFrom: "BAAI/bge-reranker-v2-m3", downloadsTree: true },
    });
    expect(refs[2]?.revision).toBe("953dc6f6f85a1b2dbfca4c34a2796e7dde08d41e");
    expect(JSON.stringify(refs)).not.toContain("hf_FakeToken");
    expect(out.variables?.map((v) => v.name)).toEqual(["REVISION", "MODEL_ID", "HF_TOKEN", "EMBEDDING_MODEL"]);
  });

  it("reads Compose commands and environment, keeping ${VAR} for the linking pass", async () => {
    const out = await extractFile(servingExtractor, FIX, "docker-compose.yaml");
    const refs = out.references ?? [];
    expect(refs.find((r) => r.location.line === 5)).toMatchObject({
      skipReason: "dynamic-value",
      raw: "${LLM_MODEL:-Qwen/Qwen2.5-7B-Instruct}",
      facts: { servedModelName: "llm" },
    });
    expect(refs.find((r) => r.location.line === 16)).toMatchObject({
      target: "LGAI-EXAONE/EXAONE-3.5-7.8B-Instruct",
      facts: { trustRemoteCode: true },
    });
    expect(refs.find((r) => r.location.line === 21)).toMatchObject({
      target: "google/gemma-2-9b-it",
      facts: { variable: "MODEL_ID" },
    });
    // pass-through `X: ${X}` entries define nothing
    expect(out.variables?.map((v) => v.name)).toEqual(["MODEL_ID"]);
  });

  it("reads Kubernetes manifests (command + args, sh -c scripts) across YAML documents", async () => {
    const refs = (await extractFile(servingExtractor, FIX, "k8s/deployment.yaml")).references ?? [];
    expect(refs.map((r) => [r.kind, r.target, r.location.line])).toEqual([
      ["hub-id", "mistralai/Mistral-7B-Instruct-v0.3", 13],
      ["ollama-tag", "llama3.1:8b", 27],
    ]);
  });

  it("takes Kubernetes YAML by folder or by a workload's file name, not any YAML", () => {
    const m = (p: string): boolean => servingExtractor.matches(p, p.split("/").pop()!);
    expect(
      ["k8s/app.yaml", "deploy.yaml", "vllm-deployment.yml", "ops/statefulset.yaml", "pod.yaml", "llm.k8s.yaml"].filter(
        m,
      ),
    ).toEqual([
      "k8s/app.yaml",
      "deploy.yaml",
      "vllm-deployment.yml",
      "ops/statefulset.yaml",
      "pod.yaml",
      "llm.k8s.yaml",
    ]);
    expect(["settings.yaml", "podcast.yaml", "jobs-config.json", "deployer/notes.md"].filter(m)).toEqual([]);
  });

  it("splits shell words with quotes, continuations and comments", () => {
    const { commands } = splitShell('A=1 vllm serve "org/m" \\\n  --lora-modules ko=./lora  # comment\necho hi');
    expect(commands.map((c) => c.map((w) => w.text))).toEqual([
      ["A=1", "vllm", "serve", "org/m", "--lora-modules", "ko=./lora"],
      ["echo", "hi"],
    ]);
    const refs = analyseCommand(commands[0]!, { extractor: "serving", file: "x.sh", baseDir: "", vars: new Map() });
    expect(refs.map((r) => [r.target, r.relation ?? null])).toEqual([
      ["org/m", null],
      ["lora", "adapter"],
    ]);
  });

  it("terminates on a `<<` without a heredoc tag (found by the property test: it used to loop forever)", () => {
    expect(splitShell("=<}<<").commands.map((c) => c.map((w) => w.text))).toEqual([["=<}"]]);
    expect(splitShell("cat <<< word").commands.map((c) => c.map((w) => w.text))).toEqual([["cat", "<", "word"]]);
  });
});
