/**
 * The record of one Hub repo at one commit, built in named passes from its model-info answer and, only when the info
 * does not settle the lineage, a few of its files: the card (front matter, then prose), `adapter_config.json`,
 * `mergekit_config.yml`, a GGUF header, `config.json` (nested components). Everything read names the repo, the file and
 * the commit sha. The record is what aiprov caches per commit; a cached one is shape-checked before it is trusted.
 */
import { gguf } from "@huggingface/gguf";
import type { Diagnostic } from "../../model/types.js";
import { parseHubId } from "../../util/hub-id.js";
import { cardLicense, findFrontMatter } from "../../extract/extractors/model-card/index.js";
import { hfConfigExtractor } from "../../extract/extractors/hf-config/index.js";
import type { FileReader } from "../../extract/types.js";
import type { UpstreamInfo } from "../types.js";
import {
  addParent,
  autoMapParents,
  cardParents,
  ggufParents,
  hubLocation,
  mergekitParents,
  peftParent,
  proseParents,
  type Hint,
  type Parent,
  type RepoTraits,
} from "./facts.js";
import { HubUnreachableError } from "./http.js";

/** What is cached per repo and commit. */
export interface RepoRecord {
  v: 1;
  repo: string;
  sha: string;
  author?: string;
  license?: string;
  gated?: boolean;
  /** When the repo was created on the Hub (ISO 8601, from the info's `createdAt`): its release time. */
  createdAt?: string;
  /** The Hub's task of the model: the info's `pipeline_tag`, else the card's (`text-generation`). */
  task?: string;
  /** Training datasets the card declares (`datasets:` in its metadata; Hub dataset ids), in card order. */
  datasets?: string[];
  parents: Parent[];
  hints: Hint[];
  state: "resolved" | "undetermined";
  reason?: UpstreamInfo["reason"];
  /** Where the facts came from: `hub`, `hf-cache`. */
  source: string;
}

/** Where a record's files come from, and where its problems go. */
export interface RecordSources {
  /** Text of a repo file at a commit (Hugging Face cache, then the Hub); undefined when absent or offline. @throws on a Hub failure */
  download(repo: string, sha: string, path: string): Promise<string | undefined>;
  /** Text of a repo file in the Hugging Face cache, or undefined. */
  cachedFile(repo: string, sha: string, path: string): string | undefined;
  offline: boolean;
  hubUrl: string;
  fetch: typeof fetch;
  /** Records a diagnostic once per key. */
  say(key: string, d: Diagnostic): void;
}

/** Architectures and model types of composite models (several pretrained parts), whose config.json is worth reading. */
const COMPOSITE =
  /ForConditionalGeneration|VisionText|Vision|VL|Llava|Omni|Ultravox|Speech|Audio|Vlm|multimodal|mllama|qwen2_5_vl|qwen2_vl|idefics|paligemma|internvl/i;

/** Hugging Face commit hashes as the Hub writes them. */
export const COMMIT_SHA = /^[0-9a-f]{40}$/;

/** An in-memory {@link FileReader} over downloaded text, so the local-file extractors can read Hub files. */
export function memoryReader(path: string, text: string): FileReader {
  const bytes = Buffer.from(text, "utf8");
  return {
    path,
    size: bytes.length,
    absolutePath: path,
    text: async () => text,
    head: async (n) => bytes.subarray(0, n),
    range: async (s, e) => bytes.subarray(s, e),
    stream: () => {
      throw new Error("stream() is not available for downloaded text");
    },
  };
}

/** One repo at one commit as the passes see it: its info (undefined when read from the Hugging Face cache) and files. */
interface RepoView {
  repo: string;
  sha: string;
  info: Record<string, unknown> | undefined;
  haveFile(f: string): boolean;
  ggufFiles: string[];
  tags: string[];
  config: Record<string, unknown> | undefined;
}

function viewOf(src: RecordSources, repo: string, sha: string, info: Record<string, unknown> | undefined): RepoView {
  const files = new Set<string>(
    Array.isArray(info?.siblings) ? (info.siblings as { rfilename?: string }[]).map((s) => s.rfilename ?? "") : [],
  );
  return {
    repo,
    sha,
    info,
    haveFile: (f) => (info ? files.has(f) : src.cachedFile(repo, sha, f) !== undefined),
    ggufFiles: [...files].filter((f) => /\.gguf$/i.test(f)).sort(),
    tags: Array.isArray(info?.tags) ? (info.tags as unknown[]).filter((t): t is string => typeof t === "string") : [],
    config: (info?.config ?? undefined) as Record<string, unknown> | undefined,
  };
}

/** The model card: the info's `cardData`, else the README's front matter (read once; the README text is kept for prose). */
async function readCard(
  src: RecordSources,
  v: RepoView,
): Promise<{ card?: Record<string, unknown>; readme?: string; lineOf?: (pointer: string) => number | undefined }> {
  const card = v.info?.cardData as Record<string, unknown> | undefined;
  if (card || !v.haveFile("README.md")) return card ? { card } : {};
  const readme = await src.download(v.repo, v.sha, "README.md");
  const fm = readme ? safeFrontMatter(readme) : undefined;
  return {
    ...(readme !== undefined ? { readme } : {}),
    ...(fm ? { card: fm.data, lineOf: (p: string) => fm.doc.locate(p)?.line } : {}),
  };
}

/** An adapter's base: the info's `config.peft`, else `adapter_config.json` when the card declared no parent. */
async function adapterPass(src: RecordSources, v: RepoView, parents: Parent[]): Promise<void> {
  const peft = v.config?.peft as Record<string, unknown> | undefined;
  if (peft?.base_model_name_or_path) {
    const p = peftParent(v.repo, v.sha, peft.base_model_name_or_path, "adapter_config.json");
    if (p) addParent(parents, v.repo, p);
    return;
  }
  if (!v.haveFile("adapter_config.json") || parents.length > 0) return;
  const text = await src.download(v.repo, v.sha, "adapter_config.json");
  if (!text) return;
  try {
    const p = peftParent(
      v.repo,
      v.sha,
      (JSON.parse(text) as Record<string, unknown>).base_model_name_or_path,
      "adapter_config.json",
    );
    if (p) addParent(parents, v.repo, p);
  } catch {
    src.say(`bad-json:${v.repo}`, {
      code: "hub-file-unparsable",
      severity: "warning",
      message: `${v.repo}: adapter_config.json is not valid JSON`,
      location: hubLocation(v.repo, v.sha, "adapter_config.json"),
    });
  }
}

/** A merge's inputs from `mergekit_config.yml`, unless the card declared them. */
async function mergePass(src: RecordSources, v: RepoView, parents: Parent[]): Promise<void> {
  if (!v.haveFile("mergekit_config.yml") || parents.some((p) => p.relation === "merge")) return;
  const text = await src.download(v.repo, v.sha, "mergekit_config.yml");
  if (text) for (const p of mergekitParents(v.repo, v.sha, text)) addParent(parents, v.repo, p);
}

/** A GGUF-only repo's base from the first GGUF file's header (`general.base_model.*`), read by range requests. */
async function ggufPass(src: RecordSources, v: RepoView, parents: Parent[]): Promise<void> {
  if (parents.length > 0 || v.ggufFiles.length === 0 || src.offline) return;
  const file = v.ggufFiles[0]!;
  try {
    const { metadata } = await gguf(`${src.hubUrl}/${v.repo}/resolve/${v.sha}/${file}`, { fetch: src.fetch });
    for (const p of ggufParents(v.repo, v.sha, file, metadata as unknown as Record<string, unknown>))
      addParent(parents, v.repo, p);
  } catch (err) {
    if (err instanceof HubUnreachableError) throw err;
    src.say(`gguf:${v.repo}`, {
      code: "hub-gguf-unreadable",
      severity: "warning",
      message: `${v.repo}: the GGUF header of ${file} could not be read (${(err as Error).message})`,
      location: hubLocation(v.repo, v.sha, file),
    });
  }
}

/**
 * Nested component configs and `_name_or_path` in `config.json`: the same extraction as for local files, so that a
 * composite model's parts (a VLM's vision tower, an audio encoder) are resolved upstream as they are locally. Read
 * when nothing else declared a parent, or always for a composite architecture (then only its parts are new).
 */
async function configPass(src: RecordSources, v: RepoView, parents: Parent[]): Promise<void> {
  const archs = Array.isArray(v.config?.architectures) ? (v.config.architectures as unknown[]).join(" ") : "";
  const composite = COMPOSITE.test(`${archs} ${typeof v.config?.model_type === "string" ? v.config.model_type : ""}`);
  if (!(parents.length === 0 || composite) || !v.haveFile("config.json")) return;
  const text = await src.download(v.repo, v.sha, "config.json");
  if (!text) return;
  const out = await hfConfigExtractor
    .extract(memoryReader("config.json", text), { maxTextBytes: 8 * 1024 * 1024 })
    .catch(() => ({ references: [] }));
  const hadCard = parents.length > 0;
  for (const r of out.references ?? []) {
    if (r.kind !== "hub-id" || !r.target || r.skipReason) continue;
    // With card parents, only the parts are new information (the whole model's base is declared already).
    if (hadCard && (!r.role || r.role === "model" || r.role === "backbone")) continue;
    addParent(parents, v.repo, {
      repo: r.target,
      relation: r.relation ?? "initialised-from",
      ...(r.role && r.role !== "model" ? { role: r.role } : {}),
      evidence: [
        {
          code: "config-reference",
          strength: r.strength,
          location: { ...r.location, hub: { repo: v.repo, revision: v.sha } },
          raw: r.raw,
        },
      ],
    });
  }
}

/** The card's prose: parents when nothing else declared one, hints ("Y (based on X)") always. */
async function prosePass(
  src: RecordSources,
  v: RepoView,
  readme: string | undefined,
  parents: Parent[],
): Promise<Hint[]> {
  if (parents.length > 0) return readme ? proseParents(v.repo, v.sha, readme).hints : [];
  const text =
    readme === undefined && v.haveFile("README.md") ? await src.download(v.repo, v.sha, "README.md") : readme;
  if (!text) return [];
  const prose = proseParents(v.repo, v.sha, text);
  for (const p of prose.parents) addParent(parents, v.repo, p);
  return prose.hints;
}

/**
 * Builds the record of one repo at one commit from its info (undefined: from the Hugging Face cache) and, when needed,
 * a few of its files. @throws HubUnreachableError, HubHttpError (a gated or forbidden file) from the downloads
 */
export async function buildRecord(
  src: RecordSources,
  repo: string,
  sha: string,
  info: Record<string, unknown> | undefined,
  source: string,
): Promise<RepoRecord> {
  const v = viewOf(src, repo, sha, info);
  const { card, readme, lineOf } = await readCard(src, v);
  const traits: RepoTraits = {
    adapter: v.haveFile("adapter_config.json") || !!v.config?.peft || card?.library_name === "peft",
    quantized: v.ggufFiles.length > 0 || !!info?.gguf || !!v.config?.quantization_config || v.tags.includes("gguf"),
    merge: v.tags.includes("merge") || v.tags.includes("mergekit") || v.haveFile("mergekit_config.yml"),
  };
  const parents: Parent[] = cardParents(repo, sha, card, v.tags, traits, lineOf);
  await adapterPass(src, v, parents);
  await mergePass(src, v, parents);
  await ggufPass(src, v, parents);
  if (v.config?.auto_map && parents.length === 0)
    for (const p of autoMapParents(repo, sha, v.config.auto_map, "config.json")) addParent(parents, repo, p);
  await configPass(src, v, parents);
  const hints = await prosePass(src, v, readme, parents);
  const license = card ? cardLicense(card) : undefined;
  const gated = info?.gated === "auto" || info?.gated === "manual";
  const created =
    info?.createdAt instanceof Date
      ? info.createdAt.toISOString()
      : typeof info?.createdAt === "string" && !Number.isNaN(Date.parse(info.createdAt))
        ? new Date(info.createdAt).toISOString()
        : undefined;
  const { task, datasets } = cardFacts(info, card);
  return {
    v: 1,
    repo,
    sha,
    ...(typeof info?.author === "string" ? { author: info.author } : {}),
    ...(created ? { createdAt: created } : {}),
    ...(task ? { task } : {}),
    ...(datasets.length > 0 ? { datasets } : {}),
    ...(license ? { license } : {}),
    ...(gated ? { gated } : {}),
    parents,
    hints,
    state: "resolved",
    source,
  };
}

/** A Hub task name (`text-generation`, `automatic-speech-recognition`): lower-case words joined by `-`. */
const TASK = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/**
 * The task and the training datasets a repo's card states (Hub model-card metadata, https://huggingface.co/docs/hub/
 * model-cards#model-card-metadata: `pipeline_tag`, `datasets`): the info's `pipeline_tag` first, then the card's; the
 * datasets as Hub dataset ids (a single string or a list; anything else, and duplicates, left out; at most 64).
 */
export function cardFacts(
  info: Record<string, unknown> | undefined,
  card: Record<string, unknown> | undefined,
): { task?: string; datasets: string[] } {
  const tag = [info?.pipeline_tag, card?.pipeline_tag].find((t): t is string => typeof t === "string" && TASK.test(t));
  const raw = card?.datasets;
  const list = typeof raw === "string" ? [raw] : Array.isArray(raw) ? raw : [];
  const datasets = [
    ...new Set(list.filter((d): d is string => typeof d === "string" && isDatasetId(d.trim())).map((d) => d.trim())),
  ].slice(0, 64);
  return { ...(tag ? { task: tag } : {}), datasets };
}

/** A Hub dataset id: `name` or `org/name` (letters, digits, `-_.`), at most 200 characters. */
function isDatasetId(d: string): boolean {
  return d.length > 0 && d.length <= 200 && /^[A-Za-z0-9][\w.-]*(?:\/[A-Za-z0-9][\w.-]*)?$/.test(d);
}

/** Shape check of a cached {@link RepoRecord}: a record of the wrong shape is ignored, never trusted. */
export function isRepoRecord(v: unknown): boolean {
  if (!v || typeof v !== "object") return false;
  const r = v as Record<string, unknown>;
  const str = (x: unknown): boolean => x === undefined || typeof x === "string";
  const parentOk = (p: unknown): boolean =>
    !!p &&
    typeof p === "object" &&
    typeof (p as Parent).repo === "string" &&
    !!parseHubId((p as Parent).repo) &&
    typeof (p as Parent).relation === "string" &&
    Array.isArray((p as Parent).evidence);
  return (
    r.v === 1 &&
    typeof r.repo === "string" &&
    typeof r.sha === "string" &&
    COMMIT_SHA.test(r.sha) &&
    str(r.author) &&
    str(r.license) &&
    (r.task === undefined || (typeof r.task === "string" && TASK.test(r.task))) &&
    (r.datasets === undefined ||
      (Array.isArray(r.datasets) && r.datasets.every((d) => typeof d === "string" && isDatasetId(d)))) &&
    (r.gated === undefined || typeof r.gated === "boolean") &&
    Array.isArray(r.parents) &&
    r.parents.every(parentOk) &&
    Array.isArray(r.hints) &&
    r.hints.every(
      (h) => !!h && typeof h === "object" && typeof (h as Hint).subject === "string" && parentOk((h as Hint).parent),
    ) &&
    (r.state === "resolved" || r.state === "undetermined") &&
    typeof r.source === "string"
  );
}

/**
 * Checks the shape of a model-info answer before anything in it is used or cached: a commit sha of 40 hex digits,
 * an author that is a name, objects where objects belong. A hostile or broken endpoint (an echo of the request, an
 * HTML page, wrong-typed fields) is a malformed answer, never lineage. @returns the first problem, or undefined.
 */
export function malformedInfo(info: unknown): string | undefined {
  if (!info || typeof info !== "object" || Array.isArray(info)) return "not a JSON object";
  const i = info as Record<string, unknown>;
  if (typeof i.sha !== "string" || !COMMIT_SHA.test(i.sha)) return "no commit sha of 40 hex digits";
  if (i.author !== undefined && (typeof i.author !== "string" || !/^[A-Za-z0-9][\w.-]{0,95}$/.test(i.author)))
    return "author is not an organization or user name";
  for (const k of ["cardData", "config", "gguf"])
    if (i[k] !== undefined && i[k] !== null && (typeof i[k] !== "object" || Array.isArray(i[k])))
      return `${k} is not an object`;
  for (const k of ["tags", "siblings"])
    if (i[k] !== undefined && i[k] !== null && !Array.isArray(i[k])) return `${k} is not a list`;
  return undefined;
}

function safeFrontMatter(text: string): ReturnType<typeof findFrontMatter> {
  try {
    return findFrontMatter(text);
  } catch {
    return undefined;
  }
}
