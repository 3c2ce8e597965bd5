/**
 * Quantization blocks: `quantization_config` in a transformers `config.json`
 * (https://huggingface.co/docs/transformers/main_classes/quantization: GPTQ, AWQ, bitsandbytes, compressed-tensors,
 * FP8, HQQ, ...), MLX's `quantization` block (`{"group_size", "bits"}`, mlx-lm `utils.py`), and the stand-alone
 * `quantize_config.json` (AutoGPTQ) and `quant_config.json` (AutoAWQ). A folder holding one is a quantized derivative
 * of some checkpoint: yields the method, bit widths, format and skipped modules as facts of the folder's model
 * (`quantMethod`, ...). The relation itself comes from the reference that names the parent: hf-config marks the
 * root `_name_or_path` of a quantized config `quantized`, and the linking pass turns a card's inferred
 * `base_model` relation into `quantized` when the folder has these facts.
 */
import { posix } from "node:path";
import { dirOf, isDiagnostic, readMapDocument } from "../../helpers.js";
import type { Extractor, ExtractOutput, FolderFacts } from "../../types.js";

const ID = "quantization-config";

type Facts = NonNullable<FolderFacts["facts"]>;

/** The quantization block of a parsed config, and its JSON pointer, or undefined. */
export function quantizationBlock(
  data: Record<string, unknown>,
  base: string,
): { block: Record<string, unknown>; pointer: string; flavour: string } | undefined {
  const obj = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
  if (base === "quantize_config.json" && obj(data)) return { block: data, pointer: "", flavour: "auto-gptq" };
  if (base === "quant_config.json" && obj(data)) return { block: data, pointer: "", flavour: "autoawq" };
  if (obj(data.quantization_config))
    return { block: data.quantization_config, pointer: "/quantization_config", flavour: "transformers" };
  if (obj(data.quantization) && ("bits" in data.quantization || "group_size" in data.quantization))
    return { block: data.quantization, pointer: "/quantization", flavour: "mlx" };
  return undefined;
}

/** Facts of a quantization block: method, weight/activation bits, format, group size, modules left unquantized. */
export function describeQuantization(block: Record<string, unknown>, flavour: string): Facts {
  const facts: Facts = { quantized: true };
  const method =
    typeof block.quant_method === "string"
      ? block.quant_method
      : flavour === "mlx"
        ? "mlx"
        : flavour === "auto-gptq"
          ? "gptq"
          : flavour === "autoawq"
            ? "awq"
            : "unknown";
  facts.quantMethod = method;
  const num = (v: unknown) => (typeof v === "number" ? v : undefined);
  const bits =
    num(block.bits) ??
    num(block.w_bit) ??
    (block.load_in_4bit === true ? 4 : block.load_in_8bit === true ? 8 : undefined);
  if (bits !== undefined) facts.quantBits = bits;
  const group = num(block.group_size) ?? num(block.q_group_size);
  if (group !== undefined) facts.quantGroupSize = group;
  if (typeof block.bnb_4bit_quant_type === "string" && block.load_in_4bit === true)
    facts.quantType = block.bnb_4bit_quant_type;
  if (typeof block.format === "string") facts.quantFormat = block.format;
  if (typeof block.version === "string") facts.quantVersion = block.version;
  // compressed-tensors: config_groups.<g>.weights.num_bits / input_activations.num_bits -> W8A8-style scheme.
  const groups = block.config_groups;
  if (typeof groups === "object" && groups !== null) {
    for (const g of Object.values(groups as Record<string, unknown>)) {
      const w = num((g as { weights?: { num_bits?: unknown } })?.weights?.num_bits);
      const a = num((g as { input_activations?: { num_bits?: unknown } })?.input_activations?.num_bits);
      if (w !== undefined) {
        facts.quantBits = w;
        facts.quantScheme = `W${w}${a !== undefined ? `A${a}` : "A16"}`;
        break;
      }
    }
  }
  const skipped = [block.llm_int8_skip_modules, block.ignore, block.modules_to_not_convert].find(Array.isArray) as
    unknown[] | undefined;
  if (skipped) facts.quantSkippedModules = skipped.filter((x): x is string => typeof x === "string").slice(0, 64);
  return facts;
}

export const quantizationConfigExtractor: Extractor = {
  id: ID,
  description:
    "quantization_config blocks (GPTQ, AWQ, bitsandbytes, compressed-tensors, MLX) and quantize_config.json: the folder's model is quantized",
  matches(_path, base) {
    return base === "config.json" || base === "quantize_config.json" || base === "quant_config.json";
  },
  async extract(file, ctx): Promise<ExtractOutput> {
    const base = posix.basename(file.path);
    // config.json is hf-config's to report (unreadable, binary, too large): this extractor only adds facts to it.
    const parsed = await readMapDocument(file, ctx.maxTextBytes, base).catch((err: unknown) => {
      if (base === "config.json") return undefined;
      throw err;
    });
    if (!parsed) return {};
    // config.json problems are reported by hf-config; only the stand-alone files report their own.
    if (isDiagnostic(parsed)) return base === "config.json" ? {} : { diagnostics: [parsed] };
    const q = quantizationBlock(parsed.data, base);
    if (!q) return {};
    const at = parsed.doc.locate(q.pointer) ?? { line: 1, column: 1 };
    return {
      folders: [
        {
          dir: dirOf(file.path),
          location: { file: file.path, pointer: q.pointer, ...at },
          facts: { ...describeQuantization(q.block, q.flavour), quantConfigFile: file.path, quantConfigLine: at.line },
        },
      ],
    };
  },
};
