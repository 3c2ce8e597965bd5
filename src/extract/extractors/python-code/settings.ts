/**
 * The settings pass of the python-code extractor: constants held by model-named variables, parameters, dataclass
 * fields and dictionary keys; registries of models; family keys and family comparisons; HF cache folder names.
 * Each value-flow rule is a named function.
 */
import { codeReference, isModelShaped, MODEL_NAME, NOT_MODEL_NAME } from "../../code/model-ref.js";
import { hostedProviderOf, providerOfName } from "../../code/hosted.js";
import type { SyntaxNode } from "../../code/tree-sitter.js";
import { roleOfKey } from "../../roles.js";
import { callArgs, qualify, resolve, stringValue, type Scope } from "./flow.js";
import { registryEntries } from "./registries.js";
import { FAMILY_KEY, familyKeyOf } from "./derivations.js";
import { emit, emitValue, hostedOf, rowLocation, type ModuleContext } from "./context.js";
import { weightUrl, weightUrlsIn } from "../../code/weight-url.js";
import { WEIGHT_FILE } from "./calls.js";

/**
 * Value-flow rule "field default": a dataclass or pydantic field declared with `field(default=X)` / `Field(X)` takes
 * `X` (`model_name_or_path: str = field(default="org/base")`); any other value is itself.
 */
export function fieldDefault(value: SyntaxNode | null, scope: Scope): SyntaxNode | null {
  if (value?.type !== "call") return value;
  const fq = qualify(value.childForFieldName("function")!, scope);
  if (!/^(?:dataclasses\.field|field|pydantic\.Field|pydantic\.fields\.Field|Field|attr\.ib|attrs\.field)$/.test(fq))
    return value;
  const a = callArgs(value);
  return a.keywords.get("default") ?? (/Field$/.test(fq) ? a.positional[0] : undefined) ?? value;
}

/** Names of a model part's setting (`vision_tower`, `audio_encoder_path`, `vocoder_name`): the role-key table's. */
const isPartName = (name: string): boolean => roleOfKey(name) !== undefined && roleOfKey(name) !== "model";

/** A setting name that holds a model: a model word, a `_PATH`/`_CKPT`/`_REPO` constant, or a part's name. */
export function isModelSettingName(bare: string): boolean {
  const named =
    MODEL_NAME.test(bare) ||
    /(?:_PATH|_VERSION|_CKPT|_REPO)$/.test(bare) ||
    /MODEL_?(?:PATH|DIR|NAME|ID)/i.test(bare) ||
    isPartName(bare);
  return named && !NOT_MODEL_NAME.test(bare.replace(/_PATH$|_VERSION$|_PATH_.*$/, ""));
}

/**
 * A path setting (`embed_path`, `dvae_ckpt_path`) names a model when its value is a weight file or the name says
 * checkpoint / weights; a parameter or field typed as a model (`segmentation: PipelineModel = "org/x"`) holds one,
 * whatever its name.
 */
export function isModelPathSetting(n: SyntaxNode, bare: string, value: string): boolean {
  const typeText =
    n.type === "typed_default_parameter" || n.type === "assignment" ? n.childForFieldName("type")?.text : undefined;
  if (/Model\b|Checkpoint\b/.test(typeText ?? "")) return true;
  if (!/(?:_|^)(?:path|file)$/i.test(bare) || !(WEIGHT_FILE.test(value) || /ckpt|checkpoint|weight/i.test(bare)))
    return false;
  return !/(?:^|_)(?:data|dataset|log|output|save|out|config|cfg|json|yaml|csv|txt|audio|image|video|wav|img)(?:_|$)/i.test(
    bare,
  );
}

/**
 * Rule "family comparison": `config.model_type == "llava"`, `getattr(cfg, "speech_encoder_type") == "glm4voice"`
 * names a family (it loads nothing).
 */
export function familyComparison(ctx: ModuleContext, n: SyntaxNode): void {
  const ops = n.children.filter((c) => c && !c.isNamed).map((c) => c!.text);
  const [l, r] = n.namedChildren;
  if (!l || !r || ops.length !== 1 || (ops[0] !== "==" && ops[0] !== "!=")) return;
  const lit = l.type === "string" ? l : r.type === "string" ? r : undefined;
  const other = lit === l ? r : l;
  const key = lit && other.type !== "string" ? familyKeyOf(other, ctx.scope) : undefined;
  const v = lit && key ? stringValue(lit, ctx.scope, 0) : undefined;
  if (lit && key && v && /^[A-Za-z][\w.-]{0,60}$/.test(v))
    emitValue(ctx, lit, v, {
      kind: "known-component",
      usage: "name",
      facts: { familyKey: key, comparedWith: other.text.slice(0, 120) },
    });
}

const ARCHIVE = /\.(?:tar(?:\.gz)?|tgz|zip)$/;

/** Rule "HF cache folder": a `models--org--name` folder name anywhere (a tarball of the cache, a list) names its repo. */
export function cacheFolderName(ctx: ModuleContext, n: SyntaxNode): boolean {
  if (ctx.seen.has(n.startIndex) || n.parent?.type === "concatenated_string") return false;
  const v = stringValue(n, ctx.scope, 0);
  if (
    !v ||
    !/(?:^|\/)models--[\w.-]+--[\w.-]+/.test(v) ||
    /^(?:assignment|keyword_argument|argument_list)$/.test(n.parent?.type ?? "")
  )
    return false;
  emitValue(ctx, n, v.replace(ARCHIVE, ""), { facts: ARCHIVE.test(v) ? { archive: true } : {}, baseDir: true });
  return true;
}

/**
 * Rule "weight URL literal" (`src/extract/code/weight-url.ts`): a string constant that is a weight download URL
 * (`'https://storage.googleapis.com/.../model_base.pth'`, a Hub `/resolve/` file URL), wherever it sits and whatever
 * names it, is a reference when no other rule claimed it; a docstring's `wget <url>` lines (setup instructions) name
 * each URL they hold.
 */
export function weightUrlLiteral(ctx: ModuleContext, n: SyntaxNode): boolean {
  if (ctx.seen.has(n.startIndex) || n.parent?.type === "concatenated_string") return false;
  const v = stringValue(n, ctx.scope, 0);
  if (!v || !v.includes("://")) return false;
  const one = weightUrl(v);
  if (one) {
    emitValue(ctx, n, one.hubId ?? one.url, {
      facts: { weightUrl: true, file: one.file, ...(one.hubId ? { url: one.url } : {}) },
    });
    return true;
  }
  if (n.parent?.type !== "expression_statement") return false;
  ctx.seen.add(n.startIndex);
  for (const { at, found } of weightUrlsIn(v)) {
    const row = n.startPosition.row + (v.slice(0, at).match(/\n/g)?.length ?? 0);
    ctx.refs.push(
      codeReference({
        extractor: ctx.extractor,
        location: { ...rowLocation(ctx, row), ...(ctx.o.pointer ? { pointer: ctx.o.pointer } : {}) },
        value: found.url,
        facts: { weightUrl: true, file: found.file, inDocstring: true },
      }),
    );
  }
  return true;
}

/** The name and value node of a setting: `NAME = v`, a parameter default, or a dict entry with a string key. */
function settingOf(n: SyntaxNode, scope: Scope): { name: string; value: SyntaxNode } | undefined {
  let name: string | undefined;
  let value: SyntaxNode | null | undefined;
  if (n.type === "assignment") {
    name = n.childForFieldName("left")?.text;
    value = fieldDefault(n.childForFieldName("right"), scope);
  } else if (n.type === "default_parameter" || n.type === "typed_default_parameter") {
    name = n.childForFieldName("name")?.text;
    value = n.childForFieldName("value");
  } else if (n.type === "pair") {
    const k = n.childForFieldName("key");
    name = k?.type === "string" ? k.text.replace(/^['"]|['"]$/g, "") : undefined;
    value = n.childForFieldName("value");
  }
  return name && value ? { name, value } : undefined;
}

/** Rule "registry": a table of models picked by key at run time; every entry may be the one loaded. */
function registry(ctx: ModuleContext, n: SyntaxNode, name: string, value: SyntaxNode): boolean {
  const isHosted = (v: string): boolean =>
    hostedProviderOf(v, { name: providerOfName(name), file: ctx.fileProvider }) !== undefined;
  const entries = registryEntries(n.childForFieldName("left"), value, ctx.scope, isHosted);
  for (const e of entries)
    emit(ctx, e.node, {
      ...(e.shape === "alias" ? (hostedOf(ctx, e.node, { name }) ?? { kind: "known-component" as const }) : {}),
      facts: { registry: name, ...(e.key !== undefined ? { registryKey: e.key } : {}) },
    });
  return entries.length > 0;
}

/** A setting whose value is not a string literal: an environment read, or a recorded model (`{"lora_base": X}`). */
function nonLiteralSetting(ctx: ModuleContext, n: SyntaxNode, bare: string, value: SyntaxNode, named: boolean): void {
  if (
    n.type === "pair" &&
    (value.type === "identifier" || value.type === "attribute") &&
    (named || /(?:^|_)base(?:_|$)/i.test(bare))
  ) {
    // A record the code writes (`json.dump({"lora_base": LORA_MODEL}, f)`) names the model it came from.
    const r = resolve(value, ctx.scope);
    if ("value" in r && isModelShaped(r.value))
      emit(ctx, value, { usage: "name", facts: { key: bare, recorded: true } });
    return;
  }
  if (!named || !MODEL_NAME.test(bare)) return;
  const r = resolve(value, ctx.scope);
  if (n.type === "pair") {
    // A dict entry read from the environment with a default (`"generation_model": os.getenv("X", "org/m")`).
    if ("value" in r && /^\$\{[^}]*:-[^}]+\}$/.test(r.value)) emit(ctx, value, { facts: { key: bare } });
    return;
  }
  // A model-named setting read from the environment (`X: str = os.environ["X"]`, a default `env.X_MODEL`).
  const envLike =
    "value" in r
      ? /^\$\{/.test(r.value)
      : /^(?:os\.environ|os\.getenv|env\.|settings\.|config\.)/.test(value.text) ||
        /\.[A-Z][A-Z0-9_]*$/.test(value.text);
  if (envLike) emit(ctx, value, { facts: { variable: bare } });
}

const NOT_A_NAME = /^(?:true|false|none|null|auto|cpu|cuda|\d+(?:\.\d+)?)$/i;

/** Rule "model-named setting": constants in model-named variables, parameters, fields and dictionary keys. */
export function settingPass(ctx: ModuleContext, n: SyntaxNode): void {
  const s = settingOf(n, ctx.scope);
  if (!s) return;
  const { name, value } = s;
  if (n.type === "assignment" && registry(ctx, n, name, value)) return;
  const bare = name.replace(/^self\./, "");
  const named = isModelSettingName(bare);
  if (FAMILY_KEY.test(bare) && value.type === "string") {
    // A family key (`SLM_MODEL_TYPE = "qwen3"`, `{"model_type": "llava"}`): names a family, loads nothing.
    const fv = stringValue(value, ctx.scope, 0);
    if (fv && /^[A-Za-z][\w.-]{0,60}$/.test(fv) && !/^(?:none|null|auto|default|custom|true|false)$/i.test(fv))
      emit(ctx, value, { kind: "known-component", usage: "name", facts: { variable: bare, familyKey: true } });
    return;
  }
  if (value.type !== "string" && value.type !== "concatenated_string")
    return nonLiteralSetting(ctx, n, bare, value, named);
  const v = stringValue(value, ctx.scope, 0);
  if (v === undefined) return;
  if (/models--[\w.-]+--[\w.-]+/.test(v) || ((named || isModelPathSetting(n, bare, v)) && isModelShaped(v))) {
    emit(ctx, value, { facts: { variable: bare } });
    return;
  }
  if (!named || !MODEL_NAME.test(bare) || !/^[A-Za-z0-9][\w.-]*(?::[\w.-]+)?$/.test(v) || NOT_A_NAME.test(v)) return;
  // A bare name under a model-named variable: an Ollama tag where the file uses Ollama, a hosted model where the
  // variable, the file or the name's shape names a provider, else an alias we keep.
  // A parameter's default is one value a caller may replace (see hostedOf).
  const overridable = n.type === "default_parameter" || n.type === "typed_default_parameter";
  const h = ctx.scope.usesOllama ? undefined : hostedOf(ctx, value, { name: bare, overridable });
  emit(ctx, value, {
    ...(h ?? { kind: ctx.scope.usesOllama ? "ollama-tag" : "known-component" }),
    facts: { variable: bare },
  });
}
