/**
 * The extractor registry: an explicit list, sorted by id (Renovate `lib/modules/manager/api.ts`), not folder magic.
 * Adding a format means adding its folder under `src/extract/extractors/` and one row here; the conformance test
 * (`src/extract/registry.test.ts`) then demands its README, tests and fixtures, and that the row's claims cover every
 * path its `matches()` accepts.
 *
 * Each row says, from the file name alone, which files the extractor may want ({@link PathClaims}: extensions, exact
 * names, name prefixes), and loads the extractor's module only when a file of the scan is claimed. So "is this file
 * mine?" is one table lookup by name and extension for most files (a `.png` or `.css` file costs no regex at all), and
 * a scan loads only the parsers it uses: an empty folder loads none, a folder of JSON manifests never loads
 * tree-sitter or the GGUF reader (issue 13). The extractor's own `matches()` still has the last word on the files
 * its row claims.
 */
import type { Extractor } from "./types.js";
import { holdsWords, JS_CODE_WORDS, PYTHON_CODE_WORDS } from "./prefilters.js";

/**
 * Which base names an extractor may want, as a superset of its `matches()`: a name is claimed when its extension
 * (after the last dot, lower case) is in `extensions`, the whole name (lower case) is in `names`, it starts (lower
 * case) with one of `prefixes`, or it has no dot and `extensionless` is set.
 */
export interface PathClaims {
  readonly extensions?: readonly string[];
  readonly names?: readonly string[];
  readonly prefixes?: readonly string[];
  readonly extensionless?: boolean;
}

/** One registry row: the extractor's id, its path claims and how to load it. */
export interface RegisteredExtractor {
  readonly id: string;
  readonly claims: PathClaims;
  /**
   * The extractor's content prefilter when it parses files as code (the costly part of extraction): a file whose text
   * holds none of these words is not parsed. Used to schedule work only (see {@link parsesAsCode}); the extractor
   * applies the same test itself.
   */
  readonly parses?: RegExp;
  load(): Promise<Extractor>;
}

const JSON_YAML = ["json", "yaml", "yml"];

/** Every registered extractor, sorted by id. */
export const REGISTRY: readonly RegisteredExtractor[] = [
  {
    id: "app-settings",
    claims: { extensions: [...JSON_YAML, "toml"] },
    load: async () => (await import("./extractors/app-settings/index.js")).appSettingsExtractor,
  },
  {
    id: "attribution",
    claims: {
      prefixes: [
        "notice",
        "license",
        "licence",
        "copying",
        "use_policy",
        "acceptable_use_policy",
        "prohibited_use_policy",
        "readme",
      ],
    },
    load: async () => (await import("./extractors/attribution/index.js")).attributionExtractor,
  },
  {
    id: "chat-template",
    claims: { names: ["chat_template.jinja", "chat_template.json"] },
    load: async () => (await import("./extractors/chat-template/index.js")).chatTemplateExtractor,
  },
  {
    id: "diffusers-pipeline",
    claims: { names: ["model_index.json"] },
    load: async () => (await import("./extractors/diffusers-pipeline/index.js")).diffusersPipelineExtractor,
  },
  {
    id: "dotenv",
    claims: { prefixes: [".env"], extensions: ["env"] },
    load: async () => (await import("./extractors/dotenv/index.js")).dotenvExtractor,
  },
  {
    id: "generation-config",
    claims: { names: ["generation_config.json"] },
    load: async () => (await import("./extractors/generation-config/index.js")).generationConfigExtractor,
  },
  {
    id: "gguf",
    claims: { extensions: ["gguf"] },
    load: async () => (await import("./extractors/gguf/index.js")).ggufExtractor,
  },
  {
    id: "hf-config",
    claims: { extensions: JSON_YAML },
    load: async () => (await import("./extractors/hf-config/index.js")).hfConfigExtractor,
  },
  {
    id: "js-code",
    claims: { extensions: ["js", "cjs", "mjs", "jsx", "ts", "cts", "mts", "tsx"] },
    parses: JS_CODE_WORDS,
    load: async () => (await import("./extractors/js-code/index.js")).jsCodeExtractor,
  },
  {
    id: "mergekit",
    claims: { extensions: ["yaml", "yml"] },
    load: async () => (await import("./extractors/mergekit/index.js")).mergekitExtractor,
  },
  {
    id: "model-card",
    claims: { prefixes: ["readme", "model_card", "modelcard"] },
    load: async () => (await import("./extractors/model-card/index.js")).modelCardExtractor,
  },
  {
    id: "modelfile",
    claims: { prefixes: ["modelfile"], extensions: ["modelfile"] },
    load: async () => (await import("./extractors/modelfile/index.js")).modelfileExtractor,
  },
  {
    id: "peft-adapter",
    claims: { names: ["adapter_config.json"] },
    load: async () => (await import("./extractors/peft-adapter/index.js")).peftAdapterExtractor,
  },
  {
    id: "processor-config",
    claims: { names: ["preprocessor_config.json", "processor_config.json", "video_preprocessor_config.json"] },
    load: async () => (await import("./extractors/processor-config/index.js")).processorConfigExtractor,
  },
  {
    id: "python-code",
    claims: { extensions: ["py", "pyw", "ipynb"], extensionless: true },
    parses: PYTHON_CODE_WORDS,
    load: async () => (await import("./extractors/python-code/index.js")).pythonCodeExtractor,
  },
  {
    id: "quantization-config",
    claims: { names: ["config.json", "quantize_config.json", "quant_config.json"] },
    load: async () => (await import("./extractors/quantization-config/index.js")).quantizationConfigExtractor,
  },
  {
    id: "readme-mentions",
    claims: { prefixes: ["readme"], extensions: ["md", "mdx"] },
    load: async () => (await import("./extractors/readme-mentions/index.js")).readmeMentionsExtractor,
  },
  {
    id: "safetensors-header",
    claims: { extensions: ["safetensors"] },
    load: async () => (await import("./extractors/safetensors-header/index.js")).safetensorsHeaderExtractor,
  },
  {
    id: "safetensors-index",
    claims: { extensions: ["json"] },
    load: async () => (await import("./extractors/safetensors-index/index.js")).safetensorsIndexExtractor,
  },
  {
    id: "sentence-transformers",
    claims: { names: ["modules.json", "config_sentence_transformers.json"] },
    load: async () => (await import("./extractors/sentence-transformers/index.js")).sentenceTransformersExtractor,
  },
  {
    id: "serving",
    claims: {
      prefixes: ["dockerfile", "containerfile", "docker-compose", "compose"],
      extensions: ["dockerfile", "containerfile", "sh", "bash", "zsh", "yaml", "yml"],
    },
    load: async () => (await import("./extractors/serving/index.js")).servingExtractor,
  },
  {
    id: "special-tokens-map",
    claims: { names: ["special_tokens_map.json", "added_tokens.json"] },
    load: async () => (await import("./extractors/special-tokens-map/index.js")).specialTokensMapExtractor,
  },
  {
    id: "timm-open-clip",
    claims: { names: ["config.json", "open_clip_config.json"] },
    load: async () => (await import("./extractors/timm-open-clip/index.js")).timmOpenClipExtractor,
  },
  {
    id: "tokenizer-config",
    claims: { names: ["tokenizer_config.json"] },
    load: async () => (await import("./extractors/tokenizer-config/index.js")).tokenizerConfigExtractor,
  },
  {
    id: "tokenizer-json",
    claims: { names: ["tokenizer.json"] },
    load: async () => (await import("./extractors/tokenizer-json/index.js")).tokenizerJsonExtractor,
  },
  {
    id: "training-recipe",
    claims: { extensions: JSON_YAML },
    load: async () => (await import("./extractors/training-recipe/index.js")).trainingRecipeExtractor,
  },
];

/** The claims of the registry as lookup tables: registry positions by extension, by exact name, by prefix. */
interface ClaimTable {
  byExtension: Map<string, number[]>;
  byName: Map<string, number[]>;
  prefixes: { prefix: string; index: number }[];
  extensionless: number[];
}

function buildTable(): ClaimTable {
  const t: ClaimTable = { byExtension: new Map(), byName: new Map(), prefixes: [], extensionless: [] };
  const add = (m: Map<string, number[]>, k: string, i: number): void => {
    const list = m.get(k);
    if (!list) m.set(k, [i]);
    else if (list[list.length - 1] !== i) list.push(i);
  };
  REGISTRY.forEach((r, i) => {
    for (const e of r.claims.extensions ?? []) add(t.byExtension, e, i);
    for (const n of r.claims.names ?? []) add(t.byName, n, i);
    for (const p of r.claims.prefixes ?? []) t.prefixes.push({ prefix: p, index: i });
    if (r.claims.extensionless) t.extensionless.push(i);
  });
  return t;
}

let table: ClaimTable | undefined;

/**
 * Registry positions (ascending) of the extractors that may want a file with base name `base`: one lookup by
 * extension, one by name, and the few name prefixes. Empty for most files of a code tree (images, styles, data).
 */
export function claimantsOf(base: string): readonly number[] {
  table ??= buildTable();
  const lower = base.toLowerCase();
  const dot = lower.lastIndexOf(".");
  const byExtension = dot < 0 ? table.extensionless : (table.byExtension.get(lower.slice(dot + 1)) ?? NONE);
  const byName = table.byName.get(lower);
  let byPrefix: number[] | undefined;
  for (const p of table.prefixes) if (lower.startsWith(p.prefix)) (byPrefix ??= []).push(p.index);
  // Most names are claimed by their extension alone: that list is already sorted and is returned as it is.
  if (!byName && !byPrefix) return byExtension;
  const found = new Set<number>([...byExtension, ...(byName ?? []), ...(byPrefix ?? [])]);
  return [...found].sort((a, b) => a - b);
}

/** The empty claim list. */
const NONE: readonly number[] = [];

/**
 * True when an extractor claiming a file named `base` would parse it as code: its content prefilter
 * ({@link RegisteredExtractor.parses}) finds a word in `content` (the decoded text, or the raw bytes read as Latin-1;
 * the prefilters are ASCII, so both give the same answer). Scheduling only: the extractor has the last word.
 */
export function parsesAsCode(base: string, content: string): boolean {
  for (const i of claimantsOf(base)) {
    const words = REGISTRY[i]!.parses;
    if (words && holdsWords(words, content)) return true;
  }
  return false;
}

/** Registry positions by extractor id. */
const POSITION = new Map(REGISTRY.map((r, i) => [r.id, i]));

/** The registry position of an extractor id, or undefined for an extractor that is not registered (a test's own). */
export function registryPosition(id: string): number | undefined {
  return POSITION.get(id);
}

const loaded = new Map<number, Promise<Extractor>>();

/**
 * The extractors at the given registry positions (all of them by default), loaded once per thread, in registry order.
 * @throws whatever importing an extractor's module throws (a packaging bug).
 */
export async function loadExtractors(positions: Iterable<number> = REGISTRY.keys()): Promise<Extractor[]> {
  const wanted = [...new Set(positions)].sort((a, b) => a - b);
  return Promise.all(
    wanted.map((i) => {
      let p = loaded.get(i);
      if (!p) loaded.set(i, (p = REGISTRY[i]!.load()));
      return p;
    }),
  );
}

/** The extractors any of `paths` (root-relative, POSIX) may need, loaded: what a batch of files is run through. */
export async function extractorsFor(paths: Iterable<string>): Promise<Extractor[]> {
  const positions = new Set<number>();
  for (const p of paths) for (const i of claimantsOf(p.slice(p.lastIndexOf("/") + 1))) positions.add(i);
  return loadExtractors(positions);
}
