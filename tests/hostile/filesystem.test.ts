/**
 * Hostile-input suite, the file system (issue 11): what the walk cannot or must not read is named, never silently
 * dropped, and never passes the audit.
 * - A named pipe, a socket, or a link to a named pipe inside the tree is never opened (a FIFO with no writer blocks
 *   a read forever): each is a `not-scanned` diagnostic naming it, and the good manifest beside them is still read.
 *   Nor is a FIFO read where aiprov opens a file by name (a `.gitignore`, `.git`, `.git/index`, a knowledge file).
 * - A folder that cannot be listed is an undetermined component (what it holds, a model included, is unknown): a
 *   diagnostic names it and the packs raise their undetermined finding on it, so the verdict cannot pass silently.
 *   Root ignores file permissions, so when the suite runs as root that scan runs as `nobody` (uid 65534); a folder
 *   whose name is not valid UTF-8 (it cannot be opened by that name) is the same case for any user.
 */
import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BIN } from "../helpers/cli.js";
import type { AuditResult } from "../../src/model/types.js";

let base: string;
let sockets: Server[] = [];

const ROOT = process.getuid?.() === 0;
/** `nobody` can run the checkout's CLI (a checkout inside a 0700 folder cannot be: permissions then cannot apply). */
const NOBODY_CAN_RUN =
  ROOT &&
  spawnSync(process.execPath, ["-e", `require("fs").accessSync(${JSON.stringify(BIN)}, 4)`], {
    uid: 65534,
    gid: 65534,
  }).status === 0;
/** Whether a folder with its permissions removed is unreadable to the scan: not root, or root scanning as `nobody`. */
const PERMISSIONS_APPLY = !ROOT || NOBODY_CAN_RUN;

/**
 * `aiprov <args>` from `cwd`, offline; with `asNobody`, as `nobody` when this process is root (so that file
 * permissions apply to the scan).
 */
function scanAs(cwd: string, args: string[], asNobody = false): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd,
    encoding: "utf8",
    timeout: 20_000,
    env: {
      PATH: process.env.PATH ?? "",
      HOME: join(base, "home"),
      AIPROV_CACHE_DIR: join(base, "home", "cache"),
      NO_COLOR: "1",
      SOURCE_DATE_EPOCH: "1764374400",
      HF_HUB_OFFLINE: "1",
    },
    ...(asNobody && NOBODY_CAN_RUN ? { uid: 65534, gid: 65534 } : {}),
    maxBuffer: 64 * 1024 * 1024,
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** A project with a good manifest (a Qwen fine-tune) beside whatever the test adds. */
function project(name: string): string {
  const dir = join(base, name);
  mkdirSync(join(dir, "good"), { recursive: true });
  writeFileSync(
    join(dir, "good", "config.json"),
    JSON.stringify({ _name_or_path: "Qwen/Qwen2.5-7B-Instruct", architectures: ["Qwen2ForCausalLM"] }),
  );
  return dir;
}

beforeAll(() => {
  base = mkdtempSync(join(tmpdir(), "aiprov-hostile-fs-"));
  // Readable (and the home writable) for `nobody` when the suite runs as root.
  chmodSync(base, 0o755);
  mkdirSync(join(base, "home"), { mode: 0o777 });
  chmodSync(join(base, "home"), 0o777);
});
afterAll(async () => {
  for (const s of sockets) await new Promise((r) => s.close(r));
  sockets = [];
  // A folder left without permissions cannot be removed by a non-root user.
  for (const d of readdirSync(base)) chmodSync(join(base, d), 0o755);
  for (const d of ["unlisted", "unlisted/models"]) {
    try {
      chmodSync(join(base, d, "secret"), 0o755);
    } catch {
      // not made by this run
    }
  }
  rmSync(base, { recursive: true, force: true });
});

describe("special files are named and never opened", () => {
  it("a FIFO, a socket and a link to a FIFO: one not-scanned diagnostic each, no hang, the good manifest still read", async () => {
    const dir = project("special");
    mkdirSync(join(dir, "weights"));
    const fifo = spawnSync("mkfifo", [join(dir, "weights", "model.safetensors"), join(dir, "config.json")]);
    expect(fifo.status, String(fifo.stderr)).toBe(0);
    symlinkSync("config.json", join(dir, "linked-pipe.json"));
    const server = createServer();
    await new Promise<void>((r) => server.listen(join(dir, "hub.sock"), r));
    sockets.push(server);
    const r = scanAs(dir, ["scan", ".", "--policy", "us-covered-adversary", "--format", "json", "--jobs", "1"]);
    expect(r.stderr).not.toContain("internal error");
    expect(r.code, r.stderr).toBe(1);
    const result = JSON.parse(r.stdout) as AuditResult;
    const named = result.diagnostics
      .filter((d) => d.code === "not-scanned")
      .map((d) => [d.location?.file, d.message.split(",")[0]]);
    expect(named).toEqual([
      ["config.json", "a named pipe (FIFO)"],
      ["hub.sock", "a socket"],
      ["linked-pipe.json", "a named pipe (FIFO)"],
      ["weights/model.safetensors", "a named pipe (FIFO)"],
    ]);
    expect(result.coverage.skippedByReason).toMatchObject({ fifo: 3, socket: 1 });
    // The good manifest beside them is still read: the Qwen fine-tune fails the pack.
    expect(result.findings.some((f) => f.rule === "covered-component" && f.node === "local:good/config.json#")).toBe(
      true,
    );
  });
});

describe("named pipes where aiprov reads a file by name, not by walking", () => {
  const fifo = (path: string): void => {
    const r = spawnSync("mkfifo", [path]);
    expect(r.status, String(r.stderr)).toBe(0);
  };

  it("a FIFO as a .gitignore, as .git, or as .git/index: the scan ends (no hang) and the manifest is audited", () => {
    const cases: [string, (dir: string) => void][] = [
      ["gitignore", (dir) => (mkdirSync(join(dir, "sub")), fifo(join(dir, "sub", ".gitignore")))],
      ["dot-git", (dir) => fifo(join(dir, ".git"))],
      ["git-index", (dir) => (mkdirSync(join(dir, ".git")), fifo(join(dir, ".git", "index")))],
    ];
    for (const [name, plant] of cases) {
      const dir = project(`pipe-${name}`);
      plant(dir);
      const r = scanAs(dir, ["scan", ".", "--policy", "us-covered-adversary", "--format", "json", "--jobs", "1"]);
      expect(r.code, `${name}: ${r.stderr}`).toBe(1);
      const result = JSON.parse(r.stdout) as AuditResult;
      expect(result.findings.some((f) => f.rule === "covered-component")).toBe(true);
      if (name === "gitignore")
        expect(result.diagnostics).toContainEqual(
          expect.objectContaining({ code: "not-scanned", location: { file: "sub/.gitignore" } }),
        );
    }
  });

  it("a FIFO in a project's knowledge folder is a problem naming it (exit 2), never a hang", () => {
    const dir = project("pipe-knowledge");
    writeFileSync(join(dir, ".aiprovrc.yaml"), "knowledge: [kb]\n");
    mkdirSync(join(dir, "kb", "components"), { recursive: true });
    fifo(join(dir, "kb", "components", "x.yaml"));
    const r = scanAs(dir, ["scan", ".", "--policy", "us-covered-adversary", "--jobs", "1"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/kb\/components\/x\.yaml: not a regular file/);
  });
});

describe("a folder that cannot be listed is undetermined, never a silent pass", () => {
  it("a folder whose name is not valid UTF-8 cannot be opened by name: undetermined component and warning", () => {
    const dir = join(base, "bad-name");
    mkdirSync(join(dir, "models"), { recursive: true });
    writeFileSync(
      join(dir, "models", "config.json"),
      JSON.stringify({ _name_or_path: "meta-llama/Llama-3.1-8B", architectures: ["LlamaForCausalLM"] }),
    );
    // `models/q\xff` (Latin-1 ÿ, invalid as UTF-8): readdir hands back U+FFFD and the name cannot be opened.
    const bad = Buffer.concat([Buffer.from(join(dir, "models", "q")), Buffer.from([0xff])]);
    mkdirSync(bad);
    writeFileSync(
      Buffer.concat([bad, Buffer.from("/config.json")]),
      JSON.stringify({ _name_or_path: "Qwen/Qwen2.5-7B" }),
    );
    const r = scanAs(dir, [
      "scan",
      ".",
      "--policy",
      "us-covered-adversary",
      "--fail-on",
      "warning",
      "--format",
      "json",
    ]);
    expect(r.code, r.stderr).toBe(1);
    const result = JSON.parse(r.stdout) as AuditResult;
    expect(result.lineage.nodes.find((n) => n.id === "local:models/q\uFFFD/")).toMatchObject({
      status: "undetermined",
      statusReason: { code: "folder-not-read" },
    });
    expect(result.diagnostics).toContainEqual(
      expect.objectContaining({ code: "not-scanned", location: { file: "models/q\uFFFD" } }),
    );
    expect(result.findings.map((f) => `${f.rule} ${f.node}`)).toContain("origin-country-unknown local:models/q\uFFFD/");
  });

  it("a model folder that is a link to a folder outside the tree: never followed, undetermined, never a pass", () => {
    const dir = join(base, "linked-out");
    mkdirSync(join(dir, "models"), { recursive: true });
    mkdirSync(join(base, "elsewhere-model"), { recursive: true });
    writeFileSync(
      join(base, "elsewhere-model", "config.json"),
      JSON.stringify({ _name_or_path: "Qwen/Qwen2.5-7B", architectures: ["Qwen2ForCausalLM"] }),
    );
    symlinkSync(join(base, "elsewhere-model"), join(dir, "models", "llm"));
    const r = scanAs(dir, [
      "scan",
      ".",
      "--policy",
      "us-covered-adversary",
      "--fail-on",
      "warning",
      "--format",
      "json",
    ]);
    expect(r.code, r.stderr).toBe(1);
    const result = JSON.parse(r.stdout) as AuditResult;
    expect(result.lineage.nodes.find((n) => n.id === "local:models/llm/")?.status).toBe("undetermined");
    expect(result.diagnostics).toContainEqual(
      expect.objectContaining({ code: "not-scanned", location: { file: "models/llm" } }),
    );
  });

  // Root reads any folder: the permission case runs where permissions apply (not root, or root able to scan as
  // nobody); the name case above runs everywhere.
  it.runIf(PERMISSIONS_APPLY)(
    "names the folder, makes it an undetermined component, and fails the audit that passed without it",
    () => {
      const dir = join(base, "unlisted");
      mkdirSync(join(dir, "models", "secret"), { recursive: true });
      chmodSync(dir, 0o755);
      // A model the product uses whose origin is fine (US): the scan passes while every folder can be read.
      writeFileSync(
        join(dir, "models", "config.json"),
        JSON.stringify({ _name_or_path: "meta-llama/Llama-3.1-8B", architectures: ["LlamaForCausalLM"] }),
      );
      writeFileSync(
        join(dir, "models", "secret", "config.json"),
        JSON.stringify({ _name_or_path: "Qwen/Qwen2.5-7B-Instruct" }),
      );
      const args = ["scan", ".", "--policy", "kr-sovereign-from-scratch", "--policy", "us-covered-adversary"];
      const json = [...args, "--format", "json", "--jobs", "1"];
      const readable = JSON.parse(scanAs(dir, json, true).stdout) as AuditResult;
      expect(readable.findings.some((f) => f.rule === "covered-component")).toBe(true);

      chmodSync(join(dir, "models", "secret"), 0o000);
      const r = scanAs(dir, json, true);
      expect(r.stderr).not.toContain("internal error");
      const result = JSON.parse(r.stdout) as AuditResult;
      expect(result.diagnostics).toContainEqual(
        expect.objectContaining({ code: "not-scanned", severity: "warning", location: { file: "models/secret" } }),
      );
      const node = result.lineage.nodes.find((n) => n.id === "local:models/secret/");
      expect(node).toMatchObject({ status: "undetermined", statusReason: { code: "folder-not-read" } });
      const onFolder = result.findings
        .filter((f) => f.node === "local:models/secret/" || f.nodes?.includes("local:models/secret/"))
        .map((f) => `${f.pack}/${f.rule} ${f.verdict}`)
        .sort();
      expect(onFolder).toEqual([
        "kr-sovereign-from-scratch/undetermined-lineage undetermined",
        "us-covered-adversary/origin-country-unknown undetermined",
      ]);
      expect(result.summary.undetermined).toBeGreaterThanOrEqual(1);
      // us-covered-adversary alone under --fail-on warning: the folder's undetermined warning fails the run.
      const us = scanAs(
        dir,
        ["scan", ".", "--policy", "us-covered-adversary", "--fail-on", "warning", "--jobs", "1"],
        true,
      );
      expect(us.code, us.stdout).toBe(1);
      expect(us.stdout).toContain("the folder models/secret could not be listed");
    },
  );
});
