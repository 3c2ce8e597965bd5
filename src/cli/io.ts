import { existsSync, lstatSync, readFileSync, realpathSync, statSync, type Stats } from "node:fs";
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from "node:path";
import { UsageError } from "../errors.js";

/** What a command may touch: its output streams, the working folder and the environment (tests pass fakes). */
export interface CliIO {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Whether stdout is a terminal. */
  isTTY: boolean;
  /** Whether stderr is a terminal (progress lines are drawn only then). */
  stderrIsTTY?: boolean;
}

/**
 * Recognises the start of a report aiprov wrote, in any format: text (`aiprov <version>`), JSON (`"tool": {"name":
 * "aiprov"`), SARIF, CycloneDX and SPDX (a tool named `"aiprov"`), Markdown (`## <icon> aiprov:`), HTML (the
 * generator meta tag), JUnit (`<testsuites name="aiprov `).
 */
const AIPROV_REPORT_HEAD =
  /^aiprov |"tool":\s*\{\s*"name":\s*"aiprov"|"name":\s*"aiprov"|^## \S+ aiprov: |<meta name="generator" content="aiprov |<testsuites name="aiprov /m;

const lstatOrUndefined = (p: string): Stats | undefined => {
  try {
    return lstatSync(p);
  } catch {
    return undefined;
  }
};

/** A path with every symbolic link of its folder resolved (the file itself is kept as named). */
function realFolderPath(abs: string): string {
  return join(realpathSync(dirname(abs)), basename(abs));
}

/**
 * The path of `abs` relative to the scanned root, comparing real paths (a symlinked root or a symlinked folder on the
 * way leads to the same files), in `/` form; undefined when it lies outside the root.
 */
export function pathInsideRoot(abs: string, root: string): string | undefined {
  let real: string;
  let realRoot: string;
  try {
    real = realFolderPath(abs);
    realRoot = realpathSync(root);
  } catch {
    return undefined;
  }
  const rel = relative(realRoot, real);
  if (rel === "" || rel.startsWith("..") || isAbsolute(rel)) return undefined;
  return rel.split(sep).join("/");
}

/**
 * The first folder on the way to `dir` (itself included) that is a symbolic link lying below the scanned root, named
 * as given or through its real path; undefined when there is none. A link the scanned tree plants (`aiprov-reports ->
 * /elsewhere`) must never carry a report out of the outputs the user named.
 */
function linkedFolderInside(dir: string, root: string): string | undefined {
  const roots = [resolve(root)];
  try {
    roots.push(realpathSync(root));
  } catch {
    // An unreadable root is reported by the scan itself.
  }
  const below = (p: string): boolean =>
    roots.some((r) => {
      const rel = relative(r, p);
      return rel !== "" && !rel.startsWith("..") && !isAbsolute(rel);
    });
  for (let p = dir; p !== dirname(p); p = dirname(p)) if (below(p) && lstatOrUndefined(p)?.isSymbolicLink()) return p;
  return undefined;
}

/**
 * Checks an output path (`--output` or a `--<format>-output`) before the scan runs, on real paths: its folder must
 * exist; a symbolic link inside the scanned folder is never written through (the tree is untrusted, and its link may
 * point anywhere); and no file of the scanned folder that is not an earlier aiprov report is overwritten (it may be
 * one of the manifests being audited), whether it is named directly, through a symlinked root or folder, or through
 * a link outside the tree. Only regular files are read for that check (a FIFO would block).
 * @returns the absolute output path. @throws UsageError naming the flag and the file.
 */
export function checkOutputPath(output: string, cwd: string, root: string, flag = "--output"): string {
  const abs = resolve(cwd, output);
  const dir = dirname(abs);
  if (!existsSync(dir) || !statSync(dir).isDirectory())
    throw new UsageError(`${flag} ${output}: folder ${dir} does not exist`);
  const planted = linkedFolderInside(dir, root);
  if (planted)
    throw new UsageError(
      `${flag} ${output}: its folder ${planted} is a symbolic link inside the scanned folder; refusing to write through it`,
    );
  const named = realFolderPath(abs);
  const link = lstatOrUndefined(named);
  if (link?.isSymbolicLink() && pathInsideRoot(named, root) !== undefined)
    throw new UsageError(
      `${flag} ${output}: is a symbolic link inside the scanned folder; refusing to write through it`,
    );
  if (!existsSync(abs)) return abs;
  const target = realpathSync(abs);
  const st = statSync(target);
  if (st.isDirectory()) throw new UsageError(`${flag} ${output}: is a folder, expected a file path`);
  if (pathInsideRoot(target, root) === undefined) return abs;
  const head = st.isFile() ? readFileSync(target, { encoding: "utf8" }).slice(0, 2000) : "";
  if (!AIPROV_REPORT_HEAD.test(head))
    throw new UsageError(
      `${flag} ${output}: refusing to overwrite a file inside the scanned folder that is not an aiprov report`,
    );
  return abs;
}
