/**
 * Prose mentions of Hub models in READMEs and docs (`README*.md`, `*.md` under `docs/`): Hub model URLs
 * (`https://huggingface.co/<org>/<name>`, `hf.co/<org>/<name>`; dataset and Space URLs are not models), Hub ids in
 * code spans and link texts, and bare `org/name` tokens whose name carries a version or size (`Qwen3-4B`).
 * They are reported as {@link Mention}s, kept apart from references: a README that names a model does not load it.
 * A model card's YAML front matter is the model-card extractor's, and is skipped here.
 */
import type { Mention, ModelReference } from "../../../model/types.js";
import { shellOutput } from "../serving/shell-script.js";
import { extractPythonSource } from "../python-code/index.js";
import { parseHubId, FOLDER_NAMESPACES } from "../../../util/hub-id.js";
import { redact } from "../../../util/redact.js";
import type { Extractor, ExtractOutput } from "../../types.js";
import { makeReference } from "../../reference.js";
import { trimEndChars } from "../../../util/text.js";
import { weightUrlsIn } from "../../code/weight-url.js";
import { folderReference } from "../serving/command-line.js";

const ID = "readme-mentions";

const URL =
  /https?:\/\/(?:www\.)?(?:huggingface\.co|hf\.co)\/([A-Za-z0-9][\w.-]*\/[A-Za-z0-9][\w.-]*)(?:\/(?:resolve|blob|tree|raw)\/[^\s)"'>\]]+)?/g;
const CODE_SPAN = /`([^`\s]{3,200})`/g;
const BARE = /(?<![\w./:@-])([A-Za-z0-9][\w-]{1,40}\/[A-Za-z0-9][\w.-]{1,95})(?![\w/])/g;
const NON_MODEL_URL_ORGS = new Set([
  "datasets",
  "spaces",
  "docs",
  "blog",
  "papers",
  "settings",
  "join",
  "login",
  "pricing",
  "learn",
  "tasks",
  "collections",
  "organizations",
  "api",
  "models",
  "chat",
]);

/** Finds the mentions in Markdown text. Front matter lines (the first `---` block) are skipped. */
export function findMentions(text: string, file: string): Mention[] {
  const lines = text.split(/\r?\n/);
  const out: Mention[] = [];
  const seen = new Set<string>();
  let inFront = lines[0]?.trim() === "---";
  const add = (target: string, line: number, column: number, raw: string): void => {
    const key = `${target}@${line}`;
    if (seen.has(key)) return;
    seen.add(key);
    out.push({ target, location: { file, line, column }, raw: redact(raw) });
  };
  lines.forEach((l, i) => {
    if (inFront) {
      if (i > 0 && l.trim() === "---") inFront = false;
      return;
    }
    const covered: [number, number][] = [];
    for (const m of l.matchAll(URL)) {
      const org = m[1]!.split("/")[0]!.toLowerCase();
      if (NON_MODEL_URL_ORGS.has(org)) {
        covered.push([m.index!, m.index! + m[0].length]);
        continue;
      }
      const id = parseHubId(`https://huggingface.co/${m[1]!.replace(/\.$/, "")}`);
      if (id) add(id.id, i + 1, m.index! + 1, m[0]);
      covered.push([m.index!, m.index! + m[0].length]);
    }
    // A checkpoint downloaded by plain URL (`[Download](https://.../model_base.pth)`): the URL names the weights.
    for (const { at, found } of weightUrlsIn(l)) if (!found.hubId) add(found.url, i + 1, at + 1, found.url);
    const inUrl = (at: number): boolean =>
      covered.some(([a, b]) => at >= a && at < b) || /https?:\/\/\S*$/.test(l.slice(0, at));
    for (const m of l.matchAll(CODE_SPAN)) {
      if (inUrl(m.index!)) continue;
      const v = m[1]!;
      if (
        v.split("/").length !== 2 ||
        FOLDER_NAMESPACES.has(v.split("/")[0]!.toLowerCase()) ||
        !/[\d-]/.test(v.split("/")[1]!)
      )
        continue;
      const id = parseHubId(v);
      if (id) {
        add(id.id, i + 1, m.index! + 2, v);
        covered.push([m.index!, m.index! + m[0].length]);
      }
    }
    for (const m of l.matchAll(BARE)) {
      if (inUrl(m.index!)) continue;
      const v = trimEndChars(m[1]!, ".,;:");
      const [org, name] = v.split("/") as [string, string];
      if (
        FOLDER_NAMESPACES.has(org.toLowerCase()) ||
        !/\d/.test(name) ||
        !/-/.test(name) ||
        /^v?\d+(?:\.\d+)*$/.test(org)
      )
        continue;
      const id = parseHubId(v);
      if (id) add(id.id, i + 1, m.index! + 1, v);
    }
  });
  return out;
}

const EXTRACT_VERB = /\b(?:extract|unzip|untar|unpack|decompress|put|place|save|move|copy|download)/i;
const FOLDER_SPAN = /^[\w.-]+(?:\/[\w.-]+)*\/?$/;

/**
 * Rule "archive extracted into a folder": a prose line that links a checkpoint archive and says where to extract it
 * ("Download the checkpoint from [here](https://.../checkpoints_1226.zip) and extract it to the `checkpoints`
 * folder") writes that folder from the URL (a `write` with `derivedFrom` and `downloadsTree`), so the linking pass
 * can name what code loads from the folder. The folder is the first code span after the verb.
 */
export function extractedFolders(text: string, file: string): ModelReference[] {
  const out: ModelReference[] = [];
  text.split(/\r?\n/).forEach((l, i) => {
    const archive = weightUrlsIn(l).find((u) => !u.found.hubId && /\.(?:zip|tar|tgz|gz|xz|7z)$/i.test(u.found.file));
    const verb = archive ? EXTRACT_VERB.exec(l) : null;
    if (!archive || !verb) return;
    for (const m of l.slice(verb.index).matchAll(CODE_SPAN)) {
      const folder = m[1]!;
      if (!FOLDER_SPAN.test(folder) || /\.(?:zip|tar|gz|pth|py|sh|md)$/i.test(folder)) continue;
      out.push(
        folderReference(
          folder,
          { file, line: i + 1, column: verb.index + m.index + 2 },
          "",
          "write",
          {
            derivedFrom: archive.found.url,
            downloadsTree: true,
            extractedArchive: archive.found.file,
          },
          ID,
        ),
      );
      break;
    }
  });
  return out;
}

const SHELL_FENCE = /^\s*(```|~~~)\s*(bash|sh|shell|console|zsh|shell-session)\s*$/i;
const PYTHON_FENCE = /^\s*(```|~~~)\s*(python|py|python3)\s*$/i;

/** Fenced code blocks of a shell language (```bash, ```sh, ```shell, ```console, ```zsh), with the line before each. */
export function shellBlocks(text: string): { text: string; lineOffset: number }[] {
  return fencedBlocks(text, SHELL_FENCE);
}

/** Python written in a block fenced as shell (a README's "```shell" around `import whisper`): its first code line. */
const PYTHON_START = /^\s*(?:import\s+[\w.]+|from\s+[\w.]+\s+import\s)/;

/**
 * Fenced Python blocks (```python, ```py), with the line before each; a shell-fenced block whose first code line is a
 * Python import is Python too.
 */
export function pythonBlocks(text: string): { text: string; lineOffset: number }[] {
  const mislabelled = shellBlocks(text).filter((b) =>
    PYTHON_START.test(b.text.split("\n").find((l) => l.trim()) ?? ""),
  );
  return [...fencedBlocks(text, PYTHON_FENCE), ...mislabelled].sort((a, b) => a.lineOffset - b.lineOffset);
}

function fencedBlocks(text: string, fence: RegExp): { text: string; lineOffset: number }[] {
  const lines = text.split(/\r?\n/);
  const out: { text: string; lineOffset: number }[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = fence.exec(lines[i]!);
    if (!open) continue;
    const start = i + 1;
    let end = start;
    while (end < lines.length && !lines[end]!.trim().startsWith(open[1]!)) end++;
    // `$ cmd` prompts of console blocks are dropped; output lines are not commands but rarely look like one.
    out.push({
      text: lines
        .slice(start, end)
        .map((l) => l.replace(/^\s*\$\s+/, ""))
        .join("\n"),
      lineOffset: start,
    });
    i = end;
  }
  return out;
}

export const readmeMentionsExtractor: Extractor = {
  id: ID,
  description: "README and docs prose: Hub model ids and URLs, reported as mentions (not references)",
  matches(path, base) {
    return (
      /^readme(?:[._-][\w-]+)?\.(?:md|markdown|mdx|rst|txt)$/i.test(base) ||
      (/\.(?:md|mdx)$/i.test(base) && /(?:^|\/)docs?\//.test(path))
    );
  },
  async extract(file, ctx): Promise<ExtractOutput> {
    const text = await file.text(ctx.maxTextBytes);
    // Shell blocks are instructions a user runs (`huggingface-cli download org/x`, `vllm serve org/x`): read as the
    // serving extractor reads a script, they are references; their lines are not mentions as well.
    const references: ModelReference[] = [];
    for (const block of shellBlocks(text)) {
      const o = await shellOutput(block.text, file.path, block.lineOffset);
      for (const r of o.references ?? [])
        if (
          (((r.kind === "hub-id" && !r.skipReason) || (r.kind === "url" && r.facts?.weightUrl)) && r.target) ||
          (r.usage === "write" && typeof r.facts?.derivedFrom === "string")
        )
          references.push({ ...r, extractor: ID, facts: { ...(r.facts ?? {}), readmeShellBlock: true } });
    }
    // Python blocks are setup code a user runs (`snapshot_download("org/x", local_dir="models/x")`): their Hub ids
    // and the folders they download into are references (the linking pass names what code loads from those folders).
    for (const block of pythonBlocks(text)) {
      const refs = await extractPythonSource(block.text, {
        file: file.path,
        lineOffset: block.lineOffset,
        extractor: ID,
      }).catch(() => []);
      for (const r of refs)
        if ((r.kind === "hub-id" || r.kind === "modelscope-id") && r.target && !r.skipReason && !r.usage)
          references.push({ ...r, facts: { ...(r.facts ?? {}), readmeCodeBlock: true } });
      // A size alias of a library (`whisper.load_model("large-v3")`) names the repository the library maps it to.
      for (const r of refs) {
        const upstream =
          r.kind === "known-component" && !r.usage && typeof r.facts?.upstream === "string"
            ? r.facts.upstream
            : undefined;
        if (upstream && parseHubId(upstream))
          references.push(
            makeReference({
              extractor: ID,
              raw: upstream,
              location: r.location,
              ...(r.role ? { role: r.role } : {}),
              facts: { ...(r.facts ?? {}), sizeAlias: r.raw, readmeCodeBlock: true },
            }),
          );
      }
      for (const r of refs)
        if (r.usage === "write" && typeof r.facts?.derivedFrom === "string")
          references.push({ ...r, facts: { ...(r.facts ?? {}), readmeCodeBlock: true } });
    }
    references.push(...extractedFolders(text, file.path));
    const referenced = new Set(references.map((r) => `${r.target}@${r.location.line}`));
    const mentions = findMentions(text, file.path).filter((m) => !referenced.has(`${m.target}@${m.location.line}`));
    return { mentions, ...(references.length ? { references } : {}) };
  },
};
