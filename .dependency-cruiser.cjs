// Import rules (dependency-cruiser, `npm run lint:imports`, part of `npm test`): the stage order of the pipeline in
// ../shared/STYLE.md, and no import cycles.
//
//   cli  ->  config  ->  discover  ->  extract  ->  resolve  ->  fingerprint  ->  lineage  ->  policy  ->  report
//
// A stage consumes what earlier stages produce, so it may import earlier stages (extract reads discover's file list,
// lineage reads resolve's upstream records, report reads policy's verdict) and never a later one: that would be a
// back-edge. `cli` is the entry point and `scan` the orchestrator: they wire every stage together and nothing but
// `cli` imports `scan`. `fingerprint` (reading local and remote weights) sits after `resolve`, whose HTTP client it
// uses. `model`, `util`, `formats` and `errors.ts` are shared libraries that import no stage. Tests (`*.test.ts`) may
// drive later stages (an extractor test may run a whole scan) but take part in the cycle check.
const STAGES = ["config", "discover", "extract", "resolve", "fingerprint", "lineage", "policy", "report"];

module.exports = {
  forbidden: [
    {
      name: "no-cycle",
      severity: "error",
      comment: "An import cycle hides the order the stages run in.",
      from: {},
      to: { circular: true },
    },
    ...STAGES.slice(0, -1).map((stage, i) => ({
      name: `stage-order-${stage}`,
      severity: "error",
      comment: `${stage} may not import a later stage (${STAGES.slice(i + 1).join(", ")}), nor cli or scan: data flows one way.`,
      from: { path: `^src/${stage}/`, pathNot: "\\.test\\.ts$" },
      to: { path: `^src/(?:${STAGES.slice(i + 1).join("|")}|cli|scan)/` },
    })),
    {
      name: "stage-order-report",
      severity: "error",
      comment: "report may not import cli or scan.",
      from: { path: "^src/report/", pathNot: "\\.test\\.ts$" },
      to: { path: "^src/(?:cli|scan)/" },
    },
    {
      name: "only-cli-runs-scan",
      severity: "error",
      comment: "scan orchestrates the stages; only cli calls it.",
      from: { path: "^src/", pathNot: "^src/(?:cli|scan|identification)/|\\.test\\.ts$" },
      to: { path: "^src/scan/" },
    },
    {
      name: "libraries-import-no-stage",
      severity: "error",
      comment: "model, util, formats and errors are shared libraries.",
      from: { path: "^src/(?:model/|util/|formats/|errors\\.ts)", pathNot: "\\.test\\.ts$" },
      to: { path: `^src/(?:${STAGES.join("|")}|cli|scan|local-hub)/` },
    },
    {
      name: "no-test-helpers-in-src",
      severity: "error",
      comment: "src/ never imports tests/ (tests/helpers is for tests/ only).",
      from: { path: "^src/" },
      to: { path: "^tests/" },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    exclude: { path: "(?:^dist/|/fixtures/)" },
  },
};
