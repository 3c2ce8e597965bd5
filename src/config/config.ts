/**
 * The configuration file, found with cosmiconfig in the current directory only (or named with `--config`).
 * YAML and JSON only: a JavaScript config would execute code from the repository being audited.
 */
import { dirname, extname, resolve } from "node:path";
import { cosmiconfig, type Loader } from "cosmiconfig";
import { parseDocument } from "yaml";
import { ConfigError, UsageError } from "../errors.js";
import { validate } from "../util/schema.js";
import type { Severity } from "../model/types.js";

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
}

/** File names searched, in order, in the current directory. */
export const CONFIG_SEARCH_PLACES = [".aiprovrc", ".aiprovrc.json", ".aiprovrc.yaml", ".aiprovrc.yml", "aiprov.config.json", "aiprov.config.yaml", "aiprov.config.yml", "package.json"];

const yamlLoader: Loader = (file, content) => {
  const doc = parseDocument(content, { uniqueKeys: true });
  if (doc.errors.length > 0) throw new ConfigError("invalid configuration file:", doc.errors.map((e) => `${file}:${e.linePos?.[0]?.line ?? 1}: ${e.message.split("\n")[0]}`));
  try {
    return doc.toJS({ maxAliasCount: 100 }) as unknown;
  } catch (err) {
    throw new ConfigError("invalid configuration file:", [`${file}: ${(err as Error).message.split("\n")[0]} (too many YAML alias expansions)`]);
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
export async function loadConfig(cwd: string, explicit?: string): Promise<LoadedConfig> {
  const explorer = cosmiconfig("aiprov", {
    searchPlaces: CONFIG_SEARCH_PLACES,
    searchStrategy: "none",
    loaders: { ".json": jsonLoader, ".yaml": yamlLoader, ".yml": yamlLoader, noExt: yamlLoader, ".js": refuse, ".mjs": refuse, ".cjs": refuse, ".ts": refuse, ".mts": refuse, ".cts": refuse },
    cache: false,
  });
  let found: { config: unknown; filepath: string; isEmpty?: boolean } | null;
  if (explicit) {
    const ext = extname(explicit).toLowerCase();
    if ([".js", ".mjs", ".cjs", ".ts", ".mts", ".cts"].includes(ext)) throw new UsageError(`${explicit}: JavaScript configuration is not supported (aiprov never executes code from the scanned repository); use YAML or JSON`);
    try {
      found = await explorer.load(resolve(cwd, explicit));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT") throw new UsageError(`${explicit}: configuration file not found`);
      throw err;
    }
  } else {
    found = await explorer.search(cwd);
  }
  if (!found || found.isEmpty) return found ? { config: {}, file: found.filepath } : { config: {} };
  const problems = validate("config.schema.json", found.config, found.filepath);
  if (problems.length > 0) throw new ConfigError("invalid configuration file:", problems);
  const config = found.config as AiprovConfig;
  if (config.knowledge) config.knowledge = config.knowledge.map((k) => resolve(dirname(found!.filepath), k));
  // Pack files named by path are relative to the config file, as knowledge folders are (bundled ids stay ids).
  const packPath = (p: string): string => (/[\\/]|\.ya?ml$/.test(p) ? resolve(dirname(found!.filepath), p) : p);
  if (config.policy !== undefined) config.policy = Array.isArray(config.policy) ? config.policy.map(packPath) : packPath(config.policy);
  return { config, file: found.filepath };
}

const refuse: Loader = (file) => {
  throw new UsageError(`${file}: JavaScript configuration is not supported (aiprov never executes code from the scanned repository); use YAML or JSON`);
};
