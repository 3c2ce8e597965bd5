/**
 * Per-file budgets of the extraction (issue 11: a hostile file must not hang the scan; issue 13: an analysis budget
 * per file). A file whose parse and analysis take longer than {@link ANALYSIS_BUDGET_MS} is abandoned: the run names
 * it in a diagnostic and, when its bytes hold model words, keeps an unresolved reference for it, so the product is
 * undetermined rather than silently clean. Worker threads also have a hard time and memory budget per file
 * (`src/extract/pool.ts`), for code that never reaches a budget check.
 */

/**
 * Longest a file's parse and code analysis may take in one thread by default, in milliseconds (10 s of wall time). The
 * largest file analysed (1 MiB, `CODE_ANALYSIS_MAX_BYTES`) takes about 3 s on a quiet machine; the margin keeps a
 * loaded CI runner from abandoning ordinary files.
 */
export const ANALYSIS_BUDGET_MS = 10_000;

let budget = ANALYSIS_BUDGET_MS;

/** The per-file analysis budget of this thread, in milliseconds. */
export function analysisBudgetMs(): number {
  return budget;
}

/** Sets this thread's per-file analysis budget (from `ExtractContext.analysisBudgetMs`; tests make it tiny). */
export function setAnalysisBudget(ms: number): void {
  budget = ms;
}

/** Thrown when a file's analysis runs past its budget; the core turns it into a diagnostic naming the file. */
export class AnalysisBudgetError extends Error {
  constructor(
    readonly budgetMs: number,
    readonly stage: string,
  ) {
    super(
      `${stage} took longer than the ${budgetMs / 1000} s per-file budget: abandoned, its references are undetermined`,
    );
    this.name = "AnalysisBudgetError";
  }
}

let parsed = 0;

/** Counts one file parsed as code in this thread (called by the tree-sitter wrapper). */
export function countParse(): void {
  parsed++;
}

/** Files parsed as code in this thread so far. */
export function parsedFiles(): number {
  return parsed;
}

/**
 * A file a worker thread gave up on: it ran past the hard time budget (code that never reached a budget check), or the
 * thread ran out of its heap while reading it. Raised by the pool (`src/extract/pool.ts`), turned into a diagnostic.
 */
export class FileBudgetError extends Error {
  constructor(
    readonly kind: "time" | "memory",
    detail: string,
  ) {
    super(
      kind === "time"
        ? `extraction took longer than the hard per-file budget (${detail}): abandoned, its references are undetermined`
        : `extraction ran out of the worker's memory budget (${detail}): abandoned, its references are undetermined`,
    );
    this.name = "FileBudgetError";
  }
}
