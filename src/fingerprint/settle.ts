/**
 * Settles a structural match with the weights, during `scan`: a local component with safetensors weights whose
 * configuration equals a known checkpoint's (or that declares an upstream) is compared with that upstream's
 * corresponding tensors on the Hub, read by HTTP range requests.
 *
 * Order of work per (component, upstream repo):
 * 1. the upstream's commit (aiprov's cache "latest" entry, else one model-info call), then the cached result of an
 *    earlier scan for (local weight files' SHA-256, repo, commit, component): a hit reads nothing remote;
 * 2. the tensor layouts, read from the safetensors headers, paired by their name inside the component (prefixes such
 *    as `visual.`, `vision_tower.`, `model.vision_model.` removed by `classifyTensor`); when they do not line up the
 *    result is `layout-mismatch`, undetermined, never "unrelated";
 * 3. sketch windows: the same rows of up to {@link SKETCH_WINDOWS} large matrices on both sides (a name-seeded row
 *    offset, at least {@link MIN_MATRIX_ELEMENTS} values each), about {@link SKETCH_FRACTION} of the upstream
 *    component and at most {@link SKETCH_MAX_BYTES}, compared by `compareComponent` (the statistics and calibrated
 *    thresholds of `aiprov compare`);
 * 4. the whole component, only when the sketches are inconclusive (between the thresholds, or byte-identical windows
 *    that could be a whole copy), and only within the byte budget.
 * Offline, or with the upstream gated, missing or unreachable, nothing is compared: the result is undetermined and
 * carries the `aiprov compare` command that settles it.
 */
import { createReadStream } from "node:fs";
import { open } from "node:fs/promises";
import { createHash } from "node:crypto";
import { posix } from "node:path";
import type { DiscoveredFile } from "../discover/walk.js";
import { COMPARABLE_DTYPES, SafetensorsError } from "../formats/safetensors.js";
import type { WeightEvidenceInput } from "../model/weight-evidence.js";
import type { ComponentRole, Diagnostic, LineageGraph, LocalComponent, WeightComparison } from "../model/types.js";
import { DEFAULT_HUB_URL } from "../resolve/hub/endpoint.js";
import { HubHttpError, HubUnreachableError, createHubFetch, type HubFetch } from "../resolve/hub/http.js";
import type { DiskCache } from "../resolve/hub/cache.js";
import { parseHubId } from "../util/hub-id.js";
import { compareComponent, standalone, type ComponentComparison } from "./compare.js";
import type { ComponentKind } from "./components.js";
import { elementsOf, isLargeMatrix } from "./content.js";
import { openHubModel } from "./hub-source.js";
import { mulberry32, seedOf } from "./prng.js";
import { createRangeSource, handleRangeFile, type ModelSource, type RangeFile, type SourceTensor } from "./source.js";
import { DERIVED_MIN, MIN_MATRIX_ELEMENTS, UNRELATED_MAX } from "./thresholds.js";

/** Share of the upstream component read by the sketch windows (0.4%). */
export const SKETCH_FRACTION = 0.004;
/** Most bytes the sketch windows read from one side (4 MiB). */
export const SKETCH_MAX_BYTES = 4 * 1024 * 1024;
/** Most matrices sampled by sketch windows. */
export const SKETCH_WINDOWS = 16;
/** Default `--weight-budget`: remote bytes one scan may read for weight comparisons (2 GiB). */
export const DEFAULT_WEIGHT_BUDGET = 2 * 1024 * 1024 * 1024;
/** Most upstream repos compared per component (a configuration shared by several releases lists them all). */
const MAX_REPOS_PER_COMPONENT = 4;

const KIND_OF_ROLE: Partial<Record<ComponentRole, ComponentKind>> = {
  "vision-encoder": "vision",
  "audio-encoder": "audio",
  projector: "projector",
  backbone: "text",
  model: "text",
};

/** A component to settle: a local component with weights and an upstream it may derive from. */
export interface SettleCandidate {
  /** Local component key (`local:<key>` in the graph). */
  subject: string;
  kind: ComponentKind;
  /** Root-relative folder of the weights. */
  folder: string;
  files: DiscoveredFile[];
  repo: string;
  /** The lineage node that stands for the upstream (a known component or a Hub repo). */
  node: string;
  knownComponent?: string;
  via: "structural" | "declared";
}

/** Settings of {@link settleWeights}. */
export interface SettleOptions {
  /** No request at all: every candidate stays undetermined with the command that settles it. */
  offline: boolean;
  hubUrl?: string;
  token?: string;
  timeoutMs?: number;
  env?: NodeJS.ProcessEnv;
  /** Most remote bytes read for weight comparisons in the whole scan. */
  budget: number;
  /** aiprov's cache: upstream commits and results of earlier comparisons. */
  cache?: DiskCache;
  /** The scanned root as the user named it, for the `aiprov compare` command in hints. */
  displayRoot: string;
  /** Retry settings of the fetch wrapper (tests shorten them). */
  retries?: number;
  backoffMs?: number;
}

/** Result of {@link settleWeights}. */
export interface SettleResult {
  comparisons: WeightComparison[];
  weights: WeightEvidenceInput[];
  diagnostics: Diagnostic[];
  /** Remote weight bytes read in this scan. */
  bytesRead: number;
}

/**
 * The components of a first lineage graph that a weight comparison can settle: a local node whose folder holds
 * `*.safetensors` files and that has a checkpoint-level configuration match with a third-party known component (its
 * released repos), or a declared weight edge to a third-party Hub repo or known component.
 */
export function settleCandidates(
  graph: LineageGraph,
  components: readonly LocalComponent[],
  files: readonly DiscoveredFile[],
): SettleCandidate[] {
  const byDir = new Map<string, DiscoveredFile[]>();
  for (const f of files) {
    if (!f.path.endsWith(".safetensors")) continue;
    const d = posix.dirname(f.path);
    byDir.set(d, [...(byDir.get(d) ?? []), f]);
  }
  const nodes = new Map(graph.nodes.map((n) => [n.id, n]));
  const out: SettleCandidate[] = [];
  const seen = new Set<string>();
  for (const c of components) {
    const kind = KIND_OF_ROLE[c.role];
    const folder = posix.dirname(c.location.file);
    const weightFiles = byDir.get(folder);
    if (!kind || !weightFiles || c.unparsable) continue;
    const add = (repo: string, node: string, via: SettleCandidate["via"], knownComponent?: string): void => {
      const key = `${c.key}\u0000${repo.toLowerCase()}`;
      if (seen.has(key) || out.filter((x) => x.subject === c.key).length >= MAX_REPOS_PER_COMPONENT) return;
      seen.add(key);
      out.push({
        subject: c.key,
        kind,
        folder,
        files: [...weightFiles].sort((a, b) => a.path.localeCompare(b.path)),
        repo,
        node,
        ...(knownComponent ? { knownComponent } : {}),
        via,
      });
    };
    for (const e of graph.edges) {
      if (e.from !== `local:${c.key}`) continue;
      const to = nodes.get(e.to);
      if (!to || to.kind !== "upstream" || to.status !== "third-party") continue;
      if (e.relation === "same-architecture") {
        for (const ev of e.evidence) {
          if (ev.code !== "signature-match" || ev.args?.level !== "checkpoint") continue;
          const repos = Array.isArray(ev.args.checkpoints) ? ev.args.checkpoints : [];
          for (const r of repos) if (parseHubId(r)) add(parseHubId(r)!.id, e.to, "structural", to.knownComponent);
        }
      } else if (e.relation !== "component-of" && e.strength === "declared") {
        const repos = to.repo ? [to.repo] : (to.repos ?? []);
        for (const r of repos) if (parseHubId(r)) add(parseHubId(r)!.id, e.to, "declared", to.knownComponent);
      }
    }
  }
  return out;
}

/** A POSIX shell word: quoted when it holds anything but safe characters. */
function shellWord(s: string): string {
  return /^[A-Za-z0-9_./:@=+-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/** The `aiprov compare` command that settles a candidate by hand. */
export function compareCommand(
  c: SettleCandidate,
  displayRoot: string,
  hubUrl: string | undefined,
  revision?: string,
): string {
  const folder = c.folder === "." ? displayRoot : posix.join(displayRoot.split("\\").join("/"), c.folder);
  const hub = hubUrl && hubUrl !== DEFAULT_HUB_URL ? ` --hub-url ${shellWord(hubUrl)}` : "";
  return `aiprov compare ${shellWord(folder)} ${shellWord(revision ? `${c.repo}@${revision}` : c.repo)} --component ${c.kind}${hub}`;
}

/** Why the upstream could not be read, as a reason code. */
function failureOf(err: unknown): { reason: string; message: string } {
  if (err instanceof HubUnreachableError) return { reason: "unreachable", message: err.message };
  if (err instanceof HubHttpError) {
    if (err.errorCode === "GatedRepo") return { reason: "gated", message: err.message };
    if (err.status === 401 || err.status === 404) return { reason: "not-found", message: err.message };
    if (err.status === 429) return { reason: "rate-limited", message: err.message };
    return { reason: "hub-error", message: err.message };
  }
  if (err instanceof SafetensorsError) return { reason: "upstream-unreadable", message: err.message };
  const e = err as Error & { statusCode?: number };
  return { reason: "hub-error", message: e?.message ?? String(err) };
}

/** SHA-256 over the local weight files (name, size and content of each, in name order): the cache key's local part. */
export async function localWeightsHash(files: readonly DiscoveredFile[]): Promise<string> {
  const all = createHash("sha256");
  for (const f of [...files].sort((a, b) => a.path.localeCompare(b.path))) {
    const h = createHash("sha256");
    let size = 0;
    for await (const chunk of createReadStream(f.absolutePath, { highWaterMark: 8 << 20 })) {
      h.update(chunk as Buffer);
      size += (chunk as Buffer).length;
    }
    all.update(`${posix.basename(f.path)}\u0000${size}\u0000${h.digest("hex")}\n`);
  }
  return all.digest("hex");
}

/** The component's tensors of a source; a standalone checkpoint of the component (no prefix) when `other` lines up. */
function componentOf(source: ModelSource, kind: ComponentKind, other: readonly SourceTensor[]): SourceTensor[] {
  const mine = source.tensors.filter((t) => t.kind === kind);
  if (mine.length > 0) return mine;
  return standalone(source, other).map((t) => ({ ...t, kind }));
}

/** Same-shape, comparable large-matrix pairs of the two sides, by name inside the component. */
interface Layout {
  local: SourceTensor[];
  upstream: SourceTensor[];
  pairs: [SourceTensor, SourceTensor][];
  shapeMismatch: number;
  localLarge: number;
  upstreamLarge: number;
}

function layoutOf(local: ModelSource, upstream: ModelSource, kind: ComponentKind): Layout {
  let u = upstream.tensors.filter((t) => t.kind === kind);
  const l = componentOf(local, kind, u);
  if (u.length === 0) u = componentOf(upstream, kind, l);
  const byRel = new Map(u.map((t) => [t.relative, t]));
  const pairs: [SourceTensor, SourceTensor][] = [];
  let shapeMismatch = 0;
  for (const x of l) {
    const y = byRel.get(x.relative);
    if (!y || !isLargeMatrix(x, MIN_MATRIX_ELEMENTS) || !COMPARABLE_DTYPES.has(y.dtype)) continue;
    if (x.shape.length === y.shape.length && x.shape.every((d, i) => d === y.shape[i])) pairs.push([x, y]);
    else shapeMismatch++;
  }
  pairs.sort((p, q) => p[0].relative.localeCompare(q[0].relative));
  return {
    local: l,
    upstream: u,
    pairs,
    shapeMismatch,
    localLarge: l.filter((t) => isLargeMatrix(t, MIN_MATRIX_ELEMENTS)).length,
    upstreamLarge: u.filter((t) => isLargeMatrix(t, MIN_MATRIX_ELEMENTS)).length,
  };
}

function bytesOf(ts: readonly SourceTensor[]): number {
  return ts.reduce((a, t) => a + (t.end - t.start), 0);
}

/** A window of whole leading-dimension rows [row, row + rows) of a tensor, as a tensor of its own. */
function windowOf(t: SourceTensor, kind: ComponentKind, row: number, rows: number): SourceTensor {
  const rowBytes = (t.end - t.start) / t.shape[0]!;
  return {
    ...t,
    kind,
    shape: [rows, ...t.shape.slice(1)],
    start: t.start + row * rowBytes,
    end: t.start + (row + rows) * rowBytes,
  };
}

/**
 * The sketch windows for a layout: up to {@link SKETCH_WINDOWS} pairs evenly spaced in name order, each the same
 * rows of both tensors (at least {@link MIN_MATRIX_ELEMENTS} values), sized so the upstream side reads about
 * `target` bytes.
 */
export function sketchWindows(
  pairs: readonly [SourceTensor, SourceTensor][],
  kind: ComponentKind,
  target: number,
): [SourceTensor, SourceTensor][] {
  if (pairs.length === 0) return [];
  const minRows = (t: SourceTensor): number =>
    Math.min(t.shape[0]!, Math.ceil(MIN_MATRIX_ELEMENTS / (elementsOf(t) / t.shape[0]!)));
  const minBytes = (p: [SourceTensor, SourceTensor]): number =>
    minRows(p[1]) * ((p[1].end - p[1].start) / p[1].shape[0]!);
  const typical = minBytes(pairs[Math.floor(pairs.length / 2)]!);
  const count = Math.max(1, Math.min(SKETCH_WINDOWS, pairs.length, Math.floor(target / Math.max(1, typical))));
  const chosen = Array.from({ length: count }, (_, i) => pairs[Math.floor((i * pairs.length) / count)]!);
  const perWindow = target / count;
  return chosen.map(([a, b]) => {
    const rowBytes = (b.end - b.start) / b.shape[0]!;
    const rows = Math.min(b.shape[0]!, Math.max(minRows(b), Math.floor(perWindow / rowBytes)));
    const row = Math.floor(mulberry32(seedOf(a.relative))() * (b.shape[0]! - rows + 1));
    return [windowOf(a, kind, row, rows), windowOf(b, kind, row, rows)];
  });
}

/** A view of a source restricted to some tensors (reads and byte counts are the source's own). */
function view(source: ModelSource, tensors: SourceTensor[]): ModelSource {
  const { config: _config, ...rest } = source;
  return { ...rest, tensors };
}

/** The cached part of a comparison (what an earlier scan found), validated on read. */
type CachedResult = Pick<
  WeightComparison,
  "outcome" | "reason" | "phase" | "statistic" | "layout" | "upstreamBytes"
> & { remoteBytes: number; localBytes: number };

const OUTCOMES = new Set(["identical", "derived", "not-derived", "undetermined"]);
const finite = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v);

/** Checks a cached result's shape field by field; anything else is not used. */
export function validCachedResult(v: unknown): CachedResult | undefined {
  if (!v || typeof v !== "object" || Array.isArray(v)) return undefined;
  const r = v as Record<string, unknown>;
  if (
    !OUTCOMES.has(r.outcome as string) ||
    typeof r.reason !== "string" ||
    !finite(r.remoteBytes) ||
    !finite(r.localBytes)
  )
    return undefined;
  if (r.phase !== undefined && r.phase !== "sketch" && r.phase !== "component") return undefined;
  if (r.upstreamBytes !== undefined && !finite(r.upstreamBytes)) return undefined;
  const s = r.statistic as Record<string, unknown> | undefined;
  if (
    s !== undefined &&
    (typeof s !== "object" ||
      s === null ||
      s.name !== "pooled-pearson" ||
      ![s.value, s.control, s.elements, s.matrices, s.derivedMin, s.unrelatedMax].every(finite))
  )
    return undefined;
  const l = r.layout as Record<string, unknown> | undefined;
  if (
    l !== undefined &&
    (typeof l !== "object" ||
      l === null ||
      ![l.localTensors, l.upstreamTensors, l.paired, l.shapeMismatch].every(finite) ||
      !Array.isArray(l.localPrefixes) ||
      !Array.isArray(l.upstreamPrefixes) ||
      ![...(l.localPrefixes as unknown[]), ...(l.upstreamPrefixes as unknown[])].every((p) => typeof p === "string"))
  )
    return undefined;
  return v as CachedResult;
}

function statisticOf(c: ComponentComparison): WeightComparison["statistic"] | undefined {
  const s = c.similarity;
  if (!s) return undefined;
  const r6 = (x: number): number => Number(x.toFixed(6));
  return {
    name: "pooled-pearson",
    value: r6(s.pearson),
    control: r6(s.control.pearson),
    elements: s.elements,
    matrices: s.matrices,
    derivedMin: DERIVED_MIN,
    unrelatedMax: UNRELATED_MAX,
  };
}

/** Opens the local weight files of a candidate folder as one range source. */
async function openLocal(
  files: readonly DiscoveredFile[],
  folder: string,
): Promise<{ source: ModelSource; close: () => Promise<void> }> {
  const handles: Awaited<ReturnType<typeof open>>[] = [];
  const close = async (): Promise<void> => void (await Promise.all(handles.map((h) => h.close())));
  try {
    const ranges: RangeFile[] = [];
    for (const f of files) {
      const fh = await open(f.absolutePath, "r").catch((err: Error) => {
        throw new SafetensorsError(`${f.path}: cannot be opened: ${err.message}`);
      });
      handles.push(fh);
      ranges.push(handleRangeFile(f.path, f.size ?? (await fh.stat()).size, fh));
    }
    return { source: await createRangeSource(folder, ranges), close };
  } catch (err) {
    await close();
    throw err;
  }
}

/** An upstream commit, or why it could not be had. */
type Revision = { sha: string } | { reason: string; message: string };

/** The Hub side of one settle run: one fetch wrapper, made on first use, and each repo's commit looked up once. */
interface HubSide {
  hubUrl: string;
  fetch(): HubFetch;
  revisionOf(repo: string): Promise<Revision>;
}

const SHA = /^[0-9a-f]{40}$/;

function hubSide(opts: SettleOptions): HubSide {
  let http: HubFetch | undefined;
  const hubUrl = opts.hubUrl ?? DEFAULT_HUB_URL;
  const fetch = (): HubFetch =>
    (http ??= createHubFetch({
      hubUrl,
      ...(opts.token ? { token: opts.token } : {}),
      ...(opts.timeoutMs ? { timeoutMs: opts.timeoutMs } : {}),
      ...(opts.env ? { env: opts.env } : {}),
      ...(opts.retries !== undefined ? { retries: opts.retries } : {}),
      ...(opts.backoffMs !== undefined ? { backoffMs: opts.backoffMs } : {}),
    }));
  const revisions = new Map<string, Promise<Revision>>();
  const lookUp = async (repo: string): Promise<Revision> => {
    const latest = opts.cache?.getLatest(repo, Date.now());
    if (latest?.sha && SHA.test(latest.sha)) return { sha: latest.sha };
    try {
      // Loaded on first use: a scan that compares no weights never loads the Hub client (start-up, issue 13).
      const { modelInfo } = await import("@huggingface/hub");
      const info = (await modelInfo({
        name: repo,
        hubUrl,
        fetch: fetch().fetch,
        additionalFields: ["sha"] as never[],
      })) as unknown as Record<string, unknown>;
      const sha = typeof info.sha === "string" && SHA.test(info.sha) ? info.sha : undefined;
      if (!sha) return { reason: "hub-error", message: "the Hub did not return a commit sha" };
      try {
        opts.cache?.putLatest(repo, { sha, fetchedAt: Date.now() });
      } catch {
        /* a cache that cannot be written only costs a request next time */
      }
      return { sha };
    } catch (err) {
      return failureOf(err);
    }
  };
  const revisionOf = (repo: string): Promise<Revision> => {
    let p = revisions.get(repo);
    if (!p) revisions.set(repo, (p = lookUp(repo)));
    return p;
  };
  return { hubUrl, fetch, revisionOf };
}

/** What a comparison decided, before the byte counts and layout facts are added. */
export interface SettleOutcome {
  outcome: WeightComparison["outcome"];
  reason: string;
  phase?: "sketch" | "component";
  statistic?: WeightComparison["statistic"];
}

/**
 * What the sketch windows settle on their own: `derived` when they correlate beyond the calibrated threshold,
 * `not-derived` at the control's level, `read-error` when a window could not be read; undefined when inconclusive
 * (between the thresholds, no variance, byte-identical windows), which calls for the whole component.
 */
export function sketchOutcome(sketch: ComponentComparison): SettleOutcome | "read-error" | undefined {
  const stat = statisticOf(sketch);
  const statistic = stat ? { statistic: stat } : {};
  if (sketch.verdict === "derived")
    return { outcome: "derived", reason: "sketch-correlated", phase: "sketch", ...statistic };
  if (sketch.verdict === "unrelated")
    return { outcome: "not-derived", reason: "sketch-at-control-level", phase: "sketch", ...statistic };
  if (sketch.reason.startsWith("read-error")) return "read-error";
  return undefined;
}

/**
 * The outcome after inconclusive sketches when the whole component does not fit the budget: byte-identical windows
 * are taken as a copy (`derived`, not cached), anything else stays undetermined `over-budget`.
 */
export function overBudgetOutcome(sketch: ComponentComparison): SettleOutcome {
  const stat = statisticOf(sketch);
  const statistic = stat ? { statistic: stat } : {};
  if (sketch.verdict === "identical")
    return { outcome: "derived", reason: "sketch-identical-component-over-budget", phase: "sketch", ...statistic };
  return { outcome: "undetermined", reason: "over-budget", phase: "sketch", ...statistic };
}

const OUTCOME_OF_VERDICT: Record<ComponentComparison["verdict"], WeightComparison["outcome"]> = {
  identical: "identical",
  derived: "derived",
  unrelated: "not-derived",
  undetermined: "undetermined",
  "same-architecture-only": "undetermined",
};

/** The outcome of a whole-component comparison (`compare`'s verdict and reason; a read error carries no statistic). */
export function componentOutcome(full: ComponentComparison): SettleOutcome {
  if (full.reason.startsWith("read-error"))
    return { outcome: "undetermined", reason: "read-error", phase: "component" };
  const stat = statisticOf(full);
  return {
    outcome: OUTCOME_OF_VERDICT[full.verdict],
    reason: full.reason,
    phase: "component",
    ...(stat ? { statistic: stat } : {}),
  };
}

/** Why a layout cannot be compared (undetermined, never "unrelated"), or undefined when enough matrices pair. */
function layoutProblem(layout: Layout): string | undefined {
  const smaller = Math.min(layout.localLarge, layout.upstreamLarge);
  if (layout.pairs.length > 0 && layout.pairs.length >= smaller / 2) return undefined;
  if (layout.local.length === 0) return "component-absent-locally";
  return layout.upstream.length === 0 ? "component-absent-upstream" : "layout-mismatch";
}

function layoutFacts(layout: Layout): Pick<WeightComparison, "layout" | "upstreamBytes"> {
  const prefixes = (ts: readonly SourceTensor[]): string[] => [...new Set(ts.map((t) => t.prefix))].sort();
  return {
    layout: {
      localTensors: layout.local.length,
      upstreamTensors: layout.upstream.length,
      paired: layout.pairs.length,
      shapeMismatch: layout.shapeMismatch,
      localPrefixes: prefixes(layout.local),
      upstreamPrefixes: prefixes(layout.upstream),
    },
    upstreamBytes: bytesOf(layout.upstream),
  };
}

/** A decided outcome and whether it may be cached (budget and read problems are not properties of the pair). */
type Decision = SettleOutcome & { cache: boolean };

/**
 * The comparison passes for one opened pair: layout, sketch windows, then the whole component when the sketches are
 * inconclusive and it fits in `remaining` bytes.
 */
async function decide(
  c: SettleCandidate,
  local: ModelSource,
  upstream: ModelSource,
  layout: Layout,
  remaining: number,
  say: (d: Diagnostic) => void,
  label: string,
): Promise<Decision> {
  if (upstream.problems.length > 0 && layout.upstream.length === 0) {
    say({
      code: "weight-upstream-unreadable",
      severity: "warning",
      message: `${label}: ${upstream.problems.map((p) => `${p.file}: ${p.message}`).join("; ")}`,
    });
    return { outcome: "undetermined", reason: "upstream-unreadable", cache: false };
  }
  const problem = layoutProblem(layout);
  if (problem) return { outcome: "undetermined", reason: problem, cache: true };
  const componentBytes = bytesOf(layout.pairs.map((p) => p[1]));
  const windows = sketchWindows(
    layout.pairs,
    c.kind,
    Math.min(SKETCH_MAX_BYTES, Math.floor(componentBytes * SKETCH_FRACTION)),
  );
  if (bytesOf(windows.map((w) => w[1])) > remaining - upstream.bytesRead())
    return { outcome: "undetermined", reason: "over-budget", cache: false };
  const sketch = await compareComponent(
    view(
      local,
      windows.map((w) => w[0]),
    ),
    view(
      upstream,
      windows.map((w) => w[1]),
    ),
    c.kind,
  );
  const early = sketchOutcome(sketch);
  if (early === "read-error") {
    say({
      code: "weight-upstream-unreadable",
      severity: "warning",
      message: `${c.folder} / ${label}: ${sketch.reason}`,
    });
    return { outcome: "undetermined", reason: "read-error", cache: false };
  }
  if (early) return { ...early, cache: true };
  if (upstream.bytesRead() + bytesOf(layout.upstream) > remaining)
    return { ...overBudgetOutcome(sketch), cache: false };
  const full = await compareComponent(view(local, layout.local), view(upstream, layout.upstream), c.kind);
  const outcome = componentOutcome(full);
  if (outcome.reason === "read-error") {
    say({ code: "weight-upstream-unreadable", severity: "warning", message: `${c.folder} / ${label}: ${full.reason}` });
    return { ...outcome, cache: false };
  }
  return { ...outcome, cache: true };
}

type RecordInput = Omit<WeightComparison, "component" | "part" | "folder" | "upstream" | "budget" | "command"> & {
  revision?: string;
};

/** One settle run's state: the result being built, the Hub side, and what is shared across candidates. */
interface SettleRun {
  opts: SettleOptions;
  out: SettleResult;
  hub: HubSide;
  /** SHA-256 of each local folder's weight files, computed once. */
  localHashes: Map<string, Promise<string>>;
  /** Repos whose failure was already diagnosed. */
  said: Set<string>;
}

/** Appends a comparison for the candidate to the result. */
function recorder(c: SettleCandidate, run: SettleRun): (r: RecordInput) => WeightComparison {
  const base = {
    component: c.subject,
    part: c.kind,
    folder: c.folder,
    upstream: { repo: c.repo, ...(c.knownComponent ? { knownComponent: c.knownComponent } : {}), via: c.via },
    budget: run.opts.budget,
  };
  return (r) => {
    const { revision, ...rest } = r;
    const w: WeightComparison = {
      ...base,
      upstream: { ...base.upstream, ...(revision ? { revision } : {}) },
      ...rest,
      command: compareCommand(c, run.opts.displayRoot, run.opts.hubUrl, revision),
    };
    run.out.comparisons.push(w);
    return w;
  };
}

/** The cached result for the key, if one is stored and well formed; a malformed one is diagnosed and ignored. */
function cachedResultOf(run: SettleRun, c: SettleCandidate, key: WeightCacheKey): CachedResult | undefined {
  try {
    const raw = run.opts.cache?.getWeightResult(key);
    if (raw === undefined) return undefined;
    const cached = validCachedResult(raw);
    if (!cached)
      run.out.diagnostics.push({
        code: "cache-record-invalid",
        severity: "warning",
        message: `cached weight comparison of ${c.folder} with ${c.repo}@${key.revision.slice(0, 12)} is malformed; compared again`,
      });
    return cached;
  } catch {
    return undefined;
  }
}

type WeightCacheKey = { repo: string; revision: string; localHash: string; part: ComponentKind };

function storeResult(run: SettleRun, c: SettleCandidate, key: WeightCacheKey, w: WeightComparison): void {
  if (!run.opts.cache) return;
  const payload: CachedResult = {
    outcome: w.outcome,
    reason: w.reason,
    ...(w.phase ? { phase: w.phase } : {}),
    ...(w.statistic ? { statistic: w.statistic } : {}),
    ...(w.layout ? { layout: w.layout } : {}),
    ...(w.upstreamBytes !== undefined ? { upstreamBytes: w.upstreamBytes } : {}),
    remoteBytes: w.bytesRead.remote,
    localBytes: w.bytesRead.local,
  };
  try {
    run.opts.cache.putWeightResult(key, payload);
  } catch (err) {
    run.out.diagnostics.push({
      code: "cache-unwritable",
      severity: "warning",
      message: `the weight comparison of ${c.folder} could not be cached: ${(err as Error).message}`,
    });
  }
}

/** Opens both sides and compares them; whatever goes wrong with this pair, the scan goes on (undetermined, named). */
async function compareWithUpstream(
  run: SettleRun,
  c: SettleCandidate,
  key: WeightCacheKey,
  record: (r: RecordInput) => WeightComparison,
): Promise<void> {
  const { out } = run;
  const sha = key.revision;
  let local: { source: ModelSource; close: () => Promise<void> } | undefined;
  let upstream: ModelSource | undefined;
  try {
    local = await openLocal(c.files, c.folder);
    for (const p of local.source.problems)
      out.diagnostics.push({
        code: "weights-unreadable",
        severity: "warning",
        message: `${p.file}: ${p.message}`,
        location: { file: p.file },
      });
    const remaining = run.opts.budget - out.bytesRead;
    upstream = await openHubModel(c.repo, { hubUrl: run.hub.hubUrl, fetch: run.hub.fetch().fetch, revision: sha });
    const layout = layoutOf(local.source, upstream, c.kind);
    const { cache, ...decided } = await decide(
      c,
      local.source,
      upstream,
      layout,
      remaining,
      (d) => out.diagnostics.push(d),
      `${c.repo}@${sha.slice(0, 12)}`,
    );
    const w = record({
      ...decided,
      ...layoutFacts(layout),
      revision: sha,
      bytesRead: { remote: upstream.bytesRead(), local: local.source.bytesRead() },
    });
    if (cache) storeResult(run, c, key, w);
  } catch (err) {
    const f = failureOf(err);
    out.diagnostics.push({
      code: "weight-upstream-unreadable",
      severity: "warning",
      message: `${c.repo}: weights not compared (${f.reason}: ${f.message}); ${c.folder} stays undetermined`,
      location: { file: c.files[0]!.path },
    });
    record({
      outcome: "undetermined",
      reason: f.reason,
      revision: sha,
      bytesRead: { remote: upstream?.bytesRead() ?? 0, local: local?.source.bytesRead() ?? 0 },
    });
  } finally {
    out.bytesRead += upstream?.bytesRead() ?? 0;
    await local?.close();
  }
}

/** SHA-256 of the candidate's local weight files (once per folder), or undefined with a diagnostic. */
async function localHashOf(run: SettleRun, c: SettleCandidate): Promise<string | undefined> {
  try {
    let h = run.localHashes.get(c.folder);
    if (!h) run.localHashes.set(c.folder, (h = localWeightsHash(c.files)));
    return await h;
  } catch (err) {
    run.out.diagnostics.push({
      code: "weights-unreadable",
      severity: "warning",
      message: `${c.folder}: weights could not be read: ${(err as Error).message}`,
      location: { file: c.files[0]!.path },
    });
    return undefined;
  }
}

/** Settles one candidate: the preconditions (online, budget, upstream commit, local hash), the cache, the comparison. */
async function settleOne(run: SettleRun, c: SettleCandidate): Promise<void> {
  const record = recorder(c, run);
  const nothingRead = { bytesRead: { remote: 0, local: 0 } };
  if (run.opts.offline) return void record({ outcome: "undetermined", reason: "offline", ...nothingRead });
  if (run.opts.budget <= 0) return void record({ outcome: "undetermined", reason: "disabled", ...nothingRead });
  const rev = await run.hub.revisionOf(c.repo);
  if (!("sha" in rev)) {
    record({ outcome: "undetermined", reason: rev.reason, ...nothingRead });
    if (!run.said.has(c.repo))
      run.out.diagnostics.push({
        code: "weight-upstream-unreadable",
        severity: "warning",
        message: `${c.repo}: weights not compared (${rev.reason}: ${rev.message}); ${c.folder} stays undetermined`,
        location: { file: c.files[0]!.path },
      });
    run.said.add(c.repo);
    return;
  }
  const localHash = await localHashOf(run, c);
  if (localHash === undefined)
    return void record({ outcome: "undetermined", reason: "local-unreadable", revision: rev.sha, ...nothingRead });
  const key: WeightCacheKey = { repo: c.repo, revision: rev.sha, localHash, part: c.kind };
  const cached = cachedResultOf(run, c, key);
  if (cached) {
    const { remoteBytes, localBytes, ...rest } = cached;
    return void record({
      ...rest,
      revision: rev.sha,
      cached: true,
      ...nothingRead,
      firstBytesRead: { remote: remoteBytes, local: localBytes },
    });
  }
  await compareWithUpstream(run, c, key, record);
}

/**
 * Compares each candidate's local component with its upstream's, within the byte budget, and turns the results into
 * lineage evidence: `weight-identical` / `weight-similar` edges for a derived component, `not-derived` and
 * `undetermined` evidence on the configuration match otherwise. Never throws for a Hub or file problem: the
 * comparison is undetermined with the reason, and a diagnostic names the file or repo.
 */
export async function settleWeights(
  candidates: readonly SettleCandidate[],
  opts: SettleOptions,
): Promise<SettleResult> {
  const out: SettleResult = { comparisons: [], weights: [], diagnostics: [], bytesRead: 0 };
  if (candidates.length === 0) return out;
  const run: SettleRun = { opts, out, hub: hubSide(opts), localHashes: new Map(), said: new Set() };
  for (const c of candidates) await settleOne(run, c);
  out.weights.push(...evidenceOf(out.comparisons, candidates));
  return out;
}

/** Human figures of a comparison, for evidence `raw` text. */
export function comparisonSummary(w: WeightComparison): string {
  const s = w.statistic
    ? `pooled Pearson ${w.statistic.value.toFixed(4)} (control ${w.statistic.control.toFixed(4)}) over ${w.statistic.matrices} matrices, ${w.statistic.elements} values`
    : "no statistic";
  const read = w.cached
    ? `cached result (first comparison read ${w.firstBytesRead?.remote ?? 0} bytes of the upstream)`
    : `${w.bytesRead.remote} of ${w.upstreamBytes ?? "?"} upstream component bytes read`;
  return `${w.part} vs ${w.upstream.repo}${w.upstream.revision ? `@${w.upstream.revision.slice(0, 12)}` : ""}: ${w.outcome} (${w.reason}${w.phase ? `, ${w.phase}` : ""}); ${s}; ${read}`;
}

/** Lineage evidence for the comparisons: one per (component, upstream node), the strongest outcome first. */
function evidenceOf(
  comparisons: readonly WeightComparison[],
  candidates: readonly SettleCandidate[],
): WeightEvidenceInput[] {
  const out: WeightEvidenceInput[] = [];
  for (const w of comparisons) {
    const c = candidates.find((x) => x.subject === w.component && x.repo === w.upstream.repo)!;
    const strength =
      w.outcome === "identical" ? "weight-identical" : w.outcome === "derived" ? "weight-similar" : "structural";
    const args: Record<string, string | number | boolean | string[]> = {
      outcome: w.outcome,
      reason: w.reason,
      upstream: w.upstream.repo,
      ...(w.upstream.revision ? { revision: w.upstream.revision } : {}),
      component: w.part,
      ...(w.statistic
        ? {
            pearson: w.statistic.value,
            controlPearson: w.statistic.control,
            values: w.statistic.elements,
            matrices: w.statistic.matrices,
          }
        : {}),
      bytesRead: w.bytesRead.remote,
      ...(w.upstreamBytes !== undefined ? { upstreamBytes: w.upstreamBytes } : {}),
      ...(w.cached ? { cached: true } : {}),
      command: w.command,
    };
    out.push({
      subject: w.component,
      target: {
        entry: `${w.upstream.repo}${w.upstream.revision ? `@${w.upstream.revision}` : ""}`,
        name: w.upstream.repo,
        role: "model",
        ...(c.knownComponent ? { knownComponent: c.knownComponent } : {}),
        repo: w.upstream.repo,
        node: c.node,
      },
      outcome: w.outcome === "identical" || w.outcome === "derived" ? "derived" : w.outcome,
      evidence: {
        code: "weight-comparison",
        strength,
        location: { file: c.files[0]!.path },
        raw: comparisonSummary(w),
        args,
      },
    });
  }
  return out;
}
