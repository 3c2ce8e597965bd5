/**
 * Hostile-input suite, disguised model ids (issue 11): a model value holding an invisible character (U+200B), a
 * control character (U+0007), a bidirectional override (U+202E) or full-width letters (`Ｑwen`) is neither the id it
 * looks like nor another one. Wherever it is written (a config's `_name_or_path`, an adapter's
 * `base_model_name_or_path`, a model card's `base_model`, a `from_pretrained` call), it is a warning naming the file
 * and the key, the reference is unresolved and its component undetermined, never "no third-party lineage" and never
 * silently normalised into the id it imitates. The same values without the characters resolve (the control).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { aiprovInProcess } from "../helpers/cli.js";
import type { AuditResult } from "../../src/model/types.js";

let base: string;
beforeAll(() => {
  base = mkdtempSync(join(tmpdir(), "aiprov-hidden-chars-"));
});
afterAll(() => rmSync(base, { recursive: true, force: true }));

/** The tree: each place a model id is written, holding `id`. */
function tree(name: string, id: string): string {
  const dir = join(base, name);
  const put = (rel: string, text: string): void => {
    mkdirSync(join(dir, rel, ".."), { recursive: true });
    writeFileSync(join(dir, rel), text);
  };
  put("llm/config.json", JSON.stringify({ _name_or_path: id, architectures: ["Qwen2ForCausalLM"] }));
  put("lora/adapter_config.json", JSON.stringify({ base_model_name_or_path: id, peft_type: "LORA", r: 8 }));
  put("card/README.md", `---\nbase_model: ${JSON.stringify(id)}\n---\n# A fine-tune\n`);
  // The characters themselves in the source (a Python literal with `\\u0007` would be another text).
  put("app.py", `from transformers import AutoModel\n\nmodel = AutoModel.from_pretrained("${id}")\n`);
  return dir;
}

const DISGUISES: [string, string, string][] = [
  ["zero-width space", "Qwen/Qwen2.5-7B\u200b-Instruct", "U+200B"],
  ["bell control character", "Qwen/Qwen2.5-7B-Instruct\u0007", "U+0007"],
  ["right-to-left override", "\u202eQwen/Qwen2.5-7B-Instruct", "U+202E"],
  ["full-width letter", "\uff31wen/Qwen2.5-7B-Instruct", "U+FF31"],
  // Look-alikes (second fresh-clone attack): a Cyrillic е, a Braille blank, a division slash in place of `/`.
  ["Cyrillic homoglyph", "Qw\u0435n/Qwen2.5-7B-Instruct", "U+0435"],
  ["Braille pattern blank", "Qwen/Qwen2.5-7B-Instruct\u2800", "U+2800"],
  ["division slash", "Qwen\u2215Qwen2.5-7B-Instruct", "U+2215"],
];

async function scanJson(dir: string): Promise<AuditResult> {
  const r = await aiprovInProcess(
    ["scan", ".", "--offline", "--policy", "us-covered-adversary", "--format", "json", "--jobs", "1"],
    { cwd: dir },
  );
  expect(r.stderr).toBe("");
  return JSON.parse(r.stdout) as AuditResult;
}

describe("model ids with hidden or look-alike characters", () => {
  it("the control: the plain id resolves everywhere and fails the pack (Qwen)", async () => {
    const result = await scanJson(tree("plain", "Qwen/Qwen2.5-7B-Instruct"));
    expect(result.diagnostics.filter((d) => d.code === "hidden-characters")).toEqual([]);
    expect(result.lineage.nodes.find((n) => n.id === "local:llm/config.json#")?.status).toBe("third-party");
  });

  for (const [label, id, codePoint] of DISGUISES) {
    it(`${label}: a warning per place naming file and key, unresolved, undetermined, never normalised`, async () => {
      const result = await scanJson(tree(label.replace(/\W+/g, "-"), id));
      const said = result.diagnostics
        .filter((d) => d.code === "hidden-characters")
        .map((d) => [d.location?.file, d.location?.pointer ?? "", d.message.includes(codePoint)]);
      expect(said).toEqual(
        expect.arrayContaining([
          ["llm/config.json", "/_name_or_path", true],
          ["lora/adapter_config.json", "/base_model_name_or_path", true],
          ["app.py", "", true],
        ]),
      );
      expect(said.some(([file]) => file === "card/README.md")).toBe(true);
      expect(result.diagnostics.find((d) => d.location?.file === "llm/config.json")?.message).toContain(
        "/_name_or_path",
      );
      // The component is undetermined, not "no third-party lineage"; no node takes the imitated id.
      expect(result.lineage.nodes.find((n) => n.id === "local:llm/config.json#")?.status).toBe("undetermined");
      expect(result.lineage.nodes.some((n) => n.id === "hub:Qwen/Qwen2.5-7B-Instruct")).toBe(false);
      expect(result.findings.some((f) => f.verdict === "undetermined" && f.severity === "warning")).toBe(true);
    });
  }

  it("a .env model variable with hidden or look-alike characters gets the same warning (break-11 B2 addendum)", async () => {
    const plain = join(base, "env-plain");
    mkdirSync(plain, { recursive: true });
    writeFileSync(join(plain, ".env"), "MODEL_ID=Qwen/Qwen2.5-7B-Instruct\n");
    expect((await scanJson(plain)).diagnostics.filter((d) => d.code === "hidden-characters")).toEqual([]);
    for (const [label, id, codePoint] of DISGUISES) {
      const dir = join(base, `env-${label.replace(/\W+/g, "-")}`);
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, ".env"), `MODEL_ID=${id}\n`);
      const result = await scanJson(dir);
      const said = result.diagnostics.filter((d) => d.code === "hidden-characters");
      expect(
        said.map((d) => [d.location?.file, d.message.includes(codePoint)]),
        label,
      ).toEqual([[".env", true]]);
      expect(
        result.lineage.nodes.some((n) => n.id === "hub:Qwen/Qwen2.5-7B-Instruct"),
        label,
      ).toBe(false);
      expect(
        result.findings.some((f) => f.verdict === "undetermined"),
        label,
      ).toBe(true);
    }
  });

  it("an ASCII value shaped like an id that is none is an unresolved reference, not silence", async () => {
    for (const [i, id] of ["Qwen/Qwen2.5 7B", "Qwen//Qwen2.5-7B"].entries()) {
      const result = await scanJson(tree(`ascii-${i}`, id));
      expect(result.lineage.nodes.find((n) => n.id === "local:llm/config.json#")?.status, id).toBe("undetermined");
      expect(result.findings.some((f) => f.rule === "origin-country-unknown")).toBe(true);
    }
  });
});
