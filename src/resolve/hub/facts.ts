/**
 * Pure functions that turn what the Hub says about one repo (model info, card, configs, GGUF header) into its declared
 * parents, each with a relation and evidence naming the repo, the file and the commit.
 *
 * Sources, strongest first (https://huggingface.co/docs/hub/model-cards#specifying-a-base-model):
 * - card `base_model` (string or list) with `base_model_relation`, or the Hub's `base_model:<relation>:<id>` tags;
 *   without either, the relation is inferred as the Hub does: `adapter` for PEFT repos, `quantized` for GGUF or
 *   quantized repos, `merge` for several bases or a merge tag, else `finetune`;
 * - the legacy `base_model:<id>` tag;
 * - PEFT `base_model_name_or_path` (adapter_config.json, or the Hub's `config.peft` digest);
 * - mergekit's `mergekit_config.yml` (`base_model`, `models[].model`, `slices[].sources[].model`);
 * - GGUF `general.base_model.<i>.repo_url` / `organization` + `name` (ggml docs/gguf.md);
 * - config.json: `_name_or_path` and nested component configs (through the hf-config extractor), `auto_map`
 *   `org/repo--module.Class` prefixes (transformers `dynamic_module_utils.py`);
 * - weak: card prose that names a Hub id after "fine-tuned from", "based on", "merge of", ... (declared, code
 *   `card-prose`). A parenthesis "(based on X)" right after a link to Y is a hint about Y, not about the card's repo.
 */
import { parse as parseYaml } from "yaml";
import type { ComponentRole, Evidence, Relation } from "../../model/types.js";
import { parseHubId } from "../../util/hub-id.js";
import { redact } from "../../util/redact.js";
import { cardRelation } from "../../model/relations.js";

/** A declared parent. */
export interface Parent {
  repo: string;
  relation: Relation;
  /** Role of the parent inside the child, when a component config names it (a VLM's vision tower). */
  role?: ComponentRole;
  evidence: Evidence[];
}

/** A declaration one card makes about another repo ("Y (based on X)"): applied to Y when Y declares nothing. */
export interface Hint {
  subject: string;
  parent: Parent;
}

/** Location of a fact read from `file` of `repo` at `sha`. */
export function hubLocation(
  repo: string,
  sha: string | undefined,
  file: string,
  pointer?: string,
  line?: number,
): Evidence["location"] {
  return {
    file,
    ...(line ? { line } : {}),
    ...(pointer !== undefined ? { pointer } : {}),
    hub: { repo, ...(sha ? { revision: sha } : {}) },
  };
}

/** Adds a parent, merging evidence when the repo is already listed. Self-references are dropped (cycles). */
export function addParent(list: Parent[], self: string, p: Parent): void {
  if (p.repo.toLowerCase() === self.toLowerCase()) return;
  const have = list.find((x) => x.repo.toLowerCase() === p.repo.toLowerCase());
  if (have) {
    for (const e of p.evidence)
      if (
        !have.evidence.some(
          (x) => x.code === e.code && x.location.file === e.location.file && x.location.pointer === e.location.pointer,
        )
      )
        have.evidence.push(e);
    return;
  }
  list.push({ ...p, evidence: [...p.evidence] });
}

/** Hub ids named by a `base_model` value (string or list), with their index. */
function baseModelIds(value: unknown): { id: string; index?: number }[] {
  const out: { id: string; index?: number }[] = [];
  const one = (v: unknown, index?: number): void => {
    if (typeof v !== "string") return;
    const h = parseHubId(v);
    if (h) out.push({ id: h.id, ...(index !== undefined ? { index } : {}) });
  };
  if (Array.isArray(value)) value.forEach((v, i) => one(v, i));
  else one(value);
  return out;
}

/** Relations named by `base_model:<relation>:<id>` tags, keyed by lower-cased id; and legacy `base_model:<id>` ids. */
export function tagRelations(tags: readonly string[]): {
  relations: Map<string, { relation: Relation; tag: string }>;
  legacy: { id: string; tag: string }[];
} {
  const relations = new Map<string, { relation: Relation; tag: string }>();
  const legacy: { id: string; tag: string }[] = [];
  for (const tag of tags) {
    const m = /^base_model:(?:(adapter|merge|quantized|finetune):)?(.+)$/.exec(tag);
    if (!m) continue;
    const h = parseHubId(m[2]!);
    if (!h) continue;
    if (m[1]) relations.set(h.id.toLowerCase(), { relation: m[1] as Relation, tag });
    else legacy.push({ id: h.id, tag });
  }
  return { relations, legacy };
}

/** What the relation is inferred from when a card does not say it. */
export interface RepoTraits {
  adapter: boolean;
  quantized: boolean;
  merge: boolean;
}

/** The relation the Hub infers for a base model without `base_model_relation`. */
export function inferRelation(traits: RepoTraits, baseCount: number): Relation {
  if (traits.adapter) return "adapter";
  // A quantization has one base; several bases mean a merge even when the repo also ships GGUF files.
  if (traits.merge || baseCount > 1) return "merge";
  if (traits.quantized) return "quantized";
  return "finetune";
}

/** Parents declared by card metadata (`cardData` or README front matter) and the Hub's tags. */
export function cardParents(
  repo: string,
  sha: string | undefined,
  card: Record<string, unknown> | undefined,
  tags: readonly string[],
  traits: RepoTraits,
  cardLineOf?: (pointer: string) => number | undefined,
): Parent[] {
  const out: Parent[] = [];
  const { relations, legacy } = tagRelations(tags);
  const ids = card ? baseModelIds(card.base_model) : [];
  const declared = cardRelation(card?.base_model_relation);
  for (const { id, index } of ids) {
    const pointer = index === undefined ? "/base_model" : `/base_model/${index}`;
    const relation = declared ?? relations.get(id.toLowerCase())?.relation ?? inferRelation(traits, ids.length);
    addParent(out, repo, {
      repo: id,
      relation,
      evidence: [
        {
          code: "card-base-model",
          strength: "declared",
          location: hubLocation(repo, sha, "README.md", pointer, cardLineOf?.(pointer)),
          raw: `base_model: ${id}`,
          args: {
            relationSource: declared ? "base_model_relation" : relations.has(id.toLowerCase()) ? "hub-tag" : "inferred",
          },
        },
      ],
    });
  }
  for (const [id, { relation, tag }] of relations) {
    if (ids.some((x) => x.id.toLowerCase() === id)) continue;
    const h = parseHubId(tag.slice(tag.indexOf(":", 11) + 1));
    if (h)
      addParent(out, repo, {
        repo: h.id,
        relation,
        evidence: [
          {
            code: "hub-tag-base-model",
            strength: "declared",
            location: hubLocation(repo, sha, "api/models", "/tags"),
            raw: tag,
          },
        ],
      });
  }
  if (ids.length === 0 && relations.size === 0) {
    for (const { id, tag } of legacy) {
      addParent(out, repo, {
        repo: id,
        relation: inferRelation(traits, legacy.length),
        evidence: [
          {
            code: "hub-tag-base-model",
            strength: "declared",
            location: hubLocation(repo, sha, "api/models", "/tags"),
            raw: tag,
          },
        ],
      });
    }
  }
  const ft = card?.finetuned_from;
  if (out.length === 0 && typeof ft === "string" && parseHubId(ft)) {
    addParent(out, repo, {
      repo: parseHubId(ft)!.id,
      relation: "finetune",
      evidence: [
        {
          code: "card-finetuned-from",
          strength: "declared",
          location: hubLocation(repo, sha, "README.md", "/finetuned_from"),
          raw: `finetuned_from: ${ft}`,
        },
      ],
    });
  }
  return out;
}

/** Parent named by a PEFT adapter config (`base_model_name_or_path`). */
export function peftParent(repo: string, sha: string | undefined, base: unknown, file: string): Parent | undefined {
  if (typeof base !== "string") return undefined;
  const h = parseHubId(base);
  if (!h) return undefined;
  return {
    repo: h.id,
    relation: "adapter",
    evidence: [
      {
        code: "peft-base-model",
        strength: "declared",
        location: hubLocation(repo, sha, file, "/base_model_name_or_path"),
        raw: redact(base),
      },
    ],
  };
}

/** Parents named by a mergekit configuration (YAML). Malformed YAML yields none. */
export function mergekitParents(repo: string, sha: string | undefined, text: string): Parent[] {
  let data: unknown;
  try {
    data = parseYaml(text, { maxAliasCount: 100 });
  } catch {
    return [];
  }
  if (typeof data !== "object" || data === null) return [];
  const d = data as Record<string, unknown>;
  const found: { id: string; pointer: string }[] = [];
  const take = (v: unknown, pointer: string): void => {
    if (typeof v !== "string") return;
    // `repo+lora_repo` merges a LoRA into a model: both are parents.
    for (const part of v.split("+")) {
      const h = parseHubId(part.trim());
      if (h) found.push({ id: h.id, pointer });
    }
  };
  take(d.base_model, "/base_model");
  if (Array.isArray(d.models))
    d.models.forEach((m, i) => take((m as Record<string, unknown>)?.model, `/models/${i}/model`));
  if (Array.isArray(d.slices)) {
    d.slices.forEach((s, i) => {
      const sources = (s as Record<string, unknown>)?.sources;
      if (Array.isArray(sources))
        sources.forEach((src, j) => take((src as Record<string, unknown>)?.model, `/slices/${i}/sources/${j}/model`));
    });
  }
  const out: Parent[] = [];
  for (const f of found)
    addParent(out, repo, {
      repo: f.id,
      relation: "merge",
      evidence: [
        {
          code: "mergekit-config",
          strength: "declared",
          location: hubLocation(repo, sha, "mergekit_config.yml", f.pointer),
          raw: f.id,
        },
      ],
    });
  return out;
}

/** Parents named by a GGUF header's `general.base_model.<i>.*` keys. */
export function ggufParents(
  repo: string,
  sha: string | undefined,
  file: string,
  metadata: Record<string, unknown>,
): Parent[] {
  const out: Parent[] = [];
  const count = Number(metadata["general.base_model.count"] ?? 0);
  for (let i = 0; i < Math.min(count, 32); i++) {
    const url = metadata[`general.base_model.${i}.repo_url`];
    const org = metadata[`general.base_model.${i}.organization`];
    const name = metadata[`general.base_model.${i}.name`];
    const h =
      (typeof url === "string" ? parseHubId(url) : undefined) ??
      (typeof org === "string" && typeof name === "string"
        ? parseHubId(`${org.replace(/\s+/g, "-")}/${name.replace(/\s+/g, "-")}`)
        : undefined);
    if (!h) continue;
    addParent(out, repo, {
      repo: h.id,
      relation: "quantized",
      evidence: [
        {
          code: "gguf-base-model",
          strength: "declared",
          location: hubLocation(repo, sha, file, `/general.base_model.${i}`),
          raw: String(url ?? `${String(org)}/${String(name)}`),
        },
      ],
    });
  }
  return out;
}

/** Parents named by `auto_map` `org/repo--module.Class` values (the repo the code was first loaded from). */
export function autoMapParents(repo: string, sha: string | undefined, autoMap: unknown, file: string): Parent[] {
  const out: Parent[] = [];
  if (typeof autoMap !== "object" || autoMap === null) return out;
  for (const [k, v] of Object.entries(autoMap as Record<string, unknown>)) {
    for (const value of Array.isArray(v) ? v : [v]) {
      if (typeof value !== "string" || !value.includes("--")) continue;
      const h = parseHubId(value.split("--")[0]!);
      if (h)
        addParent(out, repo, {
          repo: h.id,
          relation: "initialised-from",
          evidence: [
            {
              code: "config-auto-map",
              strength: "declared",
              location: hubLocation(repo, sha, file, `/auto_map/${k}`),
              raw: value,
            },
          ],
        });
    }
  }
  return out;
}

const PROSE =
  /\b(fine-?tuned\s+(?:version\s+of|from(?:\s+model)?|on(?:\s+top\s+of)?)|trained\s+from|based\s+on|built\s+on(?:\s+top\s+of)?|merge\s+of|merged?\s+from|quantiz(?:ed|ation)\s+of|derived\s+from|continued\s+pre-?training\s+of)\b/gi;
const LINK_OR_ID =
  /\(https?:\/\/(?:www\.)?(?:huggingface\.co|hf\.co)\/([A-Za-z0-9][\w.-]*\/[\w.-]+)(?![\w.-])[^)]*\)|https?:\/\/(?:www\.)?(?:huggingface\.co|hf\.co)\/([A-Za-z0-9][\w.-]*\/[\w.-]+)|`([A-Za-z0-9][\w.-]*\/[\w.-]+)`|\b([A-Za-z0-9][\w-]*\/[A-Za-z0-9][\w.-]*[A-Za-z0-9])\b/g;

function proseRelation(phrase: string): Relation {
  const p = phrase.toLowerCase();
  if (p.startsWith("merge")) return "merge";
  if (p.startsWith("quantiz")) return "quantized";
  return "finetune";
}

/**
 * Weak lineage from card prose (not the front matter): the first Hub id within the same line after a trigger phrase.
 * Returns parents of `repo` and hints about other repos.
 */
export function proseParents(
  repo: string,
  sha: string | undefined,
  text: string,
): { parents: Parent[]; hints: Hint[] } {
  const parents: Parent[] = [];
  const hints: Hint[] = [];
  const lines = text.split(/\r?\n/);
  let inFence = false;
  let inFront = false;
  lines.forEach((line, i) => {
    if (i === 0 && /^---\s*$/.test(line)) inFront = true;
    else if (inFront && /^---\s*$/.test(line)) {
      inFront = false;
      return;
    }
    if (inFront) return;
    if (/^\s*```/.test(line)) inFence = !inFence;
    if (inFence) return;
    PROSE.lastIndex = 0;
    let m: RegExpExecArray | null;
    while ((m = PROSE.exec(line))) {
      const after = line.slice(m.index + m[0].length, m.index + m[0].length + 240);
      LINK_OR_ID.lastIndex = 0;
      const idm = LINK_OR_ID.exec(after);
      if (!idm) continue;
      const h = parseHubId(idm[1] ?? idm[2] ?? idm[3] ?? idm[4] ?? "");
      if (!h) continue;
      // Only ids close to the phrase (a link label may sit between them).
      if (idm.index > 120) continue;
      const relation = proseRelation(m[1]!);
      const evidence: Evidence = {
        code: "card-prose",
        strength: "declared",
        location: hubLocation(repo, sha, "README.md", undefined, i + 1),
        raw: redact(line.trim().slice(0, 300)),
        args: { phrase: m[1]!.toLowerCase(), weak: true },
      };
      // "[Y](https://huggingface.co/Y) (based on [X](...))": the parenthesis speaks about Y.
      const before = line.slice(0, m.index);
      const subject =
        /\]\(https?:\/\/(?:www\.)?(?:huggingface\.co|hf\.co)\/([A-Za-z0-9][\w.-]*\/[\w.-]+)\)\s*\(\s*$/.exec(before);
      if (subject && parseHubId(subject[1]!)) {
        const sid = parseHubId(subject[1]!)!.id;
        if (sid.toLowerCase() !== h.id.toLowerCase())
          hints.push({ subject: sid, parent: { repo: h.id, relation, evidence: [evidence] } });
        continue;
      }
      addParent(parents, repo, { repo: h.id, relation, evidence: [evidence] });
    }
  });
  return { parents, hints };
}
