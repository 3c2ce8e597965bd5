import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { mkdtemp, mkdir, rm, symlink, writeFile } from "node:fs/promises";
import { execFileSync } from "node:child_process";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { nameOnly, walk } from "./walk.js";

let root: string;
let outside: string;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), "aiprov-walk-"));
  outside = await mkdtemp(join(tmpdir(), "aiprov-outside-"));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
  await rm(outside, { recursive: true, force: true });
});

async function put(rel: string, text = "{}"): Promise<void> {
  await mkdir(join(root, rel, ".."), { recursive: true });
  await writeFile(join(root, rel), text);
}

describe("walk", () => {
  it("skips a FIFO, a socket and a link to a FIFO under their kind, without opening them", async () => {
    await put("config.json");
    execFileSync("mkfifo", [join(root, "pipe.json")]);
    await symlink("pipe.json", join(root, "to-pipe.json"));
    const server = createServer();
    await new Promise<void>((r) => server.listen(join(root, "s.sock"), r));
    try {
      const r = await walk(root);
      expect(r.files.map((f) => f.path)).toEqual(["config.json"]);
      expect(r.skipped).toEqual([
        { path: "pipe.json", reason: "fifo" },
        { path: "s.sock", reason: "socket" },
        { path: "to-pipe.json", reason: "fifo" },
      ]);
      expect(r.unreadableFolders).toEqual([]);
    } finally {
      await new Promise((r) => server.close(r));
    }
  });

  it("honours .gitignore at every level, skips VCS, node_modules, virtualenvs and caches, and reports why", async () => {
    await put(".gitignore", "models/\n*.log\n");
    await put("sub/.gitignore", "secret.json\n");
    await put("config.json");
    await put("models/big/config.json");
    await put("run.log", "x");
    await put("sub/secret.json");
    await put("sub/keep.json");
    await put(".git/config", "x");
    await put("node_modules/x/config.json");
    await put("env/pyvenv.cfg", "home = /usr");
    await put("env/lib/config.json");
    await put("__pycache__/a.pyc", "x");
    const r = await walk(root);
    expect(r.files.map((f) => f.path)).toEqual([".gitignore", "config.json", "sub/.gitignore", "sub/keep.json"]);
    const reasons = Object.fromEntries(r.skipped.map((s) => [s.path, s.reason]));
    expect(reasons).toMatchObject({
      models: "ignored",
      "run.log": "ignored",
      "sub/secret.json": "ignored",
      ".git": "excluded-dir",
      node_modules: "excluded-dir",
      env: "excluded-dir",
      __pycache__: "excluded-dir",
    });
  });

  it("lists model-looking files skipped by ignore rules, and --no-ignore scans them", async () => {
    await put(".gitignore", "weights/\nmodel.safetensors\n");
    await put("model.safetensors", "x");
    await put("weights/config.json");
    const r = await walk(root);
    // Files inside an ignored folder are listed too (bounded peek): vendored weights usually sit in one.
    expect(r.ignoredModelLike).toEqual(["model.safetensors", "weights/config.json"]);
    const all = await walk(root, { noIgnore: true });
    expect(all.files.map((f) => f.path)).toEqual([".gitignore", "model.safetensors", "weights/config.json"]);
  });

  it("never follows a symlink out of the root, follows links inside it, and survives link cycles", async () => {
    await writeFile(join(outside, "config.json"), "{}");
    await put("real/config.json");
    await symlink(outside, join(root, "escape"));
    await symlink(join(outside, "config.json"), join(root, "escape.json"));
    await symlink(join(root, "real"), join(root, "alias"));
    await symlink(root, join(root, "real", "loop"));
    await put("blobs/abc123", "{}");
    await mkdir(join(root, "snap"), { recursive: true });
    await symlink(join(root, "blobs", "abc123"), join(root, "snap", "config.json"));
    const r = await walk(root);
    // The linked folder `alias` and the cycle `real/loop` are not walked again; the linked file is read under its name.
    expect(r.files.map((f) => f.path)).toEqual(["blobs/abc123", "real/config.json", "snap/config.json"]);
    const reasons = Object.fromEntries(r.skipped.map((s) => [s.path, s.reason]));
    expect(reasons).toMatchObject({ escape: "symlink-outside-root", "escape.json": "symlink-outside-root" });
  });

  it("applies --exclude and --include (gitignore syntax)", async () => {
    await put("a/config.json");
    await put("b/config.json");
    await put("b/README.md", "# x");
    expect((await walk(root, { exclude: ["a/"] })).files.map((f) => f.path)).toEqual(["b/README.md", "b/config.json"]);
    expect((await walk(root, { include: ["*.md"] })).files.map((f) => f.path)).toEqual(["b/README.md"]);
  });

  it("returns files sorted by path whatever the creation order", async () => {
    for (const n of ["z.json", "a.json", "m/b.json", "m/a.json"]) await put(n);
    expect((await walk(root)).files.map((f) => f.path)).toEqual(["a.json", "m/a.json", "m/b.json", "z.json"]);
  });

  it("answers name-only ignore files by name, with the same result as full-path matching", async () => {
    expect(nameOnly("# c\n*.log\ndist/\n!keep.log\n")).toBe(true);
    expect(nameOnly("*.log\ndocs/build\n")).toBe(false);
    expect(nameOnly("/root-only.txt\n")).toBe(false);
    // Name-only rules (cached by name), with a negation, beside a nested file whose rules are path-anchored.
    await put(".gitignore", "*.log\n!keep.log\nbuild/\n");
    await put("a/x.log", "x");
    await put("a/keep.log", "x");
    await put("a/b/x.log", "x");
    await put("a/b/build/config.json");
    await put("a/b/ok.json");
    await put("c/.gitignore", "deep/only.json\n");
    await put("c/deep/only.json");
    await put("c/only.json");
    await put("c/x.log", "x");
    const r = await walk(root);
    expect(r.files.map((f) => f.path)).toEqual([
      ".gitignore",
      "a/b/ok.json",
      "a/keep.log",
      "c/.gitignore",
      "c/only.json",
    ]);
  });
});
