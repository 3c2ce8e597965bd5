import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { extractFile } from "../../testing.js";
import { chatTemplateExtractor } from "./index.js";

const FIX = join(import.meta.dirname, "fixtures");

describe("chat-template extractor", () => {
  it("matches chat_template.jinja and chat_template.json only", () => {
    expect(chatTemplateExtractor.matches("m/chat_template.jinja", "chat_template.jinja")).toBe(true);
    expect(chatTemplateExtractor.matches("chat_template.json", "chat_template.json")).toBe(true);
    expect(chatTemplateExtractor.matches("templates/chat.jinja", "chat.jinja")).toBe(false);
  });

  it("reads the Qwen2.5-VL chat_template.json: ChatML with vision markers, as facts of the folder", async () => {
    const out = await extractFile(chatTemplateExtractor, FIX, "qwen2.5-vl-7b-instruct/chat_template.json");
    expect(out.folders?.[0]?.dir).toBe("qwen2.5-vl-7b-instruct");
    expect(out.folders?.[0]?.facts?.chatTemplateFamilies).toEqual(["chatml", "qwen2-vl"]);
    expect(out.references ?? []).toEqual([]);
  });

  it("reads a Llama 3 template from a .jinja file", async () => {
    const out = await extractFile(chatTemplateExtractor, FIX, "peft-gem2-llamion-korean-qlora/chat_template.jinja");
    expect(out.folders?.[0]?.facts?.chatTemplateFamilies).toEqual(["llama3"]);
  });
});
