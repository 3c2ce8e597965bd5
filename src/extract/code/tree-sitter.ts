/**
 * Loads web-tree-sitter and the Python, JavaScript, TypeScript and TSX grammars shipped as `.wasm` files inside the
 * grammar npm packages (`tree-sitter-python`, `tree-sitter-javascript`, `tree-sitter-typescript`). Pure WASM: no
 * native build. Grammar ABI 14/15 is supported by web-tree-sitter 0.25 (https://github.com/tree-sitter/tree-sitter).
 * Each grammar and its {@link Parser} are made once per thread and reused: a parse and the visit of its tree run
 * synchronously inside {@link withTree}, so concurrent extractions never share a parser mid-parse.
 */
import { createRequire } from "node:module";
import { Language, Parser, Query, type Node } from "web-tree-sitter";
import { analysisBudgetMs, AnalysisBudgetError, countParse } from "../budget.js";

export type { Node as SyntaxNode };

/** Grammars aiprov parses. */
export type GrammarId = "python" | "javascript" | "typescript" | "tsx";

const WASM: Record<GrammarId, string> = {
  python: "tree-sitter-python/tree-sitter-python.wasm",
  javascript: "tree-sitter-javascript/tree-sitter-javascript.wasm",
  typescript: "tree-sitter-typescript/tree-sitter-typescript.wasm",
  tsx: "tree-sitter-typescript/tree-sitter-tsx.wasm",
};

const require = createRequire(import.meta.url);
let init: Promise<void> | undefined;
const languages = new Map<GrammarId, Promise<Language>>();

/** Loads (once) the grammar `id`. @throws Error when the grammar's `.wasm` file cannot be found or loaded. */
export function loadGrammar(id: GrammarId): Promise<Language> {
  init ??= Parser.init();
  let lang = languages.get(id);
  if (!lang) {
    lang = init.then(() => Language.load(require.resolve(WASM[id])));
    languages.set(id, lang);
  }
  return lang;
}

/**
 * Parses `text` with grammar `id` and hands the tree to `use`; the tree's WASM memory is freed afterwards.
 * Tree-sitter never throws on syntax errors: it yields ERROR nodes, so partial files still give their references.
 */
export async function withTree<T>(
  id: GrammarId,
  text: string,
  use: (root: Node) => T,
  budgetMs = analysisBudgetMs(),
): Promise<T> {
  const lang = await loadGrammar(id);
  let parser = parsers.get(id);
  if (!parser) {
    parser = new Parser();
    parser.setLanguage(lang);
    parsers.set(id, parser);
  }
  // The parse and the analysis of its tree share one per-file budget: the parse is cancelled past the deadline, and
  // walks over the tree check it (see checkBudget).
  countParse();
  const deadline = performance.now() + budgetMs;
  const cancel = ((): boolean => performance.now() > deadline) as unknown as () => void;
  const tree = parser.parse(text, null, { progressCallback: cancel });
  try {
    if (!tree && performance.now() > deadline) throw new AnalysisBudgetError(budgetMs, `parsing as ${id}`);
    if (!tree) throw new Error(`tree-sitter could not parse the file as ${id}`);
    current = { deadline, budgetMs };
    return use(tree.rootNode);
  } finally {
    current = undefined;
    tree?.delete();
    parser.reset();
  }
}

/** The budget of the analysis running now (set by withTree while its synchronous `use` runs). */
let current: { deadline: number; budgetMs: number } | undefined;

/** @throws AnalysisBudgetError when the analysis running inside {@link withTree} has passed its per-file budget. */
export function checkBudget(): void {
  if (current && performance.now() > current.deadline) throw new AnalysisBudgetError(current.budgetMs, "code analysis");
}

/** One parser per grammar and thread (see the module comment). */
const parsers = new Map<GrammarId, Parser>();

/**
 * Calls `visit` on every named node below `root`, depth first, in source order; with `types`, only on nodes of those
 * types (the cursor reads a node's type without building a Node object, which is most of the walk's cost).
 */
export function walkNamed(root: Node, visit: (n: Node) => void, types?: ReadonlySet<string>): void {
  if (types) {
    // A query runs inside the WASM module and hands back only the wanted nodes, in source order.
    const captures = queryFor(root.tree.language, types).captures(root);
    checkBudget();
    let n = 0;
    for (const c of captures) {
      if ((++n & 255) === 0) checkBudget();
      visit(c.node);
    }
    return;
  }
  const cursor = root.walk();
  try {
    let done = false;
    let n = 0;
    while (!done) {
      if ((++n & 1023) === 0) checkBudget();
      if (cursor.nodeIsNamed) visit(cursor.currentNode);
      if (cursor.gotoFirstChild()) continue;
      while (!cursor.gotoNextSibling()) {
        if (!cursor.gotoParent()) {
          done = true;
          break;
        }
      }
    }
  } finally {
    cursor.delete();
  }
}

const queries = new Map<Language, Map<ReadonlySet<string>, Query>>();

/** A query capturing every node of the given types (cached per grammar and type set). */
function queryFor(language: Language, types: ReadonlySet<string>): Query {
  let byTypes = queries.get(language);
  if (!byTypes) queries.set(language, (byTypes = new Map()));
  let q = byTypes.get(types);
  if (!q) {
    q = new Query(language, [...types].map((t) => `(${t}) @n`).join("\n"));
    byTypes.set(types, q);
  }
  return q;
}

/**
 * Largest source file parsed and analysed (1 MiB). Hand-written code is far smaller; a larger file is generated or
 * bundled, and analysing it takes seconds and hundreds of megabytes (measured: a 512 KiB Python file of 57,000
 * assignments, 1.7 s and 367 MB peak; 1.8 MB, 5.2 s and 1 GB). A larger file is searched for loader words instead,
 * and one that holds some is reported as not read (see `holdsReferences` in `src/extract/types.ts`).
 */
export const CODE_ANALYSIS_MAX_BYTES = 1024 * 1024;
