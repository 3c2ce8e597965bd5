/**
 * Content prefilters of the code extractors: words without which a file holds nothing the extractor recognises, so it
 * is not parsed. One case-insensitive pass over the text; every pattern is ASCII, so it gives the same answer on the
 * raw bytes read as Latin-1 as on the decoded UTF-8 text (a non-ASCII character never matches an ASCII letter, even
 * case-insensitively: ECMA-262 Canonicalize), which lets the extraction pool decide before any decode which files need
 * a parse (`src/extract/pool.ts`). Shared here so that the extractors and the pool's scheduling never disagree.
 */

/** Words one of the recognised Python loaders or model-named settings needs; a file without any is not parsed. */
export const PYTHON_CODE_WORDS =
  /pretrained|pipeline|model|download|Transformer|Encoder|Client|hub|whisper|ollama|repo_id|ckpt|checkpoint|LLM|Embedding|Rerank|Vocoder|open_clip|torch\.load|load_file|safe_open|pget|models--|\.(?:gguf|safetensors|pt|pth|bin|onnx)\b/i;

/** Words a JavaScript or TypeScript module that loads a model holds; a file without any is not parsed. */
export const JS_CODE_WORDS = /pretrained|pipeline|model|Ollama|HuggingFace|@huggingface|@xenova|Embedding|Rerank/i;

/** The last text each prefilter was asked about, with its answer. */
const lastAnswer = new Map<RegExp, { text: string; hit: boolean }>();

/**
 * True when `text` holds one of `words`. The answer for the last text asked about is remembered per prefilter, so the
 * extraction pool's scheduling test and the extractor's own test on the same text cost one pass, not two.
 */
export function holdsWords(words: RegExp, text: string): boolean {
  const last = lastAnswer.get(words);
  if (last && last.text === text) return last.hit;
  const hit = words.test(text);
  lastAnswer.set(words, { text, hit });
  return hit;
}
