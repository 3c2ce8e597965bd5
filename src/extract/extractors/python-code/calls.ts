/**
 * The call pass of the python-code extractor: each call goes through the rules below in order until one claims it
 * (write and transform rules, family patches, the transformers / huggingface_hub core loaders, the loader table of
 * `src/extract/code/loaders.ts`, argparse defaults, weight downloads); calls no rule claims are read for a class
 * built from another module, a weight-file join and model-named keyword arguments.
 */
import { isModelShaped, MODEL_NAME, NOT_MODEL_NAME } from "../../code/model-ref.js";
import { hostedClassDefault, providerOfHost, providerOfPythonCall } from "../../code/hosted.js";
import { loadersFor, sizeAliasUpstream, type LoaderRow } from "../../code/loaders.js";
import type { SyntaxNode } from "../../code/tree-sitter.js";
import { callArgs, importFacts, qualify, resolve, stringValue, type Args } from "./flow.js";
import { FAMILY_TOKEN, openedFile } from "./derivations.js";
import { emit, emitValue, hostedOf, lineOf, pick, type CallSite, type Facts, type ModuleContext } from "./context.js";

import { isModelParam } from "./module-facts.js";
import { roleOfClass, WRITE_RULES } from "./writes.js";

type CallRule = (ctx: ModuleContext, c: CallSite) => boolean;

/** A weight file by its extension (pickle, safetensors, GGUF, ONNX, CTranslate2 / TensorRT engines). */
export const WEIGHT_FILE = /\.(?:bin|pt|pth|ckpt|pkl|safetensors|gguf|onnx|engine|plan|tflite|mlmodel)$/i;

/**
 * Rule "family patch": a monkey-patch named after a model family (`patch_qwen3vl_rope(model)`,
 * `replace_llama_attn_with_flash_attn()`) claims the architecture it patches; it loads nothing.
 */
function familyPatch(ctx: ModuleContext, c: CallSite): boolean {
  if (c.fn.type !== "identifier") return false;
  const pm = /^(?:monkey_?patch|patch|replace|apply)_(\w+)$/i.exec(c.fn.text);
  const family = pm?.[1]!.split("_").find((t) => FAMILY_TOKEN.test(t));
  if (!family || ctx.seen.has(c.fn.startIndex)) return false;
  emitValue(ctx, c.fn, family, {
    kind: "known-component",
    usage: "name",
    facts: { patch: c.fn.text, claims: "architecture", ...importFacts(c.fn, ctx.scope) },
  });
  return true;
}

/** transformers / PEFT `from_pretrained` (ModelScope's too): the model, its role by class, its tokenizer. */
function fromPretrained(ctx: ModuleContext, c: CallSite): boolean {
  if (c.last !== "from_pretrained") return false;
  const a = c.args;
  if (/^Peft/.test(c.owner)) {
    const adapter = pick(a, ["model_id"], 1);
    if (adapter) emit(ctx, adapter, { role: "adapter", relation: "adapter", call: a });
    return true;
  }
  const arg = pick(a, ["pretrained_model_name_or_path", "model_name_or_path", "model_id"], 0);
  const role = roleOfClass(c.owner);
  const modelscope = c.q.startsWith("modelscope.") ? { kind: "modelscope-id" as const } : {};
  if (arg)
    emit(ctx, arg, {
      ...(role ? { role } : {}),
      call: a,
      ...modelscope,
      facts: { loader: `${c.owner}.from_pretrained`, ...(/Config$/.test(c.owner) ? { configOnly: true } : {}) },
    });
  const tok = a.keywords.get("tokenizer");
  if (tok && (tok.type === "string" || tok.type === "identifier")) emit(ctx, tok, { role: "tokenizer", call: a });
  return true;
}

/** `pipeline(task, model=...)` (transformers) and lmdeploy `pipeline(model_path)`, with a tokenizer given by name. */
function pipelineCall(ctx: ModuleContext, c: CallSite): boolean {
  if (c.last !== "pipeline") return false;
  const lmdeploy = c.q.startsWith("lmdeploy.");
  const arg = lmdeploy ? pick(c.args, ["model_path"], 0) : pick(c.args, ["model"], 1);
  if (arg) emit(ctx, arg, { call: c.args, facts: { loader: lmdeploy ? "lmdeploy.pipeline" : "pipeline" } });
  const tok = c.args.keywords.get("tokenizer");
  if (tok && tok.type === "string") emit(ctx, tok, { role: "tokenizer", call: c.args });
  return true;
}

/** huggingface_hub / ModelScope downloads; `repo_type="dataset"` marks a dataset, never a model. */
function hubDownload(ctx: ModuleContext, c: CallSite): boolean {
  if (c.last !== "hf_hub_download" && c.last !== "snapshot_download" && c.last !== "model_file_download") return false;
  const arg = pick(c.args, ["repo_id", "model_id"], 0);
  const rt = c.args.keywords.get("repo_type");
  const rtv = rt ? resolve(rt, ctx.scope) : undefined;
  const dataset = rtv && "value" in rtv && rtv.value === "dataset";
  const modelscope = c.q.startsWith("modelscope.");
  if (arg)
    emit(ctx, arg, {
      call: c.args,
      ...(modelscope ? { kind: "modelscope-id" as const } : {}),
      facts: { loader: modelscope ? `modelscope.${c.last}` : c.last, ...(dataset ? { repoType: "dataset" } : {}) },
    });
  downloadDestination(ctx, c, arg, dataset === true);
  return true;
}

/**
 * Rule "download destination": `snapshot_download(repo, local_dir="models/x")` writes the repository into a folder;
 * the write records the repository it came from (`derivedFrom`), so the linking pass can name what later code loads
 * from that folder.
 */
function downloadDestination(ctx: ModuleContext, c: CallSite, repo: SyntaxNode | undefined, dataset: boolean): void {
  const dest = c.args.keywords.get("local_dir");
  const rv = repo ? resolve(repo, ctx.scope) : undefined;
  if (!dest || dataset || !rv || !("value" in rv) || !("value" in resolve(dest, ctx.scope))) return;
  // hf_hub_download(repo, filename, local_dir=D) writes D/<filename>; snapshot_download the whole repository under D.
  const fileArg = c.last === "hf_hub_download" ? pick(c.args, ["filename"], 1) : undefined;
  const fv = fileArg ? resolve(fileArg, ctx.scope) : undefined;
  emit(ctx, dest, {
    usage: "write",
    facts: {
      writer: c.last,
      derivedFrom: rv.value,
      ...(c.last === "snapshot_download" ? { downloadsTree: true } : {}),
      ...(fv && "value" in fv ? { downloadedFile: fv.value } : {}),
    },
  });
}

/** Core loaders named by one argument: `[last names], keywords, position, facts`. */
const SIMPLE_LOADERS: readonly {
  calls: RegExp;
  qualified?: true;
  keywords: readonly string[];
  position: number;
  facts: (c: CallSite) => Facts;
  role?: (c: CallSite) => "reranker" | "embedding";
  tokenizer?: boolean;
}[] = [
  { calls: /^from_model_id$/, keywords: ["model_id"], position: 0, facts: (c) => ({ loader: c.q }) },
  {
    calls: /^(?:SentenceTransformer|CrossEncoder|SparseEncoder)$/,
    keywords: ["model_name_or_path", "model_name"],
    position: 0,
    facts: (c) => ({ loader: c.last }),
    role: (c) => (c.last === "CrossEncoder" ? "reranker" : "embedding"),
  },
  // `datasets.load_dataset(path, ...)`, https://huggingface.co/docs/datasets/package_reference/loading_methods:
  // recorded as a dataset so it is never taken for a model.
  {
    calls: /^(?:load_dataset|load_from_disk)$/,
    keywords: ["path", "dataset_path"],
    position: 0,
    facts: (c) => ({ loader: c.last, repoType: "dataset" }),
  },
  {
    calls: /^(?:InferenceClient|AsyncInferenceClient)$/,
    keywords: ["model"],
    position: 0,
    facts: (c) => ({ loader: c.last }),
  },
  {
    calls: /^(?:EngineArgs|AsyncEngineArgs)$/,
    keywords: ["model"],
    position: 0,
    facts: (c) => ({ loader: `vllm.${c.last}` }),
    tokenizer: true,
  },
  {
    calls: /^(?:torch\.load|safetensors\.torch\.load_file|load_file|safe_open|safetensors\.safe_open)$/,
    qualified: true,
    keywords: ["f", "filename"],
    position: 0,
    facts: (c) => ({ loader: c.q, weightFormat: c.q === "torch.load" ? "pickle" : "safetensors" }),
  },
];

/** A core loader of {@link SIMPLE_LOADERS} (vLLM's `LLM` only when imported from vllm). */
function simpleLoader(ctx: ModuleContext, c: CallSite): boolean {
  const vllm = c.last === "LLM" && c.q.startsWith("vllm");
  const row = vllm
    ? SIMPLE_LOADERS.find((r) => r.tokenizer)
    : SIMPLE_LOADERS.find((r) => r.calls.test(r.qualified ? c.q : c.last));
  if (!row) return false;
  const arg = pick(c.args, row.keywords, row.position);
  const role = row.role?.(c);
  if (arg) emit(ctx, arg, { call: c.args, ...(role ? { role } : {}), facts: row.facts(c) });
  const tok = row.tokenizer ? c.args.keywords.get("tokenizer") : undefined;
  if (tok) emit(ctx, tok, { role: "tokenizer", call: c.args });
  return true;
}

/** LLaVA-style `load_pretrained_model(model_path, model_base)`: the model, and the base an adapter applies to. */
function loadPretrainedModel(ctx: ModuleContext, c: CallSite): boolean {
  if (c.last !== "load_pretrained_model") return false;
  const path = pick(c.args, ["model_path"], 0);
  if (path) emit(ctx, path, { call: c.args, facts: { loader: "load_pretrained_model" } });
  const base = pick(c.args, ["model_base"], 1);
  if (base && base.type !== "none")
    emit(ctx, base, { call: c.args, relation: "adapter", facts: { loader: "load_pretrained_model", modelBase: true } });
  return true;
}

/** One call of a loader-table row: its model argument, by what its values look like. */
export function emitLoader(ctx: ModuleContext, row: LoaderRow, c: CallSite): void {
  if (row.dataset) return;
  const a = c.args;
  const arg =
    row.position === undefined
      ? row.keywords.map((k) => a.keywords.get(k)).find((x) => x)
      : pick(a, row.keywords, row.position);
  const facts: Facts = { loader: c.q, library: row.library, ...constantKeywords(ctx, a, row.factKeywords ?? []) };
  const common = { ...(row.role ? { role: row.role } : {}), ...(row.relation ? { relation: row.relation } : {}) };
  if (!arg) {
    // The library's default model (`FaceAnalysis()` loads buffalo_l).
    if (row.defaultValue)
      emitValue(ctx, c.node, row.defaultValue, {
        kind: "known-component",
        ...common,
        facts: {
          ...facts,
          libraryDefault: true,
          ...(row.upstream ? { upstream: row.upstream.replace("{}", row.defaultValue) } : {}),
        },
      });
    return;
  }
  const v = resolve(arg, ctx.scope);
  const value = "value" in v ? v.value : undefined;
  const aliased = value !== undefined && row.value === "size-alias" ? row.aliases?.[value] : undefined;
  if (aliased && value !== undefined) {
    if (row.aliasAsComponent)
      emit(ctx, arg, { kind: "known-component", ...common, call: a, facts: { ...facts, upstream: aliased } });
    else emitValue(ctx, arg, aliased, { ...common, facts: { ...facts, sizeAlias: value } });
    return;
  }
  const entry = row.entrypoint ? pick(a, row.entrypoint.keywords, row.entrypoint.position) : undefined;
  const ev = entry ? resolve(entry, ctx.scope) : undefined;
  if (value !== undefined && ev && "value" in ev) {
    // torch.hub: `<repo>:<entry point>`; raw is the repository argument as written.
    const ref = emitValue(ctx, arg, `${value}:${ev.value}`, {
      kind: "known-component",
      facts: { ...facts, repo: value, entrypoint: ev.value },
    });
    if (ref) ref.raw = value;
    return;
  }
  if (
    (row.value === "model-pack" || row.value === "architecture") &&
    value !== undefined &&
    !isModelShaped(value) &&
    !/^hf[-_]hub:/i.test(value)
  ) {
    emit(ctx, arg, {
      kind: "known-component",
      ...common,
      call: a,
      facts: { ...facts, ...(row.upstream ? { upstream: row.upstream.replace("{}", value) } : {}) },
    });
    return;
  }
  emit(ctx, arg, { ...common, ...(row.kind ? { kind: row.kind } : {}), call: a, facts });
}

/** The constant values of some keyword arguments, as facts. */
function constantKeywords(ctx: ModuleContext, a: Args, names: readonly string[]): Facts {
  const out: Facts = {};
  for (const k of names) {
    const n = a.keywords.get(k);
    const v = n ? resolve(n, ctx.scope) : undefined;
    if (v && "value" in v) out[k] = v.value;
  }
  return out;
}

/** The loader table (`src/extract/code/loaders.ts`). */
function loaderTable(ctx: ModuleContext, c: CallSite): boolean {
  const rows = loadersFor("python", c.q, c.last);
  for (const row of rows) emitLoader(ctx, row, c);
  return rows.length > 0;
}

/** Flag names whose default names a model even without a model word (`--ckpt`, `--vision-tower`, `--lora`). */
const MODEL_FLAG = /model|ckpt|checkpoint|adapter|base|encoder|tower|tokenizer|lora|vocoder/i;

/**
 * Rule "argparse default": `add_argument("--model-path", default="...")` (and click / typer options) names the model a
 * script loads by default (the long flag names the destination); a size alias of a library the script imports becomes
 * its repository.
 */
function argparseDefault(ctx: ModuleContext, c: CallSite): boolean {
  // click / typer options declare flags the same way (`@click.option("--base-weight", default="checkpoints/x")`).
  const option = c.last === "option" && /^(?:click|typer)\./.test(c.q);
  if (c.last !== "add_argument" && !option && !(c.last === "Option" && c.q.startsWith("typer."))) return false;
  const flags = c.args.positional.filter((p) => p.type === "string");
  const flag = flags.find((p) => /^['"]--/.test(p.text)) ?? flags[0];
  const def = c.args.keywords.get("default");
  const flagName = flag ? (stringValue(flag, ctx.scope, 0) ?? "").replace(/^-+/, "").replace(/-/g, "_") : "";
  if (
    !def ||
    (def.type !== "string" && def.type !== "concatenated_string") ||
    !(isModelParam(flagName) || MODEL_FLAG.test(flagName))
  )
    return true;
  const dv = resolve(def, ctx.scope);
  const alias = "value" in dv ? sizeAliasUpstream(dv.value, ctx.scope.imports.values()) : undefined;
  if (alias && "value" in dv)
    emitValue(ctx, def, alias.repo, { facts: { cliFlag: flagName, sizeAlias: dv.value, library: alias.row.library } });
  else emit(ctx, def, { ...hostedOf(ctx, def, { name: flagName, overridable: true }), facts: { cliFlag: flagName } });
  return true;
}

/** Weight downloads through a helper (`download_weights(url, dest)`, Cog's `pget`) and vocoder checkpoints. */
const DOWNLOADER =
  /download_?(?:weights?|models?|ckpts?|checkpoints?)|(?:weights?|models?|checkpoints?)_?download|^pget$|^load_state_dict_from_url$|^download_url_to_file$/i;

/** Rule "download helper": the URL or id downloaded, the folder it lands in, and a config file handed along. */
function downloadHelper(ctx: ModuleContext, c: CallSite): boolean {
  const vocoder = /Vocoder$/.test(c.last);
  if (!vocoder && !DOWNLOADER.test(c.last)) return false;
  const a = c.args;
  // torch.hub.load_state_dict_from_url(url=...) / download_url_to_file(url, dst) name the URL by keyword too.
  const arg = a.positional[0] ?? a.keywords.get("url");
  const role = vocoder ? { role: "audio-decoder" as const } : {};
  if (arg) emit(ctx, arg, { call: a, ...role, facts: { loader: c.last } });
  // The download's destination, when it is a known folder: the weights are written there.
  const dest = vocoder
    ? undefined
    : (a.positional[1] ??
      a.keywords.get("dest") ??
      a.keywords.get("dst") ??
      a.keywords.get("local_dir") ??
      a.keywords.get("destination"));
  if (dest && "value" in resolve(dest, ctx.scope))
    emit(ctx, dest, {
      usage: "write",
      facts: { writer: c.last, ...(arg ? { downloadedFrom: arg.text.slice(0, 120) } : {}) },
    });
  // A config file read with open() and handed to the loader (`CodeHiFiGANVocoder(ckpt, json.load(f))`).
  for (const other of [...a.positional.slice(1), ...a.keywords.values()]) {
    const path = openedFile(other, ctx.scope);
    if (path) emit(ctx, path, { ...role, facts: { loader: "open", configFor: c.last, configFile: true } });
  }
  return true;
}

/** The rules that claim a call, in order. */
const CALL_RULES: readonly CallRule[] = [
  ...WRITE_RULES,
  familyPatch,
  fromPretrained,
  pipelineCall,
  hubDownload,
  simpleLoader,
  loadPretrainedModel,
  loaderTable,
  argparseDefault,
  downloadHelper,
];

/**
 * A class of another module (or of this file) built with no model argument: its constructor default may name the
 * model; the linking pass looks the class up.
 */
function pendingConstructor(ctx: ModuleContext, c: CallSite): void {
  if (
    c.fn.type !== "identifier" ||
    !/^[A-Z]/.test(c.fn.text) ||
    c.args.positional.length > 0 ||
    [...c.args.keywords.keys()].some(isModelParam)
  )
    return;
  const imported = ctx.scope.imports.get(c.fn.text);
  const dot = imported?.lastIndexOf(".") ?? -1;
  const base = {
    extractor: ctx.extractor,
    language: "python" as const,
    location: lineOf(c.node, ctx.o),
    via: "constructor" as const,
  };
  if (imported && dot > 0)
    ctx.pending.push({ ...base, module: imported.slice(0, dot), symbol: imported.slice(dot + 1) });
  else if (!imported && ctx.localClasses.has(c.fn.text)) ctx.pending.push({ ...base, module: "", symbol: c.fn.text });
}

/**
 * Rule "weight file join": `os.path.join(<run-time dir>, "assets", "model.bin")` names a weight file shipped with the
 * code by its constant tail.
 */
function weightFileJoin(ctx: ModuleContext, c: CallSite): void {
  if (!/^(?:os\.path|posixpath|path)\.join$/.test(c.q) || ctx.seen.has(c.node.startIndex)) return;
  const tail: string[] = [];
  for (const p of [...c.args.positional].reverse()) {
    const pv = resolve(p, ctx.scope);
    if (!("value" in pv)) break;
    tail.unshift(pv.value);
  }
  const joined = tail.join("/");
  if (tail.length < c.args.positional.length && WEIGHT_FILE.test(joined))
    emitValue(ctx, c.node, joined, { facts: { joinedWith: c.args.positional[0]!.text.slice(0, 120) }, baseDir: true });
}

/** Keyword arguments that name the API endpoint a client sends requests to. */
const BASE_URL_KEYS = ["base_url", "api_base", "openai_api_base", "base_path"];

/**
 * Rule "model keyword": a model-named keyword argument with a model-shaped constant (a registry dataclass), or a
 * hosted model name sent to a provider (`ChatOpenAI(model="gpt-4o")`, `client.messages.create(model=...)`).
 */
function modelKeywords(ctx: ModuleContext, c: CallSite): void {
  const a = c.args;
  // An OpenAI-shaped client pointed at another provider's API host (`base_url="https://api.deepseek.com"`) calls
  // that provider, whatever the client class is called.
  const base = BASE_URL_KEYS.map((k) => a.keywords.get(k)).find((v) => v !== undefined);
  const baseValue = base ? resolve(base, ctx.scope) : undefined;
  const callProvider =
    (baseValue && "value" in baseValue ? providerOfHost(baseValue.value) : undefined) ?? providerOfPythonCall(c.q);
  const named = [...a.keywords.keys()].some((k) => isModelParam(k) || MODEL_NAME.test(k));
  const byDefault = callProvider && !a.positional[0] && !named ? hostedClassDefault("python", c.last, c.q) : undefined;
  if (byDefault)
    emitValue(ctx, c.node, byDefault.model, {
      kind: "hosted-model",
      provider: byDefault.provider,
      ...(byDefault.role ? { role: byDefault.role } : {}),
      facts: { loader: c.q, libraryDefault: true },
    });
  if (callProvider && a.positional[0] && ![...a.keywords.keys()].some(isModelParam)) {
    const h = hostedOf(ctx, a.positional[0], { call: callProvider });
    if (h) emit(ctx, a.positional[0], { ...h, call: a, facts: { loader: c.q } });
  }
  const ollama = ctx.scope.usesOllama;
  for (const [k, v] of a.keywords) {
    if (MODEL_DIR_NAME.test(k)) {
      // A model folder handed over by name (`AutoModel(model_dir="pretrained_models/x")`).
      const r = resolve(v, ctx.scope);
      if ("value" in r && isModelShaped(r.value)) emit(ctx, v, { call: a, facts: { keyword: k } });
      continue;
    }
    if (!MODEL_NAME.test(k) || NOT_MODEL_NAME.test(k)) continue;
    const h = !ollama ? hostedOf(ctx, v, { ...(callProvider ? { call: callProvider } : {}), name: k }) : undefined;
    if (h) {
      emit(ctx, v, { ...h, call: a, facts: { keyword: k, loader: c.q } });
      continue;
    }
    const r = resolve(v, ctx.scope);
    if (!("value" in r)) continue;
    const tag = ollama && !isModelShaped(r.value) && /^[\w.-]+(?::[\w.-]+)?$/.test(r.value);
    if (isModelShaped(r.value) || tag)
      emit(ctx, v, { call: a, ...(tag ? { kind: "ollama-tag" as const } : {}), facts: { keyword: k } });
  }
}

/** Keyword names of a model folder (`model_dir`, `llm_model_dir`, `ckpt_dir`, `pretrained_dir`). */
const MODEL_DIR_NAME = /^(?:\w+_)?(?:model|ckpt|checkpoint|pretrained(?:_model)?)_?dir$/i;

/**
 * Rule "hub id to a constructor": an imported class built with a Hub-id-shaped constant as its first argument
 * (`OmniSenseVoiceSmall("iic/SenseVoiceSmall")`) loads that repository: a two-part `org/name` without a file
 * extension or a path prefix.
 */
function constructorHubId(ctx: ModuleContext, c: CallSite): void {
  const first = c.args.positional[0];
  if (c.fn.type !== "identifier" || !/^[A-Z]/.test(c.fn.text) || !ctx.scope.imports.has(c.fn.text) || !first) return;
  const v = resolve(first, ctx.scope);
  if (
    !("value" in v) ||
    !/^[A-Za-z0-9][\w-]*\/[A-Za-z0-9][\w.-]*$/.test(v.value) ||
    /\.[a-z0-9]{2,5}$/i.test(v.value) ||
    !isModelShaped(v.value)
  )
    return;
  emit(ctx, first, { call: c.args, facts: { loader: c.q } });
}

/** Calls and keywords that load weights by their name (`load_ckpt`, `load_weights`, `restore`, `pretrained=`). */
const LOADS_WEIGHTS = /load|restore|ckpt|checkpoint|weights?$|from_file|^get_model$/i;
const WEIGHTS_KEYWORD =
  /^(?:pretrained|weights?|ckpt|checkpoint|\w+_(?:ckpt|checkpoint|weights?)(?:_path)?|(?:ckpt|checkpoint|weights?)_(?:path|file))$/i;

/**
 * Rule "weight file argument": a constant local weight file (`.pth`, `.safetensors`, ...) handed to a call that loads
 * by its name (`converter.load_ckpt(f"{ckpt_dir}/checkpoint.pth")`) or under a weights keyword
 * (`blip_decoder(pretrained="checkpoints/model_base.pth")`) is a load of that file.
 */
function weightFileArgument(ctx: ModuleContext, c: CallSite): void {
  const candidates: SyntaxNode[] = [];
  if (/^(?:save|write|export|dump|upload|store|push|convert)/i.test(c.last)) return;
  if (LOADS_WEIGHTS.test(c.last) && c.args.positional[0]) candidates.push(c.args.positional[0]);
  for (const [k, v] of c.args.keywords) if (WEIGHTS_KEYWORD.test(k)) candidates.push(v);
  for (const arg of candidates) {
    if (ctx.seen.has(arg.startIndex)) continue;
    const r = resolve(arg, ctx.scope);
    if ("value" in r && WEIGHT_FILE.test(r.value) && !/^[a-z]+:\/\//i.test(r.value))
      emit(ctx, arg, { call: c.args, facts: { loader: c.q } });
  }
}

/** The call pass over one `call` node. */
export function callPass(ctx: ModuleContext, n: SyntaxNode): void {
  const fn = n.childForFieldName("function");
  if (!fn) return;
  const q = qualify(fn, ctx.scope);
  const parts = q.split(".");
  const c: CallSite = { node: n, fn, q, last: parts.at(-1) ?? q, owner: parts.at(-2) ?? "", args: callArgs(n) };
  if (CALL_RULES.some((rule) => rule(ctx, c))) return;
  pendingConstructor(ctx, c);
  constructorHubId(ctx, c);
  weightFileJoin(ctx, c);
  modelKeywords(ctx, c);
  weightFileArgument(ctx, c);
}
