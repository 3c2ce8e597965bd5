/**
 * Hosted models: models a product reaches over a provider's API (`ChatOpenAI(model="gpt-4o")`,
 * `anthropic.messages.create({ model })`, `GROQ_MODEL_PREF || "llama3-8b-8192"`). Which provider a model name
 * belongs to is read from the cited table `rules/knowledge/hosted-providers.yaml`: the call or class that sends the
 * request, a provider named by the key, variable or folder the value sits in, an SDK the file imports, or the model
 * name's own shape (`claude-...`). Pure lookups over that table; nothing here reads the scanned tree.
 */
import { readFileSync } from "node:fs";
import { yaml } from "../../util/yaml.js";
import { packagePath } from "../../util/package-root.js";
import { snapshotDocument } from "../../util/knowledge-snapshot.js";
import { validate } from "../../util/schema.js";

/** One hosted provider (`schemas/knowledge-hosted-providers.schema.json`). */
export interface HostedProvider {
  id: string;
  name: string;
  entity: string;
  /** ISO 3166-1 alpha-2 code of the headquarters. */
  country: string;
  source: { title: string; url?: string };
  modelPatterns?: string[];
  python?: { modules?: string[]; classes?: string[] };
  js?: { packages?: string[]; classes?: string[] };
  hosts?: string[];
  tokens?: string[];
  /** The model a client class uses when the code names none (the library's documented default). */
  classDefaults?: { class: string; language: "python" | "js"; model: string; modules?: string[]; source: string }[];
}

/** The bundled provider table's file. */
export const HOSTED_PROVIDERS_FILE = packagePath("rules", "knowledge", "hosted-providers.yaml");

interface Table {
  providers: HostedProvider[];
  byId: Map<string, HostedProvider>;
  patterns: { provider: string; re: RegExp }[];
  tokens: Map<string, string>;
  pyModules: { prefix: string; provider: string }[];
  pyClasses: Map<string, string>;
  jsPackages: Map<string, string>;
  jsClasses: Map<string, string>;
  /** `<language>:<class>` -> the provider and the model the class uses by default. */
  defaults: Map<string, { provider: string; model: string; modules?: string[] }[]>;
}

let table: Table | undefined;

/**
 * The provider table, read and validated once.
 * @throws Error naming the file and each schema problem when the bundled table is invalid (a packaging bug).
 */
export function hostedTable(): Table {
  if (table) return table;
  // Parsed at build time when unchanged since (src/util/knowledge-snapshot.ts): every worker thread reads this table.
  const data = (snapshotDocument(HOSTED_PROVIDERS_FILE, packagePath("rules", "knowledge")) ??
    yaml().parse(readFileSync(HOSTED_PROVIDERS_FILE, "utf8"))) as { providers: HostedProvider[] };
  const problems = validate("knowledge-hosted-providers.schema.json", data, HOSTED_PROVIDERS_FILE);
  if (problems.length) throw new Error(`invalid hosted provider table: ${problems.join("; ")}`);
  const t: Table = {
    providers: data.providers,
    byId: new Map(),
    patterns: [],
    tokens: new Map(),
    pyModules: [],
    pyClasses: new Map(),
    jsPackages: new Map(),
    jsClasses: new Map(),
    defaults: new Map(),
  };
  for (const p of data.providers) {
    t.byId.set(p.id, p);
    for (const re of p.modelPatterns ?? []) t.patterns.push({ provider: p.id, re: new RegExp(`^(?:${re})$`, "i") });
    for (const tok of [p.id, ...(p.tokens ?? [])]) t.tokens.set(normToken(tok), p.id);
    for (const m of p.python?.modules ?? []) t.pyModules.push({ prefix: m, provider: p.id });
    // A class listed by several providers (`OpenAI` in openai and llama_index) keeps the first.
    for (const c of p.python?.classes ?? []) if (!t.pyClasses.has(c)) t.pyClasses.set(c, p.id);
    for (const m of p.js?.packages ?? []) t.jsPackages.set(m, p.id);
    for (const c of p.js?.classes ?? []) if (!t.jsClasses.has(c)) t.jsClasses.set(c, p.id);
    for (const d of p.classDefaults ?? [])
      t.defaults.set(`${d.language}:${d.class}`, [
        ...(t.defaults.get(`${d.language}:${d.class}`) ?? []),
        { provider: p.id, model: d.model, ...(d.modules ? { modules: d.modules } : {}) },
      ]);
  }
  t.pyModules.sort((a, b) => b.prefix.length - a.prefix.length);
  return (table = t);
}

const GENERIC_PIECES: ReadonlySet<string> = new Set([
  "generic",
  "compatible",
  "custom",
  "local",
  "localai",
  "lmstudio",
  "ollama",
  "litellm",
  "vllm",
  "llamacpp",
  "koboldcpp",
  "textgenwebui",
  "proxy",
]);

/** Test files and test scripts: the models they name are fixtures, not what the product calls. */
export function isTestPath(path: string): boolean {
  return /(?:^|\/)(?:__tests__|__mocks__|tests?|spec|fixtures?)\/|(?:^|[/._-])(?:test|spec)(?:[._-][^/]*)?\.[cm]?[jt]sx?$|(?:^|\/)test_[^/]*\.py$|_test\.py$/.test(
    path,
  );
}

const normToken = (s: string): string => s.toLowerCase().replace(/[^a-z0-9]/g, "");

/** The provider whose model-name patterns match `name` (`claude-3-opus-20240229` -> anthropic). */
export function providerOfModelName(name: string): string | undefined {
  return hostedTable().patterns.find((p) => p.re.test(name))?.provider;
}

/**
 * The provider a name mentions as a word (`GROQ_MODEL_PREF`, `OpenAiModelPref`, `AiProviders/moonshotAi/index.js`):
 * the name is cut at separators and case changes, and every run of up to three pieces is looked up.
 */
export function providerOfName(name: string): string | undefined {
  const t = hostedTable().tokens;
  const pieces = name
    .split(/[^A-Za-z0-9]+|(?<=[a-z0-9])(?=[A-Z])/)
    .filter(Boolean)
    .map((p) => p.toLowerCase());
  // "Generic OpenAI", "OpenAI-compatible", a local server: the API shape, not the provider.
  if (pieces.some((p) => GENERIC_PIECES.has(p))) return undefined;
  for (let i = 0; i < pieces.length; i++) {
    for (let n = 3; n >= 1; n--) {
      if (i + n > pieces.length) continue;
      const hit = t.get(pieces.slice(i, i + n).join(""));
      if (hit) return hit;
    }
  }
  return undefined;
}

/**
 * Whether a provider's model-name patterns allow `name`: true when the name matches one of them, or when the table
 * lists no pattern for the provider (nothing to check against).
 */
export function fitsProviderNames(provider: string, name: string): boolean {
  const t = hostedTable();
  const own = t.patterns.filter((p) => p.provider === provider);
  return own.length === 0 || own.some((p) => p.re.test(name));
}

/**
 * The provider whose API host a URL names (`https://api.deepseek.com/v1` -> deepseek; a subdomain of a listed host
 * counts), from the table's `hosts`; undefined for any other URL or a value that is not an http(s) URL.
 */
export function providerOfHost(url: string): string | undefined {
  let host: string;
  try {
    const u = new URL(url);
    if (u.protocol !== "https:" && u.protocol !== "http:") return undefined;
    host = u.hostname.toLowerCase();
  } catch {
    return undefined;
  }
  return hostedTable().providers.find((p) => (p.hosts ?? []).some((h) => host === h || host.endsWith(`.${h}`)))?.id;
}

/** The provider of a Python call by its qualified name (`langchain_openai.ChatOpenAI`, `anthropic.Anthropic`). */
export function providerOfPythonCall(qualified: string): string | undefined {
  const t = hostedTable();
  const last = qualified.split(".").pop() ?? qualified;
  const mod = t.pyModules.find((m) => qualified === m.prefix || qualified.startsWith(`${m.prefix}.`));
  if (mod) return mod.provider;
  return t.pyClasses.get(last);
}

/**
 * Value-flow rule "library default": the hosted model a client class of `language` sends requests to when the code
 * names none (`OpenAIEmbeddings()` embeds with `text-embedding-ada-002`), from the provider table's `classDefaults`;
 * with the role its class name implies (`*Embedding(s)` embedding, `*Rerank*` reranker). A default limited to some
 * modules applies only when `qualified` (the class as the file imports it) comes from one of them.
 */
export function hostedClassDefault(
  language: "python" | "js",
  className: string,
  qualified?: string,
): { provider: string; model: string; role?: "embedding" | "reranker" } | undefined {
  const d = hostedTable()
    .defaults.get(`${language}:${className}`)
    ?.find((x) => !x.modules || x.modules.some((m) => qualified?.startsWith(`${m}.`)));
  if (!d) return undefined;
  const role = /Rerank/.test(className) ? "reranker" : /Embedding/.test(className) ? "embedding" : undefined;
  return { provider: d.provider, model: d.model, ...(role ? { role } : {}) };
}

/** Providers whose SDK a Python module imports (by the imported modules' qualified names). */
export function providersOfPythonImports(imports: Iterable<string>): string[] {
  const out = new Set<string>();
  for (const q of imports) {
    const m = hostedTable().pyModules.find((x) => q === x.prefix || q.startsWith(`${x.prefix}.`));
    if (m) out.add(m.provider);
  }
  return [...out];
}

/** The provider of a JavaScript class or package (`new ChatAnthropic(...)`, `import Groq from "groq-sdk"`). */
export function providerOfJs(className: string | undefined, pkg: string | undefined): string | undefined {
  const t = hostedTable();
  if (pkg && t.jsPackages.has(pkg)) return t.jsPackages.get(pkg);
  return className ? t.jsClasses.get(className) : undefined;
}

/**
 * Providers named by the folders of a root-relative path (`server/utils/AiProviders/groq/index.js` -> groq). A folder
 * or file names a provider only as a whole (`groq/`, `fireworksai.js`): a package named after a model family
 * (`deepseek_vl/models/clip_encoder.py`, the model's own code) is no API client.
 */
export function providerOfPath(path: string): string | undefined {
  const dirs = path.split("/");
  const base = dirs.pop() ?? "";
  const t = hostedTable().tokens;
  for (const d of [...dirs.reverse(), base.replace(/\.[^.]+$/, "")]) {
    const p = providerOfName(d);
    if (p && t.get(d.replace(/[^A-Za-z0-9]+/g, "").toLowerCase()) === p) return p;
  }
  return undefined;
}

/** Words that sit under model-named keys without naming a model. */
const NOT_A_MODEL =
  /^(?:true|false|none|null|undefined|auto|default|custom|latest|cpu|cuda|mps|text|chat|json|base|local|remote|model|models|string|number|select|other|\d+(?:\.\d+)?)$/i;

/** True when `value` can be a provider's model name (`gpt-4o`, `llama3-8b-8192`, `sonar`, `eleven_multilingual_v2`). */
export function isHostedModelName(value: string): boolean {
  return (
    /^[A-Za-z0-9][\w.:@/-]{1,100}$/.test(value) &&
    /[A-Za-z]/.test(value) &&
    !NOT_A_MODEL.test(value) &&
    !/^\.{0,2}\//.test(value) &&
    !/\.(?:json|ya?ml|txt|py|js|ts|bin|pt|pth|safetensors|gguf|onnx)$/i.test(value)
  );
}

/** Where a value's provider may come from, strongest first. */
export interface HostedContext {
  /** The call or class that sends the request. */
  call?: string | undefined;
  /** Provider named by the key or variable that holds the value (`GROQ_MODEL_PREF`). */
  name?: string | undefined;
  /** Provider named by the file's folders, or the one SDK the file imports. */
  file?: string | undefined;
}

/** Providers that serve other publishers' models: their context wins over a model name's own shape. */
const AGGREGATORS = new Set([
  "openrouter",
  "together",
  "fireworks",
  "groq",
  "aws-bedrock",
  "azure-openai",
  "replicate",
  "cerebras",
  "perplexity",
]);

/**
 * The provider of a hosted model name in its context, or undefined when neither the context nor the name's shape
 * names one. The call and the key decide first; an aggregator named by the file (Groq, OpenRouter) beats the name's
 * shape (Groq's `gemma-7b-it`), any other file-level provider only fills in when the name has no shape of its own.
 */
export function hostedProviderOf(value: string, ctx: HostedContext): string | undefined {
  if (!isHostedModelName(value)) return undefined;
  const byName = providerOfModelName(value);
  if (ctx.call) return ctx.call;
  if (ctx.name) return ctx.name;
  if (ctx.file && (AGGREGATORS.has(ctx.file) || !byName)) return ctx.file;
  return byName;
}
