import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { extractFile } from "../../testing.js";
import { dotenvExtractor, parseDotenv } from "./index.js";

const FIX = join(import.meta.dirname, "fixtures");

describe("dotenv extractor", () => {
  it("matches .env, .env.example, *.env and not envs.py", () => {
    expect(dotenvExtractor.matches(".env", ".env")).toBe(true);
    expect(dotenvExtractor.matches("a/.env.example", ".env.example")).toBe(true);
    expect(dotenvExtractor.matches("prod.env", "prod.env")).toBe(true);
    expect(dotenvExtractor.matches("envs.py", "envs.py")).toBe(false);
  });

  it("reads Ko-Llava's .env model variables with their lines, scoped to the folder", async () => {
    const out = await extractFile(dotenvExtractor, FIX, "ko-llava-chat-vector-merge/.env");
    const llama = out.variables!.find((v) => v.name === "LLAMA_MODEL");
    expect(llama).toMatchObject({ value: "beomi/Llama-3-KoEn-8B", scope: "ko-llava-chat-vector-merge" });
    expect(llama!.location.line).toBeGreaterThan(0);
    expect(out.variables!.find((v) => v.name === "LLAVA_MODEL")?.value).toBe("xtuner/llava-llama-3-8b-transformers");
  });

  it("reads OmniServe's .env.example, dropping inline comments", async () => {
    const out = await extractFile(dotenvExtractor, FIX, "hyperclovax-omniserve/.env.example");
    expect(out.variables!.length).toBeGreaterThan(3);
    for (const v of out.variables!) expect(v.value).not.toMatch(/\s#/);
  });

  it("handles quotes and export", () => {
    const vars = parseDotenv("export A=\"x/y\" # c\nB='p q'\n# C=z\n", ".env", "");
    expect(vars.map((v) => [v.name, v.value])).toEqual([
      ["A", "x/y"],
      ["B", "p q"],
    ]);
  });
});
