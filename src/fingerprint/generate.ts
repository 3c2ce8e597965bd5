/**
 * Generated models for tests, calibration and benchmarks: small multimodal checkpoints with random weights
 * (a Qwen2.5-VL-like vision tower and a Llama-like text model), written as real safetensors files. Matrices are
 * N(0, 0.02) from a seeded generator, biases 0, norm weights 1.0 (as freshly initialised transformers models).
 */
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { buildSafetensors, encodeFloats } from "../formats/safetensors.js";
import { fillGaussian, mulberry32 } from "./prng.js";

/** A generated tensor (values in float32; encoded to `dtype` when written). */
export interface GeneratedTensor {
  name: string;
  shape: number[];
  values: Float32Array;
}

/** Shape options of {@link generateModel}. */
export interface GenerateOptions {
  seed: number;
  visionHidden?: number;
  visionDepth?: number;
  textHidden?: number;
  textLayers?: number;
  vocab?: number;
  /** Prefix of the vision tower (`visual.` legacy Qwen2.5-VL, `model.visual.` current); omit the tower with null. */
  visionPrefix?: string | null;
  /** Prefix of the text model; omit it with null. */
  textPrefix?: string | null;
}

function tensor(name: string, shape: number[], kind: "matrix" | "zeros" | "ones", rand: () => number): GeneratedTensor {
  const n = shape.reduce((a, d) => a * d, 1);
  const values = new Float32Array(n);
  if (kind === "matrix") fillGaussian(values, rand, 0, 0.02);
  else if (kind === "ones") values.fill(1);
  return { name, shape, values };
}

/** Generates the tensors of a model (nothing written). */
export function generateModel(o: GenerateOptions): GeneratedTensor[] {
  const rand = mulberry32(o.seed);
  const out: GeneratedTensor[] = [];
  const vh = o.visionHidden ?? 64;
  const th = o.textHidden ?? 64;
  const vp = o.visionPrefix === undefined ? "visual." : o.visionPrefix;
  const tp = o.textPrefix === undefined ? "model." : o.textPrefix;
  if (vp !== null) {
    out.push(tensor(`${vp}patch_embed.proj.weight`, [vh, 3 * 2 * 8 * 8], "matrix", rand));
    for (let i = 0; i < (o.visionDepth ?? 2); i++) {
      const b = `${vp}blocks.${i}.`;
      out.push(tensor(`${b}norm1.weight`, [vh], "ones", rand));
      out.push(tensor(`${b}attn.qkv.weight`, [3 * vh, vh], "matrix", rand));
      out.push(tensor(`${b}attn.qkv.bias`, [3 * vh], "zeros", rand));
      out.push(tensor(`${b}attn.proj.weight`, [vh, vh], "matrix", rand));
      out.push(tensor(`${b}norm2.weight`, [vh], "ones", rand));
      out.push(tensor(`${b}mlp.fc1.weight`, [4 * vh, vh], "matrix", rand));
      out.push(tensor(`${b}mlp.fc2.weight`, [vh, 4 * vh], "matrix", rand));
    }
    out.push(tensor(`${vp}merger.ln_q.weight`, [vh], "ones", rand));
    out.push(tensor(`${vp}merger.mlp.0.weight`, [4 * vh, 4 * vh], "matrix", rand));
    out.push(tensor(`${vp}merger.mlp.2.weight`, [th, 4 * vh], "matrix", rand));
  }
  if (tp !== null) {
    out.push(tensor(`${tp}embed_tokens.weight`, [o.vocab ?? 256, th], "matrix", rand));
    for (let i = 0; i < (o.textLayers ?? 2); i++) {
      const l = `${tp}layers.${i}.`;
      out.push(tensor(`${l}input_layernorm.weight`, [th], "ones", rand));
      for (const p of ["q_proj", "k_proj", "v_proj", "o_proj"])
        out.push(tensor(`${l}self_attn.${p}.weight`, [th, th], "matrix", rand));
      out.push(tensor(`${l}post_attention_layernorm.weight`, [th], "ones", rand));
      out.push(tensor(`${l}mlp.gate_proj.weight`, [2 * th, th], "matrix", rand));
      out.push(tensor(`${l}mlp.up_proj.weight`, [2 * th, th], "matrix", rand));
      out.push(tensor(`${l}mlp.down_proj.weight`, [th, 2 * th], "matrix", rand));
    }
    out.push(tensor(`${tp}norm.weight`, [th], "ones", rand));
    out.push(tensor("lm_head.weight", [o.vocab ?? 256, th], "matrix", rand));
  }
  return out;
}

/** A Qwen2.5-VL-like config.json for generated tensors. */
export function generatedConfig(o: GenerateOptions): Record<string, unknown> {
  const vh = o.visionHidden ?? 64;
  const th = o.textHidden ?? 64;
  return {
    architectures: ["Qwen2_5_VLForConditionalGeneration"],
    model_type: "qwen2_5_vl",
    hidden_size: th,
    intermediate_size: 2 * th,
    num_hidden_layers: o.textLayers ?? 2,
    num_attention_heads: 4,
    num_key_value_heads: 4,
    hidden_act: "silu",
    rms_norm_eps: 1e-6,
    rope_theta: 1000000,
    vocab_size: o.vocab ?? 256,
    vision_config: {
      depth: o.visionDepth ?? 2,
      hidden_size: vh,
      intermediate_size: 4 * vh,
      num_heads: 4,
      patch_size: 8,
      temporal_patch_size: 2,
      in_chans: 3,
      hidden_act: "silu",
      out_hidden_size: th,
    },
  };
}

/** Adds Gaussian noise of `scale` times each matrix's standard deviation (a fine-tune model); 1-D tensors unchanged. */
export function perturb(tensors: readonly GeneratedTensor[], scale: number, seed: number): GeneratedTensor[] {
  const rand = mulberry32(seed);
  return tensors.map((t) => {
    if (t.shape.length < 2) return t;
    let s = 0,
      ss = 0;
    for (const v of t.values) {
      s += v;
      ss += v * v;
    }
    const sd = Math.sqrt(Math.max(0, ss / t.values.length - (s / t.values.length) ** 2));
    const noise = fillGaussian(new Float32Array(t.values.length), rand, 0, scale * sd);
    return { ...t, values: t.values.map((v, i) => v + noise[i]!) };
  });
}

/** Renames tensors from one prefix to another (a tower copied into another model's layout). */
export function reprefix(tensors: readonly GeneratedTensor[], from: string, to: string): GeneratedTensor[] {
  return tensors.filter((t) => t.name.startsWith(from)).map((t) => ({ ...t, name: to + t.name.slice(from.length) }));
}

/** Writes `model.safetensors` (and `config.json` when given) into `dir`. */
export async function writeModelFolder(
  dir: string,
  tensors: readonly GeneratedTensor[],
  dtype: "F32" | "F16" | "BF16",
  config?: Record<string, unknown>,
): Promise<string> {
  await mkdir(dir, { recursive: true });
  const file = join(dir, "model.safetensors");
  await writeFile(
    file,
    buildSafetensors(
      tensors.map((t) => ({ name: t.name, dtype, shape: t.shape, data: encodeFloats(t.values, dtype) })),
    ),
  );
  if (config) await writeFile(join(dir, "config.json"), `${JSON.stringify(config, null, 2)}\n`);
  return file;
}

/**
 * A small byte-level BPE `tokenizer.json` (tokenizers library serialisation) and a ChatML `tokenizer_config.json`:
 * `vocab` generated tokens `t0..`, the given `extra` tokens appended, merges pairing consecutive tokens.
 */
export function generatedTokenizer(o: { vocab: number; extra?: string[]; chatTemplate?: string }): {
  tokenizerJson: string;
  tokenizerConfig: string;
} {
  const tokens = [...Array.from({ length: o.vocab }, (_, i) => `t${i}`), ...(o.extra ?? [])];
  const vocab = Object.fromEntries(tokens.map((t, i) => [t, i]));
  const merges = tokens.slice(0, Math.min(64, tokens.length - 1)).map((t, i) => [t, tokens[i + 1]!]);
  const specials = ["<|endoftext|>", "<|im_start|>", "<|im_end|>"].map((content, i) => ({
    id: tokens.length + i,
    content,
    single_word: false,
    lstrip: false,
    rstrip: false,
    normalized: false,
    special: true,
  }));
  const tokenizerJson = JSON.stringify({
    version: "1.0",
    truncation: null,
    padding: null,
    added_tokens: specials,
    normalizer: null,
    pre_tokenizer: { type: "ByteLevel", add_prefix_space: false, trim_offsets: true, use_regex: true },
    post_processor: null,
    decoder: { type: "ByteLevel" },
    model: { type: "BPE", dropout: null, unk_token: null, vocab, merges },
  });
  const tokenizerConfig = JSON.stringify({
    tokenizer_class: "Qwen2Tokenizer",
    eos_token: "<|im_end|>",
    chat_template:
      o.chatTemplate ?? "{% for m in messages %}<|im_start|>{{ m.role }}\n{{ m.content }}<|im_end|>\n{% endfor %}",
    added_tokens_decoder: Object.fromEntries(
      specials.map((s) => [String(s.id), { content: s.content, special: true }]),
    ),
  });
  return { tokenizerJson, tokenizerConfig };
}

/** Writes {@link generatedTokenizer}'s files into `dir`. */
export async function writeTokenizer(dir: string, o: Parameters<typeof generatedTokenizer>[0]): Promise<void> {
  const t = generatedTokenizer(o);
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, "tokenizer.json"), t.tokenizerJson);
  await writeFile(join(dir, "tokenizer_config.json"), t.tokenizerConfig);
}

/** A seeded permutation of 0..n-1 (Fisher-Yates). */
function permutationOf(n: number, rand: () => number): number[] {
  const p = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [p[i], p[j]] = [p[j]!, p[i]!];
  }
  return p;
}

function permuteRows(t: GeneratedTensor, perm: readonly number[]): GeneratedTensor {
  const w = t.values.length / t.shape[0]!;
  const values = new Float32Array(t.values.length);
  perm.forEach((src, dst) => values.set(t.values.subarray(src * w, (src + 1) * w), dst * w));
  return { ...t, values };
}

function permuteColumns(t: GeneratedTensor, perm: readonly number[]): GeneratedTensor {
  const rows = t.shape[0]!;
  const w = t.values.length / rows;
  const values = new Float32Array(t.values.length);
  for (let r = 0; r < rows; r++) perm.forEach((src, dst) => (values[r * w + dst] = t.values[r * w + src]!));
  return { ...t, values };
}

/**
 * Reorders hidden neurons and attention heads of generated models without changing the function they compute: each
 * vision block's MLP neurons (fc1 rows, fc2 columns) and heads (q, k and v rows by head block, proj columns), the
 * merger's hidden neurons, and each text layer's MLP neurons (gate and up rows, down columns).
 */
export function permuteNeurons(tensors: readonly GeneratedTensor[], seed: number, heads = 4): GeneratedTensor[] {
  const rand = mulberry32(seed);
  const byName = new Map(tensors.map((t) => [t.name, t]));
  const out = new Map(byName);
  for (const t of tensors) {
    const fc1 = /^(.*)mlp\.fc1\.weight$/.exec(t.name);
    if (fc1) {
      const p = permutationOf(t.shape[0]!, rand);
      out.set(t.name, permuteRows(t, p));
      const fc2 = byName.get(`${fc1[1]}mlp.fc2.weight`);
      if (fc2) out.set(fc2.name, permuteColumns(fc2, p));
    }
    const qkv = /^(.*)attn\.qkv\.weight$/.exec(t.name);
    if (qkv) {
      const hidden = t.shape[1]!;
      const hd = hidden / heads;
      const hp = permutationOf(heads, rand);
      const inner = hp.flatMap((h) => Array.from({ length: hd }, (_, i) => h * hd + i));
      const rows = [0, 1, 2].flatMap((part) => inner.map((r) => part * hidden + r));
      out.set(t.name, permuteRows(t, rows));
      const proj = byName.get(`${qkv[1]}attn.proj.weight`);
      if (proj) out.set(proj.name, permuteColumns(proj, inner));
    }
    const merger = /^(.*)merger\.mlp\.0\.weight$/.exec(t.name);
    if (merger) {
      const p = permutationOf(t.shape[0]!, rand);
      out.set(t.name, permuteRows(t, p));
      const second = byName.get(`${merger[1]}merger.mlp.2.weight`);
      if (second) out.set(second.name, permuteColumns(second, p));
    }
    const gate = /^(.*)mlp\.gate_proj\.weight$/.exec(t.name);
    if (gate) {
      const p = permutationOf(t.shape[0]!, rand);
      out.set(t.name, permuteRows(t, p));
      for (const n of [`${gate[1]}mlp.up_proj.weight`]) if (byName.has(n)) out.set(n, permuteRows(byName.get(n)!, p));
      const down = byName.get(`${gate[1]}mlp.down_proj.weight`);
      if (down) out.set(down.name, permuteColumns(down, p));
    }
  }
  return tensors.map((t) => out.get(t.name)!);
}
