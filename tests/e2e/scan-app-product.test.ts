import { describe, expect, it } from "vitest";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { aiprov, REPO_ROOT } from "../helpers/cli.js";
import { validate } from "../../src/util/schema.js";
import type { AuditResult } from "../../src/model/types.js";

const scanJson = (args: string[]): AuditResult => {
  const r = aiprov(["scan", ...args, "--format", "json"]);
  expect(r.stderr).toBe("");
  expect([0, 1]).toContain(r.code);
  const result = JSON.parse(r.stdout) as AuditResult;
  expect(validate("report.schema.json", result, "report")).toEqual([]);
  return result;
};

describe("aiprov scan on examples/app-product", () => {
  it("finds the models of code, compose + .env, Modelfile and model card, with files and lines", () => {
    const result = scanJson([join(REPO_ROOT, "examples", "app-product")]);
    const refs = result.references.map((r) => `${r.location.file}:${r.location.line} ${r.kind} ${r.target ?? r.raw}`);
    expect(refs).toEqual(
      expect.arrayContaining([
        "docker-compose.yaml:5 hub-id LGAI-EXAONE/EXAONE-3.5-7.8B-Instruct",
        "app/rag.py:13 hub-id BAAI/bge-m3",
        "app/rag.py:14 hub-id BAAI/bge-reranker-v2-m3",
        "app/rag.py:16 hub-id LGAI-EXAONE/EXAONE-3.5-7.8B-Instruct",
        "app/speech.py:4 hub-id openai/whisper-large-v3-turbo",
        "web/src/embed.ts:7 hub-id Xenova/multilingual-e5-small",
        "ollama/Modelfile:2 hub-id LGAI-EXAONE/EXAONE-3.5-7.8B-Instruct",
        "model/README.md:4 hub-id LGAI-EXAONE/EXAONE-3.5-7.8B-Instruct",
      ]),
    );
    const compose = result.references.find((r) => r.location.file === "docker-compose.yaml" && r.location.line === 5)!;
    expect(compose.facts).toMatchObject({
      variable: "LLM_MODEL",
      definedAt: ".env:2",
      servedModelName: "assistant",
      trustRemoteCode: true,
    });
    expect(result.references.find((r) => r.location.file === "app/rag.py" && r.location.line === 14)?.revision).toBe(
      "953dc6f6f85a1b2dbfca4c34a2796e7dde08d41e",
    );
    expect(
      result.references.find((r) => r.location.file === "ollama/Modelfile" && r.location.line === 2)?.facts,
    ).toMatchObject({ ollamaTag: "exaone3.5:7.8b", mappedBy: "https://ollama.com/library/exaone3.5" });
    // the Modelfile's ADAPTER points at the adapter folder inside the tree
    expect(
      result.references.find((r) => r.location.file === "ollama/Modelfile" && r.location.line === 3)?.localTarget,
    ).toBe("model/adapter_config.json#");
    // prose stays a mention
    expect(result.mentions.map((m) => m.target)).toContain("LGAI-EXAONE/EXAONE-3.5-7.8B-Instruct");
    expect(
      result.mentions.every(
        (m) =>
          !result.references.some(
            (r) =>
              r.location.file === m.location.file &&
              r.location.line === m.location.line &&
              r.extractor === "readme-mentions",
          ),
      ),
    ).toBe(true);
  });
});

describe("secrets in scanned files", () => {
  const FIX = join(REPO_ROOT, "tests", "fixtures", "secrets-app");
  it("never copies an hf_ token or API key into any output format", () => {
    for (const format of ["json", "text"]) {
      const r = aiprov(["scan", FIX, "--format", format]);
      expect(r.code).toBe(0);
      const all = r.stdout + r.stderr;
      expect(all).not.toContain("hf_aiprovFakeToken");
      expect(all).not.toContain("sk-aiprovFakeKey");
    }
    const result = scanJson([FIX]);
    // the models beside the secrets are still found
    expect(result.references.map((r) => r.target)).toEqual(
      expect.arrayContaining([
        "meta-llama/Llama-3.1-8B-Instruct",
        "BAAI/bge-m3",
        "HuggingFaceH4/zephyr-7b-beta",
        "Qwen/Qwen2.5-7B-Instruct",
      ]),
    );
  });
});

describe("scan controls", () => {
  const makeTree = (): string => {
    const root = mkdtempSync(join(tmpdir(), "aiprov-controls-"));
    writeFileSync(join(root, ".gitignore"), "models/\n*.log\n");
    mkdirSync(join(root, "models", "foo"), { recursive: true });
    writeFileSync(
      join(root, "models", "foo", "config.json"),
      JSON.stringify({
        model_type: "llama",
        architectures: ["LlamaForCausalLM"],
        _name_or_path: "meta-llama/Llama-3.2-1B",
      }),
    );
    writeFileSync(join(root, "models", "foo", "model.safetensors"), "");
    writeFileSync(join(root, "models", "notes.txt"), "not a model file");
    writeFileSync(
      join(root, "app.py"),
      'from transformers import AutoModel\nAutoModel.from_pretrained("./models/foo")\n',
    );
    mkdirSync(join(root, "tools"));
    writeFileSync(join(root, "tools", "fetch.sh"), "huggingface-cli download BAAI/bge-m3\n");
    return root;
  };

  it("lists the model-looking files an ignore rule hid, and --no-ignore scans them and links the local path", () => {
    const root = makeTree();
    try {
      const hidden = scanJson([root]);
      const diag = hidden.diagnostics.find((d) => d.code === "model-files-ignored");
      expect(diag?.message).toContain("models/foo/config.json");
      expect(diag?.message).toContain("models/foo/model.safetensors");
      expect(diag?.message).not.toContain("notes.txt");
      expect(hidden.references.find((r) => r.location.file === "app.py")).toMatchObject({
        kind: "local-path",
        skipReason: "local-path",
      });

      const open = scanJson([root, "--no-ignore"]);
      expect(open.diagnostics.some((d) => d.code === "model-files-ignored")).toBe(false);
      const ref = open.references.find((r) => r.location.file === "app.py")!;
      expect(ref.localTarget).toBe("models/foo/config.json#");
      expect(ref.skipReason).toBeUndefined();
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it("--exclude and --include select files by glob", () => {
    const root = makeTree();
    try {
      const excluded = scanJson([root, "--exclude", "tools/"]);
      expect(excluded.references.some((r) => r.location.file.startsWith("tools/"))).toBe(false);
      expect(excluded.references.some((r) => r.location.file === "app.py")).toBe(true);
      const included = scanJson([root, "--include", "*.sh"]);
      expect([...new Set(included.references.map((r) => r.location.file))]).toEqual(["tools/fetch.sh"]);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
