import { describe, expect, it } from "vitest";
import { fileURLToPath } from "node:url";
import { dotenvExtractor, parseDotenv } from "./index.js";
import { runOn } from "../../testing.js";

const FIX = fileURLToPath(new URL("./fixtures", import.meta.url));

describe("dotenv extractor", () => {
  it("defines variables, including multi-line backtick values", async () => {
    const out = await runOn(dotenvExtractor, FIX, ".env");
    expect(out.variables?.map((v) => [v.name, v.location.line])).toEqual([["HF_TOKEN", 2], ["LLAMA_MODEL", 3], ["CACHE_DIR", 4], ["MODELS", 5], ["TEXT_EMBEDDING_MODELS", 11], ["OLD_MODELS", 14]]);
    expect(out.variables?.find((v) => v.name === "CACHE_DIR")?.value).toBe("/data/hf cache");
  });

  it("reads model variables and JSON model lists as references, with the line of each id, and no secret", async () => {
    const out = await runOn(dotenvExtractor, FIX, ".env");
    expect(out.references?.map((r) => [r.target, r.location.line])).toEqual([
      ["beomi/Llama-3-KoEn-8B", 3],
      ["NousResearch/Hermes-3-Llama-3.1-8B", 7],
      ["Xenova/gte-small", 12],
    ]);
    expect(out.references?.[2]?.role).toBe("embedding");
    expect(JSON.stringify(out.references)).not.toContain("hf_FakeToken");
  });

  it("strips comments after unquoted values and handles export", () => {
    expect(parseDotenv("export A=b # c\nB='x y'\n", ".env", "").map((v) => [v.name, v.value])).toEqual([["A", "b"], ["B", "x y"]]);
  });
});
