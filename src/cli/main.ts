/**
 * The command line. One boundary maps errors to exit codes: 0 no finding at or above `--fail-on`, 1 findings,
 * 2 the tool could not do its job (bad usage, invalid config or pack, internal error). Nothing below this file
 * prints or exits.
 */
import { Command, CommanderError } from "commander";
import { ConfigError, UsageError } from "../errors.js";
import { TOOL_VERSION } from "../util/package-root.js";
import { redact } from "../util/redact.js";
import { registerCacheCommand } from "./cache-command.js";
import { registerCompareCommand } from "./compare-command.js";
import { registerExplainCommand } from "./explain-command.js";
import { registerFingerprintCommand } from "./fingerprint-command.js";
import { registerInitCommand } from "./init-command.js";
import { registerReportCommand } from "./report-command.js";
import { registerRulesCommand } from "./rules-command.js";
import { registerScanCommand } from "./scan-command.js";

/** Exit codes (documented in the README). */
export const EXIT = { ok: 0, findings: 1, error: 2 } as const;

/** Output streams, injectable for tests. */
export interface CliIO {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  cwd: string;
  env: NodeJS.ProcessEnv;
  isTTY: boolean;
}

/** Builds the program; each command stores its exit code in `state`. */
export function buildProgram(io: CliIO, state: { exitCode: number }): Command {
  const program = new Command();
  program
    .name("aiprov")
    .description("Provenance auditor for AI products: finds every model and model component a project uses, resolves where each comes from, and checks the lineage against policy rule packs.")
    .version(TOOL_VERSION, "-V, --version")
    .showHelpAfterError("(run with --help for usage)")
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .exitOverride();
  registerScanCommand(program, io, state);
  registerExplainCommand(program, io, state);
  registerCacheCommand(program, io, state);
  registerRulesCommand(program, io, state);
  registerInitCommand(program, io, state);
  registerReportCommand(program, io, state);
  registerCompareCommand(program, io, state);
  registerFingerprintCommand(program, io, state);
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
  const program = buildProgram(io, state);
  try {
    await program.parseAsync([...argv], { from: "user" });
    return state.exitCode;
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === "commander.helpDisplayed" || err.code === "commander.version" || err.code === "commander.help") return EXIT.ok;
      return EXIT.error;
    }
    if (err instanceof UsageError || err instanceof ConfigError) {
      io.stderr(`aiprov: ${err.message}\n`);
      return EXIT.error;
    }
    io.stderr(`aiprov: internal error: ${(err as Error)?.stack ?? String(err)}\n`);
    return EXIT.error;
  }
}
