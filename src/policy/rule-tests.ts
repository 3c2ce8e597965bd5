/**
 * Rule pack tests, in the style of ESLint's RuleTester (eslint/eslint `lib/rule-tester/rule-tester.js`): each rule
 * of a pack has `valid` cases where it must report nothing and `invalid` cases listing exactly the findings it must
 * report (node and message id, optionally severity, verdict and target). A case is a small lineage graph plus the
 * inventory facts rules read (references, component facts, project files and attribution documents). The same runner
 * serves `aiprov rules test <dir>` (users' own packs) and `npm test` (every shipped pack).
 *
 * File layout: `<pack>.tests.yaml` beside `<pack>.yaml`, validated by `schemas/rule-tests.schema.json`.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { parseDocument } from "yaml";
import { ConfigError, UsageError } from "../errors.js";
import type {
  Evidence,
  LineageEdge,
  LineageGraph,
  LineageNode,
  LocalComponent,
  ModelReference,
  Relation,
  EvidenceStrength,
  ComponentRole,
  Severity,
} from "../model/types.js";
import type { ProjectDocument } from "../extract/types.js";
import { validate } from "../util/schema.js";
import { evaluatePacks, type PolicyContext } from "./engine.js";
import { loadPacks, parameterProblems } from "./load.js";
import type { RulePack } from "./types.js";
import { cutAtAny } from "../util/text.js";

/** One test case as written (see the schema for every field). */
export interface RuleTestCase {
  name: string;
  parameters?: Record<string, unknown>;
  nodes: {
    id: string;
    kind?: "local" | "upstream" | "hosted";
    role?: string;
    name?: string;
    repo?: string;
    repos?: string[];
    knownComponent?: string;
    publisher?: { org: string; entity?: string; country: string; repackager?: boolean };
    license?: string;
    status?: LineageNode["status"];
    statusReason?: string;
    inProduct?: boolean;
    claimsFromScratch?: boolean;
  }[];
  edges?: {
    from: string;
    to: string;
    relation: Relation;
    strength?: EvidenceStrength;
    level?: "checkpoint" | "family";
    file?: string;
  }[];
  references?: {
    target: string;
    kind?: ModelReference["kind"];
    raw?: string;
    revision?: string;
    subject?: string;
    extractor?: string;
    file?: string;
    line?: number;
    facts?: Record<string, string | number | boolean>;
  }[];
  components?: { key: string; facts?: Record<string, string | number | boolean | string[]> }[];
  files?: string[];
  documents?: { file: string; text: string; kind?: ProjectDocument["kind"] }[];
  errors?: {
    node: string;
    messageId: string;
    severity?: Severity;
    verdict?: "fail" | "undetermined";
    target?: string;
  }[];
}

/** A pack's test file. */
export interface RuleTestFile {
  pack: string;
  tests: Record<string, { valid: RuleTestCase[]; invalid: RuleTestCase[] }>;
}

/** Result of one case (or of a pack-level check such as "rule X has no tests"). */
export interface RuleTestResult {
  pack: string;
  rule: string;
  kind: "valid" | "invalid" | "coverage";
  name: string;
  ok: boolean;
  /** Why it failed, one line per problem. */
  problems: string[];
}

/** Expands a case's shorthand into a lineage graph and a policy context. */
export function caseInput(c: RuleTestCase, file: string): { graph: LineageGraph; context: PolicyContext } {
  const loc = { file: basename(file) };
  const nodes: LineageNode[] = c.nodes.map((n) => {
    const kind = n.kind ?? (n.id.startsWith("local:") ? "local" : n.id.startsWith("hosted:") ? "hosted" : "upstream");
    const node: LineageNode = {
      id: n.id,
      kind,
      role: (n.role ?? "model") as ComponentRole,
      name: n.name ?? n.id.replace(/^[a-z]+:/, ""),
      status: n.status ?? (kind === "local" ? "no-third-party-lineage" : "third-party"),
      inProduct: n.inProduct ?? kind === "local",
      ...(n.repo ? { repo: n.repo } : {}),
      ...(n.repos ? { repos: n.repos } : {}),
      ...(n.knownComponent ? { knownComponent: n.knownComponent } : {}),
      ...(n.publisher
        ? {
            publisher: {
              org: n.publisher.org,
              entity: n.publisher.entity ?? n.publisher.org,
              country: n.publisher.country,
              ...(n.publisher.repackager ? { repackager: true } : {}),
            },
          }
        : {}),
      ...(n.license ? { license: n.license } : {}),
      ...(n.statusReason ? { statusReason: { code: n.statusReason } } : {}),
      ...(n.claimsFromScratch
        ? {
            claims: {
              fromScratch: {
                code: "card-claims-from-scratch",
                strength: "declared",
                location: { file: "README.md", line: 1 },
                raw: "trained from scratch",
              } satisfies Evidence,
            },
          }
        : {}),
      ...(kind === "local" ? { location: { file: cutAtAny(n.id.replace(/^local:/, ""), "#") } } : {}),
    };
    return node;
  });
  const edges: LineageEdge[] = (c.edges ?? []).map((e, i) => {
    const strength = e.strength ?? (e.relation === "same-architecture" ? "structural" : "declared");
    const evidence: Evidence = {
      code: e.relation === "same-architecture" ? "signature-match" : "test-edge",
      strength,
      location: { file: e.file ?? loc.file, line: i + 1 },
      ...(e.level ? { args: { level: e.level } } : {}),
    };
    return { id: `e${i}`, from: e.from, to: e.to, relation: e.relation, strength, evidence: [evidence] };
  });
  const references: ModelReference[] = (c.references ?? []).map((r, i) => ({
    id: `r${i}`,
    extractor: r.extractor ?? "test",
    kind: r.kind ?? "hub-id",
    raw: r.raw ?? r.target,
    target: r.target,
    strength: "declared",
    location: { file: r.file ?? "app.py", line: r.line ?? i + 1 },
    ...(r.revision ? { revision: r.revision } : {}),
    ...(r.subject ? { subject: r.subject } : {}),
    ...(r.facts ? { facts: r.facts } : {}),
  }));
  const components: LocalComponent[] = (c.components ?? []).map((x) => ({
    key: x.key,
    role: "model",
    name: x.key,
    location: { file: cutAtAny(x.key, "#") },
    ...(x.facts ? { facts: x.facts } : {}),
  }));
  const documents: ProjectDocument[] = (c.documents ?? []).map((d) => ({
    file: d.file,
    text: d.text,
    kind: d.kind ?? "readme",
  }));
  const files = [...new Set([...(c.files ?? []), ...documents.map((d) => d.file)])];
  return { graph: { nodes, edges }, context: { references, components, files, documents } };
}

/** Structural problems of a case the schema cannot see: edges and errors naming nodes that do not exist. */
function caseProblems(c: RuleTestCase, where: string): string[] {
  const ids = new Set(c.nodes.map((n) => n.id));
  const problems: string[] = [];
  (c.edges ?? []).forEach((e, i) => {
    if (!ids.has(e.from)) problems.push(`${where}/edges/${i}/from: no node '${e.from}'`);
    if (!ids.has(e.to)) problems.push(`${where}/edges/${i}/to: no node '${e.to}'`);
  });
  (c.errors ?? []).forEach((e, i) => {
    if (!ids.has(e.node)) problems.push(`${where}/errors/${i}/node: no node '${e.node}'`);
  });
  return problems;
}

/**
 * Loads a test file. @throws ConfigError listing every problem (YAML, schema, unknown rule, dangling node ids).
 */
export function loadRuleTests(file: string, pack: RulePack): RuleTestFile {
  const doc = parseDocument(readFileSync(file, "utf8"), { uniqueKeys: true });
  if (doc.errors.length > 0)
    throw new ConfigError(
      "invalid rule tests:",
      doc.errors.map((e) => `${file}:${e.linePos?.[0]?.line ?? 1}: invalid YAML: ${e.message.split("\n")[0]}`),
    );
  const data = doc.toJS({ maxAliasCount: 1000 }) as unknown;
  const errs = validate("rule-tests.schema.json", data, file);
  if (errs.length > 0) throw new ConfigError("invalid rule tests:", errs);
  const t = data as RuleTestFile;
  const problems: string[] = [];
  if (t.pack !== pack.id) problems.push(`${file}:/pack: '${t.pack}' is not the pack beside it ('${pack.id}')`);
  const ruleIds = new Set(pack.rules.map((r) => r.id));
  for (const [rule, cases] of Object.entries(t.tests)) {
    if (!ruleIds.has(rule)) problems.push(`${file}:/tests/${rule}: pack ${pack.id} has no rule '${rule}'`);
    for (const kind of ["valid", "invalid"] as const) {
      cases[kind].forEach((c, i) => {
        problems.push(...caseProblems(c, `${file}:/tests/${rule}/${kind}/${i}`));
        if (kind === "invalid" && !c.errors?.length)
          problems.push(
            `${file}:/tests/${rule}/invalid/${i}/errors: an invalid case must list at least one expected finding`,
          );
        if (kind === "valid" && c.errors)
          problems.push(
            `${file}:/tests/${rule}/valid/${i}/errors: a valid case expects no finding; move it to invalid`,
          );
        if (c.parameters)
          problems.push(
            ...parameterProblems([pack], { [pack.id]: c.parameters }, `${file}:/tests/${rule}/${kind}/${i}`, [
              pack.id,
            ]).map((p) => p.replace(`/parameters/${pack.id}/`, "/parameters/")),
          );
      });
    }
  }
  if (problems.length > 0) throw new ConfigError("invalid rule tests:", problems);
  return t;
}

const key = (x: { node: string; messageId: string }): string => `${x.node} ${x.messageId}`;

/** Runs one case of one rule. */
function runCase(
  pack: RulePack,
  rule: string,
  kind: "valid" | "invalid",
  c: RuleTestCase,
  file: string,
): RuleTestResult {
  const { graph, context } = caseInput(c, file);
  const one: RulePack = { ...pack, rules: pack.rules.filter((r) => r.id === rule) };
  const { findings } = evaluatePacks(graph, [one], { [pack.id]: c.parameters ?? {} }, context);
  const problems: string[] = [];
  if (kind === "valid") {
    for (const f of findings) problems.push(`expected no finding, got ${f.node} (${f.message.id}): ${f.message.text}`);
  } else {
    const expected = [...(c.errors ?? [])];
    const got = findings.map((f) => ({
      node: f.node,
      messageId: f.message.id,
      severity: f.severity,
      verdict: f.verdict,
      target: f.path[f.path.length - 1]!,
      text: f.message.text,
    }));
    for (const e of expected) {
      const i = got.findIndex((g) => key(g) === key(e));
      if (i < 0) {
        problems.push(`expected a finding on ${e.node} (${e.messageId}), got none`);
        continue;
      }
      const g = got.splice(i, 1)[0]!;
      if (e.severity && g.severity !== e.severity)
        problems.push(`${e.node}: expected severity ${e.severity}, got ${g.severity}`);
      if (e.verdict && g.verdict !== e.verdict)
        problems.push(`${e.node}: expected verdict ${e.verdict}, got ${g.verdict}`);
      if (e.target && g.target !== e.target) problems.push(`${e.node}: expected target ${e.target}, got ${g.target}`);
    }
    for (const g of got) problems.push(`unexpected finding on ${g.node} (${g.messageId}): ${g.text}`);
  }
  return { pack: pack.id, rule, kind, name: c.name, ok: problems.length === 0, problems };
}

/** Runs every case of a pack's test file; also fails each rule that lacks a valid or an invalid case. */
export function runPackTests(pack: RulePack, tests: RuleTestFile, file: string): RuleTestResult[] {
  const results: RuleTestResult[] = [];
  for (const r of pack.rules) {
    const cases = tests.tests[r.id];
    if (!cases) {
      results.push({
        pack: pack.id,
        rule: r.id,
        kind: "coverage",
        name: "has valid and invalid cases",
        ok: false,
        problems: [`rule ${r.id} has no test cases in ${basename(file)}`],
      });
      continue;
    }
    for (const kind of ["valid", "invalid"] as const)
      for (const c of cases[kind]) results.push(runCase(pack, r.id, kind, c, file));
  }
  return results;
}

/** The packs (and their test files) of a folder or of one pack file: `<id>.yaml` with `<id>.tests.yaml` beside it. */
export function packsWithTests(target: string): { packFile: string; testsFile: string }[] {
  if (!existsSync(target)) throw new UsageError(`${target}: no such file or directory`);
  const packFiles = statSync(target).isDirectory()
    ? readdirSync(target)
        .filter((f) => /\.ya?ml$/.test(f) && !/\.tests\.ya?ml$/.test(f))
        .sort()
        .map((f) => join(target, f))
    : [target];
  return packFiles.map((packFile) => ({
    packFile,
    testsFile: join(dirname(packFile), basename(packFile).replace(/\.ya?ml$/, ".tests.yaml")),
  }));
}

/**
 * Loads and tests every pack of a folder (or one pack file). A pack without a test file fails (every rule needs cases).
 * @throws UsageError for a missing path; ConfigError listing every invalid pack or test file (nothing is run then).
 */
export function testPacks(target: string): RuleTestResult[] {
  const entries = packsWithTests(target);
  if (entries.length === 0) throw new UsageError(`${target}: no rule pack (*.yaml) found`);
  const problems: string[] = [];
  const loaded: { pack: RulePack; tests?: RuleTestFile; testsFile: string }[] = [];
  for (const e of entries) {
    let pack: RulePack;
    try {
      pack = loadPacks([e.packFile])[0]!;
    } catch (err) {
      if (err instanceof ConfigError) problems.push(...err.problems);
      else throw err;
      continue;
    }
    if (!existsSync(e.testsFile)) {
      loaded.push({ pack, testsFile: e.testsFile });
      continue;
    }
    try {
      loaded.push({ pack, tests: loadRuleTests(e.testsFile, pack), testsFile: e.testsFile });
    } catch (err) {
      if (err instanceof ConfigError) problems.push(...err.problems);
      else throw err;
    }
  }
  if (problems.length > 0) throw new ConfigError("invalid rule packs or tests (nothing was run):", problems);
  const results: RuleTestResult[] = [];
  for (const l of loaded) {
    if (!l.tests)
      results.push({
        pack: l.pack.id,
        rule: "*",
        kind: "coverage",
        name: "has a test file",
        ok: false,
        problems: [`no test file ${basename(l.testsFile)} beside ${basename(l.pack.file)}`],
      });
    else results.push(...runPackTests(l.pack, l.tests, l.testsFile));
  }
  return results;
}
