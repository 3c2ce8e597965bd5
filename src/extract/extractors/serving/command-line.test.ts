// Focused tests of the command-line passes (command-line.ts): the lexer's named readers and the flag rules.
import { describe, expect, it } from "vitest";
import { analyseCommand, splitShell } from "./command-line.js";

const ctx = { extractor: "serving", file: "scripts/train.sh", baseDir: "scripts", vars: new Map<string, string>() };
const refsOf = (line: string) => {
  const { commands } = splitShell(line);
  return commands.flatMap((w) => analyseCommand(w, ctx));
};

describe("splitShell readers", () => {
  it("keeps $(...) and nested ${...} whole, unquotes, joins continuations and returns heredoc bodies apart", () => {
    const { commands, heredocs } = splitShell(
      'A="${B:-${C}/x}" run $(dirname "$0") \'q w\' \\\n  --flag\ncat <<-EOF\n\tbody\n\tEOF\necho done',
    );
    expect(commands.map((c) => c.map((w) => w.text))).toEqual([
      ["A=${B:-${C}/x}", "run", '$(dirname "$0")', "q w", "--flag"],
      ["cat"],
      ["echo", "done"],
    ]);
    expect(heredocs).toEqual([{ text: "\tbody", startLine: 4, command: "cat" }]);
  });
});

describe("model-word flags (issue 17)", () => {
  it("reads flags named by a model word when the value is a model id or a path to a model", () => {
    const refs = refsOf(
      "python train.py --vision_path google/siglip-so400m-patch14-384 --llm_path ./ckpt/Qwen2-7B --audio_model openai/whisper-large-v3 --data_path data/train.json --output_path out/run1 --image_path a/b",
    );
    expect(refs.map((r) => [r.raw, r.facts?.cliFlag])).toEqual([
      ["google/siglip-so400m-patch14-384", "vision_path"],
      ["./ckpt/Qwen2-7B", "llm_path"],
      ["openai/whisper-large-v3", "audio_model"],
    ]);
  });

  it("a flag named as a model part in the role-key table takes its value whatever its shape, with that role", () => {
    const refs = refsOf("bash run.sh --audio_encoder audio-encoder-base-tuned --freeze_audio_encoder True");
    expect(refs.map((r) => [r.raw, r.role])).toEqual([["audio-encoder-base-tuned", "audio-encoder"]]);
  });

  it("does not take a config or text file under a model-word flag", () => {
    expect(refsOf("python x.py --tokenizer_config_path conf/tok.yaml --prompt_path p.txt --model_id")).toEqual([]);
  });
});

describe("download commands (issue 17)", () => {
  it("huggingface-cli download --local-dir writes the folder from the repository; wget of a weight URL is a reference", async () => {
    const { shellOutput } = await import("./shell-script.js");
    const o = await shellOutput(
      [
        "hf download fishaudio/s2-pro --local-dir checkpoints/s2-pro",
        "huggingface-cli download org/x model.safetensors --local-dir models",
        "wget https://dl.fbaipublicfiles.com/deit/deit_base_patch16_224-b5f2ef4d.pth -O pretrained/deit.pth",
        "wget https://example.org/index.html",
      ].join("\n"),
      "setup.sh",
    );
    const refs = o.references ?? [];
    expect(
      refs.map((r) => [r.location.line, r.usage ?? "load", r.kind, r.target, r.facts?.downloadsTree ?? null]),
    ).toEqual([
      [1, "load", "hub-id", "fishaudio/s2-pro", null],
      [1, "write", "local-path", "checkpoints/s2-pro", true],
      [2, "load", "hub-id", "org/x", null],
      [2, "write", "local-path", "models", null],
      [3, "load", "url", "https://dl.fbaipublicfiles.com/deit/deit_base_patch16_224-b5f2ef4d.pth", null],
    ]);
    expect(refs[4]?.facts?.downloadTo).toBe("pretrained/deit.pth");
  });
});
