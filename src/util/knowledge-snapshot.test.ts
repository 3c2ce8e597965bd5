import { appendFileSync, mkdtempSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { BUNDLED_KNOWLEDGE_DIR } from "../resolve/knowledge/knowledge-base.js";
import { buildKnowledgeSnapshot, snapshotDocument } from "./knowledge-snapshot.js";

const tmp = mkdtempSync(join(tmpdir(), "aiprov-snapshot-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe("knowledge snapshot", () => {
  it("holds every bundled knowledge document exactly as the YAML parser reads it", () => {
    const snap = buildKnowledgeSnapshot(BUNDLED_KNOWLEDGE_DIR);
    const yamlFiles = (dir: string, prefix = ""): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
        e.isDirectory()
          ? yamlFiles(join(dir, e.name), `${prefix}${e.name}/`)
          : /\.ya?ml$/.test(e.name)
            ? [`${prefix}${e.name}`]
            : [],
      );
    const all = yamlFiles(BUNDLED_KNOWLEDGE_DIR).sort();
    expect(Object.keys(snap.files).sort()).toEqual(all);
    for (const rel of all)
      expect(snap.files[rel]!.data, rel).toEqual(
        parseYaml(readFileSync(join(BUNDLED_KNOWLEDGE_DIR, rel), "utf8"), { maxAliasCount: 100 }),
      );
  });

  it("serves a document only while its file is unchanged, and a copy the caller may change", () => {
    const dir = join(tmp, "knowledge");
    mkdirSync(join(dir, "components"), { recursive: true });
    writeFileSync(join(dir, "publishers.yaml"), "publishers:\n  - id: acme\n    orgs: [acme]\n");
    writeFileSync(join(dir, "components", "a.yaml"), "id: a\nidentity: {hidden_size: 4096}\n");
    const file = join(tmp, "snapshot.json");
    writeFileSync(file, JSON.stringify(buildKnowledgeSnapshot(dir)));
    const first = snapshotDocument(join(dir, "components", "a.yaml"), dir, file) as {
      identity: { hidden_size: number };
    };
    expect(first).toEqual({ id: "a", identity: { hidden_size: 4096 } });
    first.identity.hidden_size = 1;
    expect(snapshotDocument(join(dir, "components", "a.yaml"), dir, file)).toEqual({
      id: "a",
      identity: { hidden_size: 4096 },
    });
    // Edited after the snapshot was made: parsed from its YAML again (undefined here).
    appendFileSync(join(dir, "publishers.yaml"), "# changed\n");
    expect(snapshotDocument(join(dir, "publishers.yaml"), dir, file)).toBeUndefined();
    // A file the snapshot does not hold, and a snapshot that does not exist.
    writeFileSync(join(dir, "components", "b.yaml"), "id: b\n");
    expect(snapshotDocument(join(dir, "components", "b.yaml"), dir, file)).toBeUndefined();
    expect(snapshotDocument(join(dir, "components", "a.yaml"), dir, join(tmp, "missing.json"))).toBeUndefined();
  });

  it("leaves out a document JSON cannot hold unchanged", () => {
    const dir = join(tmp, "odd");
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "inf.yaml"), "value: .inf\n");
    writeFileSync(join(dir, "plain.yaml"), "value: 1\n");
    expect(Object.keys(buildKnowledgeSnapshot(dir).files)).toEqual(["plain.yaml"]);
  });
});
