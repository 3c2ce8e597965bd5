/**
 * `aiprov report --from <result.json>`: re-renders a saved JSON result (from `scan --format json` or
 * `--json-output`) in any format without scanning again. The input is validated against
 * `schemas/report.schema.json` first; an unreadable or invalid file exits 2 with every problem listed.
 */
import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import type { Command } from "commander";
import { ConfigError, UsageError } from "../errors.js";
import type { AuditResult } from "../model/types.js";
import type { ReportFormat } from "../report/formats.js";
import { validate } from "../util/schema.js";
import type { CliIO } from "./io.js";
import { addOutputOptions, writeReports } from "./outputs.js";

/**
 * Reads and validates a saved result. @throws UsageError when the file cannot be read or is not JSON;
 * ConfigError (with `file:/pointer: message` problems) when it does not match `report.schema.json`.
 */
export async function loadResult(file: string): Promise<AuditResult> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (err) {
    throw new UsageError(
      `--from: cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
    );
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new UsageError(
      `--from: ${file} is not JSON (${(err as Error).message}); give the output of 'aiprov scan --format json'`,
    );
  }
  const problems = validate("report.schema.json", data, file);
  if (problems.length > 0)
    throw new ConfigError(`--from: ${file} is not an aiprov JSON result (schemas/report.schema.json)`, problems);
  return data as AuditResult;
}

/** Registers the report command. */
export function registerReportCommand(program: Command, io: CliIO, state: { exitCode: number }): void {
  const cmd = program
    .command("report")
    .description("Re-render a saved JSON result (scan --format json) in another format, without scanning again.")
    .requiredOption("--from <file>", "JSON result written by 'aiprov scan --format json' or '--json-output'")
    .addHelpText(
      "after",
      `
Examples:
  $ aiprov scan . --policy kr-sovereign-from-scratch --json-output aiprov.json
  $ aiprov report --from aiprov.json --format html --output aiprov.html
  $ aiprov report --from aiprov.json --sarif-output aiprov.sarif --markdown-output summary.md`,
    );
  addOutputOptions(cmd).action(async (opts: Record<string, unknown>) => {
    const result = await loadResult(resolve(io.cwd, opts.from as string));
    await writeReports(
      result,
      opts,
      (opts.format as ReportFormat | undefined) ?? "text",
      opts.output as string | undefined,
      io,
    );
    state.exitCode = 0;
  });
}
