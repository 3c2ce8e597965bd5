import { describe, expect, it } from "vitest";
import { fileURLToPath } from "node:url";
import { servingExtractor } from "./index.js";
import { substitute } from "./command-line.js";
import { extractFile } from "../../testing.js";
import { link } from "../../link.js";
import type { ModelReference } from "../../../model/types.js";

const FIX = fileURLToPath(new URL("./fixtures", import.meta.url));
const at = (refs: readonly ModelReference[], line: number): ModelReference[] =>
  refs.filter((r) => r.location.line === line);

describe("shell variables evaluated like the script would", () => {
  it("evaluates pattern substitution, prefix/suffix stripping and basename/dirname of known values", () => {
    const vars = new Map([
      ["ID", "google/siglip-so400m-patch14-384"],
      ["P", "/data/models/Qwen/Qwen2.5-7B"],
      ["EMPTY", ""],
    ]);
    expect(substitute("${ID//\\//_}", vars)).toBe("google_siglip-so400m-patch14-384");
    expect(substitute("${ID/-/+}", vars)).toBe("google/siglip+so400m-patch14-384");
    expect(substitute("${ID##*/}|${ID#*-}|${P%/*}|${P%%/Q*}", vars)).toBe(
      "siglip-so400m-patch14-384|so400m-patch14-384|/data/models/Qwen|/data/models",
    );
    expect(substitute('tiny-$(basename "${P}")-$(dirname $P)', vars)).toBe("tiny-Qwen2.5-7B-/data/models/Qwen");
    expect(substitute("$(basename model.safetensors .safetensors)", vars)).toBe("model");
    expect(substitute("${EMPTY:-fallback}", vars)).toBe("fallback");
    // unknown variables, unsupported operators and bracket patterns stay as written
    expect(substitute("${NOPE//a/b} ${ID:0:6} ${ID//[a-z]/x} $(basename $NOPE)", vars)).toBe(
      "${NOPE//a/b} ${ID:0:6} ${ID//[a-z]/x} $(basename $NOPE)",
    );
  });

  it("ties run names to the ids of the same script and reads --output_dir of a model command as a write", async () => {
    const refs = (await extractFile(servingExtractor, FIX, "train_recipe.sh")).references ?? [];
    // the cleaned ids are aliases, not names of their own
    expect(at(refs, 4).concat(at(refs, 6))).toEqual([]);
    // a literal that spells both ids with `/` written `_`
    expect(
      at(refs, 7)
        .map((r) => [r.target, r.usage, r.facts?.encodedAs])
        .sort(),
    ).toEqual([
      ["lmsys/vicuna-7b-v1.5", "name", "underscore-id"],
      ["openai/clip-vit-large-patch14-336", "name", "underscore-id"],
    ]);
    // a name built from the cleaned ids, evaluated
    expect(at(refs, 8).map((r) => r.facts?.evaluated)).toEqual([
      "llava-openai_clip-vit-large-patch14-336-lmsys_vicuna-7b-v1.5-sft",
      "llava-openai_clip-vit-large-patch14-336-lmsys_vicuna-7b-v1.5-sft",
    ]);
    // a variable that encodes no model is nothing
    expect(at(refs, 9)).toEqual([]);
    expect(at(refs, 16)[0]).toMatchObject({
      kind: "local-path",
      usage: "write",
      target: "checkpoints/llava-openai_clip-vit-large-patch14-336-lmsys_vicuna-7b-v1.5-sft",
      facts: { flag: "--output_dir", encodes: "openai/clip-vit-large-patch14-336|lmsys/vicuna-7b-v1.5" },
    });
    // an output folder of a command that names no model is not a model's
    expect(at(refs, 17)).toEqual([]);
    // the loads stay loads
    expect(at(refs, 13)[0]).toMatchObject({ target: "lmsys/vicuna-7b-v1.5" });
    expect(at(refs, 13)[0]!.usage).toBeUndefined();
  });

  it("follows a model root chosen in if-branches, env defaults, basename run prefixes and an optional empty slot", async () => {
    const out = await extractFile(servingExtractor, FIX, "scripts/stage_common.sh");
    const refs = out.references ?? [];
    // the root: each branch that sets it, the first one tried first
    expect(at(refs, 6)[0]).toMatchObject({
      kind: "local-path",
      target: "/data/hf_models",
      usage: "name",
      skipReason: "local-path-outside-root",
      facts: { variable: "MODELS_ROOT", modelRootOf: "LLM_MODEL_PATH|VISION_MODEL_PATH" },
    });
    expect(at(refs, 8)[0]).toMatchObject({ kind: "local-path", target: "pretrained", skipReason: "local-path" });
    // the model paths keep the environment override for the linking pass, and the other root as a candidate
    expect(at(refs, 11)[0]).toMatchObject({
      raw: "${LLM_MODEL_PATH:-/data/hf_models/Qwen/Qwen2.5-0.5B-Instruct}",
      facts: {
        modelRoot: "MODELS_ROOT",
        pathTail: "Qwen/Qwen2.5-0.5B-Instruct",
        candidates: "/data/hf_models/Qwen/Qwen2.5-0.5B-Instruct|pretrained/Qwen/Qwen2.5-0.5B-Instruct",
      },
    });
    expect(at(refs, 13)[0]).toMatchObject({
      skipReason: "missing-value",
      facts: { variable: "VISION_MODEL_PATH2", optional: true, siblingOf: "VISION_MODEL_PATH" },
    });
    expect(
      at(refs, 14)
        .map((r) => [r.usage, r.facts?.encodedBy, r.facts?.evaluated])
        .sort(),
    ).toEqual([
      ["name", "LLM_MODEL_PATH", "tiny-Qwen2.5-0.5B-Instruct-siglip-so400m-patch14-384"],
      ["name", "VISION_MODEL_PATH", "tiny-Qwen2.5-0.5B-Instruct-siglip-so400m-patch14-384"],
    ]);
    expect(at(refs, 15)[0]).toMatchObject({
      usage: "write",
      target: "/data/ckpt/tiny-Qwen2.5-0.5B-Instruct-siglip-so400m-patch14-384-pretrain",
    });
    // a folder under the project that encodes no model is nothing
    expect(at(refs, 16)).toEqual([]);

    // Linked without an .env: the defaults hold; with one, it wins, and fills the empty slot too.
    const plain = link([out]).references;
    expect(at(plain, 11)[0]).toMatchObject({
      kind: "local-path",
      target: "/data/hf_models/Qwen/Qwen2.5-0.5B-Instruct",
      skipReason: "local-path-outside-root",
      facts: { usedDefault: true },
    });
    const env = {
      variables: [
        { name: "LLM_MODEL_PATH", value: "Qwen/Qwen2.5-1.5B-Instruct", location: { file: ".env", line: 1 }, scope: "" },
        { name: "VISION_MODEL_PATH2", value: "facebook/dinov2-large", location: { file: ".env", line: 2 }, scope: "" },
      ],
    };
    const linked = link([out, env]).references;
    expect(at(linked, 11)[0]).toMatchObject({
      kind: "hub-id",
      target: "Qwen/Qwen2.5-1.5B-Instruct",
      facts: { definedAt: ".env:1" },
    });
    expect(at(linked, 13)[0]).toMatchObject({ kind: "hub-id", target: "facebook/dinov2-large" });
    expect(at(linked, 13)[0]!.skipReason).toBeUndefined();
  });

  it("keeps the branch values of a model variable as references and leaves loop assignments alone", async () => {
    const { shellOutput } = await import("./shell-script.js");
    const text = [
      'if [ "$SIZE" = large ]; then',
      "  MODEL_ID=Qwen/Qwen2.5-72B-Instruct",
      "else",
      "  MODEL_ID=Qwen/Qwen2.5-7B-Instruct",
      "fi",
      "vllm serve $MODEL_ID",
      "for m in a b; do",
      "  MODEL_PATH=./models/$m",
      "  MODEL_PATH=./models/x",
      "done",
      "vllm serve $MODEL_PATH",
    ].join("\n");
    const refs = (await shellOutput(text, "serve.sh")).references ?? [];
    expect(refs.filter((r) => r.facts?.variable === "MODEL_ID").map((r) => r.target)).toEqual([
      "Qwen/Qwen2.5-72B-Instruct",
      "Qwen/Qwen2.5-7B-Instruct",
    ]);
    expect(at(refs, 6)[0]).toMatchObject({ target: "Qwen/Qwen2.5-72B-Instruct" });
    // assigned twice in a loop: a run-time value
    expect(at(refs, 11)[0]).toMatchObject({ skipReason: "dynamic-value" });
  });
});
