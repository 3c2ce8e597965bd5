/**
 * The bundled knowledge base's YAML documents, parsed at build time (`scripts/build-generated.js` writes
 * `dist/generated/knowledge-snapshot.json` with {@link buildKnowledgeSnapshot}), so that a run does not parse 400 KB
 * of YAML at every start (issue 13: it was a fifth of a second of every scan).
 *
 * A document is served only while its file has the size and modification time recorded at build time; an edited,
 * added or touched file is parsed from its YAML as before. The loader validates what it gets either way, so the
 * snapshot saves the parse, never a check.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { isDeepStrictEqual } from "node:util";
import { yaml } from "./yaml.js";
import { packagePath } from "./package-root.js";

/** One parsed document with the size (bytes) and modification time (ms since 1970) of its file when parsed. */
interface SnapshotEntry {
  size: number;
  mtimeMs: number;
  data: unknown;
}

/** The snapshot file's shape: documents by path relative to the knowledge directory, POSIX separators. */
export interface KnowledgeSnapshot {
  generatedBy: string;
  files: Record<string, SnapshotEntry>;
}

/** Where the build writes the bundled knowledge base's snapshot. */
export const KNOWLEDGE_SNAPSHOT_FILE = packagePath("dist", "generated", "knowledge-snapshot.json");

/**
 * Parses every `.yaml`/`.yml` file under `dir` (recursively, name order) into a snapshot. A document that would not
 * survive a JSON round trip unchanged (a YAML value JSON cannot hold) is left out, so it is parsed at run time.
 * @throws Error when a file is not valid YAML (the build fails).
 */
export function buildKnowledgeSnapshot(dir: string): KnowledgeSnapshot {
  const files: Record<string, SnapshotEntry> = {};
  const visit = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true }).sort((a, b) =>
      a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
    )) {
      const abs = join(d, e.name);
      if (e.isDirectory()) visit(abs);
      else if (e.isFile() && /\.ya?ml$/.test(e.name)) {
        const st = statSync(abs);
        const data: unknown = yaml().parse(readFileSync(abs, "utf8"), { maxAliasCount: 100 });
        if (isDeepStrictEqual(JSON.parse(JSON.stringify(data) ?? "null"), data))
          files[relative(dir, abs).split("\\").join("/")] = { size: st.size, mtimeMs: st.mtimeMs, data };
      }
    }
  };
  visit(dir);
  return { generatedBy: "scripts/build-generated.js", files };
}

const loaded = new Map<string, Record<string, SnapshotEntry> | null>();

function entriesOf(snapshotFile: string): Record<string, SnapshotEntry> | null {
  let entries = loaded.get(snapshotFile);
  if (entries === undefined) {
    try {
      entries = (JSON.parse(readFileSync(snapshotFile, "utf8")) as KnowledgeSnapshot).files ?? null;
    } catch {
      entries = null; // not built (running from the sources): every document is parsed from its YAML
    }
    loaded.set(snapshotFile, entries);
  }
  return entries;
}

/**
 * The parsed document of the knowledge file `file` (absolute, under `knowledgeDir`) from a snapshot, as a fresh copy
 * the caller may change; undefined when the snapshot does not exist, does not hold the file, or the file's size or
 * modification time changed since the snapshot was made.
 */
export function snapshotDocument(file: string, knowledgeDir: string, snapshotFile = KNOWLEDGE_SNAPSHOT_FILE): unknown {
  const entries = entriesOf(snapshotFile);
  if (!entries) return undefined;
  const rel = relative(knowledgeDir, file).split("\\").join("/");
  const entry = Object.hasOwn(entries, rel) ? entries[rel] : undefined;
  if (!entry) return undefined;
  try {
    const st = statSync(file);
    if (st.size !== entry.size || st.mtimeMs !== entry.mtimeMs) return undefined;
  } catch {
    return undefined;
  }
  return structuredClone(entry.data);
}
