/**
 * Weight file formats by file name: the one table the extractors read when a reference names a weight file. Pickle
 * formats (`.bin`, `.pt`, `.pth`, `.ckpt`, `.pkl`, `.pickle`: PyTorch's `torch.save` and plain pickle) can run code when
 * loaded, which the supply-chain rules report; `.safetensors` and `.gguf` cannot.
 */
import { cutAtAny } from "../util/text.js";

/** A weight file format. */
export type WeightFormat = "pickle" | "safetensors" | "gguf";

/** File extension (lower case, no dot) -> weight format. */
const BY_EXTENSION: Readonly<Record<string, WeightFormat>> = {
  bin: "pickle",
  pt: "pickle",
  pth: "pickle",
  ckpt: "pickle",
  pkl: "pickle",
  pickle: "pickle",
  safetensors: "safetensors",
  gguf: "gguf",
};

/**
 * The weight format of a file name, path or URL (a query or fragment is ignored; case-insensitive), or undefined when
 * its extension is not a weight format.
 */
export function weightFormatOf(value: string): WeightFormat | undefined {
  const v = cutAtAny(value.toLowerCase(), "?#");
  const dot = v.lastIndexOf(".");
  if (dot < 0 || v.lastIndexOf("/") > dot) return undefined;
  return BY_EXTENSION[v.slice(dot + 1)];
}
