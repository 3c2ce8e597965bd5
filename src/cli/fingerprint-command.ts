/**
 * `aiprov fingerprint <folder|hub-id> --out <file>`: writes a weight fingerprint entry for a user knowledge directory
 * (`<dir>/fingerprints/<id>.json`), validated by `schemas/knowledge-fingerprint.schema.json`. Never writes into the
 * installed package.
 */
import { mkdir, realpath, stat, writeFile } from "node:fs/promises";
import { basename, dirname, isAbsolute, join, relative, resolve } from "node:path";
import { Command, Option } from "commander";
import { UsageError } from "../errors.js";
import type { ComponentKind } from "../fingerprint/components.js";
import { createFingerprint } from "../fingerprint/entry.js";
import { openModel } from "../fingerprint/open.js";
import { sourceTokenizer } from "../fingerprint/tokenizer-source.js";
import { PACKAGE_ROOT, TOOL_VERSION } from "../util/package-root.js";
import { validate } from "../util/schema.js";
import { addHubOptions, modelOpenOptions } from "./hub-options.js";
import type { CliIO } from "./io.js";
import { collect } from "./options.js";
import { cutAtAny, trimEndChars } from "../util/text.js";

/** Where `--out` writes: a `.json`/`.yaml` file as given, or `<dir>/fingerprints/<id>.json` for a folder. */
export async function outputPath(cwd: string, out: string, id: string): Promise<string> {
  const abs = resolve(cwd, out);
  const st = await stat(abs).catch(() => undefined);
  const file = st?.isDirectory() || !/\.json$/i.test(abs) ? join(abs, "fingerprints", `${id}.json`) : abs;
  // Compare real paths: a link pointing into the package must not smuggle a write into it.
  const realOf = async (p: string): Promise<string> => {
    let cur = p;
    const tail: string[] = [];
    for (;;) {
      const r = await realpath(cur).catch(() => undefined);
      if (r) return join(r, ...tail.reverse());
      const parent = dirname(cur);
      if (parent === cur) return p;
      tail.push(basename(cur));
      cur = parent;
    }
  };
  const rel = relative(await realOf(PACKAGE_ROOT), await realOf(file));
  if (!rel.startsWith("..") && !isAbsolute(rel))
    throw new UsageError(
      `--out ${out}: inside the installed aiprov package (${PACKAGE_ROOT}); write into your own knowledge directory and pass it with --knowledge`,
    );
  return file;
}

/** Registers the fingerprint command. */
export function registerFingerprintCommand(program: Command, io: CliIO, state: { exitCode: number }): void {
  const cmd = program
    .command("fingerprint")
    .description(
      "Write a weight fingerprint entry (config and tokenizer signatures, tensor layout, per-tensor SHA-256, sampled sketches) for a knowledge directory.",
    )
    .argument("<model>", "model folder (with *.safetensors) or Hub id")
    .requiredOption(
      "-o, --out <file>",
      "output: a .json file, or a knowledge directory (writes <dir>/fingerprints/<id>.json)",
    )
    .option("--id <id>", "entry id (lowercase; default: from the folder or repo name)")
    .option("--name <name>", "human name of the entry")
    .addOption(
      new Option("--component <kind>", "component to fingerprint")
        .choices(["vision", "audio", "projector", "text", "all"])
        .default("all"),
    )
    .option(
      "--known <kind=id>",
      "mark a component as a known knowledge-base component, e.g. vision=qwen2.5-vl-vit (repeatable)",
      collect,
    )
    .option("--offline", "make no network request (Hub ids are refused)");
  addHubOptions(cmd)
    .addHelpText(
      "after",
      `
Examples:
  $ aiprov fingerprint Qwen/Qwen2.5-VL-7B-Instruct --component vision --known vision=qwen2.5-vl-vit --out ./my-knowledge
  $ aiprov scan ./submission --knowledge ./my-knowledge --policy kr-sovereign-from-scratch`,
    )
    .action(
      async (
        model: string,
        opts: {
          out: string;
          id?: string;
          name?: string;
          component: ComponentKind | "all";
          known?: string[];
          offline?: boolean;
        },
      ) => {
        const open = modelOpenOptions(opts, io);
        const id =
          opts.id ??
          basename(cutAtAny(trimEndChars(model, "\\/"), "@"))
            .toLowerCase()
            .replace(/[^a-z0-9._-]+/g, "-")
            .replace(/^[^a-z0-9]+/, "");
        if (!/^[a-z0-9][a-z0-9._-]*$/.test(id))
          throw new UsageError(`--id '${id}': use lowercase letters, digits, '.', '_' and '-'`);
        const knownComponents: Partial<Record<ComponentKind, string>> = {};
        for (const k of opts.known ?? []) {
          const m = /^(vision|audio|projector|text|other)=([a-z0-9][a-z0-9.-]*)$/.exec(k);
          if (!m)
            throw new UsageError(`--known '${k}': expected <vision|audio|projector|text|other>=<known component id>`);
          knownComponents[m[1] as ComponentKind] = m[2]!;
        }
        const file = await outputPath(io.cwd, opts.out, id);
        const source = await openModel(model, open);
        try {
          const { signature: tokenizer } = await sourceTokenizer(source);
          const entry = await createFingerprint(source, {
            id,
            ...(opts.name ? { name: opts.name } : {}),
            ...(source.hub
              ? { repo: source.hub.repo, ...(source.hub.revision ? { revision: source.hub.revision } : {}) }
              : {}),
            ...(opts.component === "all" ? {} : { components: [opts.component] }),
            knownComponents,
            ...(tokenizer ? { tokenizer } : {}),
            createdWith: `aiprov ${TOOL_VERSION}`,
          });
          if (entry.components.length === 0)
            throw new UsageError(
              `${model}: no readable safetensors tensors${opts.component === "all" ? "" : ` for component ${opts.component}`}${source.problems.length ? ` (${source.problems.map((p) => `${p.file}: ${p.message}`).join("; ")})` : ""}`,
            );
          const errs = validate("knowledge-fingerprint.schema.json", entry, file);
          if (errs.length > 0) throw new Error(`internal: the entry does not validate:\n${errs.join("\n")}`);
          await mkdir(dirname(file), { recursive: true });
          await writeFile(file, `${JSON.stringify(entry)}\n`);
          const tensors = entry.components.reduce((a, c) => a + c.tensors.length, 0);
          io.stderr(
            `aiprov: wrote ${file}: ${entry.components.map((c) => c.component).join(", ")}; ${tensors} tensors hashed, ${entry.components.reduce((a, c) => a + c.sketches.length, 0)} sketches; ${source.bytesRead()} weight bytes read\n`,
          );
          for (const p of source.problems) io.stderr(`aiprov: ${p.file}: ${p.message}\n`);
          state.exitCode = 0;
        } finally {
          await source.close();
        }
      },
    );
}
