import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import { checkOutputPath, pathInsideRoot } from "./io.js";

/** A scanned tree (`tree/model/config.json`), a symlink to it (`link`), and a folder outside it (`out`). */
let base: string;
const MANIFEST = '{"_name_or_path": "Qwen/Qwen2.5-7B"}';
beforeEach(() => {
  base = mkdtempSync(join(tmpdir(), "aiprov-guard-"));
  mkdirSync(join(base, "tree", "model"), { recursive: true });
  writeFileSync(join(base, "tree", "model", "config.json"), MANIFEST);
  symlinkSync(join(base, "tree"), join(base, "link"));
  mkdirSync(join(base, "out"));
});

describe("the output guard compares real paths", () => {
  it("a scanned file cannot be overwritten through a symlinked root", () => {
    // aiprov scan link --output tree/model/config.json: the root is named through its link, the output directly.
    expect(() => checkOutputPath("tree/model/config.json", base, join(base, "link"))).toThrow(
      /refusing to overwrite a file inside the scanned folder/,
    );
    expect(() => checkOutputPath("link/model/config.json", base, join(base, "tree"))).toThrow(/refusing to overwrite/);
    expect(readFileSync(join(base, "tree", "model", "config.json"), "utf8")).toBe(MANIFEST);
  });

  it("a scanned file cannot be overwritten through a link outside the tree that points into it", () => {
    symlinkSync(join(base, "tree", "model", "config.json"), join(base, "out", "report.json"));
    expect(() => checkOutputPath("out/report.json", base, join(base, "tree"))).toThrow(/refusing to overwrite/);
  });

  it("a folder link planted in the scanned tree is never written through (the Action's aiprov-reports folder)", () => {
    mkdirSync(join(base, "out", "victims"));
    symlinkSync(join(base, "out", "victims"), join(base, "tree", "aiprov-reports"));
    expect(() => checkOutputPath("aiprov-reports/aiprov.json", join(base, "tree"), join(base, "tree"))).toThrow(
      /aiprov-reports is a symbolic link inside the scanned folder/,
    );
    // Named through the symlinked root as well.
    expect(() => checkOutputPath("link/aiprov-reports/aiprov.json", base, join(base, "link"))).toThrow(
      /symbolic link inside the scanned folder/,
    );
    // A real folder of the tree, and a folder outside it, are still fine.
    mkdirSync(join(base, "tree", "reports"));
    expect(checkOutputPath("reports/aiprov.json", join(base, "tree"), join(base, "tree"))).toBe(
      join(base, "tree", "reports", "aiprov.json"),
    );
    expect(checkOutputPath("out/aiprov.json", base, join(base, "tree"))).toBe(join(base, "out", "aiprov.json"));
  });

  it("a symbolic link planted in the scanned tree is never written through, wherever it points", () => {
    symlinkSync(join(base, "out", "victim.txt"), join(base, "tree", "aiprov-report.json"));
    expect(() => checkOutputPath("tree/aiprov-report.json", base, join(base, "tree"))).toThrow(
      /symbolic link inside the scanned folder/,
    );
    expect(() => checkOutputPath("link/aiprov-report.json", base, join(base, "link"))).toThrow(
      /symbolic link inside the scanned folder/,
    );
  });

  it("a FIFO inside the tree is refused without being read (reading it would block)", () => {
    execFileSync("mkfifo", [join(base, "tree", "pipe")]);
    expect(() => checkOutputPath("tree/pipe", base, join(base, "tree"))).toThrow(/refusing to overwrite/);
  });

  it("a new file, or an earlier aiprov report, inside the tree is fine, and is known as the scan's own file through any link", () => {
    expect(checkOutputPath("link/report.sarif", base, join(base, "tree"))).toBe(join(base, "link", "report.sarif"));
    writeFileSync(join(base, "tree", "report.txt"), "aiprov 0.1.0 scan of tree\n");
    expect(checkOutputPath("tree/report.txt", base, join(base, "link"))).toBe(join(base, "tree", "report.txt"));
    expect(pathInsideRoot(join(base, "link", "report.sarif"), join(base, "tree"))).toBe("report.sarif");
    expect(pathInsideRoot(join(base, "tree", "model", "x.json"), join(base, "link"))).toBe("model/x.json");
    expect(pathInsideRoot(join(base, "out", "x.json"), join(base, "link"))).toBeUndefined();
    expect(checkOutputPath("out/report.json", base, join(base, "tree"))).toBe(join(base, "out", "report.json"));
  });

  it("a missing folder or a folder as the output is a usage error", () => {
    expect(() => checkOutputPath("nowhere/r.json", base, join(base, "tree"))).toThrow(/folder .* does not exist/);
    expect(() => checkOutputPath("out", base, join(base, "tree"))).toThrow(/is a folder/);
  });
});
