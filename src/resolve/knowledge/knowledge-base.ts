/**
 * The knowledge base: publishers (Hub org -> legal entity, country; re-packagers) and known pretrained component
 * signatures. Bundled YAML lives in `rules/knowledge/`; users add directories read after it, whose entries replace
 * bundled ones with the same id. Every file is validated against its schema in `schemas/` before use.
 */
import { readdirSync, readFileSync, statSync, existsSync } from "node:fs";
import { join, relative } from "node:path";
import { yaml } from "../../util/yaml.js";
import { ConfigError } from "../../errors.js";
import { validate } from "../../util/schema.js";
import { packagePath } from "../../util/package-root.js";
import { snapshotDocument } from "../../util/knowledge-snapshot.js";
import type { ComponentRole, Publisher } from "../../model/types.js";
import type { FingerprintEntry } from "../../model/fingerprint-entry.js";

/** A cited source. */
export interface KnowledgeSource {
  title: string;
  url?: string;
  file?: string;
}

/** One publisher entry (`schemas/knowledge-publishers.schema.json`). */
export interface PublisherEntry {
  id: string;
  entity: string;
  country: string;
  orgs: string[];
  aliases?: string[];
  repackager?: boolean;
  parent?: string;
  notes?: string;
  source: KnowledgeSource;
}

/** Scalar or list value of a configuration key. */
export type SignatureValue = string | number | boolean | (string | number | boolean)[];

/** Relation of a part of a released checkpoint to what it names (`parts[].relation`). */
export type PartRelation = "component-of" | "initialised-from" | "finetune" | "distillation";

/** One part of a released checkpoint (`parts[]`): what the part is, or was initialised from. */
export interface KnownPart {
  role: ComponentRole;
  name?: string;
  /** id of a known component entry. */
  component?: string;
  /** Hub repo of the part's origin. */
  repo?: string;
  relation: PartRelation;
  /** JSON pointer of the part's sub-config in the checkpoint's config.json. */
  pointer?: string;
  source: KnowledgeSource;
}

/** One known pretrained component or released checkpoint (`schemas/knowledge-component.schema.json`). */
export interface KnownComponent {
  id: string;
  name: string;
  /** Role; `llm-backbone` in a file is read as `backbone`, `model` is a released checkpoint made of `parts`. */
  role: ComponentRole;
  /** Config family whose key aliases and library defaults apply (`src/resolve/knowledge/families.ts`). */
  family?: string;
  publisher: string;
  license?: string;
  /** Names the component may carry: declared evidence beside a structural match, never a gate. */
  match?: { modelTypes?: string[]; architectures?: string[]; names?: string[] };
  keyAliases?: Record<string, string[]>;
  /** Shared identity hyperparameters (empty for a checkpoint described only by its parts). */
  identity: Record<string, SignatureValue>;
  excluded?: string[];
  checkpoints: { repos: string[]; identity: Record<string, SignatureValue>; source: KnowledgeSource }[];
  lineage?: {
    relation: "finetune" | "adapter" | "merge" | "quantized" | "distillation" | "initialised-from";
    component?: string;
    repo?: string;
    source: KnowledgeSource;
  }[];
  /** Parts of a released checkpoint, with their origins. */
  parts?: KnownPart[];
  notes?: string;
  sources: KnowledgeSource[];
  /** File the entry was read from (relative to its knowledge directory's parent, for reports). */
  file: string;
}

/** A known tokenizer (`schemas/knowledge-tokenizer.schema.json`, `tokenizers/*.yaml`). */
export interface KnownTokenizer {
  id: string;
  name: string;
  publisher: string;
  license?: string;
  family?: string;
  /** Hub repos that ship it; the first is the one an edge points at. */
  models: string[];
  signature: KnownTokenizerSignature;
  notes?: string;
  source: KnowledgeSource;
  /** File the entry was read from. */
  file: string;
}

/** Numbers that identify a released tokenizer (definitions in `src/fingerprint/tokenizer-known.ts`). */
export interface KnownTokenizerSignature {
  model: string;
  vocabSize: number;
  coreVocabSize: number;
  coreVocabHash: string;
  maxCoreId?: number;
  mergesCount?: number;
  mergesHash?: string;
  addedTokens?: number;
  specialTokens?: string[];
  preTokenizer?: string;
  minHash: number[];
}

/** One Ollama library name (`schemas/knowledge-ollama-tags.schema.json`). */
export interface OllamaTagEntry {
  name: string;
  default: string;
  upstream: Record<string, string>;
  source: KnowledgeSource;
}

/**
 * Bare model names that stand for a Hub repository (`hub-aliases.yaml`, `schemas/knowledge-hub-aliases.schema.json`):
 * the Hub's legacy un-namespaced ids and a library's short names, completed as `<org>/<name>`.
 */
export interface HubAliasEntry {
  id: string;
  org: string;
  /** The names mapped (compared case-insensitively); absent: every bare name passed to one of `loaders`. */
  names?: string[];
  /** Only names passed to one of these calls (the call's last name). */
  loaders?: string[];
  source: KnowledgeSource;
}

/** A hosted model provider (`hosted-providers.yaml`, `schemas/knowledge-hosted-providers.schema.json`). */
export interface HostedProviderEntry {
  id: string;
  name: string;
  entity: string;
  country: string;
  source: KnowledgeSource;
}

/** The loaded knowledge base. */
export interface KnowledgeBase {
  /** `name@version` of every directory read, bundled first. */
  version: string;
  directories: string[];
  publishers: PublisherEntry[];
  components: KnownComponent[];
  /** Known tokenizers (`tokenizers/*.yaml`). */
  tokenizers: KnownTokenizer[];
  /** Weight fingerprint entries (`fingerprints/*.json|yaml`, `schemas/knowledge-fingerprint.schema.json`). */
  fingerprints: FingerprintEntry[];
  /** Publisher for a Hub org or alias (case-insensitive), if known. */
  publisherForOrg(org: string): PublisherEntry | undefined;
  /** Known component by id. */
  component(id: string): KnownComponent | undefined;
  /** Ollama library names (from `ollama-tags.yaml`), by name. */
  ollamaTags?: OllamaTagEntry[];
  /** Hosted model providers (from `hosted-providers.yaml`), by id. */
  hostedProvider?(id: string): HostedProviderEntry | undefined;
  /**
   * The Hub repo an Ollama tag packages (`qwen2.5:7b`, `llama3.1`, `exaone3.5:latest`, `bge-m3:567m`), with the
   * entry that says so; undefined for tags not in the table.
   */
  ollamaUpstream?(tag: string): { repo: string; entry: OllamaTagEntry } | undefined;
  /**
   * The Hub repo a bare name stands for (`gpt2` -> `openai-community/gpt2`; `all-mpnet-base-v2` passed to
   * `SentenceTransformer` -> `sentence-transformers/all-mpnet-base-v2`), with the entry that says so; undefined for
   * names not in `hub-aliases.yaml`. `loader` is the call the name is passed to, as the extractor recorded it.
   */
  hubAlias?(name: string, loader?: string): { repo: string; entry: HubAliasEntry } | undefined;
  /**
   * Entries of user directories that replace or shadow a bundled fact: a publisher, component, Ollama tag or
   * fingerprint with a bundled id, or a publisher claiming an org or alias a bundled publisher holds. Such an entry
   * changes verdicts, so every report lists it.
   */
  overrides?: KnowledgeOverride[];
}

/** A user knowledge entry that replaces a bundled one (see {@link KnowledgeBase.overrides}). */
export interface KnowledgeOverride {
  kind: "publisher" | "component" | "tokenizer" | "ollama-tag" | "hub-alias" | "fingerprint" | "hosted-provider";
  id: string;
  /** The overriding file. */
  file: string;
  /** The knowledge directory it was read from. */
  dir: string;
}

/** The bundled knowledge directory inside the package. */
export const BUNDLED_KNOWLEDGE_DIR = packagePath("rules", "knowledge");

/**
 * True for a regular file; else a problem naming it. A knowledge folder may lie in the scanned project, and a FIFO
 * named `x.yaml` there would block the read forever.
 */
function regularFile(file: string, problems: string[]): boolean {
  try {
    if (statSync(file).isFile()) return true;
  } catch (err) {
    problems.push(`${file}: cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
    return false;
  }
  problems.push(`${file}: not a regular file (a named pipe, socket or device is never read)`);
  return false;
}

function readYaml(file: string, problems: string[]): unknown {
  // The bundled files were parsed at build time (start-up cost, issue 13); what is served is validated as usual.
  if (file.startsWith(BUNDLED_KNOWLEDGE_DIR)) {
    const parsed = snapshotDocument(file, BUNDLED_KNOWLEDGE_DIR);
    if (parsed !== undefined) return parsed;
  }
  if (!regularFile(file, problems)) return undefined;
  try {
    return yaml().parse(readFileSync(file, "utf8"), { maxAliasCount: 100 });
  } catch (err) {
    problems.push(`${file}: invalid YAML: ${(err as Error).message.split("\n")[0]}`);
    return undefined;
  }
}

function readJson(file: string, problems: string[]): unknown {
  if (!regularFile(file, problems)) return undefined;
  try {
    return JSON.parse(readFileSync(file, "utf8"));
  } catch (err) {
    problems.push(`${file}: invalid JSON: ${(err as Error).message.split("\n")[0]}`);
    return undefined;
  }
}

/** Reads a knowledge file by its extension (`.json` as JSON, else YAML); problems are collected, not thrown. */
function readDocument(file: string, problems: string[]): unknown {
  return file.endsWith(".json") ? readJson(file, problems) : readYaml(file, problems);
}

/** The files of a section in one knowledge directory, in name order. */
function filesIn(dir: string, pattern: RegExp): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => pattern.test(f))
    .sort()
    .map((f) => join(dir, f));
}

/** Path of a knowledge file as reports show it: relative to its knowledge directory's parent, `/`-separated. */
function displayPath(dir: string, file: string): string {
  return relative(join(dir, ".."), file).split("\\").join("/");
}

/** Everything read so far, bundled directory first; later directories replace entries with the same id. */
interface LoadState {
  problems: string[];
  versions: string[];
  overrides: KnowledgeOverride[];
  publishers: Map<string, PublisherEntry>;
  components: Map<string, KnownComponent>;
  tokenizers: Map<string, KnownTokenizer>;
  ollama: Map<string, OllamaTagEntry>;
  aliases: Map<string, HubAliasEntry>;
  fingerprints: Map<string, FingerprintEntry>;
  hosted: Map<string, HostedProviderEntry>;
  /** Orgs and aliases (lower case) the bundled publishers hold: a user publisher claiming one shadows a bundled fact. */
  bundledOrgs: Set<string>;
}

/**
 * One kind of knowledge file: where it lives in a knowledge directory, its schema, the entries a valid document
 * holds and where they are kept. Every section is read the same way ({@link loadSection}): read, validate, then
 * store each entry under its id, noting a user entry that replaces or shadows a bundled one.
 */
interface Section<E> {
  kind: KnowledgeOverride["kind"];
  /** The section's files in a knowledge directory. */
  files(dir: string): string[];
  schema: string;
  /** The entries of a document that passed the schema, as stored (`file` is the display path). */
  entries(doc: unknown, file: string): E[];
  id(entry: E): string;
  store(state: LoadState): Map<string, E>;
  /** Whether a user entry shadows a bundled fact beyond its id (default: none). */
  shadows?(entry: E, state: LoadState): boolean;
  /** Called for each bundled entry once stored. */
  bundled?(entry: E, state: LoadState): void;
}

const single =
  (name: string) =>
  (dir: string): string[] =>
    existsSync(join(dir, name)) ? [join(dir, name)] : [];
const YAML_FILE = /\.ya?ml$/;
const publisherNames = (p: PublisherEntry): string[] => [...p.orgs, ...(p.aliases ?? [])].map((o) => o.toLowerCase());
const asBackbone = (role: ComponentRole | "llm-backbone"): ComponentRole =>
  role === "llm-backbone" ? "backbone" : role;

const PUBLISHERS: Section<PublisherEntry> = {
  kind: "publisher",
  files: single("publishers.yaml"),
  schema: "knowledge-publishers.schema.json",
  entries: (doc) => (doc as { publishers: PublisherEntry[] }).publishers,
  id: (p) => p.id,
  store: (s) => s.publishers,
  shadows: (p, s) => publisherNames(p).some((o) => s.bundledOrgs.has(o)),
  bundled: (p, s) => {
    for (const o of publisherNames(p)) s.bundledOrgs.add(o);
  },
};

const OLLAMA_TAGS: Section<OllamaTagEntry> = {
  kind: "ollama-tag",
  files: single("ollama-tags.yaml"),
  schema: "knowledge-ollama-tags.schema.json",
  entries: (doc) => (doc as { tags: OllamaTagEntry[] }).tags,
  id: (t) => t.name,
  store: (s) => s.ollama,
};

const HUB_ALIASES: Section<HubAliasEntry> = {
  kind: "hub-alias",
  files: single("hub-aliases.yaml"),
  schema: "knowledge-hub-aliases.schema.json",
  entries: (doc) => (doc as { aliases: HubAliasEntry[] }).aliases,
  id: (a) => a.id,
  store: (s) => s.aliases,
};

const HOSTED_PROVIDERS: Section<HostedProviderEntry> = {
  kind: "hosted-provider",
  files: single("hosted-providers.yaml"),
  schema: "knowledge-hosted-providers.schema.json",
  entries: (doc) =>
    (doc as { providers: HostedProviderEntry[] }).providers.map((p) => ({
      id: p.id,
      name: p.name,
      entity: p.entity,
      country: p.country,
      source: p.source,
    })),
  id: (p) => p.id,
  store: (s) => s.hosted,
};

type ComponentDocument = Omit<KnownComponent, "file" | "identity" | "role"> & {
  identity?: KnownComponent["identity"];
  role: ComponentRole | "llm-backbone";
};

const COMPONENTS: Section<KnownComponent> = {
  kind: "component",
  files: (dir) => filesIn(join(dir, "components"), YAML_FILE),
  schema: "knowledge-component.schema.json",
  entries: (doc, file) => {
    const c = doc as ComponentDocument;
    const parts = c.parts?.map((p) => ({ ...p, role: asBackbone(p.role) }));
    return [{ ...c, role: asBackbone(c.role), identity: c.identity ?? {}, ...(parts ? { parts } : {}), file }];
  },
  id: (c) => c.id,
  store: (s) => s.components,
};

const TOKENIZERS: Section<KnownTokenizer> = {
  kind: "tokenizer",
  files: (dir) => filesIn(join(dir, "tokenizers"), YAML_FILE),
  schema: "knowledge-tokenizer.schema.json",
  entries: (doc, file) => [{ ...(doc as Omit<KnownTokenizer, "file">), file }],
  id: (t) => t.id,
  store: (s) => s.tokenizers,
};

const FINGERPRINTS: Section<FingerprintEntry> = {
  kind: "fingerprint",
  files: (dir) => filesIn(join(dir, "fingerprints"), /\.(json|ya?ml)$/),
  schema: "knowledge-fingerprint.schema.json",
  entries: (doc, file) => [{ ...(doc as FingerprintEntry), file }],
  id: (f) => f.id,
  store: (s) => s.fingerprints,
};

/** Reads one section of one knowledge directory into the state (problems collected, never thrown). */
function loadSection<E>(section: Section<E>, dir: string, user: boolean, state: LoadState): void {
  const store = section.store(state);
  for (const file of section.files(dir)) {
    const doc = readDocument(file, state.problems);
    const errs = validate(section.schema, doc, file);
    state.problems.push(...errs);
    if (errs.length > 0 || !doc) continue;
    for (const entry of section.entries(doc, displayPath(dir, file))) {
      const id = section.id(entry);
      if (user && (store.has(id) || section.shadows?.(entry, state)))
        state.overrides.push({ kind: section.kind, id, file, dir });
      if (!user) section.bundled?.(entry, state);
      store.set(id, entry);
    }
  }
}

type SectionLoader = (dir: string, user: boolean, state: LoadState) => void;
const loaderOf =
  <E>(section: Section<E>): SectionLoader =>
  (dir, user, state) =>
    loadSection(section, dir, user, state);

/** The sections in reading order (cross-references between entries are checked once all are read). */
const SECTIONS: readonly SectionLoader[] = [
  loaderOf(PUBLISHERS),
  loaderOf(OLLAMA_TAGS),
  loaderOf(HUB_ALIASES),
  loaderOf(HOSTED_PROVIDERS),
  loaderOf(COMPONENTS),
  loaderOf(TOKENIZERS),
  loaderOf(FINGERPRINTS),
];

/** Whether `dir` can be read as a knowledge directory; says why not in `problems`. */
function isKnowledgeDirectory(dir: string, problems: string[]): boolean {
  if (!existsSync(dir)) {
    problems.push(`${dir}: knowledge directory does not exist`);
    return false;
  }
  if (!statSync(dir).isDirectory()) {
    problems.push(
      `${dir}: is a file; --knowledge takes a directory holding manifest.yaml, publishers.yaml and components/*.yaml`,
    );
    return false;
  }
  return true;
}

/** The directory's `name@version` from its `manifest.yaml`; a user directory without one is `<dir>@unversioned`. */
function readManifest(dir: string, user: boolean, state: LoadState): void {
  const manifestFile = join(dir, "manifest.yaml");
  if (!existsSync(manifestFile)) {
    if (user) state.versions.push(`${dir}@unversioned`);
    return;
  }
  const m = readYaml(manifestFile, state.problems);
  const errs = validate("knowledge-manifest.schema.json", m, manifestFile);
  state.problems.push(...errs);
  if (errs.length === 0 && m)
    state.versions.push(`${(m as { name: string }).name}@${(m as { version: string }).version}`);
}

/** Cross-references between entries: fingerprints, lineage and parts must name known components. */
function crossReferenceProblems(state: LoadState): string[] {
  const problems: string[] = [];
  const { components } = state;
  for (const f of state.fingerprints.values()) {
    for (const c of f.components)
      if (c.knownComponent && !components.has(c.knownComponent))
        problems.push(`${f.file}:/components: unknown known component '${c.knownComponent}'`);
  }
  for (const c of components.values()) {
    for (const l of c.lineage ?? [])
      if (l.component && !components.has(l.component))
        problems.push(`${c.file}:/lineage: unknown component '${l.component}'`);
    for (const p of c.parts ?? [])
      if (p.component && !components.has(p.component))
        problems.push(`${c.file}:/parts: unknown component '${p.component}'`);
  }
  return problems;
}

/**
 * The Hub repo an Ollama tag packages, by the table's default size for a bare or `latest` tag; quantization
 * suffixes (`7b-instruct-q4_K_M`) keep their size prefix.
 */
function ollamaUpstreamOf(
  ollama: ReadonlyMap<string, OllamaTagEntry>,
  tag: string,
): { repo: string; entry: OllamaTagEntry } | undefined {
  const [name, size] = tag
    .toLowerCase()
    .replace(/^registry\.ollama\.ai\/library\//, "")
    .split(":") as [string, string | undefined];
  const entry = ollama.get(name);
  if (!entry) return undefined;
  const wanted = !size || size === "latest" ? entry.default : size;
  const key = Object.keys(entry.upstream).find((k) => wanted === k || wanted.startsWith(`${k}-`));
  return key ? { repo: entry.upstream[key]!, entry } : undefined;
}

/**
 * The Hub repo a bare name stands for: an entry listing the name (restricted to its loaders when it names any), else
 * an entry for every name passed to the loader. Names with an organisation, a path or a tag are never aliases.
 */
function hubAliasOf(
  aliases: ReadonlyMap<string, HubAliasEntry>,
  name: string,
  loader: string | undefined,
): { repo: string; entry: HubAliasEntry } | undefined {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name)) return undefined;
  const call = loader?.split(".").pop();
  const lower = name.toLowerCase();
  const byLoader = (e: HubAliasEntry): boolean => !e.loaders || (call !== undefined && e.loaders.includes(call));
  const entries = [...aliases.values()];
  const listed = entries.find((e) => e.names?.some((n) => n.toLowerCase() === lower) && byLoader(e));
  const hit = listed ?? entries.find((e) => !e.names && byLoader(e));
  if (!hit) return undefined;
  const canonical = hit.names?.find((n) => n.toLowerCase() === lower) ?? name;
  return { repo: `${hit.org}/${canonical}`, entry: hit };
}

const byId = <T extends { id: string }>(xs: Iterable<T>): T[] => [...xs].sort((a, b) => a.id.localeCompare(b.id));

/** The knowledge base over what was read. */
function knowledgeBaseOf(state: LoadState, dirs: string[]): KnowledgeBase {
  const byOrg = new Map<string, PublisherEntry>();
  for (const p of state.publishers.values()) for (const o of p.orgs) byOrg.set(o.toLowerCase(), p);
  const byAlias = new Map<string, PublisherEntry>();
  for (const p of state.publishers.values()) for (const a of p.aliases ?? []) byAlias.set(a.toLowerCase(), p);
  return {
    version: state.versions.join("+"),
    directories: dirs,
    publishers: [...state.publishers.values()],
    components: byId(state.components.values()),
    tokenizers: byId(state.tokenizers.values()),
    fingerprints: byId(state.fingerprints.values()),
    publisherForOrg: (org) => byOrg.get(org.toLowerCase()) ?? byAlias.get(org.toLowerCase()),
    component: (id) => state.components.get(id),
    ollamaTags: [...state.ollama.values()],
    overrides: state.overrides,
    hostedProvider: (id) => state.hosted.get(id),
    ollamaUpstream: (tag) => ollamaUpstreamOf(state.ollama, tag),
    hubAlias: (name, loader) => hubAliasOf(state.aliases, name, loader),
  };
}

/**
 * Loads the bundled knowledge base and then each user directory in order.
 * A user directory may hold `manifest.yaml`, `publishers.yaml`, `ollama-tags.yaml`, `hub-aliases.yaml`,
 * `hosted-providers.yaml`,
 * `components/*.yaml`, `tokenizers/*.yaml` and `fingerprints/*.json|yaml` (weight fingerprint entries written by
 * `aiprov fingerprint`), any of them. Entries replace earlier ones with the same id; a user entry that replaces or
 * shadows a bundled fact is listed in `overrides`.
 * @throws ConfigError listing every invalid file and schema violation as `file:path: message`.
 */
export function loadKnowledgeBase(userDirs: readonly string[] = []): KnowledgeBase {
  const state: LoadState = {
    problems: [],
    versions: [],
    overrides: [],
    publishers: new Map(),
    components: new Map(),
    tokenizers: new Map(),
    ollama: new Map(),
    aliases: new Map(),
    fingerprints: new Map(),
    hosted: new Map(),
    bundledOrgs: new Set(),
  };
  const dirs = [BUNDLED_KNOWLEDGE_DIR, ...userDirs];
  for (const dir of dirs) {
    if (!isKnowledgeDirectory(dir, state.problems)) continue;
    const user = dir !== BUNDLED_KNOWLEDGE_DIR;
    readManifest(dir, user, state);
    for (const loadSectionOf of SECTIONS) loadSectionOf(dir, user, state);
  }
  state.problems.push(...crossReferenceProblems(state));
  if (state.problems.length > 0) throw new ConfigError("the knowledge base is invalid:", state.problems);
  return knowledgeBaseOf(state, dirs);
}

/** Converts a knowledge-base publisher entry into the result's {@link Publisher} for a given org. */
export function toPublisher(org: string, entry: PublisherEntry | undefined): Publisher {
  if (!entry) return { org, entity: org, country: "unknown" };
  return {
    org,
    entity: entry.entity,
    country: entry.country,
    ...(entry.repackager ? { repackager: true } : {}),
    source: entry.source.url ? `${entry.source.title} <${entry.source.url}>` : entry.source.title,
  };
}
