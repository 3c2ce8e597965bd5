import { describe, expect, it } from "vitest";
import { fileURLToPath } from "node:url";
import { readmeMentionsExtractor } from "./index.js";
import { extractFile } from "../../testing.js";

const FIX = fileURLToPath(new URL("./fixtures", import.meta.url));

describe("readme-mentions extractor", () => {
  it("reports Hub URLs, code spans and versioned bare ids as mentions, never references", async () => {
    const out = await extractFile(readmeMentionsExtractor, FIX, "README.md");
    expect(out.references).toBeUndefined();
    expect(out.mentions?.map((m) => [m.target, m.location.line])).toEqual([
      ["meta-llama/Llama-3.1-8B-Instruct", 7],
      ["LGAI-EXAONE/EXAONE-3.5-7.8B-Instruct", 7],
      ["upstage/SOLAR-10.7B-Instruct-v1.0", 8],
      ["BAAI/bge-m3", 10],
    ]);
  });

  it("skips front matter, dataset URLs, MIME types and folders", async () => {
    const out = await extractFile(readmeMentionsExtractor, FIX, "README.md");
    const targets = out.mentions?.map((m) => m.target) ?? [];
    for (const t of [
      "Qwen/Qwen2.5-7B-Instruct",
      "HAERAE-HUB/KMMLU",
      "image/png",
      "models/Qwen3-4B",
      "input/output",
      "docs/setup",
    ])
      expect(targets).not.toContain(t);
  });
});

describe("readme-mentions: Python setup blocks", () => {
  it("reads a README's Python block: Hub ids it downloads and the folders it downloads into are references", async () => {
    const { pythonBlocks } = await import("./index.js");
    const md = [
      "# Setup",
      "```python",
      "from huggingface_hub import snapshot_download",
      "snapshot_download('FunAudioLLM/CosyVoice2-0.5B', local_dir='pretrained_models/CosyVoice2-0.5B')",
      "```",
      "text",
    ].join("\n");
    expect(pythonBlocks(md)).toEqual([
      {
        text: "from huggingface_hub import snapshot_download\nsnapshot_download('FunAudioLLM/CosyVoice2-0.5B', local_dir='pretrained_models/CosyVoice2-0.5B')",
        lineOffset: 2,
      },
    ]);
  });
});

describe("readme-mentions weight URLs (issue 17)", () => {
  it("links to checkpoint files and checkpoint archives are mentions; a wget of a weight file in a shell block is a reference", async () => {
    const out = await extractFile(readmeMentionsExtractor, FIX, "weights-by-url/README.md");
    expect(out.mentions?.map((m) => [m.target, m.location.line])).toEqual([
      ["https://storage.googleapis.com/sfr-vision-language-research/BLIP/models/model_base_14M.pth", 6],
      ["https://myshell-public-repo-host.s3.amazonaws.com/openvoice/checkpoints_1226.zip", 8],
    ]);
    expect(out.references?.map((r) => [r.kind, r.target, r.location.line, r.facts?.downloadTo])).toEqual([
      ["url", "https://dl.fbaipublicfiles.com/deit/deit_base_patch16_224-b5f2ef4d.pth", 13, "pretrained/"],
      // "extract it to the `checkpoints` folder": a write of that folder from the archive's URL.
      ["local-path", "checkpoints", 8, undefined],
    ]);
    expect(out.references?.[1]?.facts).toMatchObject({
      derivedFrom: "https://myshell-public-repo-host.s3.amazonaws.com/openvoice/checkpoints_1226.zip",
      downloadsTree: true,
    });
  });
});

describe("readme-mentions Python in a shell fence (issue 17)", () => {
  it("a block fenced as shell whose first line is a Python import is read as Python", async () => {
    const { pythonBlocks } = await import("./index.js");
    const md = [
      "2. Download the `Whisper-large-v3` model.",
      "```shell",
      "import whisper",
      'model = whisper.load_model("large-v3", download_root="models/speech_encoder/")',
      "```",
      "```shell",
      "pip install whisper",
      "```",
    ].join("\n");
    expect(pythonBlocks(md)).toEqual([
      {
        text: 'import whisper\nmodel = whisper.load_model("large-v3", download_root="models/speech_encoder/")',
        lineOffset: 2,
      },
    ]);
  });
});
