/**
 * Discover: walks the scanned tree and yields the files extractors may read.
 *
 * - honours `.gitignore` files at every level (gitignore semantics through the `ignore` package, the matcher used by
 *   ESLint), unless `noIgnore` is set; inside a git work tree, a file the index records (committed or staged) is
 *   kept whatever `.gitignore` says (`.gitignore` only keeps untracked files out of git), read from the index file
 *   without running git (see `git-index.ts`);
 * - always skips VCS folders, `node_modules`, virtualenvs and caches (see {@link ALWAYS_SKIPPED_DIRS});
 * - never follows a symbolic link that leaves the root; follows linked files inside it (under the link's name) but
 *   not linked folders (their content is walked at its real path, so link cycles cannot loop);
 * - applies user `exclude` / `include` globs (gitignore syntax);
 * - records every skip with its reason for the coverage summary.
 * It only lists folders (no per-file `stat`); it never reads file contents (apart from `.gitignore` files) and never
 * writes.
 */
import { readdirSync, readFileSync } from "node:fs";
import { opendir, realpath, stat } from "node:fs/promises";
import { setImmediate } from "node:timers/promises";
import { join, relative, sep } from "node:path";
import ignoreModule from "ignore";
import type { Coverage } from "../model/types.js";
import { trackedFiles } from "./git-index.js";

type Ignore = ReturnType<typeof ignoreModule>;
const ignore = ignoreModule as unknown as (options?: { ignorecase?: boolean }) => Ignore;

/** Folder names never descended into: VCS data, dependency trees, virtualenvs, caches. */
export const ALWAYS_SKIPPED_DIRS: ReadonlySet<string> = new Set([
  ".git",
  ".hg",
  ".svn",
  "node_modules",
  ".venv",
  "venv",
  ".tox",
  ".nox",
  "__pycache__",
  ".mypy_cache",
  ".pytest_cache",
  ".ruff_cache",
  ".cache",
  "site-packages",
  ".ipynb_checkpoints",
  ".next",
  ".turbo",
  ".gradle",
  ".idea",
  ".vscode",
]);

/** A file found by the walk. */
export interface DiscoveredFile {
  /** Root-relative POSIX path. */
  path: string;
  /** Absolute path (after resolving links inside the root). */
  absolutePath: string;
  /**
   * Size in bytes, when known. The walk leaves it out (one `stat` per file is a large share of a walk's cost);
   * the extraction stage learns it from the open file handle, and only for files an extractor wants.
   */
  size?: number;
}

/** Walk options. */
export interface WalkOptions {
  /** Do not apply `.gitignore` files (vendored weights in `models/` are often git-ignored). */
  noIgnore?: boolean;
  /** gitignore-syntax patterns to leave out. */
  exclude?: string[];
  /** gitignore-syntax patterns: when given, only matching files are kept. */
  include?: string[];
  /** Root-relative paths left out without a trace (the tool's own report file), so they never change a report. */
  ownFiles?: string[];
  /** Maximum number of skip records kept in detail (counts are always complete). */
  maxSkipRecords?: number;
  /**
   * Called with each kept file as soon as it is found (in walk order, before the final sort), so that reading can
   * start while the tree is still being listed.
   */
  onFile?: (file: DiscoveredFile) => void;
}

/** Result of a walk: the files, plus the skip records that feed {@link Coverage}. */
export interface WalkResult {
  files: DiscoveredFile[];
  filesSeen: number;
  skipped: Coverage["skipped"];
  skippedByReason: Record<string, number>;
  /** Files that look like model files or manifests but were skipped by ignore rules (worth a `--no-ignore`). */
  ignoredModelLike: string[];
}

/** Paths that look like model files or manifests (weights, HF repo configs, Modelfiles). */
export const MODEL_LIKE = /(?:^|\/)(?:config\.json|adapter_config\.json|model_index\.json|tokenizer(?:_config)?\.json|Modelfile|[^/]+\.(?:gguf|safetensors|bin|pt|pth|ckpt|onnx|mlmodel|tflite))$/;

/**
 * Walks `root` and returns every file not skipped, sorted by path (the file-system order never leaks into reports).
 * @throws Error when `root` does not exist or is not a directory.
 */
export async function walk(root: string, options: WalkOptions = {}): Promise<WalkResult> {
  const rootReal = await realpath(root);
  const rootStat = await stat(rootReal);
  if (!rootStat.isDirectory()) throw new Error(`${root} is not a directory`);
  const maxSkip = options.maxSkipRecords ?? 1000;
  const result: WalkResult = { files: [], filesSeen: 0, skipped: [], skippedByReason: {}, ignoredModelLike: [] };
  const exclude = options.exclude?.length ? ignore().add(options.exclude) : undefined;
  const include = options.include?.length ? ignore().add(options.include) : undefined;
  const tracked = options.noIgnore ? undefined : trackedFiles(rootReal);

  const skip = (path: string, reason: Coverage["skipped"][number]["reason"]): void => {
    result.skippedByReason[reason] = (result.skippedByReason[reason] ?? 0) + 1;
    if (result.skipped.length < maxSkip) result.skipped.push({ path, reason });
  };

  // Each level carries the ignore matchers of its ancestors, each with the folder it is relative to. The walk never
  // enters an ignored folder, so when every pattern of a file is slash-free (`*.log`, `dist/`, `!keep.txt`), whether an
  // entry is ignored depends on its name alone: those answers are cached per name (most names repeat in big trees).
  type Matcher = { base: string; ig: Ignore; byName?: Map<string, boolean> };
  const isIgnored = (matchers: Matcher[], rel: string, isDir: boolean, name: string): boolean => {
    for (const m of matchers) {
      if (m.byName) {
        const key = isDir ? `${name}/` : name;
        let hit = m.byName.get(key);
        if (hit === undefined) m.byName.set(key, (hit = m.ig.ignores(key)));
        if (hit) return true;
        continue;
      }
      const sub = m.base === "" ? rel : rel.slice(m.base.length + 1);
      if (m.ig.ignores(isDir ? `${sub}/` : sub)) return true;
    }
    return false;
  };

  // With a consumer of files, the walk lets the event loop run now and then (every YIELD_EVERY files), so that worker
  // threads reading the files already found are answered while the listing goes on.
  let sinceYield = 0;
  // `onlyTracked`: the folder is ignored but holds tracked files; only those (and folders holding them) are kept.
  const visit = async (dirAbs: string, dirRel: string, matchers: Matcher[], onlyTracked = false): Promise<void> => {
    if (options.onFile && sinceYield >= YIELD_EVERY) {
      sinceYield = 0;
      await setImmediate();
    }
    let local = matchers;
    // Directory listings and .gitignore reads use the synchronous calls: on trees of tens of thousands of files the
    // promise API's per-call overhead dominates the walk (see bench/scan-monorepo.bench.js).
    let entries: { name: string; isDir: boolean; isFile: boolean; isLink: boolean }[] = [];
    try {
      entries = readdirSync(dirAbs, { withFileTypes: true }).map((d) => ({ name: d.name, isDir: d.isDirectory(), isFile: d.isFile(), isLink: d.isSymbolicLink() }));
    } catch {
      skip(dirRel || ".", "unreadable");
      return;
    }
    // A virtualenv (a folder holding `pyvenv.cfg`) is a dependency tree, like node_modules: told from its own listing.
    if (dirRel !== "" && entries.some((e) => e.name === "pyvenv.cfg" && e.isFile)) {
      skip(dirRel, "excluded-dir");
      return;
    }
    if (!options.noIgnore && entries.some((e) => e.name === ".gitignore")) {
      try {
        const text = readFileSync(join(dirAbs, ".gitignore"), "utf8");
        local = [...matchers, { base: dirRel, ig: ignore().add(text), ...(nameOnly(text) ? { byName: new Map<string, boolean>() } : {}) }];
      } catch {
        // unreadable .gitignore: no rules from it
      }
    }
    entries = entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      const rel = dirRel === "" ? e.name : `${dirRel}/${e.name}`;
      // A name that is not valid UTF-8 comes back with U+FFFD in it and cannot be opened by that name.
      if (e.name.includes("\uFFFD")) {
        skip(rel, "unreadable");
        continue;
      }
      // dirAbs is a normalised absolute path: concatenation is all path.join would do here.
      let abs = dirAbs + sep + e.name;
      let isDir = e.isDir;
      let isFile = e.isFile;
      if (e.isLink) {
        let target: string;
        try {
          target = await realpath(abs);
        } catch {
          skip(rel, "unreadable");
          continue;
        }
        if (target !== rootReal && !target.startsWith(rootReal + sep)) {
          skip(rel, "symlink-outside-root");
          continue;
        }
        const st = await stat(target);
        // A linked folder inside the root is walked at its real path already; following it would scan it twice.
        // Linked files are followed under the link's name (a Hugging Face cache snapshot links to its blobs).
        if (st.isDirectory()) continue;
        isDir = false;
        isFile = st.isFile();
        abs = target;
      }
      if (isDir) {
        if (ALWAYS_SKIPPED_DIRS.has(e.name)) {
          skip(rel, "excluded-dir");
          continue;
        }
        const trackedInside = tracked?.dirs.has(rel) ?? false;
        if (onlyTracked && !trackedInside) {
          skip(rel, "ignored");
          continue;
        }
        if (!onlyTracked && isIgnored(local, rel, true, e.name)) {
          if (trackedInside) {
            await visit(abs, rel, local, true);
            continue;
          }
          skip(rel, "ignored");
          // Vendored weights usually sit in a git-ignored folder: say what is in it (bounded), so `--no-ignore` is
          // an informed choice.
          await peekModelLike(abs, rel, result.ignoredModelLike);
          continue;
        }
        if (exclude?.ignores(`${rel}/`)) {
          skip(rel, "ignored");
          continue;
        }
        await visit(abs, rel, local, onlyTracked);
        continue;
      }
      if (!isFile) continue;
      if (options.ownFiles?.includes(rel)) continue;
      result.filesSeen++;
      if (onlyTracked ? !tracked?.files.has(rel) : isIgnored(local, rel, false, e.name) && !tracked?.files.has(rel)) {
        skip(rel, "ignored");
        if (MODEL_LIKE.test(rel) && result.ignoredModelLike.length < IGNORED_MODEL_LIKE_MAX) result.ignoredModelLike.push(rel);
        continue;
      }
      if (exclude?.ignores(rel) || (include && !include.ignores(rel))) {
        skip(rel, "ignored");
        continue;
      }
      const file: DiscoveredFile = { path: rel, absolutePath: abs };
      result.files.push(file);
      if (options.onFile) {
        sinceYield++;
        options.onFile(file);
      }
    }
  };

  await visit(rootReal, "", []);
  result.files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return result;
}

/**
 * True when every pattern of a `.gitignore` text matches by name alone: no slash except a trailing one (gitignore(5):
 * "If there is a separator at the beginning or middle of the pattern, then the pattern is relative to the directory
 * level of the particular .gitignore file itself. Otherwise the pattern may also match at any level below").
 */
export function nameOnly(gitignore: string): boolean {
  for (const raw of gitignore.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) continue;
    if (line.replace(/^!/, "").replace(/\/+$/, "").includes("/")) return false;
  }
  return true;
}

/** Files found between two turns of the event loop when the walk feeds a consumer. */
const YIELD_EVERY = 256;

/** Maximum entries listed inside one ignored folder, and the depth followed, when looking for model files. */
const PEEK_MAX_ENTRIES = 2000;
const PEEK_MAX_DEPTH = 4;
const IGNORED_MODEL_LIKE_MAX = 200;

/**
 * Lists model-looking files inside an ignored folder (bounded: {@link PEEK_MAX_ENTRIES} entries, depth
 * {@link PEEK_MAX_DEPTH}, never following links), appending their root-relative paths to `out`.
 */
async function peekModelLike(dirAbs: string, dirRel: string, out: string[]): Promise<void> {
  let budget = PEEK_MAX_ENTRIES;
  const queue: { abs: string; rel: string; depth: number }[] = [{ abs: dirAbs, rel: dirRel, depth: 0 }];
  while (queue.length && budget > 0 && out.length < IGNORED_MODEL_LIKE_MAX) {
    const { abs, rel, depth } = queue.shift()!;
    let names: { name: string; dir: boolean; file: boolean }[] = [];
    try {
      const dir = await opendir(abs);
      for await (const d of dir) {
        names.push({ name: d.name, dir: d.isDirectory(), file: d.isFile() });
        if (--budget <= 0) break;
      }
    } catch {
      continue;
    }
    names = names.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const n of names) {
      const r = `${rel}/${n.name}`;
      if (n.file && MODEL_LIKE.test(r) && out.length < IGNORED_MODEL_LIKE_MAX) out.push(r);
      else if (n.dir && depth + 1 < PEEK_MAX_DEPTH && !ALWAYS_SKIPPED_DIRS.has(n.name)) queue.push({ abs: join(abs, n.name), rel: r, depth: depth + 1 });
    }
  }
}

/** Root-relative POSIX path of an absolute path. */
export function toRelative(root: string, abs: string): string {
  return relative(root, abs).split(sep).join("/");
}
