/**
 * The scan's progress line on stderr: shown only when stderr is a terminal, the scan has run longer than `delayMs`
 * (default 1 s) and `--quiet` is off; redrawn in place (`\r`, erase to end of line) every 250 ms with the stage
 * running, the elapsed time and, while the Hub is asked, `done/total` repos; erased when the scan ends, so the report
 * that follows starts on a clean line. `--verbose` instead prints one line per finished stage with its wall time
 * (on any stderr, terminal or not). Stage names are those `scan()` reports through `onStage`.
 */
import type { CliIO } from "./io.js";

/** What each stage is doing, in the order `scan()` runs them (src/scan/scan.ts). */
const STAGES: readonly [string, string][] = [
  ["walk", "listing files"],
  ["extract", "reading files"],
  ["link", "linking references"],
  ["resolve", "resolving lineage"],
  ["weights", "reading weights"],
  ["lineage", "building the lineage"],
  ["settle", "comparing weights with upstreams"],
  ["policy", "applying rule packs"],
  ["assemble", "writing the result"],
];

/** How much the scan says on stderr: `quiet` (nothing but errors), `normal` (the TTY line), `verbose` (stage lines). */
export type Verbosity = "quiet" | "normal" | "verbose";

/** The hooks {@link scanProgress} gives the scan, and `stop` to erase the line. */
export interface ScanProgress {
  /** Pass to `scan({ onStage })`: a stage finished after `ms` milliseconds. */
  onStage: (stage: string, ms: number) => void;
  /** Pass to `scan({ onFileListed })`: one more file listed. */
  onFile: () => void;
  /** Pass to the Hub resolver: `done` of `total` repos read. */
  onHub: (done: number, total: number) => void;
  /** Erases the line (idempotent); call before anything else is printed. */
  stop: () => void;
}

/** Starts the progress display for one scan (see the module comment). `now` is injectable for tests. */
export function scanProgress(
  io: CliIO,
  options: { stderrIsTTY: boolean; verbosity: Verbosity; delayMs?: number; now?: () => number },
): ScanProgress {
  const now = options.now ?? (() => performance.now());
  const started = now();
  let stage = 0;
  let hub: [number, number] | undefined;
  let files = 0;
  let shown = false;
  const live = options.stderrIsTTY && options.verbosity === "normal";
  const draw = (): void => {
    if (now() - started < (options.delayMs ?? 1000)) return;
    const what = STAGES[Math.min(stage, STAGES.length - 1)]![1];
    const repos = hub && STAGES[stage]?.[0] === "resolve" ? ` ${hub[0]}/${hub[1]} repos` : "";
    const count = stage <= 1 ? ` ${files.toLocaleString("en-US")} files` : "";
    io.stderr(`\r\x1b[Kaiprov: ${what}${count}${repos} (${((now() - started) / 1000).toFixed(1)} s)`);
    shown = true;
  };
  const timer = live ? setInterval(draw, 250) : undefined;
  timer?.unref();
  return {
    onStage: (name, ms) => {
      const i = STAGES.findIndex(([n]) => n === name);
      if (i >= 0) stage = i + 1;
      if (options.verbosity === "verbose") io.stderr(`aiprov: ${name} done in ${ms.toFixed(0)} ms\n`);
    },
    onFile: () => {
      files++;
    },
    onHub: (done, total) => {
      hub = [done, total];
      if (live) draw();
    },
    stop: () => {
      if (timer) clearInterval(timer);
      if (shown) io.stderr("\r\x1b[K");
      shown = false;
    },
  };
}
