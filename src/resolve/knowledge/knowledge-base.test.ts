/**
 * The knowledge-base loader: every section is read by one generic loader (read, validate against its schema, store
 * by id, note a user entry that replaces or shadows a bundled fact), and every problem of every directory is reported
 * at once. User directories are written here into a temporary folder.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { ConfigError } from "../../errors.js";
import { loadKnowledgeBase } from "./knowledge-base.js";

const made: string[] = [];
afterEach(() => {
  for (const d of made.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A user knowledge directory holding `files` (relative path -> text). */
function userDir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "aiprov-kb-"));
  made.push(dir);
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(join(dir, rel, ".."), { recursive: true });
    writeFileSync(join(dir, rel), text);
  }
  return dir;
}

const SOURCE = '{ title: "written for this test" }';

function problemsOf(dirs: string[]): string[] {
  try {
    loadKnowledgeBase(dirs);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).problems;
  }
  return [];
}

describe("loadKnowledgeBase", () => {
  it("loads the bundled directory with no overrides", () => {
    const kb = loadKnowledgeBase();
    expect(kb.version).toMatch(/^aiprov-bundled@/);
    expect(kb.overrides).toEqual([]);
    expect(kb.publisherForOrg("deepseek-ai")?.id).toBe("deepseek");
    expect(kb.publisherForOrg("DeepSeek")?.id).toBe("deepseek");
    expect(kb.component("bert-base-uncased")?.file).toBe("knowledge/components/bert-base-uncased.yaml");
    expect(kb.hostedProvider?.("openai")).toMatchObject({ entity: "OpenAI OpCo, LLC", country: "US" });
    expect(kb.ollamaUpstream?.("qwen2.5")?.repo).toBe("Qwen/Qwen2.5-7B-Instruct");
    expect(kb.ollamaUpstream?.("qwen2.5:14b-instruct-q4_K_M")?.repo).toBe("Qwen/Qwen2.5-14B-Instruct");
    expect(kb.ollamaUpstream?.("registry.ollama.ai/library/qwen3:latest")?.repo).toBe("Qwen/Qwen3-8B");
    expect(kb.ollamaUpstream?.("not-a-library-name")).toBeUndefined();
  });

  it("lets a user directory replace bundled entries, and lists each replacement or shadowing", () => {
    const dir = userDir({
      "publishers.yaml": `publishers:
  - { id: deepseek, entity: Renamed, country: US, orgs: [deepseek-ai], source: ${SOURCE} }
  - { id: in-house, entity: In House Ltd, country: GB, orgs: [in-house-org, Qwen], source: ${SOURCE} }
  - { id: fresh, entity: Fresh Ltd, country: FR, orgs: [fresh-org], source: ${SOURCE} }
`,
      "ollama-tags.yaml": `tags:\n  - { name: qwen2.5, default: 7b, upstream: { 7b: my-org/qwen-copy }, source: { title: mirror, url: "https://example.org/qwen" } }\n`,
    });
    const kb = loadKnowledgeBase([dir]);
    expect(kb.version).toMatch(
      new RegExp(`^aiprov-bundled@[^+]+\\+${dir.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}@unversioned$`),
    );
    expect(kb.publisherForOrg("deepseek-ai")?.entity).toBe("Renamed");
    expect(kb.ollamaUpstream?.("qwen2.5")?.repo).toBe("my-org/qwen-copy");
    // replaced by id, shadowing a bundled org, replaced tag; a fresh publisher is no override
    expect(kb.overrides?.map((o) => `${o.kind}:${o.id}`).sort()).toEqual([
      "ollama-tag:qwen2.5",
      "publisher:deepseek",
      "publisher:in-house",
    ]);
    expect(kb.overrides?.every((o) => o.dir === dir)).toBe(true);
  });

  it("reads a user directory's manifest, components (llm-backbone read as backbone) and fingerprints", () => {
    const dir = userDir({
      "manifest.yaml": "name: acme-knowledge\nversion: 1.2.0\n",
      "components/acme-7b.yaml": `id: acme-7b
name: Acme 7B
role: llm-backbone
publisher: in-house
identity: { hidden_size: 4096, num_hidden_layers: 32, num_attention_heads: 32, intermediate_size: 11008, vocab_size: 32000 }
checkpoints: [{ repos: [acme/acme-7b], identity: {}, source: ${SOURCE} }]
lineage: [{ relation: finetune, component: bert-base-uncased, source: ${SOURCE} }]
sources: [${SOURCE}]
`,
    });
    const kb = loadKnowledgeBase([dir]);
    expect(kb.version).toMatch(/\+acme-knowledge@1\.2\.0$/);
    const c = kb.component("acme-7b");
    expect(c?.role).toBe("backbone");
    expect(c?.file.endsWith("/components/acme-7b.yaml")).toBe(true);
    expect(kb.overrides).toEqual([]);
  });

  it("reports every problem of every directory at once, naming the file", () => {
    const missing = join(tmpdir(), "aiprov-kb-does-not-exist");
    const bad = userDir({
      "publishers.yaml": "publishers: [ { id: x\n",
      "components/no-name.yaml": `id: no-name\nrole: backbone\npublisher: p\nidentity: {}\ncheckpoints: []\nsources: [${SOURCE}]\n`,
      "components/dangling.yaml": `id: dangling
name: Dangling
role: model
publisher: p
identity: {}
checkpoints: [{ repos: [acme/dangling], identity: {}, source: ${SOURCE} }]
parts: [{ role: vision-encoder, component: nowhere, relation: component-of, source: ${SOURCE} }]
sources: [${SOURCE}]
`,
      "fingerprints/broken.json": "{ not json",
    });
    const file = userDir({ "x.txt": "" });
    const problems = problemsOf([missing, bad, join(file, "x.txt")]);
    expect(problems.some((p) => p.startsWith(`${missing}: knowledge directory does not exist`))).toBe(true);
    expect(problems.some((p) => p.startsWith(`${join(bad, "publishers.yaml")}: invalid YAML`))).toBe(true);
    expect(problems.some((p) => p.startsWith(join(bad, "components", "no-name.yaml")))).toBe(true);
    expect(problems.some((p) => p.startsWith(`${join(bad, "fingerprints", "broken.json")}: invalid JSON`))).toBe(true);
    expect(problems.some((p) => p.includes("components/dangling.yaml:/parts: unknown component 'nowhere'"))).toBe(true);
    expect(problems.some((p) => p.startsWith(`${join(file, "x.txt")}: is a file`))).toBe(true);
  });
});
