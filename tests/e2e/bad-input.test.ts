import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdtemp, mkdir, rm, writeFile, readdir, readFile, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createHash } from "node:crypto";
import { aiprov } from "../helpers/cli.js";
import { validate } from "../../src/util/schema.js";
import type { AuditResult } from "../../src/model/types.js";

let root: string;

async function put(rel: string, content: string | Buffer): Promise<void> {
  await mkdir(join(root, rel, ".."), { recursive: true });
  await writeFile(join(root, rel), content);
}

async function snapshot(dir: string): Promise<string> {
  const h = createHash("sha256");
  const walkDir = async (d: string): Promise<void> => {
    for (const e of (await readdir(d, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = join(d, e.name);
      if (e.isDirectory()) await walkDir(p);
      else h.update(`${p}\0${(await stat(p)).mtimeMs}\0`).update(await readFile(p));
    }
  };
  await walkDir(dir);
  return h.digest("hex");
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "aiprov-bad-"));
  await put("broken/config.json", '{ "model_type": "llama", "hidden_size": 4096,, }');
  await put("binary/config.json", Buffer.from([0x7b, 0x00, 0x01, 0x02, 0xff, 0x00]));
  await put("huge/config.json", `{"model_type":"x","pad":"${"a".repeat(9 * 1024 * 1024)}"}`);
  await put("bomb/vision_config.yaml", ["a: &a [x, x, x, x, x, x, x, x, x]", "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]", "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]", "d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]", "e: [*d, *d, *d, *d, *d, *d, *d, *d, *d]"].join("\n"));
  await put("card/README.md", "---\nlicense: [unclosed\nbase_model: x/y\n---\n# card\n");
  await put("lfs/config.json", "version https://git-lfs.github.com/spec/v1\noid sha256:c1dfd7c3aaaaaaaa\nsize 1040\n");
  await put("adapter/adapter_config.json", "[1, 2");
  await put("latin1/config.json", Buffer.from('{"model_type": "caf\xe9"}', "latin1"));
  await put("good/config.json", JSON.stringify({ architectures: ["Qwen2AudioEncoder"], model_type: "qwen2_audio_encoder", d_model: 1280, encoder_layers: 32, encoder_attention_heads: 20, encoder_ffn_dim: 5120, num_mel_bins: 128, max_source_positions: 1500, activation_function: "gelu" }, null, 2));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe("bad input never stops the scan", () => {
  it("turns every bad file into a diagnostic naming the file, keeps scanning, and writes nothing", async () => {
    const before = await snapshot(root);
    const r = aiprov(["scan", root, "--policy", "kr-sovereign-from-scratch", "--format", "json"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(1);
    const result = JSON.parse(r.stdout) as AuditResult;
    expect(validate("report.schema.json", result, "report")).toEqual([]);
    const diag = (file: string) => result.diagnostics.filter((d) => d.location?.file === file).map((d) => d.code);
    expect(diag("broken/config.json")).toEqual(["parse-error"]);
    expect(diag("binary/config.json")).toEqual(["binary-file"]);
    expect(diag("huge/config.json")).toEqual(["file-too-large"]);
    expect(diag("bomb/vision_config.yaml")).toEqual(["parse-error"]);
    expect(result.diagnostics.find((d) => d.location?.file === "bomb/vision_config.yaml")?.message).toMatch(/alias/i);
    expect(diag("card/README.md")).toEqual(["parse-error"]);
    expect(diag("lfs/config.json")).toEqual(["git-lfs-pointer"]);
    expect(diag("adapter/adapter_config.json")).toEqual(["parse-error"]);
    expect(diag("latin1/config.json")).toEqual(["invalid-utf8"]);
    // Unparsable model manifests make their components undetermined, so a strict pack still fails on them.
    const undetermined = result.lineage.nodes.filter((n) => n.status === "undetermined" && n.statusReason?.code === "manifest-unparsable").map((n) => n.location?.file).sort();
    expect(undetermined).toEqual(["adapter/adapter_config.json", "binary/config.json", "broken/config.json", "huge/config.json", "latin1/config.json"]);
    expect(result.findings.filter((f) => f.rule === "undetermined-lineage").length).toBe(5);
    // The good file is still read and matched.
    expect(result.findings.some((f) => f.rule === "third-party-weights" || f.rule === "checkpoint-signature-match")).toBe(true);
    expect(result.coverage.skippedByReason["too-large"]).toBe(1);
    expect(await snapshot(root)).toBe(before);
  });
});
