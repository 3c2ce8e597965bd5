/**
 * Report outputs shared by `scan` and `report`: the main `--format`/`--output` pair and one `--<format>-output <file>`
 * flag per format (as Semgrep's `--sarif-output`, `--json-output`), so one run writes every report a pipeline needs.
 */
import { writeFile } from "node:fs/promises";
import { resolve } from "node:path";
import { type Command, Option } from "commander";
import { UsageError } from "../errors.js";
import type { AuditResult } from "../model/types.js";
import { loadRenderer, OUTPUT_FLAGS, REPORT_FORMATS, type ReportFormat } from "../report/formats.js";
import type { CliIO } from "./io.js";

/** Adds `--format`, `--output` and the per-format output flags to a command. */
export function addOutputOptions(cmd: Command): Command {
  cmd.addOption(
    new Option("-f, --format <format>", "report format on stdout or --output").choices([...REPORT_FORMATS]),
  );
  cmd.option("-o, --output <file>", "write the --format report to a file instead of stdout");
  for (const o of OUTPUT_FLAGS) cmd.option(o.flag, `also write ${o.what} to <file>`);
  cmd.option(
    "-v, --verbose",
    "text report: every row, finding, place and piece of evidence, and the lineage tree (default: cut lists with +N more; JSON always has everything)",
  );
  cmd.option(
    "--sarif-category <name>",
    "code-scanning category written as the SARIF runAutomationDetails.id (default: aiprov; keep it stable so fixed alerts close)",
  );
  return cmd;
}

/**
 * Writes the main report (to `output`, else stdout) and every per-format file that was asked for, relative to the
 * current folder. @throws UsageError naming the flag and file when a file cannot be written (missing folder,
 * permissions).
 */
export async function writeReports(
  result: AuditResult,
  opts: Record<string, unknown>,
  format: ReportFormat,
  output: string | undefined,
  io: CliIO,
  mode: { quiet?: boolean } = {},
): Promise<void> {
  const renderOptions = {
    verbose: opts.verbose === true,
    ...(opts.sarifCategory !== undefined ? { sarifCategory: opts.sarifCategory as string } : {}),
  };
  const write = async (flag: string, file: string, text: string): Promise<void> => {
    try {
      await writeFile(resolve(io.cwd, file), text);
    } catch (err) {
      throw new UsageError(
        `${flag} ${file}: cannot write the report (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`,
      );
    }
  };
  for (const o of OUTPUT_FLAGS) {
    const file = opts[o.key] as string | undefined;
    if (file) await write(o.flag.split(" ")[0]!, file, await renderLazily(result, o.format, renderOptions));
  }
  const color = !output && format === "text" && useColor(io);
  const text = await renderLazily(result, format, { ...renderOptions, color });
  if (output) await write("--output", output, text);
  else if (!mode.quiet) io.stdout(text);
  if (mode.quiet) {
    // --quiet: the text report's verdict line only (the report itself, if asked for, went to --output).
    const textReport =
      format === "text" && !output ? text : await renderLazily(result, "text", { color: useColor(io) });
    io.stdout(
      `${textReport.split("\n").find((l) => l.includes("Verdict:")) ?? `Verdict: ${result.summary.verdict}`}\n`,
    );
  }
}

/**
 * Whether stdout gets ANSI colour: `FORCE_COLOR` (any value but `0`/`false`) forces it, as chalk and Node do;
 * else `NO_COLOR` (https://no-color.org) turns it off; else colour when stdout is a terminal.
 */
export function useColor(io: CliIO): boolean {
  const force = io.env.FORCE_COLOR;
  if (force !== undefined) return !/^(0|false)$/i.test(force);
  if (io.env.NO_COLOR !== undefined && io.env.NO_COLOR !== "") return false;
  return io.isTTY;
}

/** Renders one report, loading only that format's renderer (the CycloneDX library and the HTML layout are large). */
async function renderLazily(
  result: AuditResult,
  format: ReportFormat,
  options: { color?: boolean; verbose?: boolean; sarifCategory?: string } = {},
): Promise<string> {
  return (await loadRenderer(format))(result, options);
}
