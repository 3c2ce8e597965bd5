/**
 * Hostile-input suite, declaration files over the read limit (issue 11, break-11 B6). A model config (YAML), a model
 * card, a mergekit recipe, an Ollama Modelfile and a `.env` each declare a Chinese-origin model; padded past the
 * 8 MiB read limit they must leave that declaration undetermined (an unresolved reference naming the file, so a strict
 * pack still fails), never vanish into a pass as they did before.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { rmSync } from "node:fs";
import { aiprovInProcess } from "../helpers/cli.js";
import type { AuditResult } from "../../src/model/types.js";

const base = mkdtempSync(join(tmpdir(), "aiprov-hostile-decl-"));
afterAll(() => rmSync(base, { recursive: true, force: true }));

/** Padding past the 8 MiB (8,388,608-byte) default read limit. */
const PAD = "x".repeat(9_000_000);

/** Each declaration format: its path and its text with the padding placed where the format allows it. */
const CASES: Record<string, [string, string]> = {
  "config-yaml": ["enc2/config.yaml", `_name_or_path: Qwen/Qwen2.5-7B\nmodel_type: qwen2\npad: ${PAD}\n`],
  "model-card": ["card/README.md", `---\nbase_model: Qwen/Qwen2.5-7B\n---\n# Card\n${PAD}\n`],
  mergekit: ["merge/mergekit_config.yml", `merge_method: slerp\nbase_model: Qwen/Qwen2.5-7B\n# ${PAD}\n`],
  modelfile: ["ollama/Modelfile", `FROM qwen2.5:7b\n# ${PAD}\n`],
  dotenv: [".env", `MODEL_NAME=Qwen/Qwen2.5-7B\nPAD=${PAD}\n`],
};

describe("a declaration file over the read limit is undetermined, never a pass", () => {
  for (const [name, [path, text]] of Object.entries(CASES)) {
    it(`${name}: ${path} padded past the limit fails a strict pack with the file named`, async () => {
      const dir = join(base, name);
      mkdirSync(join(dir, path, ".."), { recursive: true });
      writeFileSync(join(dir, path), text);
      const args = [
        "scan",
        ".",
        "--offline",
        "--jobs",
        "1",
        "--policy",
        "us-covered-adversary",
        "--fail-on",
        "warning",
      ];
      const r = await aiprovInProcess([...args, "--format", "json"], { cwd: dir });
      expect(r.code).toBe(1);
      const result = JSON.parse(r.stdout) as AuditResult;
      const unread = result.references
        .filter((x) => x.facts?.notRead)
        .map((x) => [x.location.file, x.facts?.notRead, x.skipReason]);
      expect(unread).toEqual([[path, "too large to parse", "parse-error"]]);
      expect(result.diagnostics.some((d) => d.code === "file-too-large" && d.location?.file === path)).toBe(true);
    }, 60_000);
  }
});
