/**
 * The scope pass of the lineage: a model named only by test or benchmark code is not part of the product. Like the
 * development dependencies of a package manifest (Trivy's and osv-scanner's dev scope, CycloneDX `scope: excluded`),
 * such a node stays in the inventory with `scope: "test"` and raises no product finding unless the scan asks for test
 * code (`--include-test-code`). A node named by product code and by tests stays product; an ancestor reached only
 * through test-scope nodes is test scope too.
 */
import type { LineageGraph, LineageNode, SourceLocation } from "../model/types.js";

/** Folder names that hold tests, test fixtures or benchmarks (any segment of the path). */
const TEST_FOLDERS: ReadonlySet<string> = new Set([
  "test",
  "tests",
  "__tests__",
  "__mocks__",
  "__fixtures__",
  "testdata",
  "benchmark",
  "benchmarks",
]);

/**
 * Test file names by convention: pytest (`test_*.py`, `*_test.py`, `conftest.py`), Go (`*_test.go`), Jest / Vitest /
 * Mocha (`*.test.ts`, `*.spec.js`, ...).
 */
const TEST_FILE = [/^test_[^/]*\.py$/, /_test\.(?:py|go)$/, /^conftest\.py$/, /\.(?:test|spec)\.[cm]?[jt]sx?$/];

/** Whether a root-relative path is test or benchmark code (see {@link TEST_FOLDERS} and {@link TEST_FILE}). */
export function isTestCodePath(path: string): boolean {
  const segments = path.split("/");
  const base = segments.pop() ?? "";
  return segments.some((s) => TEST_FOLDERS.has(s.toLowerCase())) || TEST_FILE.some((re) => re.test(base));
}

/** The places that bring a node into the tree: every reference naming it, else its own location. */
function placesOf(n: LineageNode): SourceLocation[] {
  if (n.locations?.length) return n.locations;
  return n.location ? [n.location] : [];
}

/**
 * Marks test-scope nodes (see the module comment) in place: a node whose every place is test code, then, until
 * nothing changes, a node no reference names whose dependents (the nodes with an edge to it) are all test scope.
 * @returns the number of nodes marked.
 */
export function markTestScope(graph: LineageGraph): number {
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  const dependents = new Map<string, string[]>();
  for (const e of graph.edges) dependents.set(e.to, [...(dependents.get(e.to) ?? []), e.from]);
  let marked = 0;
  for (const n of graph.nodes) {
    const places = placesOf(n);
    if (places.length > 0 && places.every((l) => isTestCodePath(l.file))) {
      n.scope = "test";
      marked++;
    }
  }
  for (let changed = true; changed;) {
    changed = false;
    for (const n of graph.nodes) {
      if (n.scope || placesOf(n).length > 0) continue;
      const from = dependents.get(n.id) ?? [];
      if (from.length > 0 && from.every((id) => byId.get(id)?.scope === "test")) {
        n.scope = "test";
        marked++;
        changed = true;
      }
    }
  }
  return marked;
}
