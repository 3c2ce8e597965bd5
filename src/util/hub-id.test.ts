import { describe, expect, it } from "vitest";
import { parseHubId } from "./hub-id.js";

describe("parseHubId", () => {
  it("reads Hub ids, with dots in names, revisions and wrappers", () => {
    expect(parseHubId("Qwen/Qwen2.5-VL-7B-Instruct")).toEqual({ id: "Qwen/Qwen2.5-VL-7B-Instruct" });
    expect(parseHubId("lmsys/vicuna-7b-v1.5@main")).toEqual({ id: "lmsys/vicuna-7b-v1.5", revision: "main" });
    expect(parseHubId("https://huggingface.co/qwen/Qwen-VL-Chat")).toEqual({ id: "qwen/Qwen-VL-Chat" });
  });

  it("refuses file paths: a file extension (a compressed vocabulary too) or more than one slash", () => {
    // ImageBind's tokenizer vocabulary, as its data.py names it (facebookresearch/ImageBind: BPE_PATH).
    expect(parseHubId("bpe/bpe_simple_vocab_16e6.txt.gz")).toBeUndefined();
    expect(parseHubId("vocab/merges.tar.gz")).toBeUndefined();
    expect(parseHubId("tokenizer/spm.vocab")).toBeUndefined();
    expect(parseHubId("org/name/extra")).toBeUndefined();
    expect(parseHubId("./org/name")).toBeUndefined();
  });
});
