import { describe, expect, it } from "vitest";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { dotenvExtractor, parseDotenv } from "./index.js";
import { extractFile } from "../../testing.js";

// Written in the shape of huggingface/chat-ui .env (backtick JSON model lists) and SeungJu-Mun/Ko-Llava .env
// (values copied from shared/corpus); the token is fake. Kept inline so the corpus fixtures beside stay byte copies.
const ENV = [
  "# Fixture written for aiprov in the shape of huggingface/chat-ui .env and SeungJu-Mun/Ko-Llava .env.",
  "HF_TOKEN=hf_FakeTokenForTestsOnly0123456789abcdef",
  "LLAMA_MODEL=beomi/Llama-3-KoEn-8B",
  'export CACHE_DIR="/data/hf cache"',
  "MODELS=`[",
  "  {",
  '    "name": "NousResearch/Hermes-3-Llama-3.1-8B",',
  '    "description": "chat"',
  "  }",
  "]`",
  "TEXT_EMBEDDING_MODELS = `[",
  '  { "name": "Xenova/gte-small", "endpoints": [{ "type": "transformersjs" }] }',
  "]`",
  "OLD_MODELS=`[]`",
  "",
].join("\n");
const FIX = mkdtempSync(join(tmpdir(), "aiprov-dotenv-"));
writeFileSync(join(FIX, ".env"), ENV);

describe("dotenv extractor", () => {
  it("defines variables, including multi-line backtick values", async () => {
    const out = await extractFile(dotenvExtractor, FIX, ".env");
    expect(out.variables?.map((v) => [v.name, v.location.line])).toEqual([
      ["HF_TOKEN", 2],
      ["LLAMA_MODEL", 3],
      ["CACHE_DIR", 4],
      ["MODELS", 5],
      ["TEXT_EMBEDDING_MODELS", 11],
      ["OLD_MODELS", 14],
    ]);
    expect(out.variables?.find((v) => v.name === "CACHE_DIR")?.value).toBe("/data/hf cache");
  });

  it("reads model variables and JSON model lists as references, with the line of each id, and no secret", async () => {
    const out = await extractFile(dotenvExtractor, FIX, ".env");
    expect(out.references?.map((r) => [r.target, r.location.line])).toEqual([
      ["beomi/Llama-3-KoEn-8B", 3],
      ["NousResearch/Hermes-3-Llama-3.1-8B", 7],
      ["Xenova/gte-small", 12],
    ]);
    expect(out.references?.[2]?.role).toBe("embedding");
    expect(JSON.stringify(out.references)).not.toContain("hf_FakeToken");
  });

  it("strips comments after unquoted values and handles export", () => {
    expect(parseDotenv("export A=b # c\nB='x y'\n", ".env", "").map((v) => [v.name, v.value])).toEqual([
      ["A", "b"],
      ["B", "x y"],
    ]);
  });
});
