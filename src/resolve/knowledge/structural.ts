/**
 * Name-blind structural identification: a config block (a top-level config, a nested `vision_config`, a stand-alone
 * encoder config without any type marker) is compared with every knowledge entry of a compatible role by its identity
 * hyperparameters alone.
 *
 * - Both sides are normalised to canonical keys through the entry's family table (`./families.ts`); the block's omitted
 *   keys take the family's library defaults (for a block that does not declare the family, only keys outside the
 *   family's `core`, which must be written).
 * - Identity = the entry's keys that decide weight tensors and their function. Keys with no weight effect
 *   (`SECONDARY_KEYS`: windows, rope bases, norm epsilons, limits) are compared and reported, never a reason to miss.
 * - Names (`model_type`, architecture classes) never gate: an agreeing name is listed as declared evidence.
 * - Entries that share a configuration are all returned (a collision is a list of candidates, never a pick).
 * - A block equal on all but one identity key is a near miss, reported with the key.
 *
 * Speed: entries are indexed by family and a hash of their core values (width, depth, heads), plus leave-one-out
 * hashes for near misses, so a block costs one normalisation and a few map look-ups per family group, not a
 * comparison with every entry.
 */
import type { ComponentRole, ConfigFacts } from "../../model/types.js";
import type { KnowledgeBase, KnownComponent, SignatureValue } from "./knowledge-base.js";
import { familyOfEntry, IGNORED_KEYS, SECONDARY_KEYS, type ConfigFamily } from "./families.js";

/** A config block to identify. */
export interface ConfigBlock {
  /** The block's scalar and list values as written. */
  config: ConfigFacts | Record<string, unknown>;
  role: ComponentRole;
  /** The block's own `model_type` (or the one it inherits from its parent config). */
  modelType?: string;
  architectures?: readonly string[];
}

/** One compared key. */
export interface KeyComparison {
  /** Canonical key (transformers spelling of the entry's family). */
  key: string;
  /** The key as the block spells it; absent when the value came from the family's defaults. */
  blockKey?: string;
  value?: SignatureValue;
  known: SignatureValue;
  defaulted?: boolean;
}

/** A structural match of one block with one entry. */
export interface StructuralMatch {
  known: KnownComponent;
  /** `checkpoint` when a release's own values matched too; `family` when only the shared identity did. */
  level: "checkpoint" | "family";
  /** Index into `known.checkpoints` of the first matching release. */
  checkpoint?: number;
  /** Repos of every release whose own values matched. */
  repos: string[];
  /** Identity keys compared and equal. */
  matched: KeyComparison[];
  /** Secondary keys (no weight effect) that differ. */
  differs: (KeyComparison & { value: SignatureValue })[];
  /** Identity keys the block does not give and the family has no default for. */
  missing: string[];
  /** True when the secondary keys present on both sides are equal too. */
  exact: boolean;
  /** Names of the block that agree with the entry (`model_type=siglip_vision_model`, an architecture class). */
  names: string[];
}

/** A block equal to an entry on all identity keys but one. */
export interface NearMiss {
  known: KnownComponent;
  equal: number;
  total: number;
  /** The identity key that differs, with both values. */
  differs: KeyComparison & { value: SignatureValue };
}

/** All matches and near misses of one block. */
export interface Identification {
  matches: StructuralMatch[];
  nearMisses: NearMiss[];
}

/** Identity flags a config may omit without hiding a match (reported as not given). */
const SOFT_KEYS: ReadonlySet<string> = new Set(["tie_word_embeddings", "attention_bias", "mlp_bias"]);

/** Least identity keys compared for a match (a block of two sizes identifies nothing). */
export const MIN_COMPARED = 5;
/** Least identity keys written in the block itself (not defaulted) for a match. */
export const MIN_EXPLICIT = 3;

type Norm = Map<string, { key: string; value: unknown }>;

const FAMILY_ALIASES = new WeakMap<ConfigFamily, Map<string, string>>();

function aliasesOf(fam: ConfigFamily, known?: KnownComponent): Map<string, string> {
  if (!known?.keyAliases) {
    let cached = FAMILY_ALIASES.get(fam);
    if (!cached) FAMILY_ALIASES.set(fam, (cached = new Map(Object.entries(fam.aliases))));
    return cached;
  }
  const m = new Map<string, string>(Object.entries(fam.aliases));
  for (const [entryKey, list] of Object.entries(known?.keyAliases ?? {})) {
    const canon = fam.aliases[entryKey] ?? entryKey;
    for (const a of list) m.set(a, canon);
  }
  return m;
}

/** Rewrites a block to canonical keys; a canonical spelling wins over an alias of it. */
function normalise(config: Record<string, unknown>, aliases: ReadonlyMap<string, string>): Norm {
  const out: Norm = new Map();
  for (const [k, v] of Object.entries(config)) {
    if (v === null || v === undefined || (typeof v === "object" && !Array.isArray(v))) continue;
    const canon = aliases.get(k) ?? k;
    const cur = out.get(canon);
    // The canonical spelling wins; between two aliases of one key, the first written stays.
    if (cur && (cur.key === canon || k !== canon)) continue;
    out.set(canon, { key: k, value: v });
  }
  return out;
}

/** Adds the family's derived keys (absent ones only) to a normalised block. */
function withDerived(norm: Norm, fam: ConfigFamily): Norm {
  if (!fam.derive) return norm;
  const flat: Record<string, unknown> = {};
  for (const [k, v] of norm) flat[k] = v.value;
  for (const [k, v] of Object.entries(fam.derive(flat))) if (!norm.has(k)) norm.set(k, { key: k, value: v });
  return norm;
}

function equal(a: unknown, b: SignatureValue): boolean {
  if (Array.isArray(b)) return Array.isArray(a) && a.length === b.length && a.every((x, i) => equal(x, b[i]!));
  if (typeof b === "number" && typeof a === "number")
    return a === b || Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b));
  if (typeof b === "string" && typeof a === "string") return a.toLowerCase() === b.toLowerCase();
  return a === b;
}

function canonicalValue(v: unknown): string {
  return JSON.stringify(typeof v === "string" ? v.toLowerCase() : v);
}

/** The entry's identity (shared keys; the first checkpoint's own keys are compared separately). */
interface PreparedEntry {
  known: KnownComponent;
  fam: ConfigFamily;
  aliases: Map<string, string>;
  identity: Map<string, SignatureValue>;
  secondary: Set<string>;
  core: string[];
  checkpoints: Map<string, SignatureValue>[];
}

function prepare(known: KnownComponent): PreparedEntry | undefined {
  if (known.role === "model" && Object.keys(known.identity).length === 0) return undefined;
  const fam = familyOfEntry(known);
  const aliases = aliasesOf(fam, known);
  const excluded = new Set((known.excluded ?? []).map((k) => aliases.get(k) ?? k));
  const keep = (k: string) => !IGNORED_KEYS.has(k) && !excluded.has(k) && !(fam.ignore ?? []).includes(k);
  const identity = new Map<string, SignatureValue>();
  for (const [k, { value }] of withDerived(normalise(known.identity, aliases), fam))
    if (keep(k)) identity.set(k, value as SignatureValue);
  const secondarySet = new Set(
    [...SECONDARY_KEYS, ...(fam.secondary ?? [])].filter((k) => !(fam.identityOverride ?? []).includes(k)),
  );
  const secondary = new Set([...identity.keys()].filter((k) => secondarySet.has(k)));
  const checkpoints = known.checkpoints.map((cp) => {
    const m = new Map<string, SignatureValue>();
    for (const [k, { value }] of normalise(cp.identity, aliases)) if (keep(k)) m.set(k, value as SignatureValue);
    return m;
  });
  const core = fam.core.filter((k) => identity.has(k));
  return { known, fam, aliases, identity, secondary, core, checkpoints };
}

const ROLE_GROUP: Partial<Record<ComponentRole, string>> = {
  "vision-encoder": "vision",
  "audio-encoder": "audio",
  backbone: "text",
  "text-encoder": "text",
  embedding: "text",
  reranker: "text",
  projector: "projector",
};

/** Whether a block of `block` role may be an entry of `entry` role (a bare `model` or `other` block may be anything). */
export function rolesCompatible(block: ComponentRole, entry: ComponentRole): boolean {
  if (block === "model" || block === "other") return entry !== "tokenizer" && entry !== "processor";
  const a = ROLE_GROUP[block];
  return a !== undefined && a === ROLE_GROUP[entry];
}

interface Group {
  fam: ConfigFamily;
  core: string[];
  exact: Map<string, PreparedEntry[]>;
  /** Leave-one-out: core key index -> hash without it -> entries. */
  loo: Map<string, PreparedEntry[]>[];
}

interface Index {
  groups: Group[];
  /** Entries without a core to hash: compared with every block. */
  linear: PreparedEntry[];
  count: number;
}

const INDEXES = new WeakMap<readonly KnownComponent[], Index>();

function coreHash(values: readonly unknown[]): string {
  return values.map(canonicalValue).join("|");
}

function buildIndex(components: readonly KnownComponent[]): Index {
  const groups = new Map<string, Group>();
  const linear: PreparedEntry[] = [];
  let count = 0;
  for (const known of components) {
    const p = prepare(known);
    if (!p) continue;
    count++;
    if (p.core.length < 2) {
      linear.push(p);
      continue;
    }
    const gk = `${p.fam.id}\u0000${p.core.join(",")}`;
    let g = groups.get(gk);
    if (!g) groups.set(gk, (g = { fam: p.fam, core: p.core, exact: new Map(), loo: p.core.map(() => new Map()) }));
    const values = p.core.map((k) => p.identity.get(k));
    const h = coreHash(values);
    g.exact.set(h, [...(g.exact.get(h) ?? []), p]);
    p.core.forEach((_, i) => {
      const l = coreHash(values.filter((__, j) => j !== i));
      g!.loo[i]!.set(l, [...(g!.loo[i]!.get(l) ?? []), p]);
    });
  }
  return { groups: [...groups.values()], linear, count };
}

function indexFor(kb: Pick<KnowledgeBase, "components">): Index {
  let idx = INDEXES.get(kb.components);
  if (!idx) INDEXES.set(kb.components, (idx = buildIndex(kb.components)));
  return idx;
}

/** Number of entries the matcher compares blocks with (entries with an identity). */
export function indexedEntries(kb: Pick<KnowledgeBase, "components">): number {
  return indexFor(kb).count;
}

function declares(block: ConfigBlock, fam: ConfigFamily): boolean {
  return block.modelType !== undefined && fam.modelTypes.includes(block.modelType);
}

/** The block's value for a canonical key: written, or the family default (core keys only when declared). */
function valueOf(
  norm: Norm,
  key: string,
  fam: ConfigFamily,
  declared: boolean,
): { value: unknown; blockKey?: string; defaulted?: boolean } | undefined {
  const w = norm.get(key);
  if (w) return { value: w.value, blockKey: w.key };
  if (!declared && fam.core.includes(key)) return undefined;
  const d = fam.defaults[key];
  if (d === undefined) return undefined;
  if (typeof d === "function") {
    const flat: Record<string, unknown> = {};
    for (const [k, v] of norm) flat[k] = v.value;
    for (const [k, v] of Object.entries(fam.defaults))
      if (!(k in flat) && typeof v !== "function" && (declared || !fam.core.includes(k))) flat[k] = v;
    const v = d(flat);
    return v === undefined ? undefined : { value: v, defaulted: true };
  }
  return { value: d, defaulted: true };
}

/** Compares a normalised block with one prepared entry. */
function compare(block: ConfigBlock, norm: Norm, p: PreparedEntry): { match?: StructuralMatch; near?: NearMiss } {
  const declared = declares(block, p.fam);
  // A block of unknown role must show the entry's modality in its own keys (a ViT's sizes are not a Whisper encoder's).
  if (
    !declared &&
    (block.role === "model" || block.role === "other") &&
    p.fam.markers &&
    !p.fam.markers.some((k) => k in block.config)
  )
    return {};
  const matched: KeyComparison[] = [];
  const differs: (KeyComparison & { value: SignatureValue })[] = [];
  const identityDiffers: (KeyComparison & { value: SignatureValue })[] = [];
  const missing: string[] = [];
  let explicit = 0;
  for (const [key, known] of p.identity) {
    const got = valueOf(norm, key, p.fam, declared);
    if (!got) {
      if (!p.secondary.has(key)) missing.push(key);
      continue;
    }
    const cmp: KeyComparison = {
      key,
      ...(got.blockKey ? { blockKey: got.blockKey } : {}),
      value: got.value as SignatureValue,
      known,
      ...(got.defaulted ? { defaulted: true } : {}),
    };
    if (equal(got.value, known)) {
      if (!p.secondary.has(key)) {
        matched.push(cmp);
        if (!got.defaulted) explicit++;
      }
    } else if (p.secondary.has(key)) differs.push(cmp as KeyComparison & { value: SignatureValue });
    else identityDiffers.push(cmp as KeyComparison & { value: SignatureValue });
  }
  const coreOk = p.core.every((k) => matched.some((m) => m.key === k));
  const enough = matched.length >= MIN_COMPARED && explicit >= (declared ? 2 : MIN_EXPLICIT);
  // Every identity key must be compared: a key the block does not give (and the family has no default for) may be the
  // one that tells two releases apart. Only a structural flag that configs often leave to a class default we have no
  // table for (tied embeddings, projection biases) may be absent; it is reported as not given.
  if (
    identityDiffers.length === 0 &&
    coreOk &&
    enough &&
    missing.every((k) => SOFT_KEYS.has(k)) &&
    missing.length <= 1
  ) {
    const names: string[] = [];
    if (block.modelType && (p.known.match?.modelTypes ?? p.fam.modelTypes).includes(block.modelType))
      names.push(`model_type=${block.modelType}`);
    for (const a of block.architectures ?? [])
      if (p.known.match?.architectures?.includes(a)) names.push(`architectures=${a}`);
    const cps: number[] = [];
    p.checkpoints.forEach((cp, i) => {
      let ok = true;
      for (const [key, known] of cp) {
        const got = valueOf(norm, key, p.fam, declared);
        if (!got || !equal(got.value, known)) {
          if (SECONDARY_KEYS.has(key) && got) continue;
          ok = false;
          break;
        }
        if (!matched.some((m) => m.key === key))
          matched.push({
            key,
            ...(got.blockKey ? { blockKey: got.blockKey } : {}),
            value: got.value as SignatureValue,
            known,
            ...(got.defaulted ? { defaulted: true } : {}),
          });
      }
      if (ok) cps.push(i);
    });
    const match: StructuralMatch = {
      known: p.known,
      level: cps.length > 0 ? "checkpoint" : "family",
      ...(cps.length > 0 ? { checkpoint: cps[0]! } : {}),
      repos: cps.flatMap((i) => p.known.checkpoints[i]!.repos),
      matched,
      differs,
      missing,
      exact: differs.length === 0,
      names,
    };
    return { match };
  }
  if (
    identityDiffers.length === 1 &&
    missing.length === 0 &&
    matched.length >= MIN_COMPARED &&
    explicit >= MIN_EXPLICIT
  ) {
    return { near: { known: p.known, equal: matched.length, total: matched.length + 1, differs: identityDiffers[0]! } };
  }
  return {};
}

/**
 * Identifies one config block against the knowledge base: every entry of a compatible role whose identity the block
 * equals (all of them when several share it), exact ones (secondary keys equal too) first, then by id; and the near
 * misses (one identity key differs) when nothing matched that entry.
 */
export function identifyBlock(block: ConfigBlock, kb: Pick<KnowledgeBase, "components">): Identification {
  const idx = indexFor(kb);
  const config = block.config as Record<string, unknown>;
  const matches = new Map<string, StructuralMatch>();
  const near = new Map<string, NearMiss>();
  const norms = new Map<string, Norm>();
  const normFor = (p: PreparedEntry): Norm => {
    // Entries with their own key aliases normalise the block with them; others share the family's normalisation.
    const key = p.known.keyAliases ? `${p.fam.id}#${p.known.id}` : p.fam.id;
    let n = norms.get(key);
    if (!n) norms.set(key, (n = withDerived(normalise(config, p.aliases), p.fam)));
    return n;
  };
  const consider = (p: PreparedEntry): void => {
    if (matches.has(p.known.id) || !rolesCompatible(block.role, p.known.role)) return;
    const r = compare(block, normFor(p), p);
    if (r.match) {
      matches.set(p.known.id, r.match);
      near.delete(p.known.id);
    } else if (r.near) near.set(p.known.id, r.near);
  };
  const familyNorms = new Map<ConfigFamily, Norm>();
  for (const g of idx.groups) {
    const declared = declares(block, g.fam);
    let norm = familyNorms.get(g.fam);
    if (!norm) familyNorms.set(g.fam, (norm = withDerived(normalise(config, aliasesOf(g.fam)), g.fam)));
    const values = g.core.map((k) => valueOf(norm, k, g.fam, declared)?.value);
    if (values.every((v) => v !== undefined)) for (const p of g.exact.get(coreHash(values)) ?? []) consider(p);
    // Near misses in a core key: the other core values equal.
    g.core.forEach((_, i) => {
      const rest = values.filter((__, j) => j !== i);
      if (rest.some((v) => v === undefined)) return;
      for (const p of g.loo[i]!.get(coreHash(rest)) ?? []) consider(p);
    });
  }
  for (const p of idx.linear) consider(p);
  const list = [...matches.values()].sort(
    (a, b) =>
      Number(b.exact) - Number(a.exact) ||
      (a.level === b.level ? 0 : a.level === "checkpoint" ? -1 : 1) ||
      a.known.id.localeCompare(b.known.id),
  );
  return { matches: list, nearMisses: [...near.values()].sort((a, b) => a.known.id.localeCompare(b.known.id)) };
}
