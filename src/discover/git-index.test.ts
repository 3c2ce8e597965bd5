import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { execFileSync } from "node:child_process";
import { mkdtemp, mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseGitIndex, trackedFiles } from "./git-index.js";
import { walk } from "./walk.js";

let root: string;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), "aiprov-git-"));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

async function put(rel: string, text = "{}"): Promise<void> {
  await mkdir(join(root, rel, ".."), { recursive: true });
  await writeFile(join(root, rel), text);
}

/** Runs git in the test's own temporary repository (no shell, no user or system config). */
function git(...args: string[]): void {
  execFileSync(
    "git",
    ["-c", "user.name=t", "-c", "user.email=t@example.invalid", "-c", "core.fsmonitor=false", ...args],
    {
      cwd: root,
      stdio: "ignore",
      env: { ...process.env, GIT_CONFIG_NOSYSTEM: "1", GIT_CONFIG_GLOBAL: "/dev/null" },
    },
  );
}

describe("tracked files of a git work tree", () => {
  it("scans a committed config.json under a '*.json' rule and a staged file in an ignored folder; an untracked ignored file stays out", async () => {
    await put(".gitignore", "*.json\nweights/\n");
    await put("model/config.json", '{"model_type":"llama"}');
    await put("weights/adapter_config.json", '{"base_model_name_or_path":"org/base"}');
    await put("weights/other/untracked.json");
    git("init", "-q");
    git("add", "-f", "model/config.json");
    git("commit", "-q", "-m", "c");
    git("add", "-f", "weights/adapter_config.json");
    await put("untracked.json");
    const r = await walk(root);
    const paths = r.files.map((f) => f.path);
    expect(paths).toEqual([".gitignore", "model/config.json", "weights/adapter_config.json"]);
    const skipped = r.skipped.map((s) => s.path);
    expect(skipped).toContain("untracked.json");
    expect(skipped).toContain("weights/other");
  });

  it("reads index versions 2, 3 and 4 the same, scoped to a scanned subfolder", async () => {
    await put("app/a/config.json");
    await put("app/a/b/model.py", "x = 1\n");
    await put("app/c.txt", "x");
    await put("other/z.txt", "x");
    git("init", "-q");
    git("add", ".");
    for (const v of ["2", "3", "4"]) {
      git("update-index", "--index-version", v);
      const paths = parseGitIndex(await readFile(join(root, ".git", "index")));
      expect(paths).toEqual(["app/a/b/model.py", "app/a/config.json", "app/c.txt", "other/z.txt"]);
    }
    const t = trackedFiles(join(root, "app"))!;
    expect([...t.files].sort()).toEqual(["a/b/model.py", "a/config.json", "c.txt"]);
    expect([...t.dirs].sort()).toEqual(["a", "a/b"]);
  });

  it("rejects bytes that are not an index, and --no-ignore still walks everything", async () => {
    expect(() => parseGitIndex(new TextEncoder().encode("not an index"))).toThrow(/DIRC/);
    await put(".gitignore", "*.json\n");
    await put("x.json");
    await mkdir(join(root, ".git"));
    await writeFile(join(root, ".git", "index"), "garbage");
    expect((await walk(root)).files.map((f) => f.path)).toEqual([".gitignore"]);
    expect((await walk(root, { noIgnore: true })).files.map((f) => f.path)).toEqual([".gitignore", "x.json"]);
  });
});
