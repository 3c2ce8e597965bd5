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
  await put(
    "bomb/vision_config.yaml",
    [
      "a: &a [x, x, x, x, x, x, x, x, x]",
      "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]",
      "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]",
      "d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]",
      "e: [*d, *d, *d, *d, *d, *d, *d, *d, *d]",
    ].join("\n"),
  );
  await put("card/README.md", "---\nlicense: [unclosed\nbase_model: x/y\n---\n# card\n");
  await put("lfs/config.json", "version https://git-lfs.github.com/spec/v1\noid sha256:c1dfd7c3aaaaaaaa\nsize 1040\n");
  await put("adapter/adapter_config.json", "[1, 2");
  await put("latin1/config.json", Buffer.from('{"model_type": "caf\xe9"}', "latin1"));
  await put(
    "good/config.json",
    JSON.stringify(
      {
        architectures: ["Qwen2AudioEncoder"],
        model_type: "qwen2_audio_encoder",
        d_model: 1280,
        encoder_layers: 32,
        encoder_attention_heads: 20,
        encoder_ffn_dim: 5120,
        num_mel_bins: 128,
        max_source_positions: 1500,
        activation_function: "gelu",
      },
      null,
      2,
    ),
  );
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
    const undetermined = result.lineage.nodes
      .filter((n) => n.status === "undetermined" && n.statusReason?.code === "manifest-unparsable")
      .map((n) => n.location?.file)
      .sort();
    expect(undetermined).toEqual([
      "adapter/adapter_config.json",
      "binary/config.json",
      "broken/config.json",
      "card/README.md",
      "huge/config.json",
      "latin1/config.json",
    ]);
    expect(result.findings.filter((f) => f.rule === "undetermined-lineage").length).toBe(6);
    // The good file is still read and matched.
    expect(
      result.findings.some((f) => f.rule === "third-party-weights" || f.rule === "checkpoint-signature-match"),
    ).toBe(true);
    expect(result.coverage.skippedByReason["too-large"]).toBe(1);
    expect(await snapshot(root)).toBe(before);
  });
});

describe("hidden or malformed manifests are undetermined, never a pass", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "aiprov-hidden-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  const scanJson = (d: string, extra: string[] = []) => {
    const r = aiprov(["scan", d, "--policy", "kr-sovereign-from-scratch", "--format", "json", ...extra]);
    return { code: r.code, result: JSON.parse(r.stdout) as AuditResult, stderr: r.stderr };
  };

  it("a broken YAML encoder config makes the encoder undetermined and fails", async () => {
    const d = join(dir, "yaml");
    await mkdir(join(d, "encoders/vision"), { recursive: true });
    await writeFile(
      join(d, "encoders/vision/vision_encoder_config.yaml"),
      "architectures:\n- Qwen2_5_VisionTransformerPretrainedModel\ndepth: 32\n  bad: [unclosed\n",
    );
    const { code, result } = scanJson(d);
    expect(code).toBe(1);
    expect(result.lineage.nodes.find((n) => n.kind === "local")).toMatchObject({
      role: "vision-encoder",
      status: "undetermined",
    });
    expect(result.diagnostics[0]).toMatchObject({
      code: "parse-error",
      location: { file: "encoders/vision/vision_encoder_config.yaml", line: 3 },
    });
  });

  it("model cards whose base_model has the wrong type, or whose front matter never closes, are undetermined", async () => {
    for (const [name, text] of [
      ["num", "---\nbase_model: 42\n---\n"],
      ["open", "---\nbase_model: Qwen/Qwen2.5-7B\nlicense: apache-2.0\n# never closed\n"],
    ] as const) {
      const d = join(dir, name);
      await mkdir(d, { recursive: true });
      await writeFile(join(d, "README.md"), text);
      const { code, result } = scanJson(d);
      expect(code, name).toBe(1);
      expect(
        result.findings.map((f) => f.rule),
        name,
      ).toEqual(["undetermined-lineage"]);
    }
  });

  it("a config.json linked from outside the root is undetermined with a diagnostic, not skipped silently", async () => {
    const d = join(dir, "link");
    const outsideDir = join(dir, "outside");
    await mkdir(join(d, "inner"), { recursive: true });
    await mkdir(outsideDir, { recursive: true });
    await writeFile(join(outsideDir, "config.json"), "{}");
    const { symlink } = await import("node:fs/promises");
    await symlink(join(outsideDir, "config.json"), join(d, "inner", "config.json"));
    const { code, result } = scanJson(d);
    expect(code).toBe(1);
    expect(result.lineage.nodes[0]).toMatchObject({
      status: "undetermined",
      statusReason: { code: "manifest-not-read" },
    });
  });

  it("duplicate keys are reported, and a hidden earlier _name_or_path is still a reference", async () => {
    const d = join(dir, "dup");
    await mkdir(d, { recursive: true });
    await writeFile(
      join(d, "config.json"),
      '{\n "_name_or_path": "Qwen/Qwen2-Audio-7B-Instruct",\n "model_type": "llama",\n "_name_or_path": "myorg/mine"\n}\n',
    );
    const { result } = scanJson(d, ["--organization", "myorg"]);
    expect(result.diagnostics.map((x) => x.code)).toContain("duplicate-key");
    expect(result.references.map((r) => r.target).sort()).toEqual(["Qwen/Qwen2-Audio-7B-Instruct", "myorg/mine"]);
    expect(result.findings.some((f) => f.message.args.node === "dup" || f.path.length > 1)).toBe(true);
  });

  it("secrets in scanned values never reach any output", async () => {
    const d = join(dir, "secret");
    await mkdir(d, { recursive: true });
    const tok = "hf_ABCDEFGHIJKLMNOPQRSTUVWXYZabcdef12";
    await writeFile(
      join(d, "config.json"),
      JSON.stringify({
        model_type: "llama",
        hub_token: tok,
        api_key: "sk-proj-ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789",
        vision_config: { _name_or_path: `https://user:${tok}@huggingface.co/Qwen/Qwen2-VL-7B` },
      }),
    );
    await writeFile(join(d, "README.md"), `---\nlicense: ${tok}\n---\n`);
    for (const format of ["json", "text"]) {
      const r = aiprov(["scan", d, "--policy", "kr-sovereign-from-scratch", "--format", format]);
      expect(r.stdout).not.toContain("hf_ABCDEF");
      expect(r.stdout).not.toContain("sk-proj-ABCDEF");
    }
    // The Hub id inside the credentialed URL is still recognised.
    expect(scanJson(d).result.references.some((r) => r.target === "Qwen/Qwen2-VL-7B")).toBe(true);
  });

  it("refuses to overwrite a scanned manifest with --output, and excludes its own report from the scan", async () => {
    const d = join(dir, "out");
    await mkdir(join(d, "model"), { recursive: true });
    await writeFile(join(d, "model", "config.json"), '{"model_type": "x"}');
    const r = aiprov(["scan", d, "--format", "json", "--output", join(d, "model", "config.json")]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/refusing to overwrite/);
    const first = aiprov(["scan", d, "--format", "json", "--output", join(d, "aiprov.json")]);
    const second = aiprov(["scan", d, "--format", "json", "--output", join(d, "aiprov.json")]);
    expect(first.code).toBe(0);
    expect(second.code).toBe(0);
    const report = JSON.parse(await readFile(join(d, "aiprov.json"), "utf8")) as AuditResult;
    expect(report.coverage.filesSeen).toBe(1);
    expect(aiprov(["scan", d, "--output", join(d, "nope", "r.json")]).stderr).toMatch(
      /^aiprov: --output .*: folder .* does not exist\n$/,
    );
  });

  it("rejects impossible --now dates and a non-numeric SOURCE_DATE_EPOCH", () => {
    expect(aiprov(["scan", dir, "--now", "2026-02-30"]).code).toBe(2);
    expect(aiprov(["scan", dir, "--now", ""]).code).toBe(2);
    expect(aiprov(["scan", dir, "--now", "20260115", "--format", "json"]).code).toBe(0);
    const r = aiprov(["scan", dir], { env: { SOURCE_DATE_EPOCH: "garbage" } });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/SOURCE_DATE_EPOCH/);
  });

  it("a code or settings file that cannot be read but holds model words is undetermined, never a pass", async () => {
    const d = await mkdtemp(join(tmpdir(), "aiprov-unread-"));
    try {
      // A valid Python file in another encoding (PEP 263), one in UTF-16, a Latin-1 settings file, a generated module
      // over the code-analysis limit, and bad files with no model word at all (nothing can have been missed there).
      await writeFile(
        join(d, "cp949.py"),
        Buffer.concat([
          Buffer.from("# -*- coding: cp949 -*-\nfrom transformers import AutoModel\n# "),
          Buffer.from([0xc7, 0xd1, 0xb1, 0xdb]),
          Buffer.from('\nm = AutoModel.from_pretrained("LGAI-EXAONE/EXAONE-3.5-7.8B-Instruct")\n'),
        ]),
      );
      await writeFile(
        join(d, "utf16.py"),
        Buffer.concat([
          Buffer.from([0xff, 0xfe]),
          Buffer.from('m = AutoModel.from_pretrained("Qwen/Qwen2.5-7B")\n', "utf16le"),
        ]),
      );
      await writeFile(join(d, "settings.yaml"), Buffer.from("llm:\n  model: caf\xe9/model\n", "latin1"));
      await writeFile(
        join(d, "generated.py"),
        `MODEL = "Qwen/Qwen2.5-7B"\n${"v = f(1)\n".repeat(150_000)}m = AutoModel.from_pretrained(MODEL)\n`,
      );
      await writeFile(
        join(d, "gen_pipeline.py"),
        `${"v = f(1)\n".repeat(150_000)}p = pipeline("text-generation", model="LGAI-EXAONE/EXAONE-3.5-7.8B-Instruct")\n`,
      );
      await writeFile(join(d, "st.py"), Buffer.from('# caf\xe9\nm = SentenceTransformer("BAAI/bge-m3")\n', "latin1"));
      // Over the limit too, but only ORM-style "model" words: no loader, nothing missed.
      await writeFile(join(d, "generated_orm.py"), "class UserModel(Model):\n    model_name = 'user'\n".repeat(40_000));
      await writeFile(join(d, "noise.py"), Buffer.from([0x78, 0x20, 0x3d, 0x20, 0xff, 0x0a]));
      await writeFile(
        join(d, "big-data.json"),
        JSON.stringify({ rows: Array.from({ length: 2 }, () => "model ".repeat(1_500_000)) }),
      );
      const r = aiprov(["scan", d, "--policy", "kr-sovereign-from-scratch", "--format", "json"]);
      expect(r.code).toBe(1);
      const result = JSON.parse(r.stdout) as AuditResult;
      const unread = result.references
        .filter((x) => x.facts?.notRead)
        .map((x) => [x.location.file, x.facts?.notRead, x.skipReason]);
      expect(unread).toEqual([
        ["cp949.py", "not valid UTF-8", "parse-error"],
        ["gen_pipeline.py", "too large to parse", "parse-error"],
        ["generated.py", "too large to parse", "parse-error"],
        ["settings.yaml", "not valid UTF-8", "parse-error"],
        ["st.py", "not valid UTF-8", "parse-error"],
        ["utf16.py", "binary (NUL bytes)", "parse-error"],
      ]);
      expect(result.summary.verdict).toBe("fail");
      expect(result.findings.filter((f) => f.rule === "undetermined-lineage").length).toBe(6);
      // Each unread file is named by a diagnostic; a data file over the limit is a warning, not a missed reference.
      expect(result.diagnostics.map((x) => x.location?.file)).toEqual(
        expect.arrayContaining([
          "big-data.json",
          "cp949.py",
          "generated.py",
          "generated_orm.py",
          "noise.py",
          "settings.yaml",
          "utf16.py",
        ]),
      );
    } finally {
      await rm(d, { recursive: true, force: true });
    }
  });
});
