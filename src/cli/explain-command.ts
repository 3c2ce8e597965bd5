/**
 * `aiprov explain <hub-id>`: resolves one model's lineage through the Hub and prints it as a tree, like
 * `npm explain`: each node with its relation to its child, licence, publisher and country, and the commit read.
 */
import { Command, Option } from "commander";
import { UsageError } from "../errors.js";
import type { Diagnostic } from "../model/types.js";
import { loadKnowledgeBase } from "../resolve/knowledge/knowledge-base.js";
import type { UpstreamInfo } from "../resolve/types.js";
import { parseHubId } from "../util/hub-id.js";
import { resolve } from "node:path";
import { loadConfig } from "../config/config.js";
import { addHubOptions, hubSettings, makeResolver, progressReporter } from "./hub-options.js";
import type { CliIO } from "./io.js";
import { displaySafe } from "../report/escape.js";

/** One node of the printed tree. */
export interface ExplainNode {
  repo: string;
  /** Relation of the child to this node (absent on the root). */
  relation?: string;
  revision?: string;
  license?: string;
  publisher: { org: string; entity: string; country: string; repackager?: boolean };
  state: UpstreamInfo["state"];
  reason?: UpstreamInfo["reason"];
  /** Evidence codes and files for the edge from the child. */
  evidence?: { code: string; file: string; repo?: string; revision?: string; raw?: string }[];
  /** True when this repo already appears above it on the path (a cycle). */
  cycle?: boolean;
  /** True when it was printed earlier in the tree (its parents are not repeated). */
  seen?: boolean;
  /** False when the repo's own lineage was not looked up (offline, depth limit). */
  lineageLookedUp: boolean;
  parents: ExplainNode[];
}

/** Builds the tree from the resolver's answers (pure). */
export function explainTree(root: string, infos: ReadonlyMap<string, UpstreamInfo>): ExplainNode {
  const byKey = new Map([...infos].map(([k, v]) => [k.toLowerCase(), v]));
  const printed = new Set<string>();
  const build = (repo: string, path: string[], edge?: UpstreamInfo["parents"][number]): ExplainNode => {
    const info = byKey.get(repo.toLowerCase());
    const key = repo.toLowerCase();
    const node: ExplainNode = {
      repo: info?.repo ?? repo,
      ...(edge
        ? {
            relation: edge.relation,
            evidence: edge.evidence.map((e) => ({
              code: e.code,
              file: e.location.file,
              ...(e.location.hub?.repo ? { repo: e.location.hub.repo } : {}),
              ...(e.location.hub?.revision ? { revision: e.location.hub.revision } : {}),
              ...(e.raw ? { raw: e.raw } : {}),
            })),
          }
        : {}),
      ...(info?.revision ? { revision: info.revision } : {}),
      ...(info?.license ? { license: info.license } : {}),
      publisher: info
        ? {
            org: info.publisher.org,
            entity: info.publisher.entity,
            country: info.publisher.country,
            ...(info.publisher.repackager ? { repackager: true } : {}),
          }
        : { org: repo.split("/")[0] ?? repo, entity: repo.split("/")[0] ?? repo, country: "unknown" },
      state: info?.state ?? "undetermined",
      ...(info?.reason ? { reason: info.reason } : !info ? { reason: { code: "not-looked-up" } } : {}),
      lineageLookedUp: info?.lineageLookedUp ?? false,
      parents: [],
    };
    if (path.includes(key)) return { ...node, cycle: true };
    if (printed.has(key)) return { ...node, seen: true };
    printed.add(key);
    for (const p of [...(info?.parents ?? [])].sort((a, b) => a.repo.localeCompare(b.repo)))
      node.parents.push(build(p.repo, [...path, key], p));
    return node;
  };
  return build(root, []);
}

function describe(n: ExplainNode, child?: string): string {
  const parts: string[] = [];
  if (n.relation) parts.push(n.relation);
  parts.push(`${n.repo}${n.revision ? `@${n.revision.slice(0, 7)}` : ""}`);
  const pub = `${n.publisher.entity}${n.publisher.entity !== n.publisher.org ? ` (${n.publisher.org})` : ""}, ${n.publisher.country}${n.publisher.repackager ? ", re-packager" : ""}`;
  const facts = [`licence ${n.license ?? "unknown"}`, `publisher ${pub}`];
  let line = `${parts.join(" ")}  [${facts.join("; ")}]`;
  if (n.state === "undetermined") line += `  UNDETERMINED: ${n.reason?.code ?? "unresolved"}`;
  else if (n.publisher.repackager && n.parents.length === 0 && !n.cycle && !n.seen)
    line += "  UNDETERMINED: re-packager with no declared origin";
  else if (!n.lineageLookedUp && !n.cycle && !n.seen) line += "  (own lineage not looked up)";
  if (n.cycle) line += "  (cycle: already on this path)";
  if (n.seen) line += "  (see above)";
  const weak = n.evidence?.some((e) => e.code === "card-prose");
  if (n.evidence?.length)
    line += `  via ${[...new Set(n.evidence.map((e) => `${e.code} ${e.repo && e.repo !== child ? `${e.repo}/` : ""}${e.file}`))].join(", ")}${weak ? " (weak: card prose)" : ""}`;
  return line;
}

/** Renders the tree as text, one node per line with box-drawing guides. */
export function renderExplainText(tree: ExplainNode, diagnostics: readonly Diagnostic[]): string {
  const lines: string[] = [describe(tree)];
  const walk = (n: ExplainNode, prefix: string): void => {
    n.parents.forEach((p, i) => {
      const last = i === n.parents.length - 1;
      lines.push(`${prefix}${last ? "└─ " : "├─ "}${describe(p, n.repo)}`);
      walk(p, `${prefix}${last ? "   " : "│  "}`);
    });
  };
  walk(tree, "");
  for (const d of diagnostics) lines.push(`${d.severity}: ${d.message}`);
  return `${lines.join("\n")}\n`;
}

/** Registers `aiprov explain`. */
export function registerExplainCommand(program: Command, io: CliIO, state: { exitCode: number }): void {
  const cmd = program
    .command("explain")
    .description(
      "Print the lineage tree of one Hub model (like npm explain): relation, licence, publisher and country of each node.",
    )
    .argument("<hub-id>", "Hugging Face model id, e.g. Q-bert/Merged-AGI-7B")
    .addOption(new Option("-f, --format <format>", "output format").choices(["text", "json"]).default("text"))
    .option("--offline", "make no request: answer from aiprov's cache, the Hugging Face cache and the knowledge base")
    .option("-c, --config <file>", "configuration file (YAML or JSON)")
    .option("-k, --knowledge <dir>", "extra knowledge directory (repeatable)", (v: string, prev: string[] = []) => [
      ...prev,
      v,
    ]);
  addHubOptions(cmd)
    .addHelpText(
      "after",
      `
Examples:
  $ aiprov explain Q-bert/Merged-AGI-7B
  $ aiprov explain TheBloke/Merged-AGI-7B-GGUF --format json
  $ aiprov explain Q-bert/Merged-AGI-7B --hub-url http://127.0.0.1:8080   # a local Hub (npm run local-hub)`,
    )
    .action(async (id: string, opts: Record<string, unknown>) => {
      const parsed = parseHubId(id);
      if (!parsed) throw new UsageError(`'${id}' is not a Hugging Face model id (expected org/name)`);
      // Lineage is resolved at the head of main; a pinned revision would silently be answered for another commit.
      if (parsed.revision)
        throw new UsageError(
          `'${id}': explain resolves the current head of the repo; revisions (@${parsed.revision}) are not supported yet, use ${parsed.id}`,
        );
      // A project config never chooses where the token goes (see config.ts).
      const { config } = await loadConfig(io.cwd, opts.config as string | undefined, {
        tokenSet: Boolean((opts.token as string | undefined) ?? io.env.HF_TOKEN ?? io.env.HUGGING_FACE_HUB_TOKEN),
      });
      const kb = loadKnowledgeBase([
        ...(config.knowledge ?? []),
        ...((opts.knowledge as string[] | undefined) ?? []).map((k) => resolve(io.cwd, k)),
      ]);
      const settings = hubSettings(opts, io.env, config);
      const progress = progressReporter(io, Boolean(process.stderr.isTTY));
      const resolver = await makeResolver(kb, settings, io.env, {
        cacheOnlyWhenOffline: true,
        onProgress: progress.onProgress,
      });
      const infos = await resolver.resolve([parsed.id]);
      progress.stop();
      const tree = explainTree(parsed.id, infos);
      const diagnostics = resolver.diagnostics();
      if (opts.format === "json")
        io.stdout(
          `${JSON.stringify({ root: parsed.id, hubUrl: settings.offline ? undefined : settings.hubUrl, offline: settings.offline, tree, diagnostics }, null, 2)}\n`,
        );
      // Names come from Hub answers: their control characters are made visible on the terminal (report/escape.ts).
      else io.stdout(renderExplainText(displaySafe(tree), displaySafe(diagnostics)));
      state.exitCode = 0;
    });
}
