/**
 * Loading and validating rule packs. A pack is named by id (a bundled `rules/<id>.yaml`) or by a path to a YAML file.
 * Every problem is reported at once, as `file:path: message`, before any scanning.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { basename } from "node:path";
import { yaml } from "../util/yaml.js";
import { ConfigError } from "../errors.js";
import { packagePath } from "../util/package-root.js";
import { validate } from "../util/schema.js";
import { predicateOf } from "./engine.js";
import type { Condition, PackParameter, RulePack } from "./types.js";

/** Folder of the bundled packs. */
export const BUNDLED_RULES_DIR = packagePath("rules");

/** Ids of the bundled packs, sorted. */
export function bundledPackIds(): string[] {
  return readdirSync(BUNDLED_RULES_DIR)
    .filter((f) => f.endsWith(".yaml") && !f.endsWith(".tests.yaml"))
    .map((f) => f.replace(/\.yaml$/, ""))
    .sort();
}

function packFile(nameOrPath: string): string | undefined {
  if (/[\\/]|\.ya?ml$/.test(nameOrPath)) return existsSync(nameOrPath) ? nameOrPath : undefined;
  const f = packagePath("rules", `${nameOrPath}.yaml`);
  return existsSync(f) ? f : undefined;
}

/** Parameters a condition uses, with the type each use needs (declared per predicate in the engine's registry). */
function collectParams(cond: Condition, out: Map<string, "string-list" | "boolean">): void {
  const { predicate, arg } = predicateOf(cond);
  if (typeof arg === "string" && arg.startsWith("$") && predicate.param) out.set(arg.slice(1), predicate.param);
  for (const child of predicate.children(arg)) collectParams(child, out);
}

/** Parameters a condition uses that the pack does not declare, or declares with another type. */
function conditionParamProblems(pack: RulePack, cond: Condition, where: string): string[] {
  const used = new Map<string, "string-list" | "boolean">();
  collectParams(cond, used);
  const problems: string[] = [];
  for (const [p, type] of used) {
    const decl = pack.parameters?.[p];
    if (!decl) problems.push(`${where}: unknown parameter '$${p}'`);
    else if (decl.type !== type)
      problems.push(
        `${where}: parameter '$${p}' is used as ${type === "boolean" ? "a boolean" : "a list"} but declared ${decl.type}`,
      );
  }
  return problems;
}

/** Checks what the schema cannot: unique rule ids, file name = id, parameters used exist, defaults have the declared type. */
function semanticProblems(pack: RulePack, file: string): string[] {
  const problems: string[] = [];
  const stem = basename(file).replace(/\.ya?ml$/, "");
  if (stem !== pack.id) problems.push(`${file}:/id: pack id '${pack.id}' must equal the file name '${stem}'`);
  const seen = new Set<string>();
  pack.rules.forEach((r, i) => {
    if (seen.has(r.id)) problems.push(`${file}:/rules/${i}/id: duplicate rule id '${r.id}'`);
    seen.add(r.id);
    problems.push(...conditionParamProblems(pack, r.when, `${file}:/rules/${i}/when`));
    const choices = typeof r.message === "string" ? [{ id: r.message }] : (r.message ?? []);
    choices.forEach((c, j) => {
      const where = typeof r.message === "string" ? "message" : `message/${j}`;
      if (!Object.hasOwn(r.messages, c.id))
        problems.push(
          `${file}:/rules/${i}/${where}${where === "message" ? "" : "/id"}: unknown message id '${c.id}' (messages: ${Object.keys(r.messages).join(", ")})`,
        );
      if ("when" in c && c.when)
        problems.push(...conditionParamProblems(pack, c.when, `${file}:/rules/${i}/${where}/when`));
    });
    if (r.severity.startsWith("$")) {
      const decl = pack.parameters?.[r.severity.slice(1)];
      if (!decl) problems.push(`${file}:/rules/${i}/severity: unknown parameter '${r.severity}'`);
      else if (decl.type !== "severity")
        problems.push(
          `${file}:/rules/${i}/severity: parameter '${r.severity}' must be declared with type severity, not ${decl.type}`,
        );
    }
  });
  for (const [k, p] of Object.entries(pack.parameters ?? {})) {
    const problem = parameterTypeProblem(p.type, p.default);
    if (problem) problems.push(`${file}:/parameters/${k}/default: ${problem}`);
  }
  return problems;
}

/** Why a value does not fit a parameter type, or undefined when it does. */
export function parameterTypeProblem(type: PackParameter["type"], value: unknown): string | undefined {
  switch (type) {
    case "string-list":
      return Array.isArray(value) && value.every((x) => typeof x === "string")
        ? undefined
        : `must be a list of strings (type ${type})`;
    case "boolean":
      return typeof value === "boolean" ? undefined : `must be true or false (type ${type})`;
    case "string":
      return typeof value === "string" ? undefined : `must be a string (type ${type})`;
    case "severity":
      return value === "error" || value === "warning" || value === "note"
        ? undefined
        : `must be one of error, warning, note (type ${type})`;
  }
}

/**
 * Checks a config file's `parameters` against the packs being applied: every parameter of an applied pack must be
 * declared by it and have the declared type. Parameters of packs not applied in this run are not checked (one config
 * may serve several runs), but a pack id that is neither applied nor bundled is reported (a typo would silently drop
 * every override of it).
 * @returns problems as `file:/parameters/<pack>/<name>: message` (empty when all are valid).
 */
export function parameterProblems(
  packs: readonly RulePack[],
  overrides: Record<string, Record<string, unknown>>,
  file: string,
  knownPackIds: readonly string[] = bundledPackIds(),
): string[] {
  const problems: string[] = [];
  for (const id of Object.keys(overrides)) {
    if (!packs.some((p) => p.id === id) && !knownPackIds.includes(id))
      problems.push(`${file}:/parameters/${id}: no such rule pack (bundled packs: ${knownPackIds.join(", ")})`);
  }
  for (const pack of packs) {
    for (const [name, value] of Object.entries(overrides[pack.id] ?? {})) {
      const decl = pack.parameters?.[name];
      const where = `${file}:/parameters/${pack.id}/${name}`;
      if (!decl) {
        const known = Object.keys(pack.parameters ?? {});
        problems.push(
          `${where}: unknown parameter of pack ${pack.id}${known.length ? ` (parameters: ${known.join(", ")})` : " (it has none)"}`,
        );
        continue;
      }
      const problem = parameterTypeProblem(decl.type, value);
      if (problem) problems.push(`${where}: ${problem}`);
    }
  }
  return problems;
}

/**
 * Loads packs by id or path.
 * @throws ConfigError listing every problem (unknown pack, invalid YAML, schema violations, semantic problems).
 */
export function loadPacks(namesOrPaths: readonly string[]): RulePack[] {
  const problems: string[] = [];
  const packs: RulePack[] = [];
  for (const name of namesOrPaths) {
    const file = packFile(name);
    if (!file) {
      problems.push(`${name}: no such rule pack (bundled packs: ${bundledPackIds().join(", ")})`);
      continue;
    }
    const text = readFileSync(file, "utf8");
    const doc = yaml().parseDocument(text, { uniqueKeys: true });
    if (doc.errors.length > 0) {
      problems.push(
        ...doc.errors.map((e) => `${file}:${e.linePos?.[0]?.line ?? 1}: invalid YAML: ${e.message.split("\n")[0]}`),
      );
      continue;
    }
    let data: unknown;
    try {
      data = doc.toJS({ maxAliasCount: 100 });
    } catch (err) {
      problems.push(`${file}: invalid YAML: ${(err as Error).message}`);
      continue;
    }
    const errs = validate("rule-pack.schema.json", data, file);
    if (errs.length > 0) {
      problems.push(...errs);
      continue;
    }
    const pack = { ...(data as Omit<RulePack, "file">), file };
    const sem = semanticProblems(pack, file);
    if (sem.length > 0) {
      problems.push(...sem);
      continue;
    }
    packs.push(pack);
  }
  if (problems.length > 0) throw new ConfigError("invalid rule pack:", problems);
  return packs;
}
