/**
 * The scan pipeline: discover -> extract -> link -> resolve -> lineage -> policy, producing one {@link AuditResult}.
 * Library code: it never prints and never exits; the CLI maps its errors to exit codes.
 */
import { realpathSync } from "node:fs";
import { stat } from "node:fs/promises";
import { posix } from "node:path";
import type { AuditResult, AuditWeakening, ConfigOrigin, Diagnostic, Severity } from "../model/types.js";
import { SCHEMA_VERSION } from "../model/types.js";
import { walk, type WalkResult } from "../discover/walk.js";
import { trackedFiles } from "../discover/git-index.js";
import { createExtractionPool } from "../extract/pool.js";
import { separateDatasets } from "../extract/datasets.js";
import { link } from "../extract/link.js";
import { buildLineage } from "../lineage/build.js";
import { matchLocalWeights } from "../fingerprint/scan-match.js";
import { matchLocalTokenizers } from "../fingerprint/tokenizer-match.js";
import { settleCandidates, settleWeights, type SettleOptions } from "../fingerprint/settle.js";
import { evaluatePacks } from "../policy/engine.js";
import { findingsVerdict } from "../policy/verdict.js";
import { applyBaseline } from "../policy/baseline.js";
import { applyWaivers, type LoadedWaiver } from "../policy/waivers.js";
import { aggregateFindings } from "../policy/aggregate.js";
import type { RulePack } from "../policy/types.js";
import type { KnowledgeBase } from "../resolve/knowledge/knowledge-base.js";
import { createOfflineResolver } from "../resolve/offline.js";
import { mapOllamaTags } from "../resolve/knowledge/ollama.js";
import { canonicalHubCase, mapHubAliases } from "../resolve/knowledge/aliases.js";
import type { Resolver } from "../resolve/types.js";
import { UsageError } from "../errors.js";
import { TOOL_VERSION } from "../util/package-root.js";
import { now } from "../util/clock.js";
import { redactDeep } from "../util/redact.js";
import { isModelManifest, manifestStub } from "../extract/manifest-stub.js";

/** Default maximum bytes read as text from one file (8 MiB). */
export const DEFAULT_MAX_TEXT_BYTES = 8 * 1024 * 1024;

/** The diagnostics without exact repeats (two extractors reading the same broken file say the same thing). */
function dedupeDiagnostics(list: readonly Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return list.filter((d) => {
    const key = JSON.stringify([
      d.code,
      d.severity,
      d.message,
      d.location?.file,
      d.location?.line,
      d.location?.pointer,
    ]);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Options of {@link scan}. */
export interface ScanOptions {
  root: string;
  kb: KnowledgeBase;
  packs: readonly RulePack[];
  parameters?: Record<string, Record<string, unknown>>;
  failOn: Severity | "never";
  offline: boolean;
  organization: readonly string[];
  knowledgeDirs?: readonly string[];
  /** Resolver for Hub repos; defaults to the offline resolver. */
  resolver?: Resolver;
  /** Hub endpoint the resolver uses (recorded in the report's settings; never with credentials). */
  hubUrl?: string;
  maxTextBytes?: number;
  noIgnore?: boolean;
  /** Judge nodes named only by test or benchmark code (`scope: "test"`) with the packs too (default: inventory only). */
  includeTestCode?: boolean;
  include?: string[];
  exclude?: string[];
  /** Waivers (config file and `--waivers`), applied after evaluation. */
  waivers?: readonly LoadedWaiver[];
  /** A previous report's finding fingerprints: only findings not in it can fail the scan. */
  baseline?: { file: string; fingerprints: ReadonlySet<string> };
  /** Root-relative paths of files aiprov itself writes (its report), never scanned or counted. */
  ownFiles?: string[];
  /**
   * Called after each stage with its name and wall time in milliseconds (`walk`, `extract`, `link`, `resolve`,
   * `weights`, `tokenizers`, `lineage`, `settle`, `policy`, `assemble`); the CLI prints them with `AIPROV_TIMING=1`, as ESLint's `TIMING=1`.
   */
  onStage?: (stage: string, ms: number) => void;
  /** Called once extraction is done: files read by an extractor, and those parsed as code (tree-sitter), for `AIPROV_TIMING`. */
  onExtracted?: (stats: { filesScanned: number; filesParsed: number }) => void;
  /** Called for each file the walk lists (before it is read), for progress displays. */
  onFileListed?: () => void;
  /**
   * Automatic weight comparisons (src/fingerprint/settle.ts): Hub settings, the remote byte budget and the cache.
   * Absent: none are made, and configuration matches stay undetermined with the command that settles them.
   */
  weights?: Omit<SettleOptions, "displayRoot" | "offline"> & { displayRoot?: string };
  /** Threads that read and parse files, the main thread included (default: the usable cores, at most 3; 1: no workers). See `src/extract/pool.ts`. */
  jobs?: number;
  /** The configuration file read and its origin (recorded in the report's settings). */
  config?: { file: string; origin: ConfigOrigin };
  /** Settings that weaken the audit, listed in every report (see `AuditResult.settings.weakenings`). */
  weakenings?: readonly AuditWeakening[];
  /** Problems found before the scan (settings of a project config that were ignored), added to the diagnostics. */
  diagnostics?: readonly Diagnostic[];
}

/**
 * Model manifests the walk could not read (a link out of the root, an unreadable file) still describe a component: it
 * is undetermined, never silently absent. One extractor-shaped output per such manifest, with a warning naming it.
 * A folder the walk could not list may hold anything, a model included: it is an undetermined component too (as
 * Trivy and osv-scanner name a folder they could not walk; here it also keeps the audit from passing on what it may
 * hold), with the `not-scanned` warning that names it ({@link scanDiagnostics}).
 */
function unreadManifests(
  walked: Pick<Awaited<ReturnType<typeof walk>>, "skipped" | "unreadableFolders" | "linkedOutFolders">,
) {
  const manifests = walked.skipped
    .filter((s) => (s.reason === "symlink-outside-root" || s.reason === "unreadable") && isModelManifest(s.path))
    .map((s) => ({
      components: [manifestStub(s.path, { facts: { notRead: s.reason } })],
      diagnostics: [
        {
          code:
            s.reason === "symlink-outside-root"
              ? ("manifest-symlink-outside-root" as const)
              : ("manifest-unreadable" as const),
          severity: "warning" as const,
          message:
            s.reason === "symlink-outside-root"
              ? "model manifest is a link to a file outside the scanned folder; not read, its component is undetermined"
              : "model manifest could not be read; its component is undetermined",
          location: { file: s.path },
        },
      ],
    }));
  const linkedOut = new Set(walked.linkedOutFolders);
  const folders = [...walked.unreadableFolders, ...walked.linkedOutFolders].map((folder) => ({
    components: [
      {
        key: `${folder}/`,
        role: "model" as const,
        name: posix.basename(folder),
        location: { file: folder },
        unparsable: true,
        facts: { notRead: "folder-unreadable" },
      },
    ],
    diagnostics: [
      {
        code: "not-scanned" as const,
        severity: "warning" as const,
        message: linkedOut.has(folder)
          ? "folder is a symbolic link to a folder outside the scanned folder: not followed, not scanned; what it holds is undetermined"
          : /\uFFFD/.test(folder)
            ? "folder name is not valid UTF-8: it cannot be opened by name, not scanned; what it holds is undetermined"
            : "folder could not be listed: not scanned; what it holds is undetermined",
        location: { file: folder },
      },
    ],
  }));
  return [...manifests, ...folders];
}

/** Words for the skip reasons of files that are not regular files (the walk never opens them). */
const SPECIAL_WORDS: Readonly<Record<string, string>> = {
  fifo: "a named pipe (FIFO)",
  socket: "a socket",
  "block-device": "a block device",
  "character-device": "a character device",
};

/**
 * The scan's diagnostics: the stages' own, then what the walk and extraction say about coverage (nothing audited,
 * model files skipped by ignore rules, folders and names that could not be read), then the caller's; deduplicated and
 * ordered by file, line and code.
 */
function scanDiagnostics(
  options: ScanOptions,
  walked: Awaited<ReturnType<typeof walk>>,
  extraction: { byExtractor: Record<string, number> },
  notRead: ReturnType<typeof unreadManifests>,
  stageDiagnostics: Diagnostic[],
): Diagnostic[] {
  const diagnostics = stageDiagnostics;
  // Attribution documents (README, LICENSE) are read for licence rules but are not model manifests.
  if (!Object.entries(extraction.byExtractor).some(([id, n]) => id !== "attribution" && n > 0)) {
    diagnostics.push({
      code: "nothing-audited",
      severity: "warning",
      message: `no model manifest was found under ${options.root} (${walked.filesSeen} files seen${Object.keys(walked.skippedByReason).length ? `, some skipped: see coverage` : ""}): nothing was audited`,
    });
  }
  if (walked.ignoredModelLike.length > 0) {
    diagnostics.push({
      code: "model-files-ignored",
      severity: "info",
      message: `${walked.ignoredModelLike.length} model-looking file(s) skipped by ignore rules (use --no-ignore to scan them): ${walked.ignoredModelLike.slice(0, 10).join(", ")}`,
    });
  }
  // Folders that could not be listed and names that cannot be opened are named, not only counted.
  for (const s of walked.skipped) {
    if (s.reason === "unreadable" && !notRead.some((n) => n.components[0]?.location.file === s.path))
      diagnostics.push({
        code: "not-scanned",
        severity: "warning",
        message: /\uFFFD/.test(s.path)
          ? "file or folder name is not valid UTF-8: it cannot be opened by name, not scanned"
          : "could not be listed or read: not scanned",
        location: { file: s.path },
      });
    else if (s.reason in SPECIAL_WORDS)
      diagnostics.push({
        code: "not-scanned",
        severity: "warning",
        message: `${SPECIAL_WORDS[s.reason]}, not a regular file: never opened, not scanned`,
        location: { file: s.path },
      });
  }
  diagnostics.push(...(options.diagnostics ?? []));
  diagnostics.splice(0, diagnostics.length, ...dedupeDiagnostics(diagnostics));
  diagnostics.sort(
    (a, b) =>
      (a.location?.file ?? "").localeCompare(b.location?.file ?? "") ||
      (a.location?.line ?? 0) - (b.location?.line ?? 0) ||
      a.code.localeCompare(b.code),
  );
  return diagnostics;
}

/**
 * The tree's own `.gitignore` as a weakening, when it kept model-looking files out of the audit of a tree that is not a
 * git checkout (a release tarball, `git archive` output, a Docker build context): there nothing is tracked, so the
 * scanned tree alone chose what is not audited (break-11 B4). In a checkout, tracked files are audited whatever
 * `.gitignore` says, so it weakens nothing. `--no-ignore` audits everything.
 */
function treeIgnoreWeakening(walked: WalkResult, options: ScanOptions): AuditWeakening[] {
  if (options.noIgnore || walked.ignoredModelLike.length === 0) return [];
  let real: string;
  try {
    real = realpathSync(options.root);
  } catch {
    return [];
  }
  if (trackedFiles(real) !== undefined) return [];
  const shown = walked.ignoredModelLike.slice(0, 5).join(", ");
  const more = walked.ignoredModelLike.length > 5 ? ", ..." : "";
  return [
    {
      kind: "exclude",
      setting: `ignore rules of a tree that is not a git checkout: ${walked.ignoredModelLike.length} model-looking file(s) not audited (${shown}${more}); --no-ignore audits them`,
      source: ".gitignore",
      origin: "project",
    },
  ];
}

/** The settings a result records (what ran, and every setting that weakens the audit). */
function settingsOf(options: ScanOptions, found: readonly AuditWeakening[] = []): AuditResult["settings"] {
  const weakenings = [...(options.weakenings ?? []), ...found];
  return {
    policies: options.packs.map((p) => p.id),
    failOn: options.failOn,
    offline: options.offline,
    organization: [...options.organization],
    knowledge: [...(options.knowledgeDirs ?? [])],
    ...(options.baseline ? { baseline: options.baseline.file } : {}),
    ...(options.hubUrl ? { hubUrl: options.hubUrl } : {}),
    ...(options.config ? { config: { ...options.config } } : {}),
    ...(weakenings.length ? { weakenings: weakenings.map((w) => ({ ...w })) } : {}),
  };
}

/**
 * What the scan covered: files seen, scanned and read (bytes), and every skipped file with its reason (the walk's,
 * then files over the size limit and binary files found by extraction), sorted by path, with counts per reason.
 */
function coverageOf(
  walked: Awaited<ReturnType<typeof walk>>,
  extraction: Awaited<ReturnType<ReturnType<typeof createExtractionPool>["finish"]>>,
): AuditResult["coverage"] {
  const skipped = [
    ...walked.skipped,
    ...extraction.tooLarge.map((path) => ({ path, reason: "too-large" as const })),
    ...extraction.binary.map((path) => ({ path, reason: "binary" as const })),
  ].sort((a, b) => a.path.localeCompare(b.path));
  const skippedByReason = { ...walked.skippedByReason };
  for (const _ of extraction.tooLarge) skippedByReason["too-large"] = (skippedByReason["too-large"] ?? 0) + 1;
  for (const _ of extraction.binary) skippedByReason.binary = (skippedByReason.binary ?? 0) + 1;
  return {
    filesSeen: walked.filesSeen,
    filesScanned: extraction.filesScanned,
    bytesRead: extraction.bytesRead,
    skipped,
    skippedByReason,
    byExtractor: extraction.byExtractor,
  };
}

/**
 * Scans a tree and returns the audit result.
 * @throws UsageError when the root does not exist or is not a directory.
 */
export async function scan(options: ScanOptions): Promise<AuditResult> {
  const st = await stat(options.root).catch(() => undefined);
  if (!st) throw new UsageError(`${options.root}: no such file or directory`);
  if (!st.isDirectory()) throw new UsageError(`${options.root}: not a directory (aiprov scans a project folder)`);
  // Files are read and parsed (by worker threads on a large tree) while the tree is still being listed.
  const pool = createExtractionPool({ maxTextBytes: options.maxTextBytes ?? DEFAULT_MAX_TEXT_BYTES }, options.jobs);
  let mark = performance.now();
  const stage = (name: string): void => {
    const t = performance.now();
    options.onStage?.(name, t - mark);
    mark = t;
  };
  const walked = await walk(options.root, {
    onFile: (f) => (options.onFileListed?.(), pool.add(f)),
    ...(options.noIgnore ? { noIgnore: true } : {}),
    ...(options.include ? { include: options.include } : {}),
    ...(options.exclude ? { exclude: options.exclude } : {}),
    ...(options.ownFiles ? { ownFiles: options.ownFiles } : {}),
  }).catch(async (err: unknown) => {
    await pool.close();
    throw err;
  });
  stage("walk");
  const extraction = await pool.finish(walked.files).finally(() => pool.close());
  stage("extract");
  options.onExtracted?.({ filesScanned: extraction.filesScanned, filesParsed: extraction.filesParsed });
  const notRead = unreadManifests(walked);
  const linked = link([...extraction.outputs.map((o) => o.output), ...notRead]);
  stage("link");
  // Ollama library tags and bare names (legacy Hub ids, a library's short names) map to the Hub models they stand for
  // through the knowledge base's cited tables. Datasets leave the model references, and values that cannot name a
  // model are marked as such.
  // A Hub id written in several cases is one repo, spelled one way.
  const mapped = canonicalHubCase(mapHubAliases(mapOllamaTags(linked.references, options.kb), options.kb), options.kb);
  const separated = separateDatasets(mapped);
  const inventory = { ...linked, references: separated.references };
  const repos = [
    ...new Set(
      inventory.references.filter((r) => r.kind === "hub-id" && r.target && !r.skipReason).map((r) => r.target!),
    ),
  ].sort();
  const resolver = options.resolver ?? createOfflineResolver(options.kb);
  const upstream = await resolver.resolve(repos);
  stage("resolve");
  const weightStage = await matchLocalWeights(inventory.components, walked.files, options.kb);
  stage("weights");
  const tokenizerStage = await matchLocalTokenizers(inventory.components, walked.files, options.kb);
  stage("tokenizers");
  const lineageInput = {
    components: inventory.components,
    references: inventory.references,
    kb: options.kb,
    organization: options.organization,
    upstream,
    weights: weightStage.weights,
    weightsInconclusive: weightStage.inconclusive,
    tokenizers: tokenizerStage.tokenizers,
  };
  let { graph, diagnostics: lineageDiagnostics } = buildLineage(lineageInput);
  stage("lineage");
  // A configuration match or a declared upstream of a component with weights is settled by comparing the weights with
  // the upstream's on the Hub; the graph is then built again with that evidence.
  const candidates = settleCandidates(graph, inventory.components, walked.files);
  const settled = await settleWeights(candidates, {
    ...(options.weights ?? { budget: 0 }),
    offline: options.offline,
    displayRoot: options.weights?.displayRoot ?? options.root,
  });
  if (settled.weights.length > 0)
    ({ graph, diagnostics: lineageDiagnostics } = buildLineage({
      ...lineageInput,
      weights: [...weightStage.weights, ...settled.weights],
    }));
  stage("settle");
  const evaluated = evaluatePacks(graph, options.packs, options.parameters, {
    components: inventory.components,
    references: inventory.references,
    files: walked.files.map((f) => f.path),
    documents: inventory.documents,
    ...(options.includeTestCode ? { includeTestCode: true } : {}),
  });
  const runs = evaluated.runs;
  const waived = applyWaivers(evaluated.findings, options.waivers ?? [], graph.nodes, runs, now());
  // Findings that stand for one fact fold after waivers (a waiver never covers a node it does not name).
  const aggregated = aggregateFindings(waived.findings, graph, inventory.references);
  const findings = options.baseline ? applyBaseline(aggregated, options.baseline.fingerprints) : aggregated;

  const diagnostics = scanDiagnostics(options, walked, extraction, notRead, [
    ...extraction.diagnostics,
    ...inventory.diagnostics,
    ...lineageDiagnostics,
    ...weightStage.diagnostics,
    ...tokenizerStage.diagnostics,
    ...settled.diagnostics,
    ...resolver.diagnostics(),
    ...waived.diagnostics,
  ]);
  const counts: Record<Severity, number> = { error: 0, warning: 0, note: 0 };
  for (const f of findings) if (!f.waived) counts[f.severity]++;
  // Secrets found in scanned files never leave the tool, whatever field they ended up in.
  stage("policy");
  const result = redactDeep<AuditResult>({
    schemaVersion: SCHEMA_VERSION,
    tool: { name: "aiprov", version: TOOL_VERSION, knowledgeBaseVersion: options.kb.version },
    createdAt: now().toISOString(),
    root: options.root,
    settings: settingsOf(options, treeIgnoreWeakening(walked, options)),
    components: inventory.components,
    references: inventory.references,
    ...(separated.datasets.length > 0 ? { datasets: separated.datasets } : {}),
    mentions: inventory.mentions,
    lineage: graph,
    policies: runs,
    findings,
    ...(settled.comparisons.length > 0 ? { weightComparisons: settled.comparisons } : {}),
    coverage: coverageOf(walked, extraction),
    diagnostics,
    summary: {
      components: inventory.components.length,
      references: inventory.references.length,
      findings: counts,
      undetermined: graph.nodes.filter((n) => n.inProduct && n.status === "undetermined").length,
      ...(findings.some((f) => f.waived) ? { waived: findings.filter((f) => f.waived).length } : {}),
      verdict: options.packs.length === 0 ? "no-policy" : findingsVerdict(findings, options.failOn),
    },
  });
  stage("assemble");
  return result;
}
