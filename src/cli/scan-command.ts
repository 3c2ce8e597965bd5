/**
 * `aiprov scan [path]`: the whole audit of a project folder.
 */
import { resolve } from "node:path";
import { Command, Option } from "commander";
import { loadConfig } from "../config/config.js";
import { UsageError } from "../errors.js";
import type { Severity } from "../model/types.js";
import { loadPacks } from "../policy/load.js";
import type { ReportFormat } from "../report/index.js";
import { loadKnowledgeBase } from "../resolve/knowledge/knowledge-base.js";
import { scan } from "../scan/scan.js";
import { setNow } from "../util/clock.js";
import type { CliIO } from "./main.js";
import { addOutputOptions, writeReports } from "./outputs.js";

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

/** Parses `--now`: an ISO 8601 date or date-time. @throws UsageError when it is not one. */
export function parseNow(value: string): Date {
  const d = new Date(value);
  if (!/^\d{4}-\d{2}-\d{2}/.test(value) || Number.isNaN(d.getTime())) throw new UsageError(`--now: '${value}' is not an ISO 8601 date (for example 2026-11-29)`);
  return d;
}

/** Registers the scan command. */
export function registerScanCommand(program: Command, io: CliIO, state: { exitCode: number }): void {
  const cmd = program
    .command("scan")
    .description("Scan a project: inventory every model and component, resolve its lineage, apply rule packs.")
    .argument("[path]", "project folder to scan", ".")
    .option("-p, --policy <pack>", "rule pack to apply: a bundled pack id or a path to a pack file (repeatable)", collect)
    .addOption(new Option("--fail-on <level>", "lowest finding severity that makes the exit code 1").choices(["error", "warning", "note", "never"]))
    .option("--offline", "make no network request (the knowledge base and local files only)")
    .option("-c, --config <file>", "configuration file (YAML or JSON); default: .aiprovrc[.yaml|.json] or aiprov.config.* in the current folder")
    .option("-k, --knowledge <dir>", "extra knowledge directory, read after the bundled one (repeatable)", collect)
    .option("--organization <name>", "a name or Hub org that counts as the applicant's own (repeatable)", collect)
    .option("--no-ignore", "do not apply .gitignore files (vendored weights are often git-ignored)")
    .option("--include <glob>", "scan only files matching this gitignore-style pattern (repeatable)", collect)
    .option("--exclude <glob>", "leave out files matching this gitignore-style pattern (repeatable)", collect)
    .option("--now <date>", "the date to evaluate against (ISO 8601); default: SOURCE_DATE_EPOCH or the clock")
    .addHelpText(
      "after",
      `
Examples:
  $ aiprov scan ../submission --policy kr-sovereign-from-scratch
  $ aiprov scan . --format json --output aiprov.json
  $ aiprov scan . --policy ./my-pack.yaml --fail-on warning --organization my-hub-org
  $ aiprov scan . --policy kr-sovereign-from-scratch --sarif-output aiprov.sarif --html-output aiprov.html --cyclonedx-output bom.json`,
    );
  addOutputOptions(cmd).action(async (path: string, opts: Record<string, unknown>) => {
      const { config } = await loadConfig(io.cwd, opts.config as string | undefined);
      if (opts.now) setNow(parseNow(opts.now as string));
      const policies = (opts.policy as string[] | undefined) ?? (config.policy === undefined ? [] : Array.isArray(config.policy) ? config.policy : [config.policy]);
      const knowledge = [...(config.knowledge ?? []), ...((opts.knowledge as string[] | undefined) ?? []).map((k) => resolve(io.cwd, k))];
      const kb = loadKnowledgeBase(knowledge);
      const packs = loadPacks(policies.map((p) => (/[\\/]|\.ya?ml$/.test(p) ? resolve(io.cwd, p) : p)));
      const format = (opts.format as ReportFormat | undefined) ?? config.format ?? "text";
      const failOn = (opts.failOn as Severity | "never" | undefined) ?? config.failOn ?? "error";
      const offline = Boolean(opts.offline) || config.offline === true || io.env.HF_HUB_OFFLINE === "1";
      const root = resolve(io.cwd, path);
      const result = await scan({
        root,
        kb,
        packs,
        parameters: config.parameters ?? {},
        failOn,
        offline,
        organization: [...(config.organization ?? []), ...((opts.organization as string[] | undefined) ?? [])],
        knowledgeDirs: knowledge,
        ...(opts.ignore === false || config.noIgnore ? { noIgnore: true } : {}),
        ...((opts.include as string[] | undefined) ?? config.include ? { include: (opts.include as string[] | undefined) ?? config.include! } : {}),
        ...((opts.exclude as string[] | undefined) ?? config.exclude ? { exclude: (opts.exclude as string[] | undefined) ?? config.exclude! } : {}),
      });
      result.root = path;
      const output = (opts.output as string | undefined) ?? config.output;
      // Every report is written before the exit code says "findings": CI uploads them either way.
      await writeReports(result, opts, format, output, io);
      state.exitCode = result.summary.verdict === "fail" ? 1 : 0;
    });
}
