// Benchmark: the readers of large model files. Writes (1) a Qwen2-sized tokenizer.json (151,643 vocabulary entries,
// 151,387 merges) and (2) a 2 GB sparse safetensors file with a 1,000-tensor header and (3) a GGUF header with a
// 150,000-token vocabulary array; then times the streamed tokenizer summary, the header-only safetensors read and
// the bounded GGUF check + parse, and prints wall time, throughput and peak RSS (process.resourceUsage().maxRSS).
// Needs `npm run build` (npm run bench does it). Goal: memory bounded by what is kept (not by file size).
import {
  closeSync,
  createWriteStream,
  ftruncateSync,
  mkdtempSync,
  openSync,
  rmSync,
  statSync,
  writeSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { serializeGgufMetadata, GGUFValueType as T } from "@huggingface/gguf";
import { readTokenizerFile } from "../dist/formats/tokenizer.js";
import { createFileReader } from "../dist/extract/file-reader.js";
import { safetensorsHeaderExtractor } from "../dist/extract/extractors/safetensors-header/index.js";
import { ggufExtractor } from "../dist/extract/extractors/gguf/index.js";

const tmp = mkdtempSync(join(tmpdir(), "aiprov-bench-files-"));
const mb = (n) => (n / 1e6).toFixed(1);
const rss = () => (process.resourceUsage().maxRSS / 1024).toFixed(0);

// 1. tokenizer.json
const tok = join(tmp, "tokenizer.json");
const out = createWriteStream(tok);
out.write(
  '{"version":"1.0","added_tokens":[{"id":151643,"content":"<|endoftext|>","special":true}],"model":{"type":"BPE","vocab":{',
);
for (let i = 0; i < 151643; i++) out.write(`${i ? "," : ""}"Ġtok${i.toString(36)}ĠabcdefĠ":${i}`);
out.write('},"merges":[');
for (let i = 0; i < 151387; i++) out.write(`${i ? "," : ""}["Ġtok${i.toString(36)}","abc"]`);
out.write("]}}");
await new Promise((r) => out.end(r));
global.gc?.();
let t0 = performance.now();
const s = await readTokenizerFile(tok, { collectVocabulary: true });
let ms = performance.now() - t0;
const size = statSync(tok).size;
console.log(
  `tokenizer.json ${mb(size)} MB: ${ms.toFixed(0)} ms, ${mb(size / (ms / 1000))} MB/s, vocab ${s.vocabSize}, merges ${s.mergesCount}, peak RSS ${rss()} MB`,
);

// 2. sparse safetensors: 1,000 F16 tensors of 1,000,000 elements (2 GB of data, never read)
const st = join(tmp, "model.safetensors");
const header = {};
for (let i = 0; i < 1000; i++)
  header[`${i < 400 ? "visual" : "model"}.blocks.${i}.weight`] = {
    dtype: "F16",
    shape: [1000, 1000],
    data_offsets: [i * 2e6, (i + 1) * 2e6],
  };
let json = Buffer.from(JSON.stringify(header));
json = Buffer.concat([json, Buffer.from(" ".repeat((8 - (json.length % 8)) % 8))]);
const len = Buffer.alloc(8);
len.writeBigUInt64LE(BigInt(json.length));
const fd = openSync(st, "w");
writeSync(fd, len);
writeSync(fd, json);
ftruncateSync(fd, 8 + json.length + 2e9);
closeSync(fd);
const counter = { bytes: 0 };
t0 = performance.now();
const so = await safetensorsHeaderExtractor.extract(
  createFileReader("model.safetensors", st, statSync(st).size, 8 << 20, counter),
  { maxTextBytes: 8 << 20 },
);
ms = performance.now() - t0;
console.log(
  `safetensors ${mb(statSync(st).size)} MB (sparse): ${ms.toFixed(0)} ms, ${counter.bytes} bytes read, ${so.components?.length} components, peak RSS ${rss()} MB`,
);

// 3. GGUF header with a 150,000-token vocabulary
const gg = join(tmp, "model.gguf");
const tokens = Array.from({ length: 150000 }, (_, i) => `tok${i}`);
const md = {
  version: { value: 3, type: T.UINT32 },
  tensor_count: { value: 0n, type: T.UINT64 },
  kv_count: { value: 3n, type: T.UINT64 },
  "general.architecture": { value: "llama", type: T.STRING },
  "general.type": { value: "model", type: T.STRING },
  "tokenizer.ggml.tokens": { value: tokens, type: T.ARRAY, subType: T.STRING },
};
const gfd = openSync(gg, "w");
writeSync(gfd, serializeGgufMetadata(md));
closeSync(gfd);
t0 = performance.now();
const go = await ggufExtractor.extract(createFileReader("model.gguf", gg, statSync(gg).size, 8 << 20, { bytes: 0 }), {
  maxTextBytes: 8 << 20,
});
ms = performance.now() - t0;
console.log(
  `gguf header ${mb(statSync(gg).size)} MB: ${ms.toFixed(0)} ms, ${go.diagnostics?.length ?? 0} diagnostics, peak RSS ${rss()} MB`,
);
rmSync(tmp, { recursive: true, force: true });
