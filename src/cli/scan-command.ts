/**
 * `aiprov scan [path]`: the whole audit of a project folder.
 */
import { readdirSync, statSync } from "node:fs";
import { relative, resolve, sep } from "node:path";
import { Command, Option } from "commander";
import { checkSettingsFile, loadConfig, type AiprovConfig } from "../config/config.js";
import { ConfigError, UsageError } from "../errors.js";
import type { AuditWeakening, ConfigOrigin, Diagnostic, Severity } from "../model/types.js";
import { loadPacks, parameterProblems } from "../policy/load.js";
import { loadBaseline } from "../policy/baseline.js";
import type { RulePack } from "../policy/types.js";
import { loadWaiversFile, waiversFromConfig, type LoadedWaiver } from "../policy/waivers.js";
import { OUTPUT_FLAGS, type ReportFormat } from "../report/formats.js";
import { loadKnowledgeBase, type KnowledgeBase } from "../resolve/knowledge/knowledge-base.js";
import { scan, type ScanOptions } from "../scan/scan.js";
import { setNow } from "../util/clock.js";
import { checkOutputPath, pathInsideRoot, type CliIO } from "./io.js";
import { addHubOptions, hubSettings, makeResolver } from "./hub-options.js";
import { scanProgress } from "./progress.js";
import { addOutputOptions, writeReports } from "./outputs.js";
import { collect, parseByteSize } from "./options.js";
import { FAIL_ON_CHOICES, resultVerdict } from "../policy/verdict.js";
import { aiprovCacheDir, DiskCache } from "../resolve/hub/cache.js";
import { DEFAULT_HUB_URL } from "../resolve/hub/endpoint.js";
import { DEFAULT_WEIGHT_BUDGET } from "../fingerprint/settle.js";

/** Parses `--jobs`: a whole number from 1 to 64. @throws UsageError otherwise. */
export function parseJobs(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || n < 1 || n > 64)
    throw new UsageError(`--jobs: '${value}' is not a whole number from 1 to 64`);
  return n;
}

/**
 * Parses `--now`: an ISO 8601 calendar date (`2026-11-29` or `20261129`) or date-time (`2026-11-29T12:00:00Z`).
 * @throws UsageError when it is not one, or names a day that does not exist (2026-02-30).
 */
export function parseNow(value: string): Date {
  const m = /^(\d{4})-?(\d{2})-?(\d{2})(T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/.exec(value.trim());
  const bad = () =>
    new UsageError(`--now: '${value}' is not an ISO 8601 date (for example 2026-11-29 or 2026-11-29T12:00:00Z)`);
  if (!m) throw bad();
  const [, y, mo, d, time] = m as unknown as [string, string, string, string, string | undefined];
  const date = new Date(`${y}-${mo}-${d}${time ?? "T00:00:00Z"}`);
  if (Number.isNaN(date.getTime())) throw bad();
  const check = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d)));
  if (
    check.getUTCFullYear() !== Number(y) ||
    check.getUTCMonth() !== Number(mo) - 1 ||
    check.getUTCDate() !== Number(d)
  )
    throw bad();
  return date;
}

/** Registers the scan command. */
export function registerScanCommand(program: Command, io: CliIO, state: { exitCode: number }): void {
  const cmd = program
    .command("scan")
    .description("Scan a project: inventory every model and component, resolve its lineage, apply rule packs.")
    .argument("[path]", "project folder to scan", ".")
    .option(
      "-p, --policy <pack>",
      "rule pack to apply: a bundled pack id or a path to a pack file (repeatable)",
      collect,
    )
    .addOption(
      new Option("--fail-on <level>", "lowest finding severity that makes the exit code 1").choices([
        ...FAIL_ON_CHOICES,
      ]),
    )
    .option("--offline", "make no network request (the knowledge base and local files only; also HF_HUB_OFFLINE=1)")
    .option(
      "-c, --config <file>",
      "configuration file (YAML or JSON), trusted; default: .aiprovrc[.yaml|.json], aiprov.config.* or package.json#aiprov in the current folder, read as the project's own (it never chooses the Hub endpoint while a token is set, output paths, or knowledge outside its folder, and what it weakens is listed in the report)",
    )
    .option(
      "--no-project-config",
      "ignore every configuration file found in the current folder (an auditor's run: the policy comes from the flags and --config only)",
    )
    .option("-k, --knowledge <dir>", "extra knowledge directory, read after the bundled one (repeatable)", collect)
    .option("--organization <name>", "a name or Hub org that counts as the applicant's own (repeatable)", collect)
    .option("--no-ignore", "do not apply .gitignore files (vendored weights are often git-ignored)")
    .option(
      "--include-test-code",
      "judge models named only by test or benchmark code (tests/, test_*.py, *.spec.ts, conftest.py, benchmarks/) with the rule packs too; by default they are listed with scope test and raise no finding",
    )
    .option(
      "-j, --jobs <n>",
      "threads that read and parse files on large trees, the main thread included (default: the usable cores, at most 3; never more than the cores; 1: no worker threads)",
      parseJobs,
    )
    .option("--include <glob>", "scan only files matching this gitignore-style pattern (repeatable)", collect)
    .option("--exclude <glob>", "leave out files matching this gitignore-style pattern (repeatable)", collect)
    .option("--now <date>", "the date to evaluate against (ISO 8601); default: SOURCE_DATE_EPOCH or the clock")
    .option(
      "--waivers <file>",
      "waivers file (YAML or JSON, schemas/waivers.schema.json), added to the config file's waivers",
    )
    .option("--baseline <report>", "a previous JSON report: only findings not in it can fail the scan")
    .option(
      "-q, --quiet",
      "print only the verdict line on stdout and no progress (reports named by --*-output are still written)",
    )
    .option(
      "--weight-budget <size>",
      "most bytes read from the Hub to compare local weights with an upstream's, for the whole scan (e.g. 500MB, 2GiB; 0: compare none; default 2GiB)",
      (v: string) => {
        try {
          return parseByteSize(v);
        } catch (err) {
          throw new UsageError(`--weight-budget: ${(err as Error).message}`);
        }
      },
    );
  addOutputOptions(addHubOptions(cmd))
    .addHelpText(
      "after",
      `
Examples:
  $ aiprov scan ../submission --policy kr-sovereign-from-scratch
  $ aiprov scan . --format json --output aiprov.json
  $ aiprov scan . --policy ./my-pack.yaml --fail-on warning --organization my-hub-org
  $ aiprov scan . --policy us-covered-adversary --waivers waivers.yaml --now 2026-06-01
  $ aiprov scan . --policy licence-duties --baseline previous.json   # fail only on new findings
  $ aiprov scan ./submission --policy kr-sovereign-from-scratch --weight-budget 500MB   # settle configuration matches with the weights
  $ aiprov scan . --policy kr-sovereign-from-scratch --sarif-output aiprov.sarif --html-output aiprov.html --cyclonedx-output bom.json`,
    )
    .action(async (path: string, opts: Record<string, unknown>) => {
      state.exitCode = await runScan(path, opts, io);
    });
}

type Opts = Record<string, unknown>;

/** The scan command's run: settings, policy inputs, outputs, the scan, the reports; returns the exit code. */
async function runScan(path: string, opts: Opts, io: CliIO): Promise<number> {
  const settings = await loadRunSettings(opts, io);
  const { config, configFile } = settings;
  const inputs = loadPolicyInputs(opts, io, settings);
  const format = (opts.format as ReportFormat | undefined) ?? config.format ?? "text";
  const failOn = (opts.failOn as Severity | "never" | undefined) ?? config.failOn ?? "error";
  const hub = hubSettings(opts, io.env, config);
  if (opts.quiet && opts.verbose) throw new UsageError("--quiet and --verbose cannot be used together");
  const progress = scanProgress(io, {
    stderrIsTTY: io.stderrIsTTY ?? false,
    verbosity: opts.quiet ? "quiet" : opts.verbose ? "verbose" : "normal",
  });
  const resolver = await makeResolver(inputs.kb, hub, io.env, { onProgress: progress.onHub });
  const root = resolve(io.cwd, path);
  checkScanRoot(root, path);
  const outputs = checkOutputs(opts, io, config.output, root);
  const weakenings = listWeakenings({
    opts,
    config,
    configFile,
    configOrigin: settings.configOrigin,
    waivers: inputs.waivers,
    packs: inputs.packs,
    kb: inputs.kb,
    failOn,
    hubUrlFromConfig:
      config.hubUrl !== undefined && opts.hubUrl === undefined && io.env.HF_ENDPOINT === undefined && !hub.offline,
  });
  // AIPROV_TIMING=1 prints each stage's wall time on stderr (as ESLint's TIMING=1), for performance reports.
  const timing: [string, number][] | undefined = io.env.AIPROV_TIMING ? [] : undefined;
  let extracted = "";
  const started = performance.now();
  const result = await scan({
    ...scanOptions(path, root, opts, io, {
      ...settings,
      ...inputs,
      failOn,
      hub,
      resolver,
      ownFiles: outputs.ownFiles,
      weakenings,
    }),
    onStage: (name: string, ms: number) => {
      timing?.push([name, ms]);
      progress.onStage(name, ms);
    },
    onExtracted: (s) =>
      (extracted = `files    ${s.filesScanned} read by an extractor, ${s.filesParsed} parsed as code\n`),
    onFileListed: progress.onFile,
  }).finally(() => progress.stop());
  result.root = path;
  // Every report is written before the exit code says "findings": CI uploads them either way.
  await writeReports(result, opts, format, outputs.output, io, { quiet: Boolean(opts.quiet) });
  if (timing)
    io.stderr(
      `${[...timing, ["report", performance.now() - started - timing.reduce((a, [, ms]) => a + ms, 0)] as [string, number]].map(([n, ms]) => `${n.padEnd(9)} ${ms.toFixed(0).padStart(6)} ms`).join("\n")}\n${extracted}`,
    );
  return resultVerdict(result) === "fail" ? 1 : 0;
}

/** The configuration file and the run's own settings (`--now`, SOURCE_DATE_EPOCH), checked. @throws UsageError, ConfigError. */
async function loadRunSettings(
  opts: Opts,
  io: CliIO,
): Promise<{
  config: AiprovConfig;
  configFile: string | undefined;
  configOrigin: ConfigOrigin;
  configDiagnostics: Diagnostic[];
}> {
  const tokenSet = Boolean((opts.token as string | undefined) ?? io.env.HF_TOKEN ?? io.env.HUGGING_FACE_HUB_TOKEN);
  const loaded = await loadConfig(io.cwd, opts.config as string | undefined, {
    noProjectConfig: opts.projectConfig === false,
    tokenSet,
  });
  for (const [flag, key] of [
    ["--waivers", "waivers"],
    ["--baseline", "baseline"],
  ] as const)
    if (opts[key]) checkSettingsFile(resolve(io.cwd, opts[key] as string), flag);
  if (opts.now !== undefined) setNow(parseNow(opts.now as string));
  const epoch = io.env.SOURCE_DATE_EPOCH;
  if (epoch !== undefined && epoch !== "" && !/^\d+$/.test(epoch))
    throw new UsageError(`SOURCE_DATE_EPOCH='${epoch}' is not a whole number of seconds since 1970-01-01`);
  return {
    config: loaded.config,
    configFile: loaded.file,
    configOrigin: loaded.origin ?? "user",
    configDiagnostics: loaded.diagnostics ?? [],
  };
}

/**
 * The knowledge base, rule packs, waivers and baseline. Every problem with packs, parameters and waivers is reported
 * at once, before any scanning. @throws ConfigError listing them.
 */
function loadPolicyInputs(
  opts: Opts,
  io: CliIO,
  settings: { config: AiprovConfig; configFile: string | undefined },
): {
  knowledge: string[];
  kb: KnowledgeBase;
  packs: RulePack[];
  waivers: LoadedWaiver[];
  baseline: { file: string; fingerprints: ReadonlySet<string> } | undefined;
} {
  const { config, configFile } = settings;
  const policies = [
    ...new Set(
      (opts.policy as string[] | undefined) ??
        (config.policy === undefined ? [] : Array.isArray(config.policy) ? config.policy : [config.policy]),
    ),
  ];
  const knowledge = [
    ...(config.knowledge ?? []),
    ...((opts.knowledge as string[] | undefined) ?? []).map((k) => resolve(io.cwd, k)),
  ];
  const kb = loadKnowledgeBase(knowledge);
  const problems: string[] = [];
  const collectProblems = <T>(load: () => T, fallback: T): T => {
    try {
      return load();
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      problems.push(...err.problems);
      return fallback;
    }
  };
  const packs = collectProblems(() => {
    const named = policies.map((p) => (/[\\/]|\.ya?ml$/.test(p) ? resolve(io.cwd, p) : p));
    for (const p of named) if (p.includes("/") || p.includes("\\")) checkSettingsFile(p, "--policy");
    return loadPacks(named);
  }, [] as RulePack[]);
  problems.push(...parameterProblems(packs, config.parameters ?? {}, configFile ?? "config"));
  const waivers = waiversFromConfig(config.waivers, configFile ?? "config");
  if (opts.waivers)
    waivers.push(...collectProblems(() => loadWaiversFile(resolve(io.cwd, opts.waivers as string)), []));
  if (problems.length > 0)
    throw new ConfigError("invalid rule packs, parameters or waivers (nothing was scanned):", problems);
  const baselineFile = opts.baseline as string | undefined;
  const baseline = baselineFile
    ? { file: baselineFile, fingerprints: loadBaseline(resolve(io.cwd, baselineFile)) }
    : undefined;
  return { knowledge, kb, packs, waivers, baseline };
}

/** The report paths, checked before the scan, and those inside the scanned folder (never scanned). @throws UsageError. */
function checkOutputs(
  opts: Opts,
  io: CliIO,
  configOutput: string | undefined,
  root: string,
): { output: string | undefined; ownFiles: string[] } {
  const output = (opts.output as string | undefined) ?? configOutput;
  const outputAbs = output ? checkOutputPath(output, io.cwd, root) : undefined;
  const extraAbs = OUTPUT_FLAGS.flatMap((o) =>
    opts[o.key] ? [checkOutputPath(opts[o.key] as string, io.cwd, root, o.flag.split(" ")[0])] : [],
  );
  // A report written inside the scanned folder must not change the next scan of it.
  const ownFiles = [...(outputAbs ? [outputAbs] : []), ...extraAbs].flatMap((a) => pathInsideRoot(a, root) ?? []);
  return { output, ownFiles };
}

/** The scan's options from the command line, the configuration and what was loaded (without the progress hooks). */
function scanOptions(
  path: string,
  root: string,
  opts: Opts,
  io: CliIO,
  s: ReturnType<typeof loadPolicyInputs> &
    Awaited<ReturnType<typeof loadRunSettings>> & {
      failOn: Severity | "never";
      hub: ReturnType<typeof hubSettings>;
      resolver: ScanOptions["resolver"];
      ownFiles: string[];
      weakenings: AuditWeakening[];
    },
): Omit<ScanOptions, "onStage" | "onFileListed" | "onExtracted"> {
  const { config, hub } = s;
  const exclude = (opts.exclude as string[] | undefined) ?? config.exclude ?? [];
  const include = (opts.include as string[] | undefined) ?? config.include;
  return {
    root,
    kb: s.kb,
    packs: s.packs,
    parameters: config.parameters ?? {},
    failOn: s.failOn,
    offline: hub.offline,
    ...(s.resolver ? { resolver: s.resolver } : {}),
    ...(hub.offline ? {} : { hubUrl: hub.hubUrl }),
    organization: [...(config.organization ?? []), ...((opts.organization as string[] | undefined) ?? [])],
    knowledgeDirs: s.knowledge,
    waivers: s.waivers,
    ...(s.baseline ? { baseline: s.baseline } : {}),
    ...(opts.ignore === false || config.noIgnore ? { noIgnore: true } : {}),
    ...(opts.includeTestCode === true ? { includeTestCode: true } : {}),
    ...(include ? { include } : {}),
    ...(exclude.length > 0 ? { exclude } : {}),
    ...(s.ownFiles.length > 0 ? { ownFiles: s.ownFiles } : {}),
    ...(opts.jobs !== undefined ? { jobs: opts.jobs as number } : {}),
    weights: {
      budget: (opts.weightBudget as number | undefined) ?? DEFAULT_WEIGHT_BUDGET,
      hubUrl: hub.hubUrl,
      ...(hub.token ? { token: hub.token } : {}),
      timeoutMs: hub.timeoutMs,
      env: io.env,
      cache: new DiskCache(
        aiprovCacheDir(io.env),
        undefined,
        hub.hubUrl === DEFAULT_HUB_URL ? "" : new URL(hub.hubUrl).host + new URL(hub.hubUrl).pathname,
      ),
      displayRoot: path,
    },
    ...(s.configFile ? { config: { file: displayPath(s.configFile, io.cwd), origin: s.configOrigin } } : {}),
    ...(s.weakenings.length > 0
      ? { weakenings: s.weakenings.map((w) => ({ ...w, source: displayPath(w.source, io.cwd) })) }
      : {}),
    ...(s.configDiagnostics.length
      ? {
          diagnostics: s.configDiagnostics.map((d) => ({
            ...d,
            ...(d.location ? { location: { ...d.location, file: displayPath(d.location.file, io.cwd) } } : {}),
          })),
        }
      : {}),
  };
}

/** A file path as reports show it: relative to the current folder when inside it, else as given. */
function displayPath(file: string, cwd: string): string {
  if (file === "command line") return file;
  const rel = relative(cwd, file);
  return rel && !rel.startsWith("..") && !rel.startsWith(sep) && !/^[A-Za-z]:/.test(rel)
    ? rel.split(sep).join("/")
    : file;
}

/**
 * Every setting of this run that narrows or silences the audit, with where it came from: waivers, excludes and
 * includes, knowledge entries that replace bundled facts, pack parameters changed from their defaults, `failOn: never`,
 * `offline` and a Hub endpoint chosen by a project config. Reports list them all (issue 11: nothing silences a finding
 * unseen).
 */
export function listWeakenings(s: {
  opts: Record<string, unknown>;
  config: AiprovConfig;
  configFile: string | undefined;
  configOrigin: ConfigOrigin;
  waivers: readonly LoadedWaiver[];
  packs: readonly RulePack[];
  kb: KnowledgeBase;
  failOn: Severity | "never";
  hubUrlFromConfig: boolean;
}): AuditWeakening[] {
  const out: AuditWeakening[] = [];
  const cfg = { source: s.configFile ?? "config", origin: s.configOrigin } as const;
  const cli = { source: "command line", origin: "command-line" } as const;
  for (const w of s.waivers) {
    const fromConfig = s.configFile !== undefined && w.source.file === s.configFile;
    out.push({
      kind: "waiver",
      setting: `${w.rule} on ${w.component}${w.path ? ` at ${w.path}` : ""}${w.expires ? ` until ${w.expires}` : ""}`,
      source: w.source.file,
      origin: fromConfig ? s.configOrigin : "user",
      justification: `${w.reason}: ${w.comment} (owner ${w.owner})`,
    });
  }
  for (const kind of ["exclude", "include"] as const) {
    const flag = s.opts[kind] as string[] | undefined;
    for (const g of flag ?? s.config[kind] ?? []) out.push({ kind, setting: g, ...(flag ? cli : cfg) });
  }
  const projectDirs = new Set(s.configOrigin === "project" ? (s.config.knowledge ?? []) : []);
  for (const o of s.kb.overrides ?? [])
    out.push({
      kind: "knowledge-override",
      setting: `${o.kind} ${o.id}`,
      source: o.file,
      origin: projectDirs.has(o.dir) ? "project" : "user",
    });
  for (const [packId, values] of Object.entries(s.config.parameters ?? {})) {
    const pack = s.packs.find((p) => p.id === packId);
    for (const [name, value] of Object.entries(values ?? {})) {
      const def = pack?.parameters?.[name]?.default;
      if (JSON.stringify(def) !== JSON.stringify(value))
        out.push({
          kind: "parameter",
          setting: `${packId}.${name} = ${JSON.stringify(value)} (default ${JSON.stringify(def)})`,
          ...cfg,
        });
    }
  }
  if (s.failOn === "never")
    out.push({ kind: "fail-on", setting: "never", ...(s.opts.failOn !== undefined ? cli : cfg) });
  if (s.config.offline === true && !s.opts.offline) out.push({ kind: "offline", setting: "offline: true", ...cfg });
  if (s.hubUrlFromConfig && s.config.hubUrl !== undefined)
    out.push({ kind: "hub-url", setting: s.config.hubUrl, ...cfg });
  if (s.configOrigin === "project") out.push(...projectSettings(s.config, s.opts, s.failOn, cfg));
  return out;
}

/**
 * The other settings a project's own config chose that change what is reported (issue 11: the scanned tree decides
 * nothing unseen): which packs run, which organisations count as the applicant's own, knowledge folders, the report
 * format, the `--fail-on` threshold, `noIgnore` and the Hub timeout. A setting a command-line flag overrides is not
 * in effect and not listed; `failOn: never`, `offline`, `hubUrl`, waivers, globs, parameters and knowledge overrides
 * have their own kinds ({@link listWeakenings}).
 */
function projectSettings(
  config: AiprovConfig,
  opts: Record<string, unknown>,
  failOn: Severity | "never",
  cfg: { source: string; origin: ConfigOrigin },
): AuditWeakening[] {
  const out: AuditWeakening[] = [];
  const add = (setting: string): void => void out.push({ kind: "project-setting", setting, ...cfg });
  const list = (v: string | string[]): string => JSON.stringify([v].flat());
  if (config.policy !== undefined && opts.policy === undefined) add(`policy: ${list(config.policy)}`);
  if (config.organization?.length) add(`organization: ${list(config.organization)}`);
  if (config.knowledge?.length) add(`knowledge: ${list(config.knowledge)}`);
  if (config.format !== undefined && opts.format === undefined) add(`format: ${config.format}`);
  if (config.failOn !== undefined && opts.failOn === undefined && failOn !== "never") add(`failOn: ${config.failOn}`);
  if (config.noIgnore === true) add("noIgnore: true");
  if (config.timeout !== undefined && opts.timeout === undefined) add(`timeout: ${config.timeout}`);
  return out;
}

/**
 * The scan root must be a folder aiprov can list: a missing, unreadable or non-folder root is a usage error (exit 2),
 * never an empty scan that passes. @throws UsageError.
 */
export function checkScanRoot(root: string, given: string): void {
  let st;
  try {
    st = statSync(root);
  } catch (err) {
    throw new UsageError(
      `${given}: cannot scan: ${(err as NodeJS.ErrnoException).code === "ENOENT" ? "no such file or directory" : ((err as NodeJS.ErrnoException).code ?? (err as Error).message)}`,
    );
  }
  if (!st.isDirectory()) throw new UsageError(`${given}: cannot scan: not a folder`);
  try {
    readdirSync(root);
  } catch (err) {
    throw new UsageError(
      `${given}: cannot scan: the folder cannot be listed (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`,
    );
  }
}
