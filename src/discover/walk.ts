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
import { join, sep } from "node:path";
import ignoreModule from "ignore";
import type { Coverage } from "../model/types.js";
import { trimEndChars } from "../util/text.js";
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
  /**
   * Folders inside the root that could not be listed (no permission, an I/O error, a name that is not valid UTF-8),
   * root-relative and sorted: what they hold is unknown, so the scan makes each an undetermined component.
   */
  unreadableFolders: string[];
  /** Folders inside the root that are symbolic links to folders outside it (never followed), root-relative, sorted. */
  linkedOutFolders: string[];
}

/** Paths that look like model files or manifests (weights, HF repo configs, Modelfiles). */
export const MODEL_LIKE =
  /(?:^|\/)(?:config\.json|adapter_config\.json|model_index\.json|tokenizer(?:_config)?\.json|Modelfile|[^/]+\.(?:gguf|safetensors|bin|pt|pth|ckpt|onnx|mlmodel|tflite))$/;

/** An ignore matcher with the folder it is relative to (`byName`: answers cached per name, see {@link isIgnored}). */
type Matcher = { base: string; ig: Ignore; byName?: Map<string, boolean> };

/** A folder entry as listed, before any decision. */
interface Entry {
  name: string;
  isDir: boolean;
  isFile: boolean;
  isLink: boolean;
  /** A FIFO, socket or device: never opened (a FIFO with no writer would block the read forever). */
  special?: SpecialKind;
}

/** What a non-regular file is, in the words of a diagnostic. */
export type SpecialKind = "fifo" | "socket" | "block-device" | "character-device";

/** The kind of a non-regular file from its listing or `stat` (undefined for files, folders and links). */
function specialKind(d: {
  isFIFO(): boolean;
  isSocket(): boolean;
  isBlockDevice(): boolean;
  isCharacterDevice(): boolean;
}): SpecialKind | undefined {
  if (d.isFIFO()) return "fifo";
  if (d.isSocket()) return "socket";
  if (d.isBlockDevice()) return "block-device";
  if (d.isCharacterDevice()) return "character-device";
  return undefined;
}

/** What one walk shares between its passes: the settings, the matchers built from them, and the result so far. */
interface WalkState {
  rootReal: string;
  options: WalkOptions;
  result: WalkResult;
  exclude: Ignore | undefined;
  include: Ignore | undefined;
  tracked: ReturnType<typeof trackedFiles> | undefined;
  skip(path: string, reason: Coverage["skipped"][number]["reason"]): void;
  /** Files handed to `onFile` since the event loop last ran. */
  sinceYield: number;
}

/**
 * Walks `root` and returns every file not skipped, sorted by path (the file-system order never leaks into reports).
 * @throws Error when `root` does not exist or is not a directory.
 */
export async function walk(root: string, options: WalkOptions = {}): Promise<WalkResult> {
  const rootReal = await realpath(root);
  const rootStat = await stat(rootReal);
  if (!rootStat.isDirectory()) throw new Error(`${root} is not a directory`);
  const maxSkip = options.maxSkipRecords ?? 1000;
  const result: WalkResult = {
    files: [],
    filesSeen: 0,
    skipped: [],
    skippedByReason: {},
    ignoredModelLike: [],
    unreadableFolders: [],
    linkedOutFolders: [],
  };
  const state: WalkState = {
    rootReal,
    options,
    result,
    exclude: options.exclude?.length ? ignore().add(options.exclude) : undefined,
    include: options.include?.length ? ignore().add(options.include) : undefined,
    tracked: options.noIgnore ? undefined : trackedFiles(rootReal),
    skip: (path, reason) => {
      result.skippedByReason[reason] = (result.skippedByReason[reason] ?? 0) + 1;
      if (result.skipped.length < maxSkip) result.skipped.push({ path, reason });
    },
    sinceYield: 0,
  };
  await visitFolder(state, rootReal, "", []);
  result.files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  result.unreadableFolders.sort();
  result.linkedOutFolders.sort();
  return result;
}

/**
 * Each level carries the ignore matchers of its ancestors, each with the folder it is relative to. The walk never
 * enters an ignored folder, so when every pattern of a file is slash-free (`*.log`, `dist/`, `!keep.txt`), whether an
 * entry is ignored depends on its name alone: those answers are cached per name (most names repeat in big trees).
 */
function isIgnored(matchers: readonly Matcher[], rel: string, isDir: boolean, name: string): boolean {
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
}

/**
 * Lists a folder, sorted by name, with the matchers that apply inside it (its own `.gitignore` added); undefined when
 * the folder is skipped whole (unreadable, or a virtualenv: a folder holding `pyvenv.cfg`, told from its own listing).
 * Listings and `.gitignore` reads use the synchronous calls: on trees of tens of thousands of files the promise API's
 * per-call overhead dominates the walk.
 */
function listFolder(
  state: WalkState,
  dirAbs: string,
  dirRel: string,
  matchers: Matcher[],
): { entries: Entry[]; matchers: Matcher[] } | undefined {
  let entries: Entry[];
  try {
    entries = readdirSync(dirAbs, { withFileTypes: true }).map((d) => {
      const special = specialKind(d);
      return {
        name: d.name,
        isDir: d.isDirectory(),
        isFile: d.isFile(),
        isLink: d.isSymbolicLink(),
        ...(special ? { special } : {}),
      };
    });
  } catch {
    state.skip(dirRel || ".", "unreadable");
    if (dirRel !== "") state.result.unreadableFolders.push(dirRel);
    return undefined;
  }
  if (dirRel !== "" && entries.some((e) => e.name === "pyvenv.cfg" && e.isFile)) {
    state.skip(dirRel, "excluded-dir");
    return undefined;
  }
  let local = matchers;
  // A regular `.gitignore` only: a FIFO in its place would block the read forever, and git itself ignores a
  // `.gitignore` that is a symbolic link (git 2.32 release notes).
  if (!state.options.noIgnore && entries.some((e) => e.name === ".gitignore" && e.isFile)) {
    try {
      const text = readFileSync(join(dirAbs, ".gitignore"), "utf8");
      local = [
        ...matchers,
        { base: dirRel, ig: ignore().add(text), ...(nameOnly(text) ? { byName: new Map<string, boolean>() } : {}) },
      ];
    } catch {
      // unreadable .gitignore: no rules from it
    }
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { entries, matchers: local };
}

/**
 * Where a symbolic link leads: a linked file inside the root is followed under the link's name (a Hugging Face cache
 * snapshot links to its blobs); a linked folder inside the root is not (it is walked at its real path already, so
 * link cycles cannot loop); a link out of the root or a dangling one is skipped with its reason.
 */
async function followLink(
  state: WalkState,
  abs: string,
  rel: string,
): Promise<{ abs: string; isFile: boolean; special?: SpecialKind } | undefined> {
  let target: string;
  try {
    target = await realpath(abs);
  } catch {
    state.skip(rel, "unreadable");
    return undefined;
  }
  if (target !== state.rootReal && !target.startsWith(state.rootReal + sep)) {
    state.skip(rel, "symlink-outside-root");
    // A folder linked out of the tree (a model folder pointing at a cache snapshot elsewhere) may hold a model:
    // never read, and undetermined like a folder that cannot be listed.
    try {
      if ((await stat(target)).isDirectory()) state.result.linkedOutFolders.push(rel);
    } catch {
      // gone meanwhile: the skip record says enough
    }
    return undefined;
  }
  const st = await stat(target);
  if (st.isDirectory()) return undefined;
  const special = specialKind(st);
  return { abs: target, isFile: st.isFile(), ...(special ? { special } : {}) };
}

/**
 * Visits one folder: lists it, then decides each entry (folders through {@link enterFolder}, files through
 * {@link keepFile}). `onlyTracked`: the folder is ignored but holds tracked files; only those (and folders holding
 * them) are kept. With a consumer of files, the walk lets the event loop run now and then (every YIELD_EVERY files),
 * so that worker threads reading the files already found are answered while the listing goes on.
 */
async function visitFolder(
  state: WalkState,
  dirAbs: string,
  dirRel: string,
  matchers: Matcher[],
  onlyTracked = false,
): Promise<void> {
  if (state.options.onFile && state.sinceYield >= YIELD_EVERY) {
    state.sinceYield = 0;
    await setImmediate();
  }
  const listed = listFolder(state, dirAbs, dirRel, matchers);
  if (!listed) return;
  for (const e of listed.entries) {
    const rel = dirRel === "" ? e.name : `${dirRel}/${e.name}`;
    // A name that is not valid UTF-8 comes back with U+FFFD in it and cannot be opened by that name.
    if (e.name.includes("\uFFFD")) {
      state.skip(rel, "unreadable");
      if (e.isDir) state.result.unreadableFolders.push(rel);
      continue;
    }
    // dirAbs is a normalised absolute path: concatenation is all path.join would do here.
    let abs = dirAbs + sep + e.name;
    let isFile = e.isFile;
    let special = e.special;
    if (e.isLink) {
      const followed = await followLink(state, abs, rel);
      if (!followed) continue;
      ({ abs, isFile, special } = followed);
    } else if (e.isDir) {
      await enterFolder(state, abs, rel, e.name, listed.matchers, onlyTracked);
      continue;
    }
    if (isFile || special) keepFile(state, abs, rel, e.name, listed.matchers, onlyTracked, special);
  }
}

/** Decides a folder: skipped with its reason, peeked into when ignored, or visited. */
async function enterFolder(
  state: WalkState,
  abs: string,
  rel: string,
  name: string,
  matchers: Matcher[],
  onlyTracked: boolean,
): Promise<void> {
  if (ALWAYS_SKIPPED_DIRS.has(name)) {
    state.skip(rel, "excluded-dir");
    return;
  }
  const trackedInside = state.tracked?.dirs.has(rel) ?? false;
  if (onlyTracked && !trackedInside) {
    state.skip(rel, "ignored");
    return;
  }
  if (!onlyTracked && isIgnored(matchers, rel, true, name)) {
    if (trackedInside) {
      await visitFolder(state, abs, rel, matchers, true);
      return;
    }
    state.skip(rel, "ignored");
    // Vendored weights usually sit in a git-ignored folder: say what is in it (bounded), so `--no-ignore` is an
    // informed choice.
    await peekModelLike(abs, rel, state.result.ignoredModelLike);
    return;
  }
  if (state.exclude?.ignores(`${rel}/`)) {
    state.skip(rel, "ignored");
    return;
  }
  await visitFolder(state, abs, rel, matchers, onlyTracked);
}

/**
 * Decides a file: counted as seen, then skipped with its reason (ignore rules, excludes, includes) or kept. A FIFO,
 * socket or device (`special`) is never kept: it is skipped under its kind, and never opened.
 */
function keepFile(
  state: WalkState,
  abs: string,
  rel: string,
  name: string,
  matchers: Matcher[],
  onlyTracked: boolean,
  special?: SpecialKind,
): void {
  const { options, result, tracked } = state;
  if (options.ownFiles?.includes(rel)) return;
  result.filesSeen++;
  if (onlyTracked ? !tracked?.files.has(rel) : isIgnored(matchers, rel, false, name) && !tracked?.files.has(rel)) {
    state.skip(rel, "ignored");
    if (MODEL_LIKE.test(rel) && result.ignoredModelLike.length < IGNORED_MODEL_LIKE_MAX)
      result.ignoredModelLike.push(rel);
    return;
  }
  if (state.exclude?.ignores(rel) || (state.include && !state.include.ignores(rel))) {
    state.skip(rel, "ignored");
    return;
  }
  // Named, never opened: reading a FIFO with no writer blocks forever, a device can be endless.
  if (special) {
    state.skip(rel, special);
    return;
  }
  const file: DiscoveredFile = { path: rel, absolutePath: abs };
  result.files.push(file);
  if (options.onFile) {
    state.sinceYield++;
    options.onFile(file);
  }
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
    if (trimEndChars(line.replace(/^!/, ""), "/").includes("/")) return false;
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
      else if (n.dir && depth + 1 < PEEK_MAX_DEPTH && !ALWAYS_SKIPPED_DIRS.has(n.name))
        queue.push({ abs: join(abs, n.name), rel: r, depth: depth + 1 });
    }
  }
}
