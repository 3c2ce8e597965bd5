/**
 * The few error classes the CLI boundary maps to exit code 2 ("the tool could not do its job").
 * Library code throws these and never calls `process.exit` or prints (knip `src/cli.ts`, changesets).
 */

/** The command line is wrong (unknown pack, bad flag value). */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

/** A configuration, rule pack or knowledge file is invalid; `problems` lists every one as `file:path: message`. */
export class ConfigError extends Error {
  constructor(
    message: string,
    readonly problems: string[] = [],
  ) {
    super(problems.length > 0 ? `${message}\n${problems.map((p) => `  ${p}`).join("\n")}` : message);
    this.name = "ConfigError";
  }
}
