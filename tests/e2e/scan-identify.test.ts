import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { scan } from "../../src/scan/scan.js";
import { loadKnowledgeBase } from "../../src/resolve/knowledge/knowledge-base.js";
import { loadPacks } from "../../src/policy/load.js";
import { generatedTokenizer } from "../../src/fingerprint/generate.js";
import { readTokenizerJson } from "../../src/formats/tokenizer.js";
import { knownTokenizerNumbers } from "../../src/fingerprint/tokenizer-known.js";
import type { AuditResult } from "../../src/model/types.js";
import { Readable } from "node:stream";

const roots: string[] = [];
afterAll(() => {
  for (const r of roots) rmSync(r, { recursive: true, force: true });
});

function project(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), "aiprov-ident-"));
  roots.push(root);
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(join(root, rel, ".."), { recursive: true });
    writeFileSync(join(root, rel), text);
  }
  return root;
}

const run = (
  root: string,
  kb = loadKnowledgeBase(),
  policy: string[] = ["kr-sovereign-from-scratch"],
): Promise<AuditResult> =>
  scan({ root, kb, packs: loadPacks(policy), failOn: "error", offline: true, organization: [] });

// Values of the released meta-llama/Llama-3.1-8B config.json, under an in-house name (src/resolve/knowledge/fixtures).
const LLAMA_31_8B = {
  hidden_size: 4096,
  intermediate_size: 14336,
  num_hidden_layers: 32,
  num_attention_heads: 32,
  num_key_value_heads: 8,
  vocab_size: 128256,
  hidden_act: "silu",
  rms_norm_eps: 1e-5,
  rope_theta: 500000.0,
  max_position_embeddings: 131072,
  tie_word_embeddings: false,
};
const here = dirname(fileURLToPath(import.meta.url));
const identKb = () => loadKnowledgeBase([join(here, "..", "..", "src", "resolve", "knowledge", "fixtures", "ident")]);

describe("one rule for backbones and encoders (kr-sovereign-from-scratch)", () => {
  it("an in-house LLM whose config equals Llama-3.1-8B's is undetermined with the hint to compare weights; one of its own dimensions passes", async () => {
    const same = await run(
      project({
        "model/config.json": JSON.stringify({ architectures: ["AcmeForCausalLM"], model_type: "acme", ...LLAMA_31_8B }),
      }),
      identKb(),
    );
    const node = same.lineage.nodes.find((n) => n.id === "local:model/config.json#")!;
    expect(node.status).toBe("undetermined");
    expect(node.statusReason).toMatchObject({
      code: "checkpoint-signature-match",
      args: { candidates: expect.arrayContaining(["Llama 3.1 8B", "Meta-Llama-3-8B"]) },
    });
    const f = same.findings.filter((x) => x.rule === "checkpoint-signature-match");
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({
      verdict: "undetermined",
      severity: "error",
      howToFix: expect.stringMatching(/aiprov compare/),
    });
    expect(f[0]!.message.text).toMatch(
      /\d+ known releases share this configuration, none is picked: [^\n]*Llama 3\.1 8B, Meta-Llama-3-8B/,
    );
    expect(same.summary.verdict).toBe("fail");

    const own = await run(
      project({
        "model/config.json": JSON.stringify({
          architectures: ["AcmeForCausalLM"],
          model_type: "llama",
          ...LLAMA_31_8B,
          hidden_size: 3584,
          num_hidden_layers: 30,
          intermediate_size: 12288,
        }),
      }),
      identKb(),
    );
    expect(own.lineage.nodes.find((n) => n.id === "local:model/config.json#")!.status).toBe("no-third-party-lineage");
    expect(own.findings.filter((x) => x.severity === "error")).toEqual([]);
    expect(own.summary.verdict).toBe("pass");
  });

  it("reads a stand-alone encoder config with no type marker at all as a component, identified by its numbers", async () => {
    const r = await run(
      project({
        "encoders/audio/config.json": JSON.stringify({
          d_model: 1280,
          encoder_layers: 32,
          encoder_attention_heads: 20,
          encoder_ffn_dim: 5120,
          num_mel_bins: 128,
          max_source_positions: 1500,
        }),
      }),
    );
    const node = r.lineage.nodes.find((n) => n.id === "local:encoders/audio/config.json#")!;
    expect(node).toMatchObject({ role: "audio-encoder", status: "undetermined" });
    const to = r.lineage.edges
      .filter((e) => e.from === node.id && e.relation === "same-architecture")
      .map((e) => e.to)
      .sort();
    expect(to).toEqual(["known:qwen2-audio-encoder", "known:whisper-large-v3-encoder"]);
  });
});

describe("compositions of released checkpoints", () => {
  it("a project that only references Qwen/Qwen2-Audio-7B-Instruct shows its audio encoder and the Whisper large-v3 ancestor, offline", async () => {
    const r = await run(
      project({
        "app.py":
          'from transformers import Qwen2AudioForConditionalGeneration\nmodel = Qwen2AudioForConditionalGeneration.from_pretrained("Qwen/Qwen2-Audio-7B-Instruct")\n',
      }),
      loadKnowledgeBase(),
      [],
    );
    const edge = (from: string, relation: string) =>
      r.lineage.edges.find((e) => e.from === from && e.relation === relation);
    expect(r.lineage.nodes.find((n) => n.id === "hub:Qwen/Qwen2-Audio-7B-Instruct")).toMatchObject({ inProduct: true });
    expect(r.lineage.nodes.find((n) => n.id === "known:qwen2-audio-encoder")).toMatchObject({
      role: "audio-encoder",
      status: "third-party",
    });
    expect(edge("known:qwen2-audio-encoder", "component-of")).toMatchObject({
      to: "hub:Qwen/Qwen2-Audio-7B-Instruct",
      evidence: [expect.objectContaining({ code: "knowledge-base-composition" })],
    });
    expect(edge("known:qwen2-audio-encoder", "initialised-from")).toMatchObject({
      to: "known:whisper-large-v3-encoder",
    });
    // The language model: the checkpoint's own, initialised from Qwen-7B.
    const lm = r.lineage.edges.find(
      (e) => e.from.startsWith("part:Qwen/Qwen2-Audio-7B-Instruct#backbone") && e.relation === "initialised-from",
    );
    expect(lm).toMatchObject({ to: "hub:Qwen/Qwen-7B" });
    expect(r.lineage.nodes.find((n) => n.id === lm!.from)).toMatchObject({ role: "backbone", status: "third-party" });
    const { renderText } = await import("../../src/report/text.js");
    const text = renderText(r, { color: false });
    expect(text).toMatch(
      /^ {2}audio-encoder +◦ part Qwen2-Audio encoder +Alibaba Cloud[^\n]* CN +third-party origin found ← Whisper large-v3 encoder/m,
    );
  });
});

async function entryFor(tokenizerJson: string, id: string, publisher: string, models: string[]): Promise<string> {
  const { signature } = knownTokenizerNumbers(
    await readTokenizerJson(Readable.from([tokenizerJson]), { collectEntries: true }),
  );
  return JSON.stringify({
    id,
    name: `${id} tokenizer`,
    publisher,
    models,
    source: { title: "generated for the test" },
    signature,
  });
}

describe("tokenizer evidence in scan", () => {
  it("a verbatim, renamed-special-token or extended copy of a known tokenizer is a tokenizer-of edge; an in-house one is not", async () => {
    const base = generatedTokenizer({ vocab: 3000 });
    const kbDir = project({
      "tokenizers/acme-upstream.yaml": await entryFor(base.tokenizerJson, "upstream-tok", "meta-llama", [
        "meta-llama/Llama-3.1-8B",
      ]),
    });
    const kb = loadKnowledgeBase([kbDir]);
    const renamed = base.tokenizerJson
      .replace(/<\|im_start\|>/g, "<|acme_start|>")
      .replace(/<\|endoftext\|>/g, "<|acme_eos|>");
    const extended = generatedTokenizer({ vocab: 3000, extra: Array.from({ length: 300 }, (_, i) => `새토큰${i}`) });
    const inHouse = generatedTokenizer({ vocab: 3000 }).tokenizerJson.replace(
      /"t(\d+)"/g,
      (_, n: string) => `"w${n}x"`,
    );
    const r = await run(
      project({
        "verbatim/tokenizer.json": base.tokenizerJson,
        "renamed/tokenizer.json": renamed,
        "extended/tokenizer.json": extended.tokenizerJson,
        "own/tokenizer.json": inHouse,
      }),
      kb,
    );
    const tok = (dir: string) =>
      r.lineage.edges.filter((e) => e.from === `local:${dir}/tokenizer.json#` && e.relation === "tokenizer-of");
    for (const dir of ["verbatim", "renamed"]) {
      expect(tok(dir)).toHaveLength(1);
      expect(tok(dir)[0]).toMatchObject({
        to: "tokenizer:upstream-tok",
        strength: "structural",
        evidence: [expect.objectContaining({ args: expect.objectContaining({ verdict: "identical", overlap: 1 }) })],
      });
    }
    expect(tok("renamed")[0]!.evidence[0]!.args).toMatchObject({ specialTokensDiffer: true });
    expect(tok("extended")[0]!.evidence[0]!.args).toMatchObject({ verdict: "extended", newTokens: 300 });
    expect(tok("own")).toEqual([]);
    expect(r.lineage.nodes.find((n) => n.id === "local:extended/tokenizer.json#")).toMatchObject({
      status: "third-party",
      statusReason: { code: "tokenizer-of", args: { verdict: "extended", newTokens: 300 } },
    });
    // The strict pack reports the reuse as a fact (a note), never as a weight failure.
    const notes = r.findings.filter((f) => f.rule === "tokenizer-reuse");
    expect(notes.map((f) => f.node).sort()).toEqual([
      "local:extended/tokenizer.json#",
      "local:renamed/tokenizer.json#",
      "local:verbatim/tokenizer.json#",
    ]);
    expect(r.findings.filter((f) => f.rule === "third-party-weights")).toEqual([]);
  });
});
