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
  cmd.addOption(new Option("-f, --format <format>", "report format on stdout or --output").choices([...REPORT_FORMATS]));
  cmd.option("-o, --output <file>", "write the --format report to a file instead of stdout");
  for (const o of OUTPUT_FLAGS) cmd.option(o.flag, `also write ${o.what} to <file>`);
  return cmd;
}

/**
 * Writes the main report (to `output`, else stdout) and every per-format file that was asked for, relative to the
 * current folder. @throws UsageError naming the flag and file when a file cannot be written (missing folder,
 * permissions).
 */
export async function writeReports(result: AuditResult, opts: Record<string, unknown>, format: ReportFormat, output: string | undefined, io: CliIO): Promise<void> {
  const write = async (flag: string, file: string, text: string): Promise<void> => {
    try {
      await writeFile(resolve(io.cwd, file), text);
    } catch (err) {
      throw new UsageError(`${flag} ${file}: cannot write the report (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
    }
  };
  for (const o of OUTPUT_FLAGS) {
    const file = opts[o.key] as string | undefined;
    if (file) await write(o.flag.split(" ")[0]!, file, await renderLazily(result, o.format));
  }
  const color = !output && io.isTTY && !io.env.NO_COLOR && format === "text";
  const text = await renderLazily(result, format, { color });
  if (output) await write("--output", output, text);
  else io.stdout(text);
}

/** Renders one report, loading only that format's renderer (the CycloneDX library and the HTML layout are large). */
async function renderLazily(result: AuditResult, format: ReportFormat, options: { color?: boolean } = {}): Promise<string> {
  return (await loadRenderer(format))(result, options);
}
