/**
 * `aiprov init`: writes a commented starter configuration (`.aiprovrc.yaml`) with the applicant's organization, the
 * chosen packs and an empty waiver list. It never overwrites an existing file.
 */
import { existsSync, writeFileSync } from "node:fs";
import { dirname, isAbsolute, relative, resolve, sep } from "node:path";
import { Command } from "commander";
import { UsageError } from "../errors.js";
import { bundledPackIds, loadPacks } from "../policy/load.js";
import { WAIVER_REASONS } from "../policy/waivers.js";
import { packagePath } from "../util/package-root.js";
import type { CliIO } from "./io.js";
import { collect } from "./options.js";

/** True when a `--policy` value names a pack file rather than a bundled pack id. */
function isPackPath(p: string): boolean {
  return /[\\/]|\.ya?ml$/.test(p);
}

/**
 * The starter config text. Pure. `packs` are bundled ids or paths relative to the config file; `schemaPath` (relative
 * to the config file) is written in the editor hint (yaml-language-server) only when given, so the file names no
 * place outside the project.
 */
export function renderInitConfig(
  organization: readonly string[],
  packs: readonly string[],
  schemaPath: string | undefined,
  baseDir = ".",
): string {
  const loaded = loadPacks(packs.map((p) => (isPackPath(p) ? resolve(baseDir, p) : p)));
  const list = (xs: readonly string[]): string => `[${xs.map((x) => JSON.stringify(x)).join(", ")}]`;
  const lines = [
    schemaPath
      ? `# yaml-language-server: $schema=${schemaPath}`
      : "# Schema: schemas/config.schema.json in the aiprov package (point your editor's YAML schema setting at it).",
    "# aiprov configuration (see the README, Configuration file). YAML or JSON only: aiprov never",
    "# executes JavaScript configuration. Command-line flags override these values.",
    "",
    "# Rule packs to apply (aiprov rules list). Bundled ids or paths to your own pack files.",
    `policy: ${list(packs)}`,
    "",
    "# Names, Hub organizations or knowledge-base publisher ids that count as your own (never reported as third party).",
    `organization: ${list(organization)}`,
    "",
    "# Lowest finding severity that fails the scan (exit 1): error, warning, note or never.",
    "failOn: error",
    "",
    "# Pack parameters, per pack: to override a default, replace {} with the commented map below and uncomment the",
    "# lines you change (aiprov rules show <pack> explains each). Unknown names and wrong types are errors.",
    "parameters: {}",
  ];
  for (const p of loaded) {
    const decl = Object.entries(p.parameters ?? {});
    if (decl.length === 0) continue;
    lines.push(`#   ${p.id}:`);
    for (const [k, d] of decl) lines.push(`#     ${k}: ${JSON.stringify(d.default)}`);
  }
  lines.push(
    "",
    "# Accepted findings. Each waiver names a rule (id or pack/rule) and a component (node id, name or Hub repo, `*`",
    `# globs), a reason (${WAIVER_REASONS.join(", ")}), a comment, an owner and an optional`,
    "# expiry date (YYYY-MM-DD, inclusive); expired waivers stop applying and are reported, unused ones are reported as stale.",
    "#  - rule: us-covered-adversary/covered-component",
    "#    component: encoders/audio/*",
    "#    reason: government-waiver",
    "#    comment: DoD waiver 2026-017 covers the audio encoder until it is replaced",
    "#    owner: compliance@example.com",
    "#    expires: 2026-12-31",
    "waivers: []",
    "",
  );
  return lines.join("\n");
}

/** Registers `init`. */
export function registerInitCommand(program: Command, io: CliIO, state: { exitCode: number }): void {
  program
    .command("init")
    .description("Write a commented starter configuration file (.aiprovrc.yaml); never overwrites an existing file.")
    .option("--organization <name>", "a name or Hub org that counts as your own (repeatable)", collect)
    .option("-p, --policy <pack>", "a rule pack to apply (repeatable; default: unknown-provenance)", collect)
    .option("-o, --output <file>", "file to write", ".aiprovrc.yaml")
    .action((opts: { organization?: string[]; policy?: string[]; output: string }) => {
      const file = resolve(io.cwd, opts.output);
      if (existsSync(file))
        throw new UsageError(
          `${opts.output}: already exists; aiprov init never overwrites a file (remove it or use --output)`,
        );
      const packs = opts.policy ?? ["unknown-provenance"];
      const unknown = packs.filter((p) => !bundledPackIds().includes(p) && !/[\\/]|\.ya?ml$/.test(p));
      if (unknown.length > 0) throw new UsageError(`${unknown.join(", ")}: no such bundled pack (aiprov rules list)`);
      // Portable paths: packs relative to the config file (the loader reads them so); the schema hint only when the
      // aiprov package lies inside the project (node_modules/aiprov), never a path of this machine.
      const dir = dirname(file);
      const rel = (abs: string): string => {
        const r = relative(dir, abs).split(sep).join("/");
        return r.startsWith(".") ? r : `./${r}`;
      };
      const schema = relative(dir, packagePath("schemas", "config.schema.json")).split(sep).join("/");
      const portable = !isAbsolute(schema) && !schema.startsWith("..");
      const text = renderInitConfig(
        opts.organization ?? [],
        packs.map((p) => (isPackPath(p) ? rel(resolve(io.cwd, p)) : p)),
        portable ? schema : undefined,
        dir,
      );
      try {
        writeFileSync(file, text, { flag: "wx" });
      } catch (err) {
        throw new UsageError(
          `${opts.output}: cannot write (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`,
        );
      }
      io.stdout(`wrote ${opts.output}\n`);
      state.exitCode = 0;
    });
}
