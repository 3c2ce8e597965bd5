import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { walk } from "../discover/walk.js";
import { createExtractionPool } from "./pool.js";

/** Enough files that the walk yields and the main thread extracts in several batches. */
const MANY_FILES = 2000;
import { loadExtractors } from "./registry.js";
import { runExtractors } from "./run.js";

// A tree above the parallel threshold: code with references, settings, model folders, and bad files of every kind
// the readers reject (invalid UTF-8, NUL bytes, an unparsable config), spread over many folders.
let root: string;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), "aiprov-pool-"));
  const write = (rel: string, body: string | Buffer): void => {
    mkdirSync(dirname(join(root, rel)), { recursive: true });
    writeFileSync(join(root, rel), body);
  };
  for (let i = 0; i < MANY_FILES + 600; i++) {
    const pkg = `pkg-${i % 37}`;
    if (i % 50 === 0)
      write(
        `${pkg}/load_${i}.py`,
        `from transformers import AutoModel\nMODEL_ID = "Qwen/Qwen2.5-7B-Instruct"\nm = AutoModel.from_pretrained(MODEL_ID, trust_remote_code=True)\n`,
      );
    else if (i % 77 === 0) write(`${pkg}/settings_${i}.yaml`, `llm:\n  model: meta-llama/Llama-3.1-8B-Instruct\n`);
    else if (i % 301 === 0)
      write(
        `${pkg}/model_${i}/config.json`,
        JSON.stringify({ model_type: "llama", _name_or_path: "mistralai/Mistral-7B-v0.1", hidden_size: 4096 }),
      );
    else if (i % 433 === 0)
      write(`${pkg}/bad_${i}.py`, Buffer.from([0x6d, 0x6f, 0x64, 0x65, 0x6c, 0x20, 0xff, 0xfe, 0x0a]));
    else if (i % 509 === 0) write(`${pkg}/broken_${i}/config.json`, '{ "model_type": ');
    else write(`${pkg}/noise_${i}.${["py", "ts", "md", "json", "css"][i % 5]}`, `// ${i} nothing to see\n`);
  }
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("the extraction pool", () => {
  it("gives the same result, in the same order, with worker threads and the main thread as in one thread", async () => {
    const ctx = { maxTextBytes: 8 * 1024 * 1024 };
    // Workers start at once (no costly-work threshold), so that every batch kind runs in a worker too.
    const pool = createExtractionPool(ctx, 3, 3, { parallelMinBytes: 0 });
    const walked = await walk(root, { onFile: (f) => pool.add(f) });
    const parallel = await pool.finish(walked.files);
    // The built worker exists because `npm test` builds first; without it the pool runs in-process and this says so.
    expect(pool.workers).toBe(2);
    const single = await runExtractors((await walk(root)).files, await loadExtractors(), ctx);
    expect(parallel.outputs.length).toBeGreaterThan(90);
    expect(parallel.outputs.flatMap((o) => o.output.references ?? []).length).toBeGreaterThan(50);
    expect(parallel.outputs.flatMap((o) => o.output.diagnostics ?? []).map((d) => d.code)).toEqual(
      expect.arrayContaining(["invalid-utf8"]),
    );
    expect(parallel).toEqual(single);
  });

  it("abandons a file that exhausts a worker's memory budget, names it, and keeps every other file's result", async () => {
    // Hostile: a config.json of 2.5 million one-key objects (about 20 MB of parse tree per megabyte of text), read by
    // a worker whose heap is capped at 64 MiB. The worker dies on it; the pool names it and runs the rest again.
    const hostile = mkdtempSync(join(tmpdir(), "aiprov-pool-hostile-"));
    try {
      for (let i = 0; i < MANY_FILES + 100; i++)
        writeFileSync(
          join(hostile, `noise_${i}.py`),
          i % 100 === 0
            ? `from transformers import AutoModel\nAutoModel.from_pretrained("Qwen/Qwen2.5-7B-Instruct")\n`
            : `# ${i}\n`,
        );
      mkdirSync(join(hostile, "big"));
      writeFileSync(
        join(hostile, "big", "config.json"),
        `{"model_type": "llama", "layers": [${Array.from({ length: 1_000_000 }, () => '{"a":[1]}').join(",")}]}`,
      );
      const ctx = { maxTextBytes: 32 * 1024 * 1024 };
      const pool = createExtractionPool(ctx, 2, 2, { memoryMb: 64 });
      const walked = await walk(hostile, { onFile: (f) => pool.add(f) });
      const result = await pool.finish(walked.files);
      const diags = result.outputs.flatMap((o) => o.output.diagnostics ?? []);
      const refs = result.outputs.flatMap((o) => o.output.references ?? []);
      const abandoned = diags.filter((d) => d.code === "file-budget-exceeded");
      // big/config.json sorts first: it is in the first batch, which goes to the worker as soon as it starts.
      expect(abandoned.map((d) => d.location?.file)).toEqual(["big/config.json"]);
      expect(abandoned[0]!.message).toMatch(/memory budget \(64 MiB\)/);
      // A model manifest that could not be read is a component, undetermined.
      expect(result.outputs.flatMap((o) => o.output.components ?? []).map((c) => c.location.file)).toContain(
        "big/config.json",
      );
      expect(refs.filter((r) => r.target === "Qwen/Qwen2.5-7B-Instruct").length).toBe(21);
      expect(pool.workers).toBeGreaterThanOrEqual(1);
    } finally {
      rmSync(hostile, { recursive: true, force: true });
    }
  });

  it("runs a small tree in-process, without starting workers", async () => {
    const small = mkdtempSync(join(tmpdir(), "aiprov-pool-small-"));
    try {
      writeFileSync(
        join(small, "app.py"),
        `from sentence_transformers import SentenceTransformer\nSentenceTransformer("BAAI/bge-m3")\n`,
      );
      const pool = createExtractionPool({ maxTextBytes: 1 << 20 }, 4);
      const walked = await walk(small, { onFile: (f) => pool.add(f) });
      const result = await pool.finish(walked.files);
      expect(pool.workers).toBe(0);
      expect(result.outputs.flatMap((o) => o.output.references ?? []).map((r) => r.target)).toEqual(["BAAI/bge-m3"]);
    } finally {
      rmSync(small, { recursive: true, force: true });
    }
  });
});
