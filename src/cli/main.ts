/**
 * The command line. One boundary maps errors to exit codes: 0 no finding at or above `--fail-on`, 1 findings,
 * 2 the tool could not do its job (bad usage, invalid config or pack, internal error). Nothing below this file
 * prints or exits.
 */
import { Command, CommanderError } from "commander";
import { ConfigError, UsageError } from "../errors.js";
import { TOOL_VERSION } from "../util/package-root.js";
import { redact } from "../util/redact.js";

/** Exit codes (documented in the README). */
export const EXIT = { ok: 0, findings: 1, error: 2 } as const;

export type { CliIO } from "./io.js";
import type { CliIO } from "./io.js";

type Register = (program: Command, io: CliIO, state: { exitCode: number }) => void;

/**
 * The commands, in `--help` order, each loaded on demand: a run loads only the modules of the command it names (a
 * scan never loads the fingerprint comparison, an `--version` loads nothing), which keeps start-up short in CI.
 */
const COMMANDS: readonly [string, () => Promise<Register>][] = [
  ["scan", async () => (await import("./scan-command.js")).registerScanCommand],
  ["explain", async () => (await import("./explain-command.js")).registerExplainCommand],
  ["cache", async () => (await import("./cache-command.js")).registerCacheCommand],
  ["rules", async () => (await import("./rules-command.js")).registerRulesCommand],
  ["init", async () => (await import("./init-command.js")).registerInitCommand],
  ["report", async () => (await import("./report-command.js")).registerReportCommand],
  ["compare", async () => (await import("./compare-command.js")).registerCompareCommand],
  ["fingerprint", async () => (await import("./fingerprint-command.js")).registerFingerprintCommand],
];

/**
 * Builds the program; each command stores its exit code in `state`. With `argv`, only the command it names is
 * registered (all of them when it names none, for `--help`, `help` and unknown commands).
 */
export async function buildProgram(io: CliIO, state: { exitCode: number }, argv?: readonly string[]): Promise<Command> {
  const program = new Command();
  program
    .name("aiprov")
    .description(
      "Provenance auditor for AI products: finds every model and model component a project uses, resolves where each comes from, and checks the lineage against policy rule packs.",
    )
    .version(TOOL_VERSION, "-V, --version")
    .showHelpAfterError("(run with --help for usage)")
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .exitOverride();
  const named = COMMANDS.find(([name]) => name === argv?.[0]);
  if (argv && argv.length > 0 && argv.every((a) => a === "-V" || a === "--version")) return program;
  for (const [, load] of named ? [named] : COMMANDS) (await load())(program, io, state);
  program.addHelpText(
    "after",
    `
Exit codes:
  0  no finding at or above --fail-on
  1  findings at or above --fail-on
  2  aiprov could not do its job (bad usage, invalid config or rule pack, internal error)

Examples:
  $ aiprov scan . --policy kr-sovereign-from-scratch
  $ aiprov scan ./submission --policy kr-sovereign-from-scratch --format json --output audit.json`,
  );
  return program;
}

/** Runs the CLI and returns the exit code. */
export async function run(argv: readonly string[], rawIo: CliIO): Promise<number> {
  // The last line of defence: nothing printed carries a known secret (the Hub token) or a secret-shaped string.
  const io: CliIO = { ...rawIo, stdout: (t) => rawIo.stdout(redact(t)), stderr: (t) => rawIo.stderr(redact(t)) };
  const state = { exitCode: EXIT.ok as number };
  try {
    const program = await buildProgram(io, state, argv);
    if (argv.length === 0) {
      // Like git: no arguments prints the usage on stdout and exits as a usage error.
      io.stdout(program.helpInformation());
      return EXIT.error;
    }
    const group = argv.length === 1 ? program.commands.find((c) => c.name() === argv[0]) : undefined;
    if (group && group.commands.length > 0) {
      // A command group without its subcommand (`aiprov rules`): the same, with the group's usage.
      io.stdout(group.helpInformation());
      return EXIT.error;
    }
    await program.parseAsync([...argv], { from: "user" });
    return state.exitCode;
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === "commander.helpDisplayed" || err.code === "commander.version" || err.code === "commander.help")
        return EXIT.ok;
      return EXIT.error;
    }
    if (err instanceof UsageError || err instanceof ConfigError) {
      io.stderr(`aiprov: ${err.message}\n`);
      return EXIT.error;
    }
    // One clear line, the reason included (a message's later lines joined, never dropped); the stack only on
    // request (AIPROV_DEBUG=1), for a bug report.
    const reason = (err instanceof Error ? err.message : String(err))
      .split("\n")
      .map((l) => l.trim())
      .filter((l) => l !== "")
      .join(" ");
    io.stderr(`aiprov: internal error: ${reason}${rawIo.env.AIPROV_DEBUG ? `\n${(err as Error)?.stack ?? ""}` : ""}\n`);
    return EXIT.error;
  }
}
