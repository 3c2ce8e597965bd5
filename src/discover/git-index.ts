/**
 * The files a git work tree contains: the paths recorded in its index (committed and staged files), read straight
 * from the index file. No git process runs, so nothing in the scanned repository's configuration (hooks,
 * `core.fsmonitor`, filters, aliases) can execute: the repository is untrusted input.
 *
 * Index format: git's `Documentation/gitformat-index.txt` (<https://git-scm.com/docs/index-format>), versions 2, 3
 * and 4 (v4's prefix-compressed paths). Submodule entries (gitlinks) and sparse-index directory entries are left out.
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import { dirname, isAbsolute, join, relative, resolve, sep } from "node:path";

/** Largest index file read (an index of a million paths is about 100 MiB; beyond that the walk alone decides). */
const MAX_INDEX_BYTES = 256 * 1024 * 1024;

/** The tracked files under a scanned root, as root-relative POSIX paths, and every folder that holds one. */
export interface TrackedFiles {
  files: ReadonlySet<string>;
  dirs: ReadonlySet<string>;
}

/**
 * Paths recorded in a git index file's bytes, as written (POSIX, relative to the work tree's top).
 * @throws Error when the bytes are not an index of version 2, 3 or 4 (bad signature, truncated entry).
 */
export function parseGitIndex(buf: Uint8Array): string[] {
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  if (buf.length < 12 || view.getUint32(0) !== 0x44495243 /* "DIRC" */)
    throw new Error("not a git index (no DIRC signature)");
  const version = view.getUint32(4);
  if (version < 2 || version > 4) throw new Error(`git index version ${version} is not supported`);
  const count = view.getUint32(8);
  const decoder = new TextDecoder();
  const out: string[] = [];
  let off = 12;
  let previous: Uint8Array = new Uint8Array(0);
  for (let i = 0; i < count; i++) {
    const start = off;
    if (off + 62 > buf.length) throw new Error("git index truncated");
    const mode = view.getUint32(off + 24);
    const flags = view.getUint16(off + 60);
    off += 62;
    if (version >= 3 && flags & 0x4000) off += 2;
    let path: Uint8Array;
    if (version === 4) {
      // Varint (git's varint.c): bytes to drop from the end of the previous path.
      let c = buf[off++]!;
      let strip = c & 127;
      while (c & 128) {
        c = buf[off++]!;
        strip = ((strip + 1) << 7) | (c & 127);
      }
      const end = buf.indexOf(0, off);
      if (end < 0 || strip > previous.length) throw new Error("git index truncated");
      const suffix = buf.subarray(off, end);
      path = new Uint8Array(previous.length - strip + suffix.length);
      path.set(previous.subarray(0, previous.length - strip), 0);
      path.set(suffix, previous.length - strip);
      off = end + 1;
    } else {
      const end = buf.indexOf(0, off);
      if (end < 0) throw new Error("git index truncated");
      path = buf.subarray(off, end);
      // Entries are padded with 1 to 8 NUL bytes to a multiple of 8 bytes.
      off = start + Math.floor((end - start + 8) / 8) * 8;
    }
    previous = path;
    const type = mode >>> 12;
    // 0o10 regular file, 0o12 symbolic link; 0o16 gitlink (submodule) and 0o04 sparse directory are not files here.
    if (type === 0o10 || type === 0o12) out.push(decoder.decode(path));
  }
  return out;
}

/** The git folder of the work tree holding `dir` and the work tree's top, when `dir` lies in one. */
export function findGitDir(dir: string): { gitDir: string; top: string } | undefined {
  for (let d = resolve(dir); ; d = dirname(d)) {
    const dotGit = join(d, ".git");
    if (existsSync(dotGit)) {
      try {
        const st = statSync(dotGit);
        if (st.isDirectory()) return { gitDir: dotGit, top: d };
        // Only a regular file is read: a FIFO planted as `.git` would block the read forever.
        if (!st.isFile() || st.size > 4096) return undefined;
        // A linked worktree or submodule: `.git` is a file `gitdir: <path>`.
        const line = readFileSync(dotGit, "utf8")
          .split("\n")
          .find((l) => l.startsWith("gitdir:"));
        const dir = line?.slice("gitdir:".length).trim();
        if (dir) return { gitDir: isAbsolute(dir) ? dir : resolve(d, dir), top: d };
      } catch {
        return undefined;
      }
      return undefined;
    }
    if (dirname(d) === d) return undefined;
  }
}

/**
 * The files git tracks under `root` (root-relative), or undefined when `root` is not in a git work tree or its index
 * cannot be read (the walk then applies `.gitignore` alone). Never runs git.
 */
export function trackedFiles(root: string): TrackedFiles | undefined {
  const found = findGitDir(root);
  if (!found) return undefined;
  const indexPath = join(found.gitDir, "index");
  let buf: Buffer;
  try {
    const st = statSync(indexPath);
    // A FIFO or device planted as the index would block the read or never end: regular files only.
    if (!st.isFile() || st.size > MAX_INDEX_BYTES) return undefined;
    buf = readFileSync(indexPath);
  } catch {
    return undefined;
  }
  let paths: string[];
  try {
    paths = parseGitIndex(buf);
  } catch {
    return undefined;
  }
  const prefix = relative(found.top, resolve(root)).split(sep).join("/");
  if (prefix.startsWith("..")) return undefined;
  const files = new Set<string>();
  const dirs = new Set<string>();
  for (const p of paths) {
    if (prefix !== "" && !p.startsWith(`${prefix}/`)) continue;
    const rel = prefix === "" ? p : p.slice(prefix.length + 1);
    files.add(rel);
    for (let i = rel.indexOf("/"); i >= 0; i = rel.indexOf("/", i + 1)) dirs.add(rel.slice(0, i));
  }
  return { files, dirs };
}
