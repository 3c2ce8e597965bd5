#!/usr/bin/env node
/**
 * Imports LLM backbone entries for the bundled knowledge base (rules/knowledge/components/) from two public
 * reference collections of released model configurations, keeping the file each value was read from:
 *
 *  - Cisco Model Provenance Kit's reference database (github.com/cisco-ai-defense/model-provenance-kit,
 *    src/provenancekit/data/database/features/base/by-family/<family>/<model>__hf-safetensors_features.json, the
 *    `mfi` block holds the released config.json's architecture values; catalog/by-family/*.json names the Hub repo);
 *  - MLC LLM's model presets (github.com/mlc-ai/mlc-llm, python/mlc_llm/model/model_preset.py: released config.json
 *    files quoted as Python dicts), only for presets whose name or `_name_or_path` names the checkpoint.
 *
 * Usage: node scripts/knowledge/import-reference-configs.js --cisco <git dir> --mlc <git dir> --out <components dir>
 * (git dirs are bare clones; files are read with `git show HEAD:<path>`, and the commit is written into each URL).
 * Values are copied, never computed: a key whose value is missing, null or 0 in the source is left out, and an
 * entry with fewer than 5 identity keys is not written. Entries of one release line whose identity is equal (base
 * and instruct) are grouped as checkpoints of one entry.
 * Licences come from each repo's model card (`license:` in its front matter), listed in LICENSES below.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { stringify } from "yaml";

const args = Object.fromEntries(
  process.argv.slice(2).reduce((acc, a, i, all) => (a.startsWith("--") ? [...acc, [a.slice(2), all[i + 1]]] : acc), []),
);
if (!args.cisco || !args.mlc || !args.out) {
  console.error("usage: import-reference-configs.js --cisco <git dir> --mlc <git dir> --out <components dir>");
  process.exit(2);
}
const git = (dir, ...a) => execFileSync("git", ["-C", dir, ...a], { encoding: "utf8", maxBuffer: 1 << 28 });

/** Model-card licences (Hub front matter `license:`), by repo. Repos not listed get no licence field. */
const LICENSES = {
  "01-ai/": "apache-2.0",
  "allenai/OLMo-2": "apache-2.0",
  "allenai/Olmo-3": "apache-2.0",
  "bigcode/starcoder2": "bigcode-openrail-m",
  "bigscience/bloomz": "bigscience-bloom-rail-1.0",
  "codellama/": "llama2",
  "CohereLabs/aya": "cc-by-nc-4.0",
  "CohereForAI/aya": "cc-by-nc-4.0",
  "deepseek-ai/DeepSeek-R1-Distill": "mit",
  "deepseek-ai/DeepSeek-Coder-V2-Lite": "other",
  "deepseek-ai/DeepSeek-V2-Lite": "other",
  "deepseek-ai/deepseek-coder": "other",
  "EleutherAI/": "apache-2.0",
  "FacebookAI/": "mit",
  "google/gemma": "gemma",
  "google-bert/": "apache-2.0",
  "HuggingFaceTB/SmolLM2": "apache-2.0",
  "ibm-granite/": "apache-2.0",
  "internlm/": "other",
  "meta-llama/Llama-2": "llama2",
  "meta-llama/Meta-Llama-3-": "llama3",
  "meta-llama/Llama-3.1": "llama3.1",
  "meta-llama/Llama-3.2": "llama3.2",
  "microsoft/phi": "mit",
  "microsoft/Phi": "mit",
  "mistralai/Mistral-7B": "apache-2.0",
  "mistralai/Mixtral": "apache-2.0",
  "mistralai/Mistral-Nemo": "apache-2.0",
  "mistralai/Mistral-Small-24B": "apache-2.0",
  "mistralai/Magistral-Small": "apache-2.0",
  "mistralai/Devstral": "apache-2.0",
  "mistralai/Codestral-22B": "other",
  "mistralai/Ministral-8B-Instruct-2410": "other",
  "openai-community/": "mit",
  "openbmb/": "apache-2.0",
  "Qwen/Qwen2-": "apache-2.0",
  "Qwen/Qwen2.5-0.5B": "apache-2.0",
  "Qwen/Qwen2.5-1.5B": "apache-2.0",
  "Qwen/Qwen2.5-7B": "apache-2.0",
  "Qwen/Qwen2.5-14B": "apache-2.0",
  "Qwen/Qwen2.5-32B": "apache-2.0",
  "Qwen/Qwen2.5-Coder-7B": "apache-2.0",
  "Qwen/Qwen2.5-3B": "other",
  "Qwen/Qwen2.5-72B": "other",
  "Qwen/Qwen3-": "apache-2.0",
  "Qwen/Qwen1.5": "other",
  "stabilityai/stablelm-3b-4e1t": "cc-by-sa-4.0",
  "stabilityai/stablelm-2": "other",
  "tencent/": "other",
  "tiiuae/falcon-7b": "apache-2.0",
  "tiiuae/": "other",
  "togethercomputer/": "apache-2.0",
  "TinyLlama/": "apache-2.0",
  "LiquidAI/": "other",
  "Snowflake/": "apache-2.0",
  "HuggingFaceH4/": "mit",
  "NousResearch/": "other",
  "nvidia/": "other",
};
const licenseOf = (repo) => {
  const hits = Object.keys(LICENSES)
    .filter((p) => repo.startsWith(p))
    .sort((a, b) => b.length - a.length);
  return hits.length ? LICENSES[hits[0]] : undefined;
};

/**
 * Database records that are not a release of their own (none at present). Finetunes published as their own repos
 * (Hermes, AceReason, NextCoder, zephyr, ...) are released configurations and get entries: where their config equals
 * their base's, a scan lists both as candidates, which is the honest answer a config can give.
 */
const SKIP = new Set([]);

const ENCODER_ONLY = new Set(["bert", "roberta", "xlm-roberta"]);
const IDENTITY_KEYS = [
  "hidden_size",
  "num_hidden_layers",
  "num_attention_heads",
  "num_key_value_heads",
  "intermediate_size",
  "vocab_size",
  "hidden_act",
  "tie_word_embeddings",
];
const MOE_KEYS = [
  "num_local_experts",
  "num_experts",
  "n_routed_experts",
  "n_shared_experts",
  "num_experts_per_tok",
  "moe_intermediate_size",
  "shared_expert_intermediate_size",
  "first_k_dense_replace",
  "kv_lora_rank",
  "q_lora_rank",
  "qk_rope_head_dim",
  "qk_nope_head_dim",
  "v_head_dim",
  "num_layers",
  "ffn_hidden_size",
  "multi_query_group_num",
  "padded_vocab_size",
  "n_embd",
  "n_layer",
  "n_head",
  "n_inner",
  "head_dim",
];

function identityOf(cfg) {
  const id = {};
  for (const k of [...IDENTITY_KEYS, ...MOE_KEYS]) {
    const v = cfg[k];
    if (v === undefined || v === null || v === 0) continue;
    if (typeof v === "object") continue;
    id[k] = v;
  }
  // head_dim only where it is not hidden_size / num_attention_heads (the transformers default in every family here).
  if (
    id.head_dim !== undefined &&
    id.hidden_size &&
    id.num_attention_heads &&
    id.head_dim === id.hidden_size / id.num_attention_heads
  )
    delete id.head_dim;
  return id;
}

const slug = (s) =>
  s
    .toLowerCase()
    .replace(/[^a-z0-9.]+/g, "-")
    .replace(/^-+|-+$/g, "");
const lineName = (model) =>
  model.replace(/-(Instruct|instruct|chat|Chat|it|hf|chat-hf|Base)(-hf)?$/, "").replace(/^gemma-1\.1-/, "gemma-1.1-");

const entries = new Map();
function add({ id, name, family, publisher, repo, identity, match, source, role }) {
  const key = `${id}`;
  const cp = { repos: [repo], identity: {}, source };
  const prev = entries.get(key);
  if (prev) {
    if (JSON.stringify(prev.identity) === JSON.stringify(identity)) {
      prev.checkpoints.push(cp);
      return;
    }
    id = `${id}-${slug(repo.split("/")[1])}`;
  }
  const lic = licenseOf(repo);
  entries.set(id, {
    id,
    name,
    role,
    family,
    publisher,
    ...(lic ? { license: lic } : {}),
    match,
    identity,
    checkpoints: [cp],
    sources: [
      {
        title: `${repo} config.json (released configuration)`,
        url: `https://huggingface.co/${repo}/blob/main/config.json`,
      },
      { title: `${repo} model card (licence)`, url: `https://huggingface.co/${repo}` },
    ],
  });
}

// --- Cisco Model Provenance Kit ---
const ciscoCommit = git(args.cisco, "rev-parse", "HEAD").trim();
const files = git(args.cisco, "ls-tree", "-r", "--name-only", "HEAD")
  .split("\n")
  .filter((f) => /features\/base\/by-family\/.*_features\.json$/.test(f));
const uris = new Map();
for (const f of git(args.cisco, "ls-tree", "-r", "--name-only", "HEAD")
  .split("\n")
  .filter((f) => /catalog\/by-family\/.*\.json$/.test(f))) {
  const d = JSON.parse(git(args.cisco, "show", `HEAD:${f}`));
  for (const a of d.assets ?? []) uris.set(a.model_id, a.source_uri);
}
let skipped = 0;
for (const f of files) {
  const d = JSON.parse(git(args.cisco, "show", `HEAD:${f}`));
  if (SKIP.has(d.model_id)) continue;
  const uri = uris.get(d.model_id);
  const repo = uri?.replace(/^https:\/\/huggingface\.co\//, "");
  if (!repo || !/^[^/]+\/[^/]+$/.test(repo)) continue;
  const m = d.mfi;
  const identity = identityOf(m);
  if (Object.keys(identity).length < 5) {
    skipped++;
    continue;
  }
  const line = lineName(d.model_id);
  // Multimodal releases (gemma3, mistral3): the database's values are those of the text_config, whose config class
  // is the text family.
  const family = { gemma3: "gemma3_text", mistral3: "ministral3" }[m.model_type] ?? m.model_type;
  add({
    id: slug(line),
    name: line,
    family,
    publisher: repo.split("/")[0],
    repo,
    identity,
    match: { modelTypes: [...new Set([m.model_type, family])], architectures: m.architectures ?? [] },
    role: ENCODER_ONLY.has(m.model_type) ? "text-encoder" : "backbone",
    source: {
      title: `Cisco Model Provenance Kit reference database, ${d.model_id} (mfi: values of the released config.json)`,
      url: `https://github.com/cisco-ai-defense/model-provenance-kit/blob/${ciscoCommit}/${f}`,
    },
  });
}

// --- MLC LLM presets (only those naming their checkpoint) ---
const MLC = {
  llama2_70b: "meta-llama/Llama-2-70b-hf",
  codellama_34b: "codellama/CodeLlama-34b-hf",
  "Mixtral-8x7B-v0.1": "mistralai/Mixtral-8x7B-v0.1",
  qwen2: "Qwen/Qwen1.5-1.8B-Chat",
  deepseek_v2_lite: "deepseek-ai/DeepSeek-V2-Lite",
  minicpm_2b_sft_bf16: "openbmb/MiniCPM-2B-sft-bf16",
  "minicpm-moe-8x2b": "openbmb/MiniCPM-MoE-8x2B",
  "qwen3_1.7b": "Qwen/Qwen3-1.7B",
  "gemma2_2b-jpn": "google/gemma-2-2b-jpn-it",
  olmo2_7b: "allenai/OLMo-2-1124-7B",
  olmo2_32b: "allenai/OLMo-2-0325-32B",
  smollm2_360m: "HuggingFaceTB/SmolLM2-360M",
  "tinyllama_1b_chat_v1.0": "TinyLlama/TinyLlama-1.1B-Chat-v1.0",
  "snowflake-arctic-embed-m": "Snowflake/snowflake-arctic-embed-m",
  "stablelm-2-zephyr-1_6b": "stabilityai/stablelm-2-zephyr-1_6b",
  "phi-3_5-vision": "microsoft/Phi-3.5-vision-instruct",
};
const mlcCommit = git(args.mlc, "rev-parse", "HEAD").trim();
const presetPath = "python/mlc_llm/model/model_preset.py";
const presets = parsePresets(git(args.mlc, "show", `HEAD:${presetPath}`));
const presetLines = git(args.mlc, "show", `HEAD:${presetPath}`).split("\n");
for (const [key, repo] of Object.entries(MLC)) {
  const cfg = presets[key];
  if (!cfg) throw new Error(`no MLC preset ${key}`);
  const identity = identityOf(cfg);
  const line = presetLines.findIndex((l) => l.startsWith(`    "${key}": {`)) + 1;
  const name = repo.split("/")[1];
  add({
    id: slug(lineName(name)),
    name: lineName(name),
    family: cfg.model_type,
    publisher: repo.split("/")[0],
    repo,
    identity,
    match: { modelTypes: [cfg.model_type], architectures: cfg.architectures ?? [] },
    role: ENCODER_ONLY.has(cfg.model_type) ? "text-encoder" : "backbone",
    source: {
      title: `MLC LLM model preset "${key}" (the released config.json of ${repo})`,
      url: `https://github.com/mlc-ai/mlc-llm/blob/${mlcCommit}/${presetPath}#L${line}`,
    },
  });
}

/** Python dict literal (the MODEL_PRESETS assignment) to JSON: True/False/None and trailing commas. */
function parsePresets(py) {
  const start = py.indexOf("MODEL_PRESETS");
  const body = py.slice(py.indexOf("{", start));
  const json = body
    .replace(/^\s*#.*$/gm, "")
    .replace(/\s+#\s*noqa.*$/gm, "")
    .replace(/\bTrue\b/g, "true")
    .replace(/\bFalse\b/g, "false")
    .replace(/\bNone\b/g, "null")
    .replace(/(\d)\s*\/\s*(\d)/g, "$1/$2")
    .replace(/,(\s*[}\]])/g, "$1");
  let depth = 0;
  let end = 0;
  for (let i = 0; i < json.length; i++) {
    if (json[i] === "{") depth++;
    else if (json[i] === "}") {
      depth--;
      if (depth === 0) {
        end = i + 1;
        break;
      }
    }
  }
  return JSON.parse(json.slice(0, end));
}

mkdirSync(args.out, { recursive: true });
for (const e of entries.values()) {
  const header =
    "# Generated by scripts/knowledge/import-reference-configs.js from the source named in each checkpoint; edit the\n# script's tables, not this file, and re-run it.\n";
  writeFileSync(join(args.out, `${e.id}.yaml`), header + stringify(e, { lineWidth: 0 }));
}
console.log(`wrote ${entries.size} entries (${skipped} Cisco records skipped for too few cited identity keys)`);
