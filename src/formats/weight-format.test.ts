import { describe, expect, it } from "vitest";
import { weightFormatOf } from "./weight-format.js";

describe("weight formats by file name", () => {
  it("reads the extension of names, paths and URLs", () => {
    expect(weightFormatOf("model-00001-of-00004.safetensors")).toBe("safetensors");
    expect(weightFormatOf("https://huggingface.co/o/m/resolve/main/m.Q4_K_M.GGUF?download=true")).toBe("gguf");
    expect(weightFormatOf("./ckpt/pytorch_model.bin")).toBe("pickle");
    expect(weightFormatOf("weights.pth#frag")).toBe("pickle");
    for (const v of ["config.json", "model", "a.b/model", "model.onnx", ""])
      expect(weightFormatOf(v), v).toBeUndefined();
  });
});
