#!/usr/bin/env node
// Benchmark: recall and noise of `aiprov scan` on the development set of real public AI repositories
// (../shared/devrepos/repos.tgz, 16 repositories; issues 16 and 17). The ground truth is written by hand per repository
// in bench/devrepos/ground-truth/<folder>.yaml (format and role list: bench/devrepos/README.md).
//
// For each repository it runs `bin/aiprov.js scan <repo> --offline --format json` with every bundled rule pack (so
// findings exist to count) and re-renders the default text report from that JSON with `aiprov report`. It prints, per
// repository and in total, separately for the tuned part and the set-aside part:
//   recall      ground-truth models found under their correct id (lineage nodes and references of the report)
//   built       recall of the models the product is built from (`builtFrom: true`)
//   f/model     findings per ground-truth model
//   unres%      share of findings on unresolved references (their node's status reason is `unresolved-reference`)
//   enc         ground-truth encoders found with the same encoder role (vision-, audio-, text-encoder)
//   ds          ground-truth datasets and benchmark ids reported as models (a lineage node or a model reference)
//   lines       lines of the default text report
// Targets (issues 16, 17): recall >= 90%, built >= 95%, f/model <= 3, unres% <= 25%, every encoder, ds = 0,
// lines <= 300 for the largest repository.
//
// Usage: npm run bench -- devrepos [--json] [--part tuned|aside] [--repo <substring>]... [--policy <pack>|none]...
//        [--extra <folder>]: score the repositories of bench/devrepos/extra/*.yaml checked out as <folder>/<owner+name>
//        (at the commit each file names) instead of the development set.
//        [--part extra] without --extra: the same repositories, checked out at their commits from git snapshots
//        (<owner+name>/repo git directories under $AIPROV_EXTRA_REPOS or a `.mirror` folder above this checkout).
//        [--part holdout]: the held-out repositories of bench/devrepos/holdout/*.yaml (or $AIPROV_HOLDOUT_DIR), checked
//        out from git snapshots the same way; never part of a default run, and meant to be run once, not tuned on.
// Needs `npm run build`. Where ../shared/devrepos (or $AIPROV_DEVREPOS) is absent it prints "skipped" and exits 0.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parse as parseYaml } from "yaml";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..");
const gtDir = join(here, "devrepos", "ground-truth");
// Ground truth for repositories outside the development set (checked out by the user into the `--extra` folder).
const extraDir = join(here, "devrepos", "extra");
// Ground truth of the held-out part (read by nobody who tunes aiprov); $AIPROV_HOLDOUT_DIR replaces it (bench self-test).
const holdoutDir = process.env.AIPROV_HOLDOUT_DIR
  ? resolve(process.env.AIPROV_HOLDOUT_DIR)
  : join(here, "devrepos", "holdout");
const PARTS = ["tuned", "aside", "extra", "holdout"];
const cli = join(root, "bin", "aiprov.js");
const ENCODER_ROLES = new Set(["vision-encoder", "audio-encoder", "text-encoder"]);

// ---- arguments -------------------------------------------------------------------------------------------------
const argv = process.argv.slice(2);
const opts = { json: false, part: undefined, repos: [], policies: [], extra: undefined };
for (let i = 0; i < argv.length; i++) {
  const a = argv[i];
  if (a === "--json") opts.json = true;
  else if (a === "--part") opts.part = argv[++i];
  else if (a.startsWith("--part=")) opts.part = a.slice(7);
  else if (a === "--repo") opts.repos.push(argv[++i]);
  else if (a === "--policy") opts.policies.push(argv[++i]);
  else if (a === "--extra") opts.extra = argv[++i];
  else if (a === "devrepos" || a.endsWith("devrepos.bench.js"))
    continue; // a filter forwarded by bench/run.js
  else {
    console.error(
      `devrepos bench: unknown argument ${a} (use --json, --part tuned|aside|extra|holdout, --repo <s>, --policy <pack>|none)`,
    );
    process.exit(2);
  }
}
if (opts.part !== undefined && !PARTS.includes(opts.part)) {
  console.error(`devrepos bench: --part must be one of ${PARTS.join(", ")}, not ${opts.part}`);
  process.exit(2);
}

/** Finds the development set: $AIPROV_DEVREPOS, else shared/devrepos beside this checkout or one of its parents
 * (a worktree under /work/wt/<name> has the shared folder two levels up). */
function findDevrepos() {
  if (process.env.AIPROV_DEVREPOS)
    return existsSync(join(process.env.AIPROV_DEVREPOS, "repos.tgz")) ? process.env.AIPROV_DEVREPOS : undefined;
  let dir = resolve(root, "..");
  for (let i = 0; i < 3; i++) {
    const c = join(dir, "shared", "devrepos");
    if (existsSync(join(c, "repos.tgz"))) return c;
    dir = dirname(dir);
  }
  return undefined;
}

// Parts read from git snapshots (extra, holdout) do not need the development-set archive.
const fromSnapshots = !opts.extra && (opts.part === "extra" || opts.part === "holdout");
const devrepos = opts.extra ? resolve(opts.extra) : fromSnapshots ? "git snapshots" : findDevrepos();
if (!devrepos) {
  const msg = "skipped: ../shared/devrepos not found (set AIPROV_DEVREPOS to the folder holding repos.tgz)";
  console.log(opts.json ? JSON.stringify({ skipped: msg }) : msg);
  process.exit(0);
}

// ---- id normalisation ------------------------------------------------------------------------------------------
/** Normalises a model id for comparison: case-folded; `hf://org/name/...` is the repo org/name; `hub:`, Hub URLs (`/resolve/`, `/tree/`, `/blob/`
 * tails), `@revision` and trailing slashes removed; other URLs lose only their scheme. Strict about the id itself. */
export function normId(s) {
  if (typeof s !== "string") return "";
  let x = s.trim().toLowerCase();
  // hf://org/name/path/in/repo names a file of the repo org/name.
  const hf = x.match(/^hf:\/\/(?:models\/)?([^/]+\/[^/@]+)/);
  if (hf) return hf[1];
  x = x.replace(/^(hf|hub|huggingface|hosted|local|url|ollama|modelscope|ms):\/*/, "");
  x = x.replace(/^https?:\/\//, "").replace(/^www\./, "");
  const hub = x.match(/^(?:huggingface\.co|hf\.co|hf-mirror\.com)\/(?:models\/)?([^/?#]+\/[^/?#@]+)/);
  if (hub) x = hub[1];
  x = x
    .replace(/[?#].*$/, "")
    .replace(/\/+$/, "")
    .replace(/^\.\//, "");
  if (/^[^/]+\/[^/]+@[^/]+$/.test(x)) x = x.replace(/@.*$/, "");
  return x;
}

/** Every id form under which a report item names a model (node id without its kind prefix, name, repo, target, raw,
 * and provider/model for hosted models). */
function itemIds(item) {
  const out = new Set();
  const add = (v) => {
    if (typeof v === "string" && v) out.add(normId(v));
  };
  if (typeof item.id === "string" && /^[a-z-]+:/.test(item.id) && !item.id.startsWith("ref:"))
    add(item.id.replace(/^[a-z-]+:/, ""));
  for (const k of ["name", "repo", "target", "raw", "model", "modelId", "canonical"]) add(item[k]);
  const provider = item.provider?.id ?? item.provider?.name ?? item.provider;
  const model = item.model ?? item.name ?? item.target ?? item.raw;
  if (typeof provider === "string" && typeof model === "string") {
    add(`${provider}/${model}`);
    add(`${provider}:${model}`);
  }
  return out;
}

/** The ids under which a ground-truth model counts as found: its id, `accept:` alternatives, and for hosted models
 * provider/model and provider:model. */
function gtIds(m) {
  const ids = new Set([normId(m.id), ...(m.accept ?? []).map(normId)]);
  if (m.provider) {
    ids.add(normId(`${m.provider}/${m.id}`));
    ids.add(normId(`${m.provider}:${m.id}`));
  }
  return ids;
}

const isDatasetRef = (r) =>
  r.dataset === true ||
  r.repoType === "dataset" ||
  /dataset|benchmark/.test(String(r.kind ?? "")) ||
  r.facts?.repoType === "dataset";

// ---- scoring one repository ------------------------------------------------------------------------------------
function score(gt, report, textLines) {
  const nodes = report.lineage?.nodes ?? [];
  const refs = (report.references ?? []).filter((r) => !isDatasetRef(r));
  const extra = [...(report.hosted ?? []), ...(report.hostedModels ?? []), ...(report.components ?? [])];
  const nodeById = new Map(nodes.map((n) => [n.id, n]));
  const items = [
    ...nodes.map((n) => ({ ids: itemIds(n), role: n.role, node: n })),
    ...refs.map((r) => ({ ids: itemIds(r), role: r.role })),
    ...extra.map((c) => ({ ids: itemIds(c), role: c.role })),
  ];
  // Models named only in documentation (docOnly) also count when reported as a mention.
  const mentionItems = (report.mentions ?? []).map((x) => ({ ids: itemIds(x), role: x.role }));
  const models = gt.models ?? [];
  const per = models.map((m) => {
    const want = gtIds(m);
    const pool = m.docOnly ? [...items, ...mentionItems] : items;
    const hits = pool.filter((it) => [...want].some((w) => it.ids.has(w)));
    return {
      id: m.id,
      role: m.role,
      builtFrom: m.builtFrom === true,
      found: hits.length > 0,
      roles: [...new Set(hits.map((h) => h.role).filter(Boolean))],
    };
  });
  const found = per.filter((p) => p.found);
  const built = per.filter((p) => p.builtFrom);
  const enc = per.filter((p) => ENCODER_ROLES.has(p.role));
  const findings = report.findings ?? [];
  const unresolvedNode = (id) => nodeById.get(id)?.statusReason?.code === "unresolved-reference";
  const unresolved = findings.filter(
    (f) => unresolvedNode(f.node) || f.message?.args?.reason === "unresolved-reference",
  );
  const modelNodes = nodes.filter((n) => !isDatasetRef(n));
  const dsAsModels = (gt.datasets ?? []).filter((d) => {
    const want = new Set([normId(d.id), ...(d.accept ?? []).map(normId)]);
    return (
      modelNodes.some((n) => [...itemIds(n)].some((x) => want.has(x))) ||
      refs.some((r) => [...itemIds(r)].some((x) => want.has(x)))
    );
  });
  return {
    models: models.length,
    found: found.length,
    builtFrom: built.length,
    builtFound: built.filter((p) => p.found).length,
    findings: findings.length,
    unresolvedFindings: unresolved.length,
    encoders: enc.length,
    encodersWithRole: enc.filter((p) => p.roles.includes(p.role)).length,
    datasets: (gt.datasets ?? []).length,
    datasetsAsModels: dsAsModels.map((d) => d.id),
    textLines,
    missed: per.filter((p) => !p.found).map((p) => p.id),
    encodersWithoutRole: enc
      .filter((p) => !p.roles.includes(p.role))
      .map((p) => `${p.id} (${p.role}; reported ${p.roles.join("/") || "not found"})`),
  };
}

// ---- extra and holdout parts from git snapshots ----------------------------------------------------------------------------
/** The git directory of a snapshot of `folder` (`<owner+name>/repo`): under $AIPROV_EXTRA_REPOS, else a `.mirror`
 * folder beside this checkout or one of its parents. */
function findSnapshot(folder) {
  const bases = process.env.AIPROV_EXTRA_REPOS ? [process.env.AIPROV_EXTRA_REPOS] : [];
  for (let dir = resolve(root, ".."), i = 0; i < 4; i++, dir = dirname(dir)) bases.push(join(dir, ".mirror"));
  return bases.map((b) => join(b, folder, "repo")).find((d) => existsSync(d));
}

/** Writes the files of `g.commit` of the snapshot into `dest`; blobs the snapshot lacks (large binaries) are skipped. */
function checkoutExtra(g, dest) {
  const gitDir = g.commit ? findSnapshot(g.folder) : undefined;
  if (!gitDir) return false;
  const list = spawnSync("git", ["--git-dir", gitDir, "ls-tree", "-r", "-z", g.commit], {
    encoding: "utf8",
    maxBuffer: 1 << 28,
  });
  if (list.status !== 0) return false;
  for (const entry of list.stdout.split("\0").filter(Boolean)) {
    const [meta, path] = entry.split("\t");
    const [, type, sha] = meta.split(" ");
    if (type !== "blob") continue;
    const blob = spawnSync("git", ["--git-dir", gitDir, "cat-file", "blob", sha], { maxBuffer: 1 << 30 });
    if (blob.status !== 0) continue;
    mkdirSync(dirname(join(dest, path)), { recursive: true });
    writeFileSync(join(dest, path), blob.stdout);
  }
  return true;
}

// ---- run -------------------------------------------------------------------------------------------------------
const gtFrom = opts.part === "holdout" ? holdoutDir : opts.extra || fromSnapshots ? extraDir : gtDir;
const gtFiles = existsSync(gtFrom)
  ? readdirSync(gtFrom)
      .filter((f) => f.endsWith(".yaml"))
      .sort()
  : [];
const gts = gtFiles
  .map((f) => ({ folder: f.replace(/\.yaml$/, ""), ...parseYaml(readFileSync(join(gtFrom, f), "utf8")) }))
  .filter((g) => !opts.extra || existsSync(join(devrepos, g.folder)))
  .filter((g) => !opts.part || g.part === opts.part)
  .filter((g) => opts.repos.length === 0 || opts.repos.some((s) => g.folder.includes(s)));
if (gts.length === 0) {
  console.log("no ground-truth file matched");
  process.exit(0);
}

let policies = opts.policies.includes("none") ? [] : opts.policies;
if (opts.policies.length === 0) {
  policies = readdirSync(join(root, "rules"))
    .filter((f) => f.endsWith(".yaml") && !f.endsWith(".tests.yaml"))
    .map((f) => f.replace(/\.yaml$/, ""))
    .sort();
}

const work = mkdtempSync(join(tmpdir(), "aiprov-devrepos-"));
const results = [];
try {
  const folders = gts.map((g) => g.folder);
  if (!opts.extra && !fromSnapshots) {
    const tar = spawnSync("tar", ["-xzf", join(devrepos, "repos.tgz"), "-C", work, ...folders], { encoding: "utf8" });
    if (tar.status !== 0) throw new Error(`tar could not extract ${join(devrepos, "repos.tgz")}: ${tar.stderr}`);
  }
  for (const g of gts) {
    const dir = join(opts.extra ? devrepos : work, g.folder);
    if (fromSnapshots && !checkoutExtra(g, dir)) {
      results.push({
        folder: g.folder,
        part: g.part,
        error: `skipped: no git snapshot of ${g.repo} at ${g.commit} (set AIPROV_EXTRA_REPOS)`,
      });
      continue;
    }
    const t0 = performance.now();
    const args = [
      cli,
      "scan",
      dir,
      "--offline",
      "--format",
      "json",
      "--fail-on",
      "never",
      ...policies.flatMap((p) => ["--policy", p]),
    ];
    const r = spawnSync(process.execPath, args, { encoding: "utf8", maxBuffer: 1 << 30 });
    const seconds = (performance.now() - t0) / 1000;
    let report;
    try {
      report = JSON.parse(r.stdout);
    } catch {
      results.push({
        folder: g.folder,
        part: g.part,
        error: `scan exited ${r.status}: ${(r.stderr || "").split("\n").slice(0, 3).join(" | ")}`,
      });
      continue;
    }
    const jsonFile = join(work, `${g.folder}.json`);
    spawnSync("sh", ["-c", 'cat > "$1"', "sh", jsonFile], { input: r.stdout });
    const t = spawnSync(process.execPath, [cli, "report", "--from", jsonFile, "--format", "text"], {
      encoding: "utf8",
      maxBuffer: 1 << 30,
    });
    const textLines = t.stdout ? t.stdout.replace(/\n$/, "").split("\n").length : null;
    results.push({
      folder: g.folder,
      part: g.part,
      seconds: Number(seconds.toFixed(1)),
      ...score(g, report, textLines),
    });
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}

// ---- totals and output -----------------------------------------------------------------------------------------
function total(rs) {
  const ok = rs.filter((r) => !r.error);
  const sum = (k) => ok.reduce((a, r) => a + (r[k] ?? 0), 0);
  return {
    repos: rs.length,
    errors: rs.length - ok.length,
    models: sum("models"),
    found: sum("found"),
    builtFrom: sum("builtFrom"),
    builtFound: sum("builtFound"),
    findings: sum("findings"),
    unresolvedFindings: sum("unresolvedFindings"),
    encoders: sum("encoders"),
    encodersWithRole: sum("encodersWithRole"),
    datasets: sum("datasets"),
    datasetsAsModels: ok.reduce((a, r) => a + r.datasetsAsModels.length, 0),
    textLinesMax: Math.max(0, ...ok.map((r) => r.textLines ?? 0)),
  };
}
const parts = PARTS.filter((p) => !opts.part || opts.part === p);
const out = { policies, parts: {} };
for (const p of parts) {
  const rs = results.filter((r) => r.part === p);
  if (!rs.length) continue;
  // The set-aside part's missed ids are shown only when asked for by name, so tuners are not shown them by default.
  const shown =
    p === "aside" && opts.part !== "aside"
      ? rs.map(({ missed, encodersWithoutRole, datasetsAsModels, ...r }) => ({
          ...r,
          datasetsAsModels: datasetsAsModels.length,
        }))
      : rs;
  out.parts[p] = { repos: shown, total: total(rs) };
}
const PART_TITLES = {
  tuned: "tuned part",
  aside: "set-aside part",
  extra: "extra repositories (--extra)",
  holdout: "held-out part (--part holdout)",
};
if (opts.json) {
  console.log(JSON.stringify(out, null, 2));
} else {
  const pct = (a, b) => (b ? `${((100 * a) / b).toFixed(0)}%` : "-");
  const cols = (name, r) => {
    if (r.error) return `${name.padEnd(34)} ERROR ${r.error}`;
    const ds = typeof r.datasetsAsModels === "number" ? r.datasetsAsModels : r.datasetsAsModels.length;
    return [
      name.padEnd(34),
      `${r.found}/${r.models} ${pct(r.found, r.models)}`.padStart(13),
      `${r.builtFound}/${r.builtFrom} ${pct(r.builtFound, r.builtFrom)}`.padStart(13),
      (r.models ? (r.findings / r.models).toFixed(1) : "-").padStart(8),
      pct(r.unresolvedFindings, r.findings).padStart(7),
      `${r.encodersWithRole}/${r.encoders}`.padStart(7),
      `${ds}/${r.datasets}`.padStart(7),
      String(r.textLines ?? r.textLinesMax ?? "-").padStart(7),
    ].join(" ");
  };
  console.log(`devrepos: ${devrepos}; policies: ${policies.join(", ") || "none"}`);
  const head = [
    "repository".padEnd(34),
    "recall".padStart(13),
    "built".padStart(13),
    "f/model".padStart(8),
    "unres%".padStart(7),
    "enc".padStart(7),
    "ds".padStart(7),
    "lines".padStart(7),
  ].join(" ");
  for (const p of parts) {
    const part = out.parts[p];
    if (!part) continue;
    console.log(`\n-- ${PART_TITLES[p]} --`);
    console.log(head);
    for (const r of part.repos) console.log(cols(r.folder, r));
    console.log(cols(`TOTAL ${p}`, part.total));
    if (p !== "aside" || opts.part === "aside") {
      for (const r of part.repos) {
        if (r.missed?.length) console.log(`  ${r.folder} missed: ${r.missed.join(", ")}`);
        if (r.encodersWithoutRole?.length)
          console.log(`  ${r.folder} encoders without their role: ${r.encodersWithoutRole.join(", ")}`);
        if (r.datasetsAsModels?.length)
          console.log(`  ${r.folder} datasets as models: ${r.datasetsAsModels.join(", ")}`);
      }
    }
  }
  console.log(
    "\ntargets: recall >= 90%, built >= 95%, f/model <= 3, unres% <= 25%, enc all, ds 0, lines <= 300 (largest repository)",
  );
}
