/**
 * The configuration file, found in the current directory only (or named with `--config`). YAML and JSON only, read
 * as text by aiprov: a JavaScript config would execute code from the repository being audited.
 *
 * Trust boundary (issue 11): a config named with `--config` is the auditor's own. A config that is found (in the
 * current folder, which in CI is the checked-out repository under audit) is the project's declaration: it may choose
 * packs, parameters, waivers, excludes and knowledge folders, but never where the Hub token goes (its `hubUrl` is
 * ignored while a token is set), never an output path, and never a knowledge folder outside its own folder. What it
 * weakens is listed in every report (see `weakenings` in scan-command.ts); `--no-project-config` ignores it.
 */
import { lstatSync, readdirSync, readFileSync, realpathSync, statSync } from "node:fs";
import { basename, dirname, extname, join, relative, resolve, sep } from "node:path";
import { yaml } from "../util/yaml.js";
import { ConfigError, UsageError } from "../errors.js";
import { validate } from "../util/schema.js";
import type { ConfigOrigin, Diagnostic, Severity } from "../model/types.js";

/** The configuration file's content (`schemas/config.schema.json`). */
export interface AiprovConfig {
  policy?: string | string[];
  organization?: string[];
  knowledge?: string[];
  format?: "text" | "json" | "sarif" | "markdown" | "html" | "cyclonedx" | "spdx" | "junit";
  output?: string;
  failOn?: Severity | "never";
  offline?: boolean;
  noIgnore?: boolean;
  include?: string[];
  exclude?: string[];
  hubUrl?: string;
  timeout?: number;
  parameters?: Record<string, Record<string, unknown>>;
  waivers?: Record<string, unknown>[];
}

/** A loaded config and where it came from. */
export interface LoadedConfig {
  config: AiprovConfig;
  file?: string;
  /** `user` for `--config`, `project` for a config found by search (untrusted). */
  origin?: ConfigOrigin;
  /** Settings of a project config that were not used, and why (warnings for the report). */
  diagnostics?: Diagnostic[];
}

/** Largest configuration, waivers, baseline or policy file aiprov reads (bytes). */
export const MAX_SETTINGS_FILE_BYTES = 8 * 1024 * 1024;

/**
 * Checks a file named on the command line (`--config`, `--waivers`, `--baseline`, `--policy`) before it is read:
 * it must be a regular file (not a FIFO or a device, which would block or never end) of at most
 * {@link MAX_SETTINGS_FILE_BYTES}. @throws UsageError naming the flag and the file. Missing files pass (the reader
 * reports them in its own words).
 */
export function checkSettingsFile(file: string, flag: string): void {
  let st;
  try {
    st = statSync(file);
  } catch {
    return;
  }
  if (!st.isFile()) throw new UsageError(`${flag} ${file}: not a regular file`);
  if (st.size > MAX_SETTINGS_FILE_BYTES)
    throw new UsageError(`${flag} ${file}: ${st.size} bytes, more than the ${MAX_SETTINGS_FILE_BYTES} aiprov reads`);
}

/** True when `path` (resolved through symbolic links) lies inside `dir` (also resolved) or is `dir`. */
function realInside(path: string, dir: string): boolean {
  try {
    const p = realpathSync(path);
    const d = realpathSync(dir);
    return p === d || p.startsWith(d.endsWith(sep) ? d : d + sep);
  } catch {
    return false;
  }
}

/**
 * Entries under `folder` (its knowledge files and their section folders, two levels) whose real path is outside
 * `dir`, as `dir`-relative paths: a knowledge folder inside the tree may still hold links out of it (break-11 B8).
 * At most 1,000 entries are looked at; an unreadable folder adds nothing (the loader names it).
 */
function linksOutOf(folder: string, dir: string): string[] {
  const out: string[] = [];
  let seen = 0;
  const visit = (at: string, depth: number): void => {
    let names: string[];
    try {
      names = readdirSync(at).sort();
    } catch {
      return;
    }
    for (const name of names) {
      if (++seen > 1000) return;
      const full = join(at, name);
      if (!realInside(full, dir)) out.push(relative(dir, full).split(sep).join("/"));
      else if (depth > 0 && statSync(full, { throwIfNoEntry: false })?.isDirectory()) visit(full, depth - 1);
    }
  };
  visit(folder, 1);
  return out;
}

/** File names searched, in order, in the current directory. */
export const CONFIG_SEARCH_PLACES = [
  ".aiprovrc",
  ".aiprovrc.json",
  ".aiprovrc.yaml",
  ".aiprovrc.yml",
  "aiprov.config.json",
  "aiprov.config.yaml",
  "aiprov.config.yml",
  "package.json",
];

/** Parses a YAML configuration text (`.aiprovrc`, `.yaml`, `.yml`). @throws ConfigError naming the file and line. */
function parseYamlConfig(file: string, content: string): unknown {
  const doc = yaml().parseDocument(content, { uniqueKeys: true });
  if (doc.errors.length > 0)
    throw new ConfigError(
      "invalid configuration file:",
      doc.errors.map((e) => `${file}:${e.linePos?.[0]?.line ?? 1}: ${e.message.split("\n")[0]}`),
    );
  try {
    return doc.toJS({ maxAliasCount: 100 }) as unknown;
  } catch (err) {
    throw new ConfigError("invalid configuration file:", [
      `${file}: ${(err as Error).message.split("\n")[0]} (too many YAML alias expansions)`,
    ]);
  }
}

/** Parses a JSON configuration text. @throws ConfigError naming the file and the parser's reason. */
function parseJsonConfig(file: string, content: string): unknown {
  try {
    return JSON.parse(content) as unknown;
  } catch (err) {
    throw new ConfigError("invalid configuration file:", [`${file}: ${(err as Error).message}`]);
  }
}

/** A configuration file read: its settings (undefined when the file is empty) and path. */
interface FoundConfig {
  config: unknown;
  filepath: string;
  isEmpty?: boolean;
}

/**
 * Reads one configuration file: JSON for `.json`, YAML otherwise; in a `package.json`, only its `aiprov` key (null
 * when it has none). JavaScript is never loaded (the files are read as text, nothing is imported or required).
 * @throws ConfigError for content that does not parse.
 */
function readConfigFile(file: string): FoundConfig | null {
  const content = readFileSync(file, "utf8");
  if (content.trim() === "") return { config: undefined, filepath: file, isEmpty: true };
  const loaded =
    extname(file).toLowerCase() === ".json" ? parseJsonConfig(file, content) : parseYamlConfig(file, content);
  if (basename(file) !== "package.json") return { config: loaded, filepath: file };
  const own = loaded !== null && typeof loaded === "object" ? (loaded as Record<string, unknown>).aiprov : undefined;
  return own === undefined || own === null ? null : { config: own, filepath: file };
}

/**
 * Loads the config: the named file, or the first of {@link CONFIG_SEARCH_PLACES} in `cwd` (an empty file, or a
 * `package.json` with no `aiprov` key, does not count). Relative `knowledge` paths are resolved against the config
 * file's folder. The files are read as YAML or JSON text by aiprov itself: no configuration loader runs (cosmiconfig,
 * used before, also searched the current folder for `.config/config.js` and executed it).
 * @throws UsageError for a JavaScript/TypeScript config or a missing named file; ConfigError for invalid content.
 */
export async function loadConfig(
  cwd: string,
  explicit?: string,
  options: { noProjectConfig?: boolean; tokenSet?: boolean } = {},
): Promise<LoadedConfig> {
  let found: FoundConfig | null;
  let searched: Diagnostic[] = [];
  if (explicit) {
    const ext = extname(explicit).toLowerCase();
    if ([".js", ".mjs", ".cjs", ".ts", ".mts", ".cts"].includes(ext))
      throw new UsageError(
        `${explicit}: JavaScript configuration is not supported (aiprov never executes code from the scanned repository); use YAML or JSON`,
      );
    checkSettingsFile(resolve(cwd, explicit), "--config");
    try {
      found = readConfigFile(resolve(cwd, explicit));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT")
        throw new UsageError(`${explicit}: configuration file not found`);
      throw err;
    }
  } else if (options.noProjectConfig) {
    return { config: {} };
  } else {
    ({ found, diagnostics: searched } = searchProjectConfig(cwd));
  }
  const origin: ConfigOrigin = explicit ? "user" : "project";
  const none = (): LoadedConfig => ({ config: {}, ...(searched.length ? { diagnostics: searched } : {}) });
  if (!found) return none();
  if (found.isEmpty) return { ...none(), file: found.filepath, origin };
  const problems = validate("config.schema.json", found.config, found.filepath);
  if (problems.length > 0) throw new ConfigError("invalid configuration file:", problems);
  const config = found.config as AiprovConfig;
  const file = found.filepath;
  const dir = dirname(file);
  if (config.knowledge) config.knowledge = config.knowledge.map((k) => resolve(dir, k));
  // Pack files named by path are relative to the config file, as knowledge folders are (bundled ids stay ids).
  const packPath = (p: string): string => (isPackPath(p) ? resolve(dir, p) : p);
  if (config.policy !== undefined)
    config.policy = Array.isArray(config.policy) ? config.policy.map(packPath) : packPath(config.policy);
  if (origin === "user") return { config, file, origin };
  const confined = confineProjectConfig(config, file, options.tokenSet ?? false);
  return { ...confined, diagnostics: [...searched, ...confined.diagnostics], file, origin };
}

/** A project-config candidate that is not read, with the words for the diagnostic (or undefined when it may be read). */
function refusedCandidate(candidate: string, cwd: string): string | undefined {
  const st = lstatSync(candidate);
  // A link to a file outside the project folder would read (and echo into reports) a file the project does not hold.
  if (st.isSymbolicLink() && !realInside(candidate, cwd))
    return "a symbolic link to a file outside the project folder (or a dangling one): not read";
  return undefined;
}

/**
 * The project config in `cwd`: the first of {@link CONFIG_SEARCH_PLACES} that holds settings. Each candidate is
 * checked before it is read: a bounded regular file (a FIFO would block the read; @throws ConfigError), not a link
 * out of the folder (refused with a diagnostic naming it; the scan runs with no project config). A `package.json`
 * that does not parse is an npm manifest first: a diagnostic names it and the search goes on without it.
 */
function searchProjectConfig(cwd: string): { found: FoundConfig | null; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const ignored = (file: string, why: string): void =>
    void diagnostics.push({
      code: "project-config-ignored",
      severity: "warning",
      message: `${why}; the scan runs with no project configuration from it`,
      location: { file },
    });
  for (const name of CONFIG_SEARCH_PLACES) {
    const candidate = resolve(cwd, name);
    let refused: string | undefined;
    try {
      refused = refusedCandidate(candidate, cwd);
    } catch {
      continue;
    }
    if (refused) {
      ignored(candidate, refused);
      return { found: null, diagnostics };
    }
    let st;
    try {
      st = statSync(candidate);
    } catch {
      continue;
    }
    if (!st.isFile()) throw new ConfigError("invalid configuration file:", [`${candidate}: not a regular file`]);
    if (st.size > MAX_SETTINGS_FILE_BYTES)
      throw new ConfigError("invalid configuration file:", [
        `${candidate}: ${st.size} bytes, more than the ${MAX_SETTINGS_FILE_BYTES} aiprov reads`,
      ]);
    let found: FoundConfig | null;
    try {
      found = readConfigFile(candidate);
    } catch (err) {
      if (name !== "package.json" || !(err instanceof ConfigError)) throw err;
      const reasons = err.problems.map((p) => (p.startsWith(`${candidate}: `) ? p.slice(candidate.length + 2) : p));
      ignored(candidate, `not valid JSON (${reasons.join("; ")})`);
      continue;
    }
    if (found && !found.isEmpty) return { found, diagnostics };
  }
  return { found: null, diagnostics };
}

/** True for a `policy` entry naming a pack file (a path, or a `.yaml` name), not a bundled pack id. */
function isPackPath(p: string): boolean {
  return /[\\/]|\.ya?ml$/.test(p);
}

/**
 * Applies the trust boundary to a config the project holds: drops `output`, a `hubUrl` while a token is set, and
 * pack files and knowledge folders outside the config's folder, each with a warning diagnostic naming the file.
 */
function confineProjectConfig(
  config: AiprovConfig,
  file: string,
  tokenSet: boolean,
): { config: AiprovConfig; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const out: AiprovConfig = { ...config };
  const dir = dirname(file);
  const at = (pointer: string) => ({ file, pointer });
  if (out.output !== undefined) {
    diagnostics.push({
      code: "project-config-ignored",
      severity: "warning",
      message: `output '${out.output}' ignored: a configuration found in the project never chooses where reports are written (use --output or --config)`,
      location: at("/output"),
    });
    delete out.output;
  }
  if (out.hubUrl !== undefined && tokenSet) {
    diagnostics.push({
      code: "project-config-ignored",
      severity: "warning",
      message: `hubUrl '${out.hubUrl}' ignored: a configuration found in the project never chooses where the Hub token is sent (use --hub-url, HF_ENDPOINT or --config)`,
      location: at("/hubUrl"),
    });
    delete out.hubUrl;
  }
  if (out.policy !== undefined) {
    // Pack files it names (paths; bundled ids stay ids) are read only inside its folder, as knowledge folders are.
    const all = [out.policy].flat();
    const kept = all.filter((p, i) => {
      if (!isPackPath(p) || realInside(p, dir)) return true;
      diagnostics.push({
        code: "project-config-ignored",
        severity: "warning",
        message: `policy file '${p}' ignored: a configuration found in the project reads only inside its own folder`,
        location: at(Array.isArray(out.policy) ? `/policy/${i}` : "/policy"),
      });
      return false;
    });
    if (kept.length !== all.length) {
      if (kept.length > 0) out.policy = kept;
      else delete out.policy;
    }
  }
  if (out.knowledge) {
    const kept: string[] = [];
    out.knowledge.forEach((k, i) => {
      const outside = realInside(k, dir) ? linksOutOf(k, dir) : [];
      if (outside.length > 0)
        diagnostics.push({
          code: "project-config-ignored",
          severity: "warning",
          message: `knowledge folder '${k}' ignored: it holds links out of the configuration's folder (${outside.join(", ")}); a configuration found in the project reads only inside its own folder`,
          location: at(`/knowledge/${i}`),
        });
      else if (realInside(k, dir)) kept.push(k);
      else
        diagnostics.push({
          code: "project-config-ignored",
          severity: "warning",
          message: `knowledge folder '${k}' ignored: a configuration found in the project reads only inside its own folder`,
          location: at(`/knowledge/${i}`),
        });
    });
    out.knowledge = kept;
  }
  return { config: out, diagnostics };
}
