import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadKnowledgeBase } from "./knowledge-base.js";
import { canonicalHubCase, mapHubAliases } from "./aliases.js";
import { mapOllamaTags } from "./ollama.js";
import { extractFiles } from "../../extract/testing.js";

const kb = loadKnowledgeBase();
const dir = mkdtempSync(join(tmpdir(), "aiprov-aliases-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Extracts and links one Python file as the scan would, then maps tags and aliases as the scan does. */
async function mapped(name: string, source: string) {
  writeFileSync(join(dir, name), source);
  const inv = await extractFiles([{ abs: join(dir, name), rel: name }]);
  return mapHubAliases(mapOllamaTags(inv.references, kb), kb);
}

describe("bare names that stand for Hub repositories (rules/knowledge/hub-aliases.yaml)", () => {
  it("maps legacy names to the organisation they moved to, citing it", () => {
    const entries = kb.hubAlias ? ["gpt2", "bert-base-uncased", "t5-base", "roberta-base", "distilgpt2"] : [];
    expect(entries.map((n) => kb.hubAlias?.(n)?.repo)).toEqual([
      "openai-community/gpt2",
      "google-bert/bert-base-uncased",
      "google-t5/t5-base",
      "FacebookAI/roberta-base",
      "distilbert/distilgpt2",
    ]);
    expect(kb.hubAlias?.("gpt2")?.entry.source.url).toBe("https://huggingface.co/openai-community");
  });

  it("maps legacy un-namespaced ids in transformers loads to their organisation, offline", async () => {
    const refs = await mapped(
      "legacy.py",
      [
        "from transformers import AutoTokenizer, BertConfig, T5ForConditionalGeneration",
        'tok = AutoTokenizer.from_pretrained("gpt2")',
        'cfg = BertConfig.from_pretrained("bert-base-uncased")',
        'model = T5ForConditionalGeneration.from_pretrained("t5-base")',
        'other = AutoTokenizer.from_pretrained("my-own-model")',
        "",
      ].join("\n"),
    );
    const byRaw = new Map(refs.map((r) => [r.raw, r]));
    expect(byRaw.get("gpt2")).toMatchObject({ kind: "hub-id", target: "openai-community/gpt2" });
    expect(byRaw.get("gpt2")?.facts).toMatchObject({
      alias: "gpt2",
      mappedBy: "https://huggingface.co/openai-community",
    });
    expect(byRaw.get("gpt2")?.skipReason).toBeUndefined();
    expect(byRaw.get("bert-base-uncased")).toMatchObject({ kind: "hub-id", target: "google-bert/bert-base-uncased" });
    expect(byRaw.get("t5-base")).toMatchObject({ kind: "hub-id", target: "google-t5/t5-base" });
    // A name the table does not list stays what it was: unresolved, never guessed.
    expect(byRaw.get("my-own-model")?.target).not.toContain("/");
  });

  it("completes a library's short names only in the context of its loader", async () => {
    const refs = await mapped(
      "embed.py",
      [
        "from sentence_transformers import SentenceTransformer",
        "from transformers import AutoModel",
        'emb = SentenceTransformer("all-mpnet-base-v2")',
        'plain = AutoModel.from_pretrained("all-MiniLM-L6-v2")',
        "",
      ].join("\n"),
    );
    const byRaw = new Map(refs.map((r) => [r.raw, r]));
    expect(byRaw.get("all-mpnet-base-v2")).toMatchObject({
      kind: "hub-id",
      target: "sentence-transformers/all-mpnet-base-v2",
    });
    // transformers does not complete the name: it stays unresolved.
    expect(byRaw.get("all-MiniLM-L6-v2")?.target).toBe("all-MiniLM-L6-v2");
  });

  it("maps Ollama qwen3.5 tags through the Ollama table", async () => {
    const refs = await mapped(
      "ollama_client.py",
      ["import ollama", 'ollama.chat(model="qwen3.5:9b", messages=[])', 'ollama.chat(model="qwen3.5:4b")', ""].join(
        "\n",
      ),
    );
    expect(refs.filter((r) => r.raw.startsWith("qwen3.5")).map((r) => [r.kind, r.target])).toEqual([
      ["hub-id", "Qwen/Qwen3.5-9B"],
      ["hub-id", "Qwen/Qwen3.5-4B"],
    ]);
  });

  it("maps a sized tag of a listed Ollama library sent over HTTP, but never a bare or unlisted name", async () => {
    const refs = await mapped(
      "client.py",
      [
        "import os, requests",
        'GENERATION_MODEL = os.getenv("GENERATION_MODEL", "qwen3.5:9b")',
        'OTHER = os.getenv("OTHER_MODEL", "house-model:v2")',
        "def generate(prompt, model=GENERATION_MODEL):",
        '    return requests.post("http://localhost:11434/api/generate", json={"model": model, "prompt": prompt})',
        "def other(prompt):",
        '    return requests.post("http://localhost:11434/api/generate", json={"model": OTHER, "prompt": prompt})',
        "",
      ].join("\n"),
    );
    const qwen = refs.filter((r) => r.raw === "qwen3.5:9b");
    expect(qwen.length).toBeGreaterThan(0);
    for (const r of qwen) {
      expect([r.kind, r.target, r.skipReason]).toEqual(["hub-id", "Qwen/Qwen3.5-9B", undefined]);
      expect(r.facts?.ollamaTag).toBe("qwen3.5:9b");
    }
    for (const r of refs.filter((x) => x.raw === "house-model:v2")) expect(r.kind).not.toBe("hub-id");
  });

  it("spells a Hub id written in several cases one way: the knowledge base's, else the most frequent", async () => {
    const refs = canonicalHubCase(
      await mapped(
        "demo.py",
        [
          "from transformers import AutoModelForCausalLM, AutoTokenizer",
          'a = AutoModelForCausalLM.from_pretrained("qwen/Qwen-VL-Chat", trust_remote_code=True)',
          'b = AutoTokenizer.from_pretrained("Qwen/Qwen-VL-Chat", trust_remote_code=True)',
          'c = AutoModelForCausalLM.from_pretrained("Qwen/Qwen-VL-Chat", trust_remote_code=True)',
          'd = AutoModelForCausalLM.from_pretrained("google-bert/BERT-base-uncased")',
          "",
        ].join("\n"),
      ),
      kb,
    );
    const targets = refs.filter((r) => r.kind === "hub-id").map((r) => [r.raw, r.target, r.facts?.writtenAs]);
    expect(targets).toEqual([
      ["qwen/Qwen-VL-Chat", "Qwen/Qwen-VL-Chat", "qwen/Qwen-VL-Chat"],
      ["Qwen/Qwen-VL-Chat", "Qwen/Qwen-VL-Chat", undefined],
      ["Qwen/Qwen-VL-Chat", "Qwen/Qwen-VL-Chat", undefined],
      // The knowledge base lists google-bert/bert-base-uncased: its spelling wins even when written once.
      ["google-bert/BERT-base-uncased", "google-bert/bert-base-uncased", "google-bert/BERT-base-uncased"],
    ]);
  });
});
