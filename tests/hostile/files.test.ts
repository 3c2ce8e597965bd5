/**
 * Hostile-input suite, files and the file system (issue 11). A generator writes, at test time, one small tree per
 * attack class: hostile content in every manifest format (wrong types, deep nesting, duplicate keys, long lines,
 * runs of newlines or spaces, NUL bytes, invalid UTF-8, truncated binaries, alias bombs, many `{{`) and hostile file
 * system shapes (symlink loops, links out of the root, FIFOs, names with newlines, fences and control characters,
 * deep folders, hostile .gitignore patterns). Beside the hostile files sits one good reference (a config naming
 * Qwen/Qwen2.5-7B-Instruct). Every scan runs in-process (`--jobs 1`, offline) and must: not crash (exit 0 or 1, no
 * internal error), finish (the per-test timeout is the hang detector), still find the good reference, name a file in
 * every file diagnostic, leave the tree byte-identical, and never print or cache the token it was given.
 */
import { createHash } from "node:crypto";
import { execFileSync } from "node:child_process";
import {
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { aiprovInProcess } from "../helpers/cli.js";
import type { AuditResult } from "../../src/model/types.js";

const GOOD = "Qwen/Qwen2.5-7B-Instruct";
const TOKEN = "hf_HostileFilesToken0123456789abcdefXYZ";
const base = mkdtempSync(join(tmpdir(), "aiprov-hostile-files-"));

/** Files as `path -> content` (a Buffer or text), plus optional file-system steps run after writing. */
type Tree = { files: Record<string, string | Buffer>; fs?: (root: string) => void; alsoFinds?: string };

const deepJson = (n: number): string => `${"[".repeat(n)}${"]".repeat(n)}`;
const deepObj = (n: number, inner: string): string => `${'{"a":'.repeat(n)}${inner}${"}".repeat(n)}`;
const big = (n: number, c = "a"): string => c.repeat(n);
const dupKeys = (n: number): string =>
  `{${Array.from({ length: n }, (_, i) => `"_name_or_path": "x/y${i % 7}"`).join(",")}}`;
const invalidUtf8 = Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0xc3, 0x28, 0x22, 0x7d]);
const aliasBomb = [
  "a: &a [x,x,x,x,x,x,x,x,x]",
  "b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]",
  "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]",
  "d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]",
  "e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]",
  "f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]",
  "base_model: *f",
].join("\n");

/** Hostile contents applied to each manifest format below. */
const CONTENTS: Record<string, string | Buffer> = {
  empty: "",
  "nul-bytes": Buffer.from('{"_name_or_path":"a\u0000b/c\u0000"}\u0000\u0000'),
  "invalid-utf8": invalidUtf8,
  "deep-nesting": deepJson(5000),
  "long-line-300k": big(300_000, "x"),
  "newlines-300k": big(300_000, "\n"),
  "spaces-400k": `x=${big(400_000, " ")}y`,
  "many-braces": big(100_000, "{{"),
  "many-slashes": `${big(200_000, "/")}x`,
  "control-chars": "name: \u001b[31mred\u0007\r\n```\n# injected\n",
};

/** Manifest formats (file path in the tree) with the contents above. */
const FORMATS = [
  "hostile/config.json",
  "hostile/README.md",
  "hostile/.env",
  "hostile/mergekit_config.yml",
  "hostile/Modelfile",
  "hostile/Dockerfile",
  "hostile/serve.sh",
  "hostile/app.py",
  "hostile/settings.yaml",
  "hostile/tokenizer_config.json",
];

/** Attack classes that need their own shape. */
const SPECIAL: Record<string, Tree> = {
  "config wrong-typed _name_or_path": {
    files: { "hostile/config.json": '{"_name_or_path": 5, "architectures": ["X"]}' },
  },
  "config _name_or_path null": { files: { "hostile/config.json": '{"_name_or_path": null, "model_type": "llama"}' } },
  "config _name_or_path list": {
    files: { "hostile/config.json": '{"_name_or_path": ["a/b"], "model_type": "llama"}' },
  },
  "config deep object 1000": { files: { "hostile/config.json": deepObj(1000, '"x/y"') } },
  "config 100k duplicate keys": { files: { "hostile/config.json": dupKeys(100_000) } },
  "config 300 KB value": { files: { "hostile/config.json": `{"_name_or_path": "${big(300_000)}"}` } },
  "config __proto__ keys": {
    files: {
      "hostile/config.json":
        '{"__proto__": {"model_type": "x"}, "constructor": {"prototype": {"a": 1}}, "model_type": "llama"}',
    },
  },
  "config huge numbers": {
    files: {
      "hostile/config.json": `{"hidden_size": 1e400, "num_hidden_layers": -${big(5000, "9")}, "model_type": "llama"}`,
    },
  },
  "config BOM and UTF-16": {
    files: {
      "hostile/config.json": Buffer.concat([
        Buffer.from([0xff, 0xfe]),
        Buffer.from('{"model_type":"llama"}', "utf16le"),
      ]),
    },
  },
  "config name with newline and fence": {
    files: {
      "hostile/config.json": JSON.stringify({
        _name_or_path: "a/b\n```\n</details><script>alert(1)</script>",
        model_type: "llama\n```mermaid",
      }),
    },
  },
  "adapter_config wrong types": {
    files: {
      "hostile/adapter_config.json": '{"base_model_name_or_path": {"x": 1}, "peft_type": 5, "target_modules": "all"}',
    },
  },
  "model card alias bomb": { files: { "hostile/README.md": `---\n${aliasBomb}\n---\n# x\n` } },
  "model card unterminated front matter": {
    files: { "hostile/README.md": `---\nbase_model: a/b\n${big(100_000, "x: y\n")}` },
  },
  "model card base_model 10k list": {
    files: {
      "hostile/README.md": `---\nbase_model:\n${Array.from({ length: 10_000 }, (_, i) => `  - org/m${i}`).join("\n")}\n---\n`,
    },
  },
  "model card base_model number": { files: { "hostile/README.md": "---\nbase_model: 5\nlicense: [1, 2]\n---\n" } },
  "model card 600 KB line": { files: { "hostile/README.md": `# x\n${big(600_000, "a/")}\n` } },
  "settings nested 1000 deep keep their reference": {
    files: {
      "hostile/settings.json": `${'{"a":'.repeat(1000)}{"model_name_or_path": "mistralai/Mistral-7B-v0.1"}${"}".repeat(1000)}`,
    },
    alsoFinds: "mistralai/Mistral-7B-v0.1",
  },
  "notebook one bad cell": {
    alsoFinds: "meta-llama/Llama-3.1-8B",
    files: {
      "hostile/nb.ipynb": JSON.stringify({
        cells: [
          { cell_type: "code", source: 5 },
          {
            cell_type: "code",
            source: [
              "from transformers import AutoModel\n",
              "m = AutoModel.from_pretrained('meta-llama/Llama-3.1-8B')\n",
            ],
          },
          null,
          "x",
        ],
        nbformat: 4,
      }),
    },
  },
  "notebook cells not a list": { files: { "hostile/nb.ipynb": '{"cells": {"a": 1}, "nbformat": 4}' } },
  "notebook invalid JSON": { files: { "hostile/nb.ipynb": '{"cells": [' } },
  "gguf bad magic": { files: { "hostile/m.gguf": Buffer.from("NOTGGUF0000000000000000") } },
  "gguf truncated header": {
    files: { "hostile/m.gguf": Buffer.concat([Buffer.from("GGUF"), Buffer.from([3, 0, 0, 0]), Buffer.alloc(8, 0xff)]) },
  },
  "gguf huge kv count": {
    files: {
      "hostile/m.gguf": Buffer.concat([
        Buffer.from("GGUF"),
        Buffer.from([3, 0, 0, 0]),
        Buffer.alloc(8, 0),
        Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f]),
      ]),
    },
  },
  "safetensors huge header length": {
    files: {
      "hostile/model.safetensors": Buffer.concat([
        Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f]),
        Buffer.from("{}"),
      ]),
    },
  },
  "safetensors invalid header": {
    files: {
      "hostile/model.safetensors": Buffer.concat([Buffer.from([10, 0, 0, 0, 0, 0, 0, 0]), Buffer.from("{not json}")]),
    },
  },
  "safetensors header padded with spaces": {
    files: {
      "hostile/model.safetensors": (() => {
        const h = `{"__metadata__":{}}${big(200_000, " ")}`;
        const b = Buffer.alloc(8);
        b.writeBigUInt64LE(BigInt(h.length));
        return Buffer.concat([b, Buffer.from(h)]);
      })(),
    },
  },
  "dotenv value padded 400 KB": { files: { "hostile/.env": `MODEL_ID=${big(400_000, " ")}#x\n` } },
  "dotenv unterminated quote": { files: { "hostile/.env": `MODEL="a/b\n${big(50_000, "x\n")}` } },
  "helm template 100k actions": {
    files: {
      "hostile/chart/templates/deploy.yaml": `image: ${big(100_000, "{{ ")}\n`,
      "hostile/chart/values.yaml": "model: a/b\n",
    },
  },
  "python 1 MB of parentheses": { files: { "hostile/app.py": `x = ${big(500_000, "(")}\n` } },
  "js deep nesting": { files: { "hostile/app.js": `const a = ${big(20_000, "[")};\nfrom_pretrained("a/b")` } },
  "compose wrong types": {
    files: {
      "hostile/docker-compose.yml": "services:\n  s:\n    command: 5\n    environment: [1, 2]\n    image: {a: 1}\n",
    },
  },
  "mergekit wrong types": {
    files: { "hostile/mergekit_config.yml": "merge_method: 5\nmodels: 7\nslices: {a: 1}\nbase_model: [1]\n" },
  },
  "yaml duplicate keys": { files: { "hostile/settings.yaml": "model: a/b\nmodel: c/d\n" } },
  "requirements huge": { files: { "hostile/requirements.txt": big(200_000, "torch==1.0\n") } },
  "gitignore hostile patterns": {
    files: {
      "hostile/.gitignore": `${big(50, "*a")}b\n${big(30, "**/")}x\n!${big(1000, "[")}\n`,
      "hostile/config.json": '{"_name_or_path": "meta-llama/Llama-3.1-8B"}',
    },
  },
  "5000 files in one folder": {
    files: Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [`hostile/many/f${i}.txt`, ""])),
  },
  "200 nested folders": {
    files: { [`${Array.from({ length: 200 }, () => "d").join("/")}/config.json`]: '{"_name_or_path": "a/b"}' },
  },
  "symlink loop": {
    files: { "hostile/x": "" },
    fs: (r) => {
      mkdirSync(join(r, "hostile", "loop"));
      symlinkSync("..", join(r, "hostile", "loop", "up"));
      symlinkSync("self", join(r, "hostile", "self"));
    },
  },
  "symlink out of the root": {
    files: {},
    fs: (r) => {
      mkdirSync(join(r, "hostile"));
      symlinkSync("/etc/passwd", join(r, "hostile", "config.json"));
      symlinkSync("/etc", join(r, "hostile", "etc"));
    },
  },
  "dangling symlink manifest": {
    files: {},
    fs: (r) => {
      mkdirSync(join(r, "hostile"));
      symlinkSync("nowhere.json", join(r, "hostile", "config.json"));
    },
  },
  "fifo named like a manifest": {
    files: {},
    fs: (r) => {
      mkdirSync(join(r, "hostile"));
      execFileSync("mkfifo", [join(r, "hostile", "config.json")]);
      execFileSync("mkfifo", [join(r, "hostile", ".env")]);
    },
  },
  "folder name with newline and fence": {
    files: { "hostile/a\n```\n# pwned/config.json": '{"_name_or_path": "x/y", "model_type": "llama"}' },
  },
  "file name with control characters": {
    files: { "hostile/\u001b[2Jclear\u0007/config.json": '{"_name_or_path": "x/y"}' },
  },
  "file name with backticks and pipes": { files: { "hostile/`|a|`<b>/README.md": "---\nbase_model: x/y\n---\n" } },
  "non-UTF-8 file name": {
    files: {},
    fs: (r) => {
      mkdirSync(join(r, "hostile"));
      writeFileSync(
        Buffer.concat([Buffer.from(join(r, "hostile") + "/"), Buffer.from([0xff, 0xfe, 0x2e, 0x6a, 0x73, 0x6f, 0x6e])]),
        "{}",
      );
    },
  },
};

/** Every class: each format × each content, plus the special shapes. */
const CLASSES: [string, Tree][] = [
  ...FORMATS.flatMap((f) =>
    Object.entries(CONTENTS).map(([name, content]): [string, Tree] => [`${f} ${name}`, { files: { [f]: content } }]),
  ),
  ...Object.entries(SPECIAL),
];

/** A digest of every entry under `dir` (names, link targets, file bytes), to prove the scan wrote nothing. */
function treeDigest(dir: string): string {
  const h = createHash("sha256");
  // Names as bytes: a name that is not UTF-8 must be read back as it is, not as replacement characters.
  const walk = (d: Buffer): void => {
    for (const n of readdirSync(d, { encoding: "buffer" }).sort(Buffer.compare)) {
      const p = Buffer.concat([d, Buffer.from("/"), n]);
      const st = lstatSync(p);
      h.update(p);
      h.update(`\0${st.mode}\0`);
      if (st.isSymbolicLink()) h.update(readlinkSync(p));
      else if (st.isDirectory()) walk(p);
      else if (st.isFile()) h.update(readFileSync(p));
    }
  };
  walk(Buffer.from(dir));
  return h.digest("hex");
}

/** Names and contents of every file under `dir` (none when it does not exist). */
function cacheTexts(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    let names: string[] = [];
    try {
      names = readdirSync(d);
    } catch {
      return;
    }
    for (const n of names) {
      const p = join(d, n);
      out.push(p);
      if (lstatSync(p).isDirectory()) walk(p);
      else out.push(readFileSync(p, "latin1"));
    }
  };
  walk(dir);
  return out;
}

/** Diagnostics about the whole scan rather than one file. */
const GLOBAL_CODES = new Set(["nothing-audited", "model-files-ignored"]);

describe("hostile files never crash, hang, hide the good reference or change the tree", () => {
  it("covers at least 100 attack classes", () => {
    expect(CLASSES.length).toBeGreaterThanOrEqual(100);
  });
  for (const [i, [name, tree]] of CLASSES.entries()) {
    it(name, { timeout: 20_000 }, async () => {
      const root = join(base, `t${i}`);
      mkdirSync(join(root, "good"), { recursive: true });
      writeFileSync(
        join(root, "good", "config.json"),
        JSON.stringify({ _name_or_path: GOOD, architectures: ["Qwen2ForCausalLM"] }),
      );
      for (const [path, content] of Object.entries(tree.files)) {
        mkdirSync(join(root, path, ".."), { recursive: true });
        writeFileSync(join(root, path), content);
      }
      tree.fs?.(root);
      const before = treeDigest(root);
      const { code, stdout, stderr } = await aiprovInProcess(
        ["scan", root, "--offline", "--format", "json", "--jobs", "1", "--no-project-config"],
        { cwd: base, env: { HF_HUB_OFFLINE: "1", HF_TOKEN: TOKEN, AIPROV_CACHE_DIR: join(root, "..", `cache${i}`) } },
      );
      expect(stderr).toBe("");
      expect(code).toBe(0);
      const result = JSON.parse(stdout) as AuditResult;
      expect(result.references.some((r) => r.target === GOOD && r.location.file === "good/config.json")).toBe(true);
      // One bad part of a file never drops the good parts beside it.
      if (tree.alsoFinds) expect(result.references.map((r) => r.target)).toContain(tree.alsoFinds);
      for (const d of result.diagnostics)
        if (!GLOBAL_CODES.has(d.code)) expect(d.location?.file ?? d.message, JSON.stringify(d)).toMatch(/\S/);
      for (const d of result.diagnostics)
        if (!GLOBAL_CODES.has(d.code) && !d.code.startsWith("hub-") && d.code !== "cache-problem")
          expect(d.location?.file, JSON.stringify(d)).toBeTruthy();
      expect(treeDigest(root)).toBe(before);
      expect(stdout).not.toContain(TOKEN);
      expect(cacheTexts(join(root, "..", `cache${i}`)).filter((t) => t.includes(TOKEN))).toEqual([]);
    });
  }
});
