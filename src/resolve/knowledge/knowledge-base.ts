/**
 * The knowledge base: publishers (Hub org -> legal entity, country; re-packagers) and known pretrained component
 * signatures. Bundled YAML lives in `rules/knowledge/`; users add directories read after it, whose entries replace
 * bundled ones with the same id. Every file is validated against its schema in `schemas/` before use.
 */
import { readdirSync, readFileSync, statSync, existsSync } from "node:fs";
import { join, relative } from "node:path";
import { parse as parseYaml } from "yaml";
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
  lineage?: { relation: "finetune" | "adapter" | "merge" | "quantized" | "distillation" | "initialised-from"; component?: string; repo?: string; source: KnowledgeSource }[];
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
   * Entries of user directories that replace or shadow a bundled fact: a publisher, component, Ollama tag or
   * fingerprint with a bundled id, or a publisher claiming an org or alias a bundled publisher holds. Such an entry
   * changes verdicts, so every report lists it.
   */
  overrides?: KnowledgeOverride[];
}

/** A user knowledge entry that replaces a bundled one (see {@link KnowledgeBase.overrides}). */
export interface KnowledgeOverride {
  kind: "publisher" | "component" | "tokenizer" | "ollama-tag" | "fingerprint" | "hosted-provider";
  id: string;
  /** The overriding file. */
  file: string;
  /** The knowledge directory it was read from. */
  dir: string;
}

/** The bundled knowledge directory inside the package. */
export const BUNDLED_KNOWLEDGE_DIR = packagePath("rules", "knowledge");

function readYaml(file: string, problems: string[]): unknown {
  // The bundled files were parsed at build time (start-up cost, issue 13); what is served is validated as usual.
  if (file.startsWith(BUNDLED_KNOWLEDGE_DIR)) {
    const parsed = snapshotDocument(file, BUNDLED_KNOWLEDGE_DIR);
    if (parsed !== undefined) return parsed;
  }
  try {
    return parseYaml(readFileSync(file, "utf8"), { maxAliasCount: 100 });
  } catch (err) {
    problems.push(`${file}: invalid YAML: ${(err as Error).message.split("\n")[0]}`);
    return undefined;
  }
}

function yamlFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
    .map((f) => join(dir, f));
}

function readJson(file: string, problems: string[]): unknown {
  try {
    return JSON.parse(readFileSync(file, "utf8"));
  } catch (err) {
    problems.push(`${file}: invalid JSON: ${(err as Error).message.split("\n")[0]}`);
    return undefined;
  }
}

function fingerprintFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => /\.(json|ya?ml)$/.test(f))
    .sort()
    .map((f) => join(dir, f));
}

/**
 * Loads the bundled knowledge base and then each user directory in order.
 * A user directory may hold `manifest.yaml`, `publishers.yaml`, `components/*.yaml`, `tokenizers/*.yaml` and
 * `fingerprints/*.json|yaml` (weight fingerprint entries written by `aiprov fingerprint`), any of them.
 * @throws ConfigError listing every invalid file and schema violation as `file:path: message`.
 */
export function loadKnowledgeBase(userDirs: readonly string[] = []): KnowledgeBase {
  const problems: string[] = [];
  const publishers = new Map<string, PublisherEntry>();
  const components = new Map<string, KnownComponent>();
  const tokenizers = new Map<string, KnownTokenizer>();
  const versions: string[] = [];
  const ollama = new Map<string, OllamaTagEntry>();
  const fingerprints = new Map<string, FingerprintEntry>();
  const hosted = new Map<string, HostedProviderEntry>();
  const dirs = [BUNDLED_KNOWLEDGE_DIR, ...userDirs];
  const overrides: KnowledgeOverride[] = [];
  const bundledOrgs = new Set<string>();
  for (const dir of dirs) {
    const user = dir !== BUNDLED_KNOWLEDGE_DIR;
    const note = (kind: KnowledgeOverride["kind"], id: string, file: string, replaced: boolean): void => {
      if (user && replaced) overrides.push({ kind, id, file, dir });
    };
    if (!existsSync(dir)) {
      problems.push(`${dir}: knowledge directory does not exist`);
      continue;
    }
    if (!statSync(dir).isDirectory()) {
      problems.push(`${dir}: is a file; --knowledge takes a directory holding manifest.yaml, publishers.yaml and components/*.yaml`);
      continue;
    }
    const label = dir === BUNDLED_KNOWLEDGE_DIR ? "rules/knowledge" : dir;
    const manifestFile = join(dir, "manifest.yaml");
    if (existsSync(manifestFile)) {
      const m = readYaml(manifestFile, problems);
      const errs = validate("knowledge-manifest.schema.json", m, manifestFile);
      problems.push(...errs);
      if (errs.length === 0 && m) versions.push(`${(m as { name: string }).name}@${(m as { version: string }).version}`);
    } else if (dir !== BUNDLED_KNOWLEDGE_DIR) {
      versions.push(`${label}@unversioned`);
    }
    const pubFile = join(dir, "publishers.yaml");
    if (existsSync(pubFile)) {
      const data = readYaml(pubFile, problems);
      const errs = validate("knowledge-publishers.schema.json", data, pubFile);
      problems.push(...errs);
      if (errs.length === 0 && data) {
        for (const p of (data as { publishers: PublisherEntry[] }).publishers) {
          const names = [...p.orgs, ...(p.aliases ?? [])].map((o) => o.toLowerCase());
          note("publisher", p.id, pubFile, publishers.has(p.id) || names.some((o) => bundledOrgs.has(o)));
          if (!user) for (const o of names) bundledOrgs.add(o);
          publishers.set(p.id, p);
        }
      }
    }
    const ollamaFile = join(dir, "ollama-tags.yaml");
    if (existsSync(ollamaFile)) {
      const data = readYaml(ollamaFile, problems);
      const errs = validate("knowledge-ollama-tags.schema.json", data, ollamaFile);
      problems.push(...errs);
      if (errs.length === 0 && data) {
        for (const t of (data as { tags: OllamaTagEntry[] }).tags) {
          note("ollama-tag", t.name, ollamaFile, ollama.has(t.name));
          ollama.set(t.name, t);
        }
      }
    }
    const hostedFile = join(dir, "hosted-providers.yaml");
    if (existsSync(hostedFile)) {
      const data = readYaml(hostedFile, problems);
      const errs = validate("knowledge-hosted-providers.schema.json", data, hostedFile);
      problems.push(...errs);
      if (errs.length === 0 && data) {
        for (const p of (data as { providers: HostedProviderEntry[] }).providers) {
          note("hosted-provider", p.id, hostedFile, hosted.has(p.id));
          hosted.set(p.id, { id: p.id, name: p.name, entity: p.entity, country: p.country, source: p.source });
        }
      }
    }
    for (const file of yamlFiles(join(dir, "components"))) {
      const data = readYaml(file, problems);
      const errs = validate("knowledge-component.schema.json", data, file);
      problems.push(...errs);
      if (errs.length === 0 && data) {
        const c = data as Omit<KnownComponent, "file" | "identity" | "role"> & { identity?: KnownComponent["identity"]; role: ComponentRole | "llm-backbone" };
        note("component", c.id, file, components.has(c.id));
        const parts = c.parts?.map((p) => ({ ...p, role: (p.role as string) === "llm-backbone" ? ("backbone" as const) : p.role }));
        components.set(c.id, { ...c, role: c.role === "llm-backbone" ? "backbone" : c.role, identity: c.identity ?? {}, ...(parts ? { parts } : {}), file: relative(join(dir, ".."), file).split("\\").join("/") });
      }
    }
    for (const file of yamlFiles(join(dir, "tokenizers"))) {
      const data = readYaml(file, problems);
      const errs = validate("knowledge-tokenizer.schema.json", data, file);
      problems.push(...errs);
      if (errs.length === 0 && data) {
        const t = data as Omit<KnownTokenizer, "file">;
        note("tokenizer", t.id, file, tokenizers.has(t.id));
        tokenizers.set(t.id, { ...t, file: relative(join(dir, ".."), file).split("\\").join("/") });
      }
    }
    for (const file of fingerprintFiles(join(dir, "fingerprints"))) {
      const data = file.endsWith(".json") ? readJson(file, problems) : readYaml(file, problems);
      const errs = validate("knowledge-fingerprint.schema.json", data, file);
      problems.push(...errs);
      if (errs.length === 0 && data) {
        const f = data as FingerprintEntry;
        note("fingerprint", f.id, file, fingerprints.has(f.id));
        fingerprints.set(f.id, { ...f, file: relative(join(dir, ".."), file).split("\\").join("/") });
      }
    }
  }
  for (const f of fingerprints.values()) {
    for (const c of f.components) if (c.knownComponent && !components.has(c.knownComponent)) problems.push(`${f.file}:/components: unknown known component '${c.knownComponent}'`);
  }
  // Cross-references: lineage must name known components.
  for (const c of components.values()) {
    for (const l of c.lineage ?? []) if (l.component && !components.has(l.component)) problems.push(`${c.file}:/lineage: unknown component '${l.component}'`);
    for (const p of c.parts ?? []) if (p.component && !components.has(p.component)) problems.push(`${c.file}:/parts: unknown component '${p.component}'`);
  }
  if (problems.length > 0) throw new ConfigError("the knowledge base is invalid:", problems);
  const byOrg = new Map<string, PublisherEntry>();
  for (const p of publishers.values()) for (const o of p.orgs) byOrg.set(o.toLowerCase(), p);
  const byAlias = new Map<string, PublisherEntry>();
  for (const p of publishers.values()) for (const a of p.aliases ?? []) byAlias.set(a.toLowerCase(), p);
  return {
    version: versions.join("+"),
    directories: dirs,
    publishers: [...publishers.values()],
    components: [...components.values()].sort((a, b) => a.id.localeCompare(b.id)),
    tokenizers: [...tokenizers.values()].sort((a, b) => a.id.localeCompare(b.id)),
    fingerprints: [...fingerprints.values()].sort((a, b) => a.id.localeCompare(b.id)),
    publisherForOrg: (org) => byOrg.get(org.toLowerCase()) ?? byAlias.get(org.toLowerCase()),
    component: (id) => components.get(id),
    ollamaTags: [...ollama.values()],
    overrides,
    hostedProvider: (id) => hosted.get(id),
    ollamaUpstream: (tag) => {
      const [name, size] = tag.toLowerCase().replace(/^registry\.ollama\.ai\/library\//, "").split(":") as [string, string | undefined];
      const entry = ollama.get(name);
      if (!entry) return undefined;
      const wanted = !size || size === "latest" ? entry.default : size;
      // Quantization suffixes (`7b-instruct-q4_K_M`) keep their size prefix.
      const key = Object.keys(entry.upstream).find((k) => wanted === k || wanted.startsWith(`${k}-`));
      return key ? { repo: entry.upstream[key]!, entry } : undefined;
    },
  };
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
