/**
 * The configuration file, found with cosmiconfig in the current directory only (or named with `--config`).
 * YAML and JSON only: a JavaScript config would execute code from the repository being audited.
 *
 * Trust boundary (issue 11): a config named with `--config` is the auditor's own. A config that is found (in the
 * current folder, which in CI is the checked-out repository under audit) is the project's declaration: it may choose
 * packs, parameters, waivers, excludes and knowledge folders, but never where the Hub token goes (its `hubUrl` is
 * ignored while a token is set), never an output path, and never a knowledge folder outside its own folder. What it
 * weakens is listed in every report (see `weakenings` in scan-command.ts); `--no-project-config` ignores it.
 */
import { readFileSync, realpathSync, statSync } from "node:fs";
import { dirname, extname, resolve, sep } from "node:path";
import type { Loader } from "cosmiconfig";
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

/** A cosmiconfig explorer. */
type Explorer = ReturnType<typeof import("cosmiconfig").cosmiconfig>;

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

const yamlLoader: Loader = (file, content) => {
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
};
const jsonLoader: Loader = (file, content) => {
  try {
    return JSON.parse(content) as unknown;
  } catch (err) {
    throw new ConfigError("invalid configuration file:", [`${file}: ${(err as Error).message}`]);
  }
};

/**
 * Loads the config: the named file, or the first of {@link CONFIG_SEARCH_PLACES} in `cwd`.
 * Relative `knowledge` paths are resolved against the config file's folder.
 * @throws UsageError for a JavaScript/TypeScript config or a missing named file; ConfigError for invalid content.
 */
export async function loadConfig(
  cwd: string,
  explicit?: string,
  options: { noProjectConfig?: boolean; tokenSet?: boolean } = {},
): Promise<LoadedConfig> {
  // cosmiconfig (with its parsers) is loaded only when there is a file to read: most scans have no config file.
  const explorer = async (): Promise<Explorer> =>
    (await import("cosmiconfig")).cosmiconfig("aiprov", {
      searchPlaces: CONFIG_SEARCH_PLACES,
      searchStrategy: "none",
      loaders: {
        ".json": jsonLoader,
        ".yaml": yamlLoader,
        ".yml": yamlLoader,
        noExt: yamlLoader,
        ".js": refuse,
        ".mjs": refuse,
        ".cjs": refuse,
        ".ts": refuse,
        ".mts": refuse,
        ".cts": refuse,
      },
      cache: false,
    });
  let found: { config: unknown; filepath: string; isEmpty?: boolean } | null;
  if (explicit) {
    const ext = extname(explicit).toLowerCase();
    if ([".js", ".mjs", ".cjs", ".ts", ".mts", ".cts"].includes(ext))
      throw new UsageError(
        `${explicit}: JavaScript configuration is not supported (aiprov never executes code from the scanned repository); use YAML or JSON`,
      );
    checkSettingsFile(resolve(cwd, explicit), "--config");
    try {
      found = await (await explorer()).load(resolve(cwd, explicit));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT")
        throw new UsageError(`${explicit}: configuration file not found`);
      throw err;
    }
  } else if (options.noProjectConfig) {
    return { config: {} };
  } else {
    found = await searchBounded(explorer, cwd);
  }
  const origin: ConfigOrigin = explicit ? "user" : "project";
  if (!found || found.isEmpty) return found ? { config: {}, file: found.filepath, origin } : { config: {} };
  const problems = validate("config.schema.json", found.config, found.filepath);
  if (problems.length > 0) throw new ConfigError("invalid configuration file:", problems);
  const config = found.config as AiprovConfig;
  const file = found.filepath;
  const dir = dirname(file);
  if (config.knowledge) config.knowledge = config.knowledge.map((k) => resolve(dir, k));
  // Pack files named by path are relative to the config file, as knowledge folders are (bundled ids stay ids).
  const packPath = (p: string): string => (/[\\/]|\.ya?ml$/.test(p) ? resolve(dir, p) : p);
  if (config.policy !== undefined)
    config.policy = Array.isArray(config.policy) ? config.policy.map(packPath) : packPath(config.policy);
  if (origin === "user") return { config, file, origin };
  return { ...confineProjectConfig(config, file, options.tokenSet ?? false), file, origin };
}

/** cosmiconfig's search, after checking each candidate is a bounded regular file (a FIFO would block the read). */
async function searchBounded(explorer: () => Promise<Explorer>, cwd: string): ReturnType<Explorer["search"]> {
  let any = false;
  for (const name of CONFIG_SEARCH_PLACES) {
    const candidate = resolve(cwd, name);
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
    // A package.json holds a configuration only under an "aiprov" key: without the word (or a JSON escape that could
    // spell it), there is nothing to load.
    const text = name === "package.json" ? readFileSync(candidate, "latin1") : undefined;
    if (text === undefined || text.includes('"aiprov"') || text.includes("\\u")) any = true;
  }
  return any ? (await explorer()).search(cwd) : null;
}

/**
 * Applies the trust boundary to a config the project holds: drops `output`, a `hubUrl` while a token is set, and
 * knowledge folders outside the config's folder, each with a warning diagnostic naming the file.
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
  if (out.knowledge) {
    const kept: string[] = [];
    out.knowledge.forEach((k, i) => {
      if (realInside(k, dir)) kept.push(k);
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

const refuse: Loader = (file) => {
  throw new UsageError(
    `${file}: JavaScript configuration is not supported (aiprov never executes code from the scanned repository); use YAML or JSON`,
  );
};
