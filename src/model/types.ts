/**
 * The audit result model: one serializable object that every pipeline stage fills in and every reporter reads.
 *
 * Shape follows the pipeline in STYLE.md: discover -> extract -> resolve -> lineage -> policy -> report.
 * Diagnostics (tool problems) are kept apart from findings (policy verdicts), as ORT's `OrtResult` does.
 * The JSON form of {@link AuditResult} is validated by `schemas/report.schema.json`; change both together and bump
 * {@link SCHEMA_VERSION} on any incompatible change.
 */

/** Version of the JSON report format (`schemas/report.schema.json`). */
export const SCHEMA_VERSION = "1.0.0";

/**
 * Role a component plays in a product. Terms follow transformers / the Hub:
 * `vision-encoder` is also called vision tower, `projector` the multimodal projector / connector / resampler.
 */
export type ComponentRole =
  | "model"
  | "backbone"
  | "vision-encoder"
  | "audio-encoder"
  | "audio-decoder"
  | "vision-decoder"
  | "projector"
  | "tokenizer"
  | "processor"
  | "adapter"
  | "text-encoder"
  | "embedding"
  | "reranker"
  | "diffusion"
  | "vae"
  | "other";

/** Type of a lineage edge; the list, its meaning and the subsets live in `./relations.ts`. */
export type { Relation } from "./relations.js";
import type { DiagnosticCode } from "./diagnostic-codes.js";
import type { Relation } from "./relations.js";

/**
 * How strongly a piece of evidence supports an edge.
 * - `declared`: a manifest, card, path or code names the upstream (self-declared; may be vague or wrong);
 * - `structural`: configuration facts equal a known upstream's (architecture identity; says nothing about weights);
 * - `weight-identical`: tensor bytes hash-equal an upstream's;
 * - `weight-similar`: same-shape tensors correlate with an upstream's beyond calibrated thresholds.
 */
export type EvidenceStrength = "declared" | "structural" | "weight-identical" | "weight-similar";

/** Where a fact came from: a file in the scanned tree (relative POSIX path) or a Hub repo at a commit. */
export interface SourceLocation {
  /** Path relative to the scanned root, POSIX separators; or the file inside `hub.repo` when `hub` is set. */
  file: string;
  /** 1-based line number, when the format has lines. */
  line?: number;
  /** 1-based column number. */
  column?: number;
  /** RFC 6901 JSON pointer to the key inside a JSON/YAML document. */
  pointer?: string;
  /** Set when the fact was read from the Hub (or the knowledge base's record of it). */
  hub?: { repo: string; revision?: string };
}

/**
 * One piece of evidence for an edge or a fact. `code` is a stable machine id (e.g. `config-name-or-path`,
 * `path-segment`, `signature-match`, `card-base-model`); `args` carry typed values that reporters turn into words.
 */
export interface Evidence {
  code: string;
  strength: EvidenceStrength;
  location: SourceLocation;
  /** The raw text that was read (secrets redacted), e.g. `"_name_or_path": "lmsys/vicuna-7b-v1.5"`. */
  raw?: string;
  args?: Record<string, string | number | boolean | string[]>;
}

/** Reason a reference could not be resolved to an upstream id (closed list, like Renovate's `skipReason`). */
export type SkipReason =
  | "dynamic-value"
  | "local-path"
  | "local-path-outside-root"
  | "unsupported-syntax"
  | "unknown-alias"
  | "parse-error"
  | "missing-value"
  | "not-a-model";

/**
 * What the code or manifest does with the referenced model (absent means `load`).
 * - `load`: reads its weights, config, tokenizer or processor (from_pretrained, a download, a server's `--model`);
 * - `write`: a destination the project saves a model to (`save_pretrained(dir)`, a training output folder): the
 *   project produces a model there, derived from what it loaded;
 * - `transform`: an in-process operation that derives a model from loaded weights (llm-compressor `oneshot`
 *   quantization, state-dict arithmetic such as a chat-vector merge); `relation` says which derivation;
 * - `name`: the text names a model or model family without loading it (a run name that encodes ids, a family key
 *   compared with a config value, an architecture a monkey-patch claims). Evidence, never a dependency by itself.
 */
export type ReferenceUsage = "load" | "write" | "transform" | "name";

/** Kind of reference target. */
/**
 * Kind of reference target. `hosted-model`: a model reached over a provider's API (`gpt-4o` at OpenAI); its target
 * is the model name and {@link ModelReference.provider} the provider id of `rules/knowledge/hosted-providers.yaml`.
 */
export type ReferenceKind =
  "hub-id" | "local-path" | "ollama-tag" | "url" | "known-component" | "modelscope-id" | "hosted-model";

/**
 * A reference from the scanned tree to a model, as an extractor found it. `subject` is the local component the
 * reference belongs to (the config or card that names it), when it belongs to one.
 */
export interface ModelReference {
  /** Stable id: hash of extractor, file, pointer/line and target. */
  id: string;
  extractor: string;
  kind: ReferenceKind;
  /** Text as written, secrets redacted. */
  raw: string;
  /** Normalised target: `org/name` for Hub ids, a root-relative path for local paths, a tag for Ollama. */
  target?: string;
  /** For `hosted-model` references: the provider id (`openai`, `deepseek`) in the hosted provider table. */
  provider?: string;
  revision?: string;
  /** How the subject relates to the target (for a card's `base_model`: its `base_model_relation` or `finetune`). */
  relation?: Relation;
  /** Role of what is referenced, when the context says it (a `vision_tower` key names a vision encoder). */
  role?: ComponentRole;
  /** Local component key this reference belongs to. */
  subject?: string;
  strength: EvidenceStrength;
  location: SourceLocation;
  skipReason?: SkipReason;
  /** What is done with the target (absent: `load`). */
  usage?: ReferenceUsage;
  /** Key of the local component a local-path reference points at (set by the linking pass). */
  localTarget?: string;
  /**
   * Where the value was defined when it is not where it is used (an imported constant, a constructor default, a
   * `.env` variable, a caller's argument): a location, never a `file:line` string to parse back.
   */
  definedAt?: SourceLocation;
  /**
   * For a write (`model.save_pretrained(dir)`): where the written model's source was loaded (the load reference's
   * location), so the lineage can take the id that load resolved to after linking.
   */
  derivedFromLoad?: SourceLocation;
  /**
   * For a value a caller hands a loader's parameter (JS `getPipeline(task, "org/x")`): the location of the loader's own
   * reference, which the linking pass gives the callers' values.
   */
  feeds?: SourceLocation;
  /** Extra facts, e.g. `trustRemoteCode: true`. */
  facts?: Record<string, string | number | boolean>;
}

/**
 * A dataset the project reads (a `repo_type="dataset"` download, `load_dataset(...)`, a Hub dataset URL): kept
 * apart from model references so it is never taken for a model. Reported as CycloneDX `data` components.
 */
export interface DatasetReference {
  /** Hub dataset id (`org/name`), builder name (`librispeech_asr`) or the text as written when it is a run-time value. */
  name: string;
  /** Set when the name is not a literal (the reference's skip reason, e.g. `dynamic-value`). */
  unresolved?: string;
  /** Every place the dataset is named, in file order. */
  locations: SourceLocation[];
  /** Loaders or extractors that read it (`load_dataset`, `snapshot_download`). */
  loaders: string[];
}

/** Config facts of a component, as read (key -> scalar or list of scalars); used for signature matching. */
export type ConfigFacts = Record<string, string | number | boolean | null | (string | number | boolean | null)[]>;

/**
 * A component defined inside the scanned tree: a model folder, a nested sub-config (`vision_config`), an adapter,
 * a tokenizer. `key` is unique and stable within a scan (root-relative file path plus JSON pointer).
 */
export interface LocalComponent {
  key: string;
  role: ComponentRole;
  /** Human name: the folder name, `general.name`, or the architecture class. */
  name: string;
  location: SourceLocation;
  /** The component that contains this one (its key). */
  parent?: string;
  /** `model_type` of the config. */
  modelType?: string;
  architectures?: string[];
  /** Identity-relevant configuration values, for signature matching. */
  config?: ConfigFacts;
  /** Line of each config key in `location.file` (for evidence that points at the exact key). */
  configLines?: Record<string, number>;
  /** Licence as declared beside the component (card `license`), SPDX id where one exists. */
  license?: string;
  /** Claims the component's own documentation makes (for disclosure-consistency rules). */
  claims?: { fromScratch?: Evidence };
  /** True when the manifest describing the component could not be parsed: its lineage is undetermined. */
  unparsable?: boolean;
  /** Other facts (quantization method, dtype, tensor-prefix counts, ...). */
  facts?: Record<string, string | number | boolean | string[]>;
}

/** A mention of a model in prose (a README), kept apart from references that load or derive from a model. */
export interface Mention {
  target: string;
  location: SourceLocation;
  raw: string;
}

/** Publisher facts, from the knowledge base or the Hub. `country` is ISO 3166-1 alpha-2 or `unknown`. */
export interface Publisher {
  /** Hub organization or user name. */
  org: string;
  /** Legal entity, or the org name when unknown. */
  entity: string;
  country: string;
  /** True for re-packagers (quantizers, mirrors): never an origin. */
  repackager?: boolean;
  /** Where the country/entity fact comes from. */
  source?: string;
}

/** Lineage graph node. */
export interface LineageNode {
  /**
   * Stable id: `local:<key>` for components in the tree, `hub:<org/name>[//<role>]` for upstream ones,
   * `hosted:<provider>/<model>` for a model reached over a provider's API.
   */
  id: string;
  /** `hosted`: a model the product sends requests to at a provider (no weights in the product). */
  kind: "local" | "upstream" | "hosted";
  /** For hosted nodes: the provider (id and name from `rules/knowledge/hosted-providers.yaml`). */
  provider?: { id: string; name: string };
  role: ComponentRole;
  name: string;
  /** Hub id for upstream nodes. */
  repo?: string;
  /** Known-component id from the knowledge base (e.g. `qwen2.5-vl-vit`). */
  knownComponent?: string;
  /** For known components: the Hub repos of the checkpoints that carry it. */
  repos?: string[];
  publisher?: Publisher;
  license?: string;
  /** Commit the facts were read at, for Hub nodes. */
  revision?: string;
  /** When the upstream repo was published (the Hub's `createdAt`, ISO 8601 UTC), when known. */
  releaseTime?: string;
  /** The Hub's task of a Hub model (its `pipeline_tag`: `text-generation`), when its info or card states one. */
  task?: string;
  /** Training datasets a Hub model's card declares (Hub dataset ids, card order). */
  datasets?: string[];
  location?: SourceLocation;
  /**
   * Every place in the tree that names this node (the references it entered the product through), in file order;
   * `location` is the first. Absent for nodes no reference names (ancestors found on the Hub or in the knowledge base).
   */
  locations?: SourceLocation[];
  /** Ids of the references that name the node (an unresolved node groups one expression's occurrences in a function). */
  references?: string[];
  /**
   * Provenance state of the node:
   * `own` (the applicant's organization), `third-party` (origin found elsewhere),
   * `no-third-party-lineage` (every manifest read, nothing matched), `undetermined` (could not resolve or parse).
   */
  status: "own" | "third-party" | "no-third-party-lineage" | "undetermined";
  /** Why the status is what it is (codes with args; reporters render them). */
  statusReason?: { code: string; args?: Record<string, string | number | boolean | string[]> };
  /** What was checked, for `no-third-party-lineage`. */
  checked?: string[];
  /** True for nodes that are part of the product (local nodes and upstreams the product loads directly). */
  inProduct: boolean;
  /**
   * `test`: named only by test or benchmark code (tests/, test_*.py, *.spec.ts, conftest.py, benchmarks/), or reached
   * only through such nodes (src/lineage/scope.ts). Listed in the inventory; policy packs judge it only when the scan
   * includes test code (`--include-test-code`). Absent for the product.
   */
  scope?: "test";
  /** Claims made by the component's own documentation. */
  claims?: { fromScratch?: Evidence };
}

/** Lineage graph edge from a derived node to its parent. */
export interface LineageEdge {
  id: string;
  from: string;
  to: string;
  relation: Relation;
  /** Strongest strength among the evidence. */
  strength: EvidenceStrength;
  evidence: Evidence[];
}

export interface LineageGraph {
  nodes: LineageNode[];
  edges: LineageEdge[];
}

/** Severity of a rule and of its findings (SARIF `level` names error/warning/note). */
export type Severity = "error" | "warning" | "note";

/** A policy verdict on one node. */
export interface Finding {
  /** Stable fingerprint: hash of pack, rule, node id and evidence locations without line numbers. */
  id: string;
  pack: string;
  rule: string;
  severity: Severity;
  /** `fail` (the rule is violated) or `undetermined` (the data cannot settle it: never a pass). */
  verdict: "fail" | "undetermined";
  /** Node the finding is about. */
  node: string;
  /** Message id of the rule, with arguments; reporters fill in the rule's template. */
  message: { id: string; text: string; args: Record<string, string | number | boolean | string[]> };
  /** Lineage path from the product node to the upstream that triggers the rule (node ids). */
  path: string[];
  evidence: Evidence[];
  /** Primary location (where a reviewer should look first). */
  location?: SourceLocation;
  howToFix?: string;
  /**
   * Number of nodes the finding stands for: findings of one rule on nodes that stand for one fact (unresolved
   * references with the same text, references read at run time, alternatives of one registry) are folded into one
   * (the first node in `node`, all of them in `nodes`; src/policy/aggregate.ts). Absent means 1.
   */
  count?: number;
  /** With `count`: every node folded into this finding. */
  nodes?: string[];
  /** Set when a waiver covers it. */
  waived?: { reason: string; comment: string; owner: string; expires?: string };
  /** With `--baseline`: whether the finding was already in the baseline. */
  baseline?: "new" | "existing";
}

/** Coverage of the scan: what was read, what was skipped and why. */
export interface Coverage {
  filesSeen: number;
  filesScanned: number;
  bytesRead: number;
  /** Files (or folders) skipped, with a reason from a closed list. */
  skipped: {
    path: string;
    reason:
      | "ignored"
      | "too-large"
      | "symlink-outside-root"
      | "unreadable"
      | "excluded-dir"
      | "binary"
      | "not-a-manifest"
      /** Not a regular file (never opened): a named pipe, a socket, a block or character device. */
      | "fifo"
      | "socket"
      | "block-device"
      | "character-device";
  }[];
  /** Count of skipped entries by reason (skipped may be truncated for large trees; these counts are not). */
  skippedByReason: Record<string, number>;
  /** Manifest files read per extractor. */
  byExtractor: Record<string, number>;
}

/** A problem the tool met (not a policy verdict): unreadable or malformed file, a Hub error. */
export interface Diagnostic {
  /** One of `DIAGNOSTIC_CODES` (src/model/diagnostic-codes.ts): a new code is added there first. */
  code: DiagnosticCode;
  severity: "error" | "warning" | "info";
  message: string;
  location?: SourceLocation;
}

/**
 * One automatic weight comparison made by `scan` (src/fingerprint/settle.ts): a local component's tensors against
 * the corresponding tensors of an upstream checkpoint on the Hub, read by byte range.
 */
export interface WeightComparison {
  /** Local component key (`local:<component>` in the lineage graph). */
  component: string;
  /** Part of the checkpoints compared (`vision`, `audio`, `projector`, `text`). */
  part: string;
  /** Root-relative folder holding the local `*.safetensors` files. */
  folder: string;
  /** The upstream: Hub repo, the commit read, the known component it stands for, and why it was compared. */
  upstream: { repo: string; revision?: string; knownComponent?: string; via: "structural" | "declared" };
  /**
   * `identical` (every tensor equal), `derived` (correlated beyond the calibrated threshold), `not-derived` (at the
   * control's level), `undetermined` (not compared, or inconclusive: `reason` says why).
   */
  outcome: "identical" | "derived" | "not-derived" | "undetermined";
  /**
   * Machine reason: `sketch-correlated`, `sketch-at-control-level`, a `compare` reason after a whole-component read,
   * or why nothing was decided (`offline`, `unreachable`, `gated`, `not-found`, `layout-mismatch`, `over-budget`, ...).
   */
  reason: string;
  /** What decided: the sketch windows or the whole component. */
  phase?: "sketch" | "component";
  /** Pooled centred Pearson over the compared matrices, with its control and the thresholds it was judged by. */
  statistic?: {
    name: "pooled-pearson";
    value: number;
    control: number;
    elements: number;
    matrices: number;
    derivedMin: number;
    unrelatedMax: number;
  };
  /** Tensor layouts of both sides under their component prefixes, and how many large matrices paired by name. */
  layout?: {
    localTensors: number;
    upstreamTensors: number;
    paired: number;
    shapeMismatch: number;
    localPrefixes: string[];
    upstreamPrefixes: string[];
  };
  /** Bytes of the upstream component (the denominator of the share read). */
  upstreamBytes?: number;
  /** Weight bytes read in this scan: from the Hub (headers and tensors) and from the local files. */
  bytesRead: { remote: number; local: number };
  /** True when the result came from aiprov's cache (nothing remote read); `firstBytesRead` is what it cost then. */
  cached?: boolean;
  firstBytesRead?: { remote: number; local: number };
  /** The `--weight-budget` in force (remote bytes for the whole scan). */
  budget: number;
  /** The command that compares the same pair by hand. */
  command: string;
}

/** Policy packs applied, with their versions and parameters. */
export interface PolicyRun {
  pack: string;
  version: string;
  rules: {
    id: string;
    title: string;
    severity: Severity;
    verdict?: "fail" | "undetermined";
    source: { title: string; url?: string };
    description: string;
    howToFix?: string;
  }[];
  parameters: Record<string, unknown>;
}

/**
 * Where a configuration came from: `user` (named with `--config`: the auditor's own), `project` (found in the
 * current folder or the scanned tree: the audited project's declaration, untrusted).
 */
export type ConfigOrigin = "user" | "project";

/** A setting that weakens the audit (see `AuditResult.settings.weakenings`). */
export interface AuditWeakening {
  kind:
    | "waiver"
    | "exclude"
    | "include"
    | "knowledge-override"
    | "parameter"
    | "fail-on"
    | "hub-url"
    | "offline"
    /** Any other setting of a project's own config that changes what is reported (packs, own orgs, format, ...). */
    | "project-setting";
  /** The setting as written: a glob, `pack/rule on component`, `pack.parameter = value`, a knowledge entry id. */
  setting: string;
  /** File that set it (a config, waivers or knowledge file), or `command line`. */
  source: string;
  /** `project` when the file is the scanned project's own (its config or a knowledge folder it names). */
  origin: ConfigOrigin | "command-line";
  /** Why, when the setting says it (a waiver's reason and comment). */
  justification?: string;
}

/** The whole audit. */
export interface AuditResult {
  schemaVersion: string;
  tool: { name: "aiprov"; version: string; knowledgeBaseVersion: string };
  /** ISO 8601; `SOURCE_DATE_EPOCH` fixes it. */
  createdAt: string;
  /** Scanned root as the user named it (not resolved to an absolute path, so reports are portable). */
  root: string;
  settings: {
    policies: string[];
    failOn: Severity | "never";
    offline: boolean;
    organization: string[];
    knowledge: string[];
    /** Baseline report the findings were compared with. */
    baseline?: string;
    /** Hub endpoint used (never with credentials). */
    hubUrl?: string;
    /** The configuration file read, and whether it was the user's (`--config`) or found in the project. */
    config?: { file: string; origin: ConfigOrigin };
    /**
     * Every setting that narrows or silences the audit (waivers, excludes, includes, knowledge entries that replace
     * bundled facts, parameters changed from their defaults, a lowered fail-on), with where it came from: a report
     * always shows what was not audited and why.
     */
    weakenings?: AuditWeakening[];
  };
  components: LocalComponent[];
  references: ModelReference[];
  /** Datasets the project reads (never model references). */
  datasets?: DatasetReference[];
  mentions: Mention[];
  lineage: LineageGraph;
  policies: PolicyRun[];
  findings: Finding[];
  coverage: Coverage;
  /** Automatic weight comparisons that settled (or could not settle) structural and declared matches. */
  weightComparisons?: WeightComparison[];
  diagnostics: Diagnostic[];
  summary: {
    components: number;
    references: number;
    findings: Record<Severity, number>;
    undetermined: number;
    /** Findings covered by a waiver. */
    waived?: number;
    /** `fail` when a finding is at or above fail-on, `pass` otherwise, `no-policy` when none was applied. */
    verdict: "pass" | "fail" | "no-policy";
  };
}
