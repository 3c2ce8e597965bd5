import { afterEach, describe, expect, it } from "vitest";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfig } from "./config.js";

// The project config search in the current folder: an ordinary folder or npm project has no configuration, and each
// place that may hold one is still found (a package.json key spelt with a JSON escape included).
let dir: string;
const fresh = (): string => (dir = mkdtempSync(join(tmpdir(), "aiprov-config-")));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe("project config search", () => {
  it("finds nothing in a folder without a config file", async () => {
    expect(await loadConfig(fresh())).toEqual({ config: {} });
  });

  it("ignores a package.json without an aiprov key", async () => {
    writeFileSync(join(fresh(), "package.json"), JSON.stringify({ name: "app", dependencies: { yaml: "2" } }));
    expect(await loadConfig(dir)).toEqual({ config: {} });
  });

  it("reads the aiprov key of package.json, also when the key is spelt with a JSON escape", async () => {
    writeFileSync(join(fresh(), "package.json"), JSON.stringify({ name: "app", aiprov: { organization: ["acme"] } }));
    const plain = await loadConfig(dir);
    expect(plain.config.organization).toEqual(["acme"]);
    expect(plain.file).toBe(join(dir, "package.json"));
    writeFileSync(join(dir, "package.json"), '{"name": "app", "\\u0061iprov": {"organization": ["acme"]}}');
    expect((await loadConfig(dir)).config.organization).toEqual(["acme"]);
  });

  it("reads a .aiprovrc.yaml", async () => {
    writeFileSync(join(fresh(), ".aiprovrc.yaml"), "organization:\n  - acme\n");
    const found = await loadConfig(dir);
    expect(found.config.organization).toEqual(["acme"]);
    expect(found.origin).toBe("project");
  });
});
