#!/usr/bin/env node
/**
 * Prints the `signature:` block of a known-tokenizer entry (`rules/knowledge/tokenizers/<id>.yaml`,
 * schemas/knowledge-tokenizer.schema.json) computed from a real tokenizer.json, with the definitions of
 * src/fingerprint/tokenizer-known.ts. Never type a signature by hand: run this on the released file.
 *
 * Usage: npm run build && node scripts/known-tokenizer.mjs <path/to/tokenizer.json> [--entry <id> --name <name> --publisher <org> --models <org/a,org/b> --source-title <t> --source-url <u>]
 * With --entry, prints a whole entry (YAML) instead of the signature block alone.
 */
import { createReadStream } from "node:fs";
import { stringify } from "yaml";
import { readTokenizerJson } from "../dist/formats/tokenizer.js";
import { knownTokenizerNumbers } from "../dist/fingerprint/tokenizer-known.js";

const args = process.argv.slice(2);
const file = args.find((a, i) => !a.startsWith("--") && (i === 0 || !args[i - 1].startsWith("--")));
const opt = (name) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
if (!file) {
  console.error("usage: node scripts/known-tokenizer.mjs <tokenizer.json> [--entry <id> --name <name> --publisher <org> --models <a,b> --source-title <t> --source-url <u>]");
  process.exit(2);
}
try {
  const summary = await readTokenizerJson(createReadStream(file), { collectEntries: true });
  const { signature } = knownTokenizerNumbers(summary);
  const id = opt("entry");
  if (id) {
    const entry = {
      id,
      name: opt("name") ?? id,
      publisher: opt("publisher") ?? "unknown",
      models: (opt("models") ?? "").split(",").filter(Boolean),
      source: { title: opt("source-title") ?? file, ...(opt("source-url") ? { url: opt("source-url") } : {}) },
      signature,
    };
    process.stdout.write(stringify(entry, { lineWidth: 0, flowCollectionPadding: false }).replace(/^(\s*minHash:)\n((?:\s+- \d+\n)+)/m, (_, k, list) => `${k} [${list.trim().split(/\n\s*- /).map((x) => x.replace(/^- /, "")).join(", ")}]\n`));
  } else {
    process.stdout.write(stringify({ signature }, { lineWidth: 0 }));
  }
} catch (err) {
  console.error(`${file}: ${err.message}`);
  process.exit(2);
}
