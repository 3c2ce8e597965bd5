/**
 * `aiprov rules list | show <pack|rule> | test <pack-dir>`: what the bundled packs encode, and a test runner for
 * packs (the bundled ones and users' own), in the style of ESLint's RuleTester.
 */
import { resolve } from "node:path";
import { Command } from "commander";
import { UsageError } from "../errors.js";
import { ruleSeverity, packParameters } from "../policy/engine.js";
import { BUNDLED_RULES_DIR, bundledPackIds, loadPacks } from "../policy/load.js";
import { testPacks } from "../policy/rule-tests.js";
import type { RulePack } from "../policy/types.js";
import type { CliIO } from "./io.js";
import { hasPathPrefix } from "../util/path-shape.js";

/** A pack file rather than `pack/rule`: ends in .yaml/.yml or is written as a path (`./`, `../`, `/`, `C:\`). */
const isPath = (s: string): boolean => /\.ya?ml$/.test(s) || hasPathPrefix(s);

/** `rules list` text: one line per pack and per rule. */
export function renderPackList(packs: readonly RulePack[]): string {
  const lines: string[] = [];
  for (const p of packs) {
    lines.push(`${p.id}  v${p.version}  (undetermined: ${p.undetermined})`);
    lines.push(`  ${p.title}`);
    const params = packParameters(p);
    for (const r of p.rules)
      lines.push(
        `    ${ruleSeverity(r, params).padEnd(7)} ${r.verdict === "undetermined" ? "undet." : "fail  "} ${p.id}/${r.id}: ${r.title}`,
      );
    lines.push("");
  }
  return lines.join("\n");
}

/** `rules show` text for a whole pack or one rule of it. */
export function renderPackOrRule(pack: RulePack, ruleId?: string): string {
  const lines: string[] = [];
  const params = packParameters(pack);
  if (!ruleId) {
    lines.push(
      `${pack.id} v${pack.version}: ${pack.title}`,
      "",
      pack.description.trim(),
      "",
      `Undetermined components: ${pack.undetermined}`,
      `File: ${pack.file}`,
    );
    const decl = Object.entries(pack.parameters ?? {});
    if (decl.length > 0) {
      lines.push("", "Parameters (override in the config file under parameters." + pack.id + "):");
      for (const [k, p] of decl)
        lines.push(`  ${k} (${p.type}) = ${JSON.stringify(p.default)}`, `    ${p.description.trim()}`);
    }
    lines.push("", "Rules:");
  }
  for (const r of pack.rules.filter((x) => !ruleId || x.id === ruleId)) {
    lines.push(
      `${pack.id}/${r.id}  [${ruleSeverity(r, params)}${typeof r.severity === "string" && r.severity.startsWith("$") ? ` from ${r.severity}` : ""}, ${r.verdict}]`,
    );
    lines.push(`  ${r.title}`);
    lines.push(`  Rationale: ${r.description.trim()}`);
    lines.push(`  Source: ${r.source.title}${r.source.url ? ` <${r.source.url}>` : ""}`);
    if (r.howToFix) lines.push(`  How to fix: ${r.howToFix.trim()}`);
    lines.push(
      `  Messages: ${Object.entries(r.messages)
        .map(([k, v]) => `${k}: "${v}"`)
        .join("; ")}`,
      "",
    );
  }
  return lines.join("\n");
}

/** Registers `rules` and its subcommands. */
export function registerRulesCommand(program: Command, io: CliIO, state: { exitCode: number }): void {
  const rules = program.command("rules").description("List, explain and test rule packs.");
  rules
    .command("list")
    .description("List the bundled rule packs and their rules (severity, verdict, title).")
    .action(() => {
      io.stdout(`${renderPackList(loadPacks(bundledPackIds()))}\n`);
    });
  rules
    .command("show")
    .description("Show a pack (description, parameters, rules) or one rule (source, rationale, how to fix).")
    .argument("<pack|rule>", "a pack id or file, a rule as pack/rule, or a bare rule id of a bundled pack")
    .action((what: string) => {
      if (isPath(what)) {
        io.stdout(`${renderPackOrRule(loadPacks([resolve(io.cwd, what)])[0]!)}\n`);
        return;
      }
      const ids = bundledPackIds();
      if (ids.includes(what)) {
        io.stdout(`${renderPackOrRule(loadPacks([what])[0]!)}\n`);
        return;
      }
      const [packId, ruleId] = what.includes("/") ? (what.split("/", 2) as [string, string]) : [undefined, what];
      const packs = loadPacks(packId ? [packId] : ids);
      const hits = packs.filter((p) => p.rules.some((r) => r.id === ruleId));
      if (hits.length === 0)
        throw new UsageError(`${what}: no such pack or rule (packs: ${ids.join(", ")}; see aiprov rules list)`);
      io.stdout(`${hits.map((p) => renderPackOrRule(p, ruleId)).join("\n")}\n`);
    });
  rules
    .command("test")
    .description(
      "Run the test cases of every pack in a folder (or of one pack file): <pack>.tests.yaml beside <pack>.yaml.",
    )
    .argument("[pack-dir]", "folder of packs, or one pack file", BUNDLED_RULES_DIR)
    .addHelpText(
      "after",
      `
Each rule needs valid cases (it must report nothing) and invalid cases (exactly the findings listed); see
schemas/rule-tests.schema.json and the bundled rules/*.tests.yaml. Exit 0 when every case passes, 1 when one fails,
2 when a pack or test file is invalid.`,
    )
    .action((dir: string) => {
      const results = testPacks(resolve(io.cwd, dir));
      const failed = results.filter((r) => !r.ok);
      for (const r of results) {
        io.stdout(`${r.ok ? "ok  " : "FAIL"} ${r.pack}/${r.rule} ${r.kind}: ${r.name}\n`);
        for (const p of r.problems) io.stdout(`       ${p}\n`);
      }
      io.stdout(`\n${results.length - failed.length} passed, ${failed.length} failed\n`);
      state.exitCode = failed.length > 0 ? 1 : 0;
    });
}
