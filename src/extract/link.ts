/**
 * The linking pass: joins facts that span files, after every extractor has run.
 * 1. Folder facts (a model card's licence, claims and `base_model`) attach to the top-level component of their folder,
 *    or become a component of their own.
 * 2. `${VAR}` / `${VAR:-default}` references resolve from variables defined in the nearest `.env` above the file.
 *    Code joins follow: settings keys read by code, constructor defaults and imported constants across modules, an
 *    endpoint handler's config field from the model lists of its endpoint type, a loader's parameter from its callers.
 * 3. Local-path references that point at a folder or file inside the tree attach to the component found there.
 * Pure: it reads no file and returns new arrays.
 */
import { pushTo } from "../util/multimap.js";
import { posix } from "node:path";
import type { Diagnostic, LocalComponent, Mention, ModelReference, SourceLocation } from "../model/types.js";
import { roleFromContext } from "./roles.js";
import { HF_CACHE, looksLikePath, makeReference, placePath } from "./reference.js";
import { codeReference } from "./code/model-ref.js";
import type {
  CodeClassFacts,
  CodeModuleFacts,
  ExtractOutput,
  FolderFacts,
  PendingCodeReference,
  ProjectDocument,
  VariableDefinition,
} from "./types.js";
import { dirOf } from "./helpers.js";
import { trimEndChars } from "../util/text.js";

/** Result of linking: the merged, linked inventory. */
export interface LinkedInventory {
  components: LocalComponent[];
  references: ModelReference[];
  mentions: Mention[];
  diagnostics: Diagnostic[];
  /** Attribution documents (README, NOTICE, LICENSE, USE_POLICY), sorted by file, for the policy engine. */
  documents: ProjectDocument[];
}

const isTopLevel = (c: LocalComponent): boolean => c.parent === undefined && (c.location.pointer ?? "") === "";

/** Preference among top-level components of one folder: a model config first, then an adapter. */
function folderOwner(components: LocalComponent[], dir: string): LocalComponent | undefined {
  const candidates = components.filter((c) => isTopLevel(c) && dirOf(c.location.file) === dir);
  return (
    candidates.find((c) => posix.basename(c.location.file) === "config.json") ??
    candidates.find((c) => c.role === "adapter") ??
    candidates[0]
  );
}

function lookupVariable(vars: VariableDefinition[], name: string, fileDir: string): VariableDefinition | undefined {
  let best: VariableDefinition | undefined;
  for (const v of vars) {
    if (v.name !== name) continue;
    const applies = v.scope === "" || fileDir === v.scope || fileDir.startsWith(`${v.scope}/`);
    if (!applies) continue;
    // Nearest scope wins; within one scope, a real .env beats an .env.example, and a later line beats an earlier one.
    if (!best || v.scope.length > best.scope.length || (v.scope.length === best.scope.length && rank(v) >= rank(best)))
      best = v;
  }
  return best;
}

const rank = (v: VariableDefinition): number => (/(?:example|sample|template)/i.test(v.location.file) ? 0 : 1);

/** Everything the extractors produced, gathered into one set of lists. */
interface Gathered {
  components: LocalComponent[];
  references: ModelReference[];
  mentions: Mention[];
  diagnostics: Diagnostic[];
  variables: VariableDefinition[];
  folders: FolderFacts[];
  documents: ProjectDocument[];
  codeModules: CodeModuleFacts[];
  pendingCode: PendingCodeReference[];
}

function gather(outputs: readonly ExtractOutput[]): Gathered {
  const g: Gathered = {
    components: [],
    references: [],
    mentions: [],
    diagnostics: [],
    variables: [],
    folders: [],
    documents: [],
    codeModules: [],
    pendingCode: [],
  };
  for (const o of outputs) {
    g.codeModules.push(...(o.codeModules ?? []));
    g.pendingCode.push(...(o.pendingCode ?? []));
    g.components.push(...(o.components ?? []));
    g.references.push(...(o.references ?? []));
    g.mentions.push(...(o.mentions ?? []));
    g.diagnostics.push(...(o.diagnostics ?? []));
    g.variables.push(...(o.variables ?? []));
    g.folders.push(...(o.folders ?? []));
    g.documents.push(...(o.documents ?? []));
  }
  return g;
}

/**
 * Pass 1: folder facts (a card's licence, claims, role) attach to the folder's owner component, made when there is
 * none; references whose subject is `folder:<dir>` name that owner; parts marked `folder:<dir>` hang under it.
 * Mutates `components` (owners added, parents set) and returns the references with subjects replaced.
 */
export function attachFolderFacts(
  components: LocalComponent[],
  folders: FolderFacts[],
  references: ModelReference[],
): ModelReference[] {
  const subjectMap = new Map<string, string>();
  const ownerOf = (
    dir: string,
    location: LocalComponent["location"],
    name?: string,
    role?: LocalComponent["role"],
  ): LocalComponent => {
    let owner = folderOwner(components, dir);
    if (!owner) {
      owner = {
        key: `${location.file}#`,
        role: role ?? "model",
        name: name ?? (dir === "" ? "(root)" : posix.basename(dir)),
        location: { ...location, pointer: "" },
      };
      components.push(owner);
    }
    subjectMap.set(`folder:${dir}`, owner.key);
    return owner;
  };
  for (const f of folders.sort((a, b) => a.location.file.localeCompare(b.location.file))) {
    if (f.attachOnly && !folderOwner(components, f.dir) && !subjectMap.has(`folder:${f.dir}`)) {
      const part = components.find((c) => c.parent === `folder:${f.dir}`);
      if (part && f.facts) part.facts = mergeFacts(part.facts, f.facts);
      continue;
    }
    const owner = ownerOf(f.dir, f.location, f.name, f.role ?? (f.tags?.includes("peft") ? "adapter" : undefined));
    if (f.license && !owner.license) owner.license = f.license;
    if (f.unparsable) owner.unparsable = true;
    if (f.claims) owner.claims = { ...(owner.claims ?? {}), ...f.claims };
    if (f.facts) owner.facts = mergeFacts(owner.facts, f.facts);
    if (f.role && owner.role === "model") owner.role = f.role;
  }
  // References naming the folder's model as subject: the owner, made from the reference's file when there is none.
  for (const r of [...references].sort((a, b) => a.location.file.localeCompare(b.location.file))) {
    if (r.subject?.startsWith("folder:") && !subjectMap.has(r.subject))
      ownerOf(r.subject.slice("folder:".length), r.location);
  }
  // Parts of the folder's model (a tokenizer, a processor, a tensor-prefix group) hang under its owner when it has one.
  for (const c of components) {
    if (!c.parent?.startsWith("folder:")) continue;
    const owner =
      subjectMap.get(c.parent) ??
      folderOwner(
        components.filter((x) => x !== c && !x.parent?.startsWith("folder:")),
        c.parent.slice("folder:".length),
      )?.key;
    if (owner && owner !== c.key) c.parent = owner;
    else delete c.parent;
  }
  return references.map((r) =>
    r.subject && subjectMap.has(r.subject) ? { ...r, subject: subjectMap.get(r.subject)! } : r,
  );
}

/**
 * A base named without a declared relation by a card whose folder holds a quantization block is quantized from it;
 * one named by a card whose folder holds a mergekit recipe is a merge parent.
 */
export function inferFolderRelations(
  components: readonly LocalComponent[],
  references: ModelReference[],
): ModelReference[] {
  const byKey = new Map(components.map((c) => [c.key, c]));
  const merged = new Set(
    references.filter((r) => r.extractor === "mergekit" && r.relation === "merge" && r.subject).map((r) => r.subject!),
  );
  return references.map((r) => {
    if (r.facts?.relationInferred !== true || !r.subject) return r;
    if (byKey.get(r.subject)?.facts?.quantMethod)
      return { ...r, relation: "quantized", facts: { ...r.facts, relationInferredFrom: "quantization_config" } };
    if (merged.has(r.subject))
      return { ...r, relation: "merge", facts: { ...r.facts, relationInferredFrom: "mergekit" } };
    return r;
  });
}

/** A diffusers pipeline entry (`model_index.json#/text_encoder`) owns the model found in its sub-folder. */
function attachPipelineParts(components: LocalComponent[]): void {
  for (const entry of components.filter(
    (c) => /(?:^|\/)model_index\.json$/.test(c.location.file) && (c.location.pointer ?? "").split("/").length === 2,
  )) {
    const sub = posix.join(dirOf(entry.location.file), (entry.location.pointer ?? "").slice(1));
    const part = folderOwner(components, sub);
    if (!part || part === entry || part.parent) continue;
    part.parent = entry.key;
    if (part.role === "model" && entry.role !== "model" && entry.role !== "other") part.role = entry.role;
  }
}

/**
 * Pass 2: `${VAR:-d}` / `${VAR-d}` (shell, Compose) and `${VAR:d}` (Spring-style settings) take the value the nearest
 * `.env` gives VAR, else the default; an empty default (an optional model slot) is filled when an `.env` defines VAR.
 */
export function resolveVariable(r: ModelReference, variables: readonly VariableDefinition[]): ModelReference {
  if (r.skipReason !== "dynamic-value" && !(r.skipReason === "missing-value" && r.raw.startsWith("${"))) return r;
  const m = /^\$\{?([A-Za-z_][A-Za-z0-9_]*)(?![A-Za-z0-9_])(?::-|-|:)?([^}]*)\}?$/.exec(r.raw.trim());
  if (!m) return r;
  const def = lookupVariable(variables as VariableDefinition[], m[1]!, dirOf(r.location.file));
  const value = def?.value || m[2];
  if (!value) return r;
  const facts = {
    ...(r.facts ?? {}),
    variable: m[1]!,
    ...(def ? { definedAt: `${def.location.file}:${def.location.line ?? 1}` } : { usedDefault: true }),
  };
  const common = {
    extractor: r.extractor,
    location: r.location,
    ...(r.relation ? { relation: r.relation } : {}),
    ...(r.role ? { role: r.role } : {}),
    baseDir: dirOf(r.location.file),
    facts,
  };
  const relinked =
    r.kind === "ollama-tag" || r.kind === "modelscope-id"
      ? codeReference({ ...common, value, kind: r.kind })
      : makeReference({ ...common, raw: value, ...(r.subject ? { subject: r.subject } : {}), strength: r.strength });
  return {
    ...relinked,
    ...carried(r),
    ...(r.revision && !relinked.revision ? { revision: r.revision } : {}),
    ...(def ? { definedAt: { file: def.location.file, line: def.location.line ?? 1 } } : {}),
  };
}

/** What a rebuilt reference keeps of the one it replaces: its id, subject, usage and typed source locations. */
function carried(r: ModelReference): Partial<ModelReference> & { id: string } {
  return {
    id: r.id,
    ...(r.subject ? { subject: r.subject } : {}),
    ...(r.usage ? { usage: r.usage } : {}),
    ...(r.derivedFromLoad ? { derivedFromLoad: r.derivedFromLoad } : {}),
    ...(r.feeds ? { feeds: r.feeds } : {}),
  };
}

/**
 * Pass 2b, settings keys: code that reads `settings().a.b` / `config.a.b` takes the value the tree's settings files
 * give the key `/a/b` (PrivateGPT's scripts/setup reads settings.yaml profiles). The base profile wins; the number of
 * candidate files is kept.
 */
export function resolveSettingsKeys(references: ModelReference[]): ModelReference[] {
  const settingsByPointer = new Map<string, ModelReference[]>();
  for (const r of references)
    if (r.extractor === "app-settings" && r.skipReason !== "dynamic-value" && r.location.pointer)
      pushTo(settingsByPointer, r.location.pointer, r);
  return references.map((r) => {
    if (r.skipReason !== "dynamic-value") return r;
    const expr = String(r.facts?.expression ?? r.raw);
    const m =
      /^(?:self\.)?(?:settings|config|cfg|conf|get_settings|load_settings|settings_obj)(?:\(\))?((?:\.[A-Za-z_][A-Za-z0-9_]*){2,})$/.exec(
        expr,
      );
    if (!m) return r;
    const pointer = m[1]!.split(".").filter(Boolean).join("/");
    const hits = settingsByPointer.get(`/${pointer}`);
    if (!hits?.length) return r;
    const chosen =
      hits.find((h) => /(?:^|\/)settings\.ya?ml$|(?:^|\/)config\.ya?ml$/.test(h.location.file)) ?? hits[0]!;
    return takeValue(r, [chosen, ...hits.filter((h) => h !== chosen)], { settingsKey: `/${pointer}` });
  });
}

/**
 * Pass 3a: a model folder that is a Hugging Face cache snapshot (`models--org--name/snapshots/<sha>/`) is a copy of
 * that Hub repo at that commit: the folder's model gets a reference to it, read from the cache layout.
 */
function cacheSnapshotReferences(components: LocalComponent[]): ModelReference[] {
  const out: ModelReference[] = [];
  for (const c of components) {
    const m = isTopLevel(c) ? HF_CACHE.exec(c.location.file) : null;
    if (!m?.[3]) continue;
    const snapshot = c.location.file.slice(0, m.index + m[0].length).replace(/^\//, "");
    // The folder is named by a commit hash; the repo and a short commit say more.
    if (/^[0-9a-f]{40}$/.test(c.name)) c.name = `${m[1]}/${m[2]}@${m[3].slice(0, 7)}`;
    out.push(
      makeReference({
        extractor: "hf-cache-layout",
        raw: snapshot,
        location: { file: c.location.file },
        subject: c.key,
        relation: "initialised-from",
        facts: { hfCacheSnapshot: true },
      }),
    );
  }
  return out;
}

/** Top-level components by folder (a `config.json` wins its folder). */
function componentsByDir(components: readonly LocalComponent[]): Map<string, LocalComponent> {
  const byDir = new Map<string, LocalComponent>();
  for (const c of components) {
    if (!isTopLevel(c)) continue;
    const d = dirOf(c.location.file);
    if (!byDir.has(d) || posix.basename(c.location.file) === "config.json") byDir.set(d, c);
  }
  return byDir;
}

/**
 * Pass 3b: local-path references that point at a folder or file of the tree attach to the component found there.
 * A relative path is looked up beside the file that names it, then from the project root (code and scripts resolve
 * paths against the working directory, usually the root); an output written to an absolute path whose last folders
 * are a model folder of the tree is that folder; a code path into a cache snapshot points at that folder's model.
 */
export function attachLocalPath(r: ModelReference, byDir: ReadonlyMap<string, LocalComponent>): ModelReference {
  const modelAt = (path: string): LocalComponent | undefined => byDir.get(path) ?? byDir.get(dirOf(path));
  if (
    r.usage === "write" &&
    r.kind === "local-path" &&
    r.skipReason === "local-path-outside-root" &&
    r.target?.startsWith("/")
  ) {
    const target = trimEndChars(r.target, "/");
    const dir = [...byDir.keys()]
      .filter((d) => d.includes("/") && target.endsWith(`/${d}`))
      .sort((a, b) => b.length - a.length)[0];
    if (!dir) return r;
    const { skipReason: _drop, ...rest } = r;
    return { ...rest, localTarget: byDir.get(dir)!.key, facts: { ...(r.facts ?? {}), matchedBySuffix: dir } };
  }
  const placed = looksLikePath(r.raw) ? placePath(r.raw, "") : undefined;
  const root = placed?.inside ? placed.path : undefined;
  if (r.kind === "hub-id" && typeof r.facts?.localPath === "string" && !r.localTarget) {
    const owner = modelAt(r.facts.localPath) ?? (root ? modelAt(root) : undefined);
    return owner && owner.key !== r.subject ? { ...r, localTarget: owner.key } : r;
  }
  if (
    r.kind !== "local-path" ||
    !r.target ||
    !(r.skipReason === "local-path" || r.skipReason === "local-path-outside-root")
  )
    return r;
  const beside = r.skipReason === "local-path" ? modelAt(r.target) : undefined;
  const alt = !beside && root !== undefined && root !== r.target ? modelAt(root) : undefined;
  const owner = beside ?? alt;
  const target = alt ? root! : r.target;
  if (!owner || owner.key === r.subject) return r;
  const { skipReason: _drop, ...rest } = r;
  return {
    ...rest,
    target,
    localTarget: owner.key,
    ...(target !== r.target ? { facts: { ...(r.facts ?? {}), resolvedFrom: "project root" } } : {}),
  };
}

/** Pass 4: roles from the names a reference was written under (`--vision_tower`, `audio_model:`, `args.llm_path`). */
function roleFromName(r: ModelReference): ModelReference {
  if (r.role && r.role !== "model") return r;
  const role = roleFromContext(r);
  return role ? { ...r, role, facts: { ...(r.facts ?? {}), roleFrom: "key" } } : r;
}

/**
 * Links the outputs of all extractors, in passes: folder facts (1), variables, settings keys and code across files
 * (2), local paths inside the tree (3), roles from names (4). Pure apart from the components it is handed.
 */
export function link(outputs: readonly ExtractOutput[]): LinkedInventory {
  const {
    components,
    references: extracted,
    mentions,
    diagnostics,
    variables,
    folders,
    documents,
    codeModules,
    pendingCode,
  } = gather(outputs);
  let references = attachFolderFacts(components, folders, extracted);
  references = inferFolderRelations(components, references);
  attachPipelineParts(components);
  references = references.map((r) => resolveVariable(r, variables));
  references = resolveSettingsKeys(references);
  // Code across files: classes built without a model argument take their constructor default from the module that
  // defines them (or a base class's); names imported from another module take its constant (itself maybe `${VAR}`).
  references = [...references, ...linkCode(codeModules, pendingCode, references)];
  references = references.map((r) => {
    const imported = resolveImportedConstant(r, codeModules);
    return imported === r ? r : resolveVariable(imported, variables);
  });
  references = resolveEndpointConfig(references);
  references = resolveFromCallers(references);
  references = resolveDownloadedFolders(references);
  const byDir = componentsByDir(components);
  references.push(...cacheSnapshotReferences(components));
  references = references.map((r) => roleFromName(attachLocalPath(r, byDir)));
  components.sort((a, b) => a.key.localeCompare(b.key));
  references.sort(
    (a, b) =>
      a.location.file.localeCompare(b.location.file) ||
      (a.location.line ?? 0) - (b.location.line ?? 0) ||
      a.id.localeCompare(b.id),
  );
  mentions.sort(
    (a, b) => a.location.file.localeCompare(b.location.file) || (a.location.line ?? 0) - (b.location.line ?? 0),
  );
  return {
    components: dedupeComponents(components),
    references: dedupeById(references),
    mentions,
    diagnostics,
    documents: documents.sort((a, b) => a.file.localeCompare(b.file)),
  };
}

const JS_EXTENSIONS = [
  "",
  ".ts",
  ".tsx",
  ".js",
  ".jsx",
  ".mjs",
  ".cjs",
  ".mts",
  ".cts",
  "/index.ts",
  "/index.tsx",
  "/index.js",
];

/**
 * The scanned file a module name points at, seen from `fromFile`. Python: `a.b` is `a/b.py` or `a/b/__init__.py`
 * under the importing file's folder or the nearest ancestor that has it (`.x` / `..x` are relative); JS/TS: a
 * relative specifier with the usual extensions and `index` files (bare package names are not in the tree).
 */
export function resolveModuleFile(
  byFile: ReadonlyMap<string, CodeModuleFacts>,
  fromFile: string,
  module: string,
  language: "python" | "js",
): CodeModuleFacts | undefined {
  if (module === "") return byFile.get(fromFile);
  if (language === "js") {
    if (!module.startsWith(".")) return undefined;
    const base = posix.normalize(posix.join(dirOf(fromFile), module));
    for (const ext of JS_EXTENSIONS) {
      const m = byFile.get(base + ext);
      if (m) return m;
    }
    return undefined;
  }
  const dots = /^\.*/.exec(module)![0].length;
  const rel = module.slice(dots).split(".").filter(Boolean).join("/");
  let dirs: string[];
  if (dots > 0) {
    let d = dirOf(fromFile);
    for (let i = 1; i < dots; i++) d = dirOf(d);
    dirs = [d];
  } else {
    dirs = [];
    for (let d = dirOf(fromFile); ; d = dirOf(d)) {
      dirs.push(d);
      if (d === "") break;
    }
  }
  for (const d of dirs) {
    const stem = d === "" ? rel : rel === "" ? d : `${d}/${rel}`;
    const m = byFile.get(`${stem}.py`) ?? byFile.get(`${stem}/__init__.py`);
    if (m) return m;
  }
  return undefined;
}

/** The model-named constructor defaults a class gets, from its own `__init__` or the nearest base that has them. */
function constructorDefaults(
  byFile: ReadonlyMap<string, CodeModuleFacts>,
  mod: CodeModuleFacts,
  symbol: string,
  depth = 0,
): { cls: CodeClassFacts; mod: CodeModuleFacts } | undefined {
  if (depth > 6) return undefined;
  const cls = mod.classes?.find((c) => c.name === symbol);
  if (!cls) return undefined;
  if (cls.modelDefaults.length > 0) return { cls, mod };
  for (const b of cls.bases) {
    const dot = b.lastIndexOf(".");
    const baseMod = resolveModuleFile(byFile, mod.file, dot > 0 ? b.slice(0, dot) : "", mod.language);
    const found = baseMod && constructorDefaults(byFile, baseMod, dot > 0 ? b.slice(dot + 1) : b, depth + 1);
    if (found) return found;
  }
  return undefined;
}

/**
 * True when a Python module name points into a package of the scanned tree (`src.core.predictor` while
 * `src/core/*.py` was scanned) but its own file is not there: a project module left out of the tree.
 */
function isMissingLocalModule(byFile: ReadonlyMap<string, CodeModuleFacts>, fromFile: string, module: string): boolean {
  const dots = /^\.*/.exec(module)![0].length;
  const parts = module.slice(dots).split(".").filter(Boolean);
  if (parts.length < 2 && dots === 0) return false;
  const pkg = parts.slice(0, -1).join("/");
  const dirs: string[] = [];
  if (dots > 0) {
    let d = dirOf(fromFile);
    for (let i = 1; i < dots; i++) d = dirOf(d);
    dirs.push(pkg ? (d ? `${d}/${pkg}` : pkg) : d);
  } else
    for (let d = dirOf(fromFile); ; d = dirOf(d)) {
      dirs.push(d ? `${d}/${pkg}` : pkg);
      if (d === "") break;
    }
  const files = [...byFile.keys()];
  return dirs.some((d) => files.some((f) => dirOf(f) === d));
}

/** References made by code that builds a class of another module without a model argument. */
function linkCode(
  modules: readonly CodeModuleFacts[],
  pending: readonly PendingCodeReference[],
  existing: readonly ModelReference[],
): ModelReference[] {
  if (pending.length === 0) return [];
  const byFile = new Map(modules.map((m) => [m.file, m]));
  const taken = new Set(existing.map((r) => r.id));
  const out: ModelReference[] = [];
  for (const p of pending) {
    const mod = resolveModuleFile(byFile, p.location.file, p.module, p.language);
    const found = mod && constructorDefaults(byFile, mod, p.symbol);
    if (!mod && p.language === "python" && p.module !== "" && isMissingLocalModule(byFile, p.location.file, p.module)) {
      // The class comes from the project's own package, but its module is not in the tree: what it loads is
      // unknowable here. Kept, so the auditor sees a model may be loaded there.
      const ref = codeReference({
        extractor: p.extractor,
        location: p.location,
        expression: `${p.symbol}()`,
        facts: { constructs: `${p.module}.${p.symbol}`, moduleNotInTree: p.module },
      });
      if (!taken.has(ref.id)) {
        taken.add(ref.id);
        out.push({ ...ref, skipReason: "missing-value" });
      }
      continue;
    }
    if (!found) continue;
    const ollama = mod.usesOllama || found.mod.usesOllama;
    for (const d of found.cls.modelDefaults) {
      const bare = d.value !== undefined && /^[A-Za-z0-9][\w.-]*(?::[\w.-]+)?$/.test(d.value);
      const ref = codeReference({
        extractor: p.extractor,
        location: p.location,
        ...(d.value !== undefined ? { value: d.value } : { expression: d.expression ?? "" }),
        ...(ollama && bare ? { kind: "ollama-tag" as const } : {}),
        facts: {
          constructs: p.module ? `${p.module}.${p.symbol}` : p.symbol,
          parameter: d.param,
          resolvedFrom: "constructor-default",
          definedAt: `${found.mod.file}:${d.line}`,
        },
        baseDir: dirOf(p.location.file),
      });
      ref.definedAt = { file: found.mod.file, line: d.line };
      if (taken.has(ref.id)) continue;
      taken.add(ref.id);
      out.push(ref);
    }
  }
  return out;
}

/** A run-time value that is a name imported from another module of the tree takes that module's constant. */
function resolveImportedConstant(r: ModelReference, modules: readonly CodeModuleFacts[]): ModelReference {
  if (
    r.skipReason !== "dynamic-value" ||
    typeof r.facts?.importedFrom !== "string" ||
    typeof r.facts.importedName !== "string"
  )
    return r;
  const language = r.extractor === "js-code" ? "js" : "python";
  const byFile = new Map(modules.filter((m) => m.language === language).map((m) => [m.file, m]));
  const mod = resolveModuleFile(byFile, r.location.file, r.facts.importedFrom, language);
  const c = mod?.constants?.[r.facts.importedName];
  if (!mod || !c) return r;
  const bare = /^[A-Za-z0-9][\w.-]*(?::[\w.-]+)?$/.test(c.value);
  const ref = codeReference({
    extractor: r.extractor,
    location: r.location,
    value: c.value,
    ...(r.kind === "ollama-tag" || (mod.usesOllama && bare)
      ? { kind: "ollama-tag" as const }
      : r.kind === "modelscope-id"
        ? { kind: "modelscope-id" as const }
        : {}),
    ...(r.role ? { role: r.role } : {}),
    ...(r.relation ? { relation: r.relation } : {}),
    ...(r.revision ? { revision: r.revision } : {}),
    ...(r.usage ? { usage: r.usage } : {}),
    facts: { ...(r.facts ?? {}), resolvedFrom: "imported-constant", definedAt: `${mod.file}:${c.line}` },
    baseDir: dirOf(r.location.file),
  });
  ref.definedAt = { file: mod.file, line: c.line };
  return { ...ref, ...carried(r) };
}

/**
 * An endpoint handler's config field (`model.name` in a module whose schema says `type: z.literal("transformersjs")`,
 * facts `endpointType` / `configKey`) takes the value the tree's model lists give that key in the entries served by
 * that endpoint type (HuggingChat's `TEXT_EMBEDDING_MODELS=[{ name, endpoints: [{ type }] }]`, facts `key` /
 * `endpointTypes`). The first entry in file order wins; the number of candidates is kept.
 */
function resolveEndpointConfig(references: ModelReference[]): ModelReference[] {
  const entries = references
    .filter((e) => typeof e.facts?.endpointTypes === "string" && !e.skipReason && e.target)
    .sort((a, b) => a.location.file.localeCompare(b.location.file) || (a.location.line ?? 0) - (b.location.line ?? 0));
  if (entries.length === 0) return references;
  return references.map((r) => {
    const type = r.facts?.endpointType;
    if (r.skipReason !== "dynamic-value" || typeof type !== "string") return r;
    const hits = entries.filter(
      (e) => e.facts?.key === r.facts?.configKey && String(e.facts?.endpointTypes).split("|").includes(type),
    );
    return hits.length ? takeValue(r, hits, { resolvedFrom: "endpoint-config" }) : r;
  });
}

/**
 * A loader whose model is a parameter (`pipeline(task, modelName)` inside `getPipeline(modelName)`) takes the values
 * its callers hand it, once every caller's reference (`feeds`: the loader reference's location) is resolved.
 */
function resolveFromCallers(references: ModelReference[]): ModelReference[] {
  // Callers by the loader location they feed: file, then line, then column.
  const callers = new Map<string, Map<number, Map<number, ModelReference[]>>>();
  const at = (l: SourceLocation): Map<number, ModelReference[]> => {
    const byLine = callers.get(l.file) ?? new Map<number, Map<number, ModelReference[]>>();
    callers.set(l.file, byLine);
    const byColumn = byLine.get(l.line ?? 0) ?? new Map<number, ModelReference[]>();
    byLine.set(l.line ?? 0, byColumn);
    return byColumn;
  };
  for (const r of references) if (r.feeds) pushTo(at(r.feeds), r.feeds.column ?? 0, r);
  if (callers.size === 0) return references;
  return references.map((r) => {
    if (r.skipReason !== "dynamic-value") return r;
    const list = callers
      .get(r.location.file)
      ?.get(r.location.line ?? 0)
      ?.get(r.location.column ?? 0);
    if (!list?.length || list.some((c) => c.skipReason === "dynamic-value" || !c.target)) return r;
    return takeValue(r, list, { resolvedFrom: "callers" });
  });
}

/** A local path as the project root sees it (`./models/x/` and `models/x` are one folder). */
function rootPath(r: ModelReference): string | undefined {
  const placed = looksLikePath(r.raw) ? placePath(r.raw, "") : undefined;
  return placed?.inside ? trimEndChars(placed.path, "/") : undefined;
}

/**
 * Pass 2d, download destinations: a folder the setup fills from a repository or a URL (`snapshot_download("org/x",
 * local_dir="models/x")` in a script or a README's Python block, `huggingface-cli download org/x --local-dir models/x`,
 * a checkpoint archive the README says to extract into a folder; a write with `derivedFrom`) names what code elsewhere
 * loads from that folder when the folder is not in the tree: the load takes the repository or URL, with where the
 * download is (`definedAt`) and `resolvedFrom: "download-destination"`. A download of a whole tree (`downloadsTree`:
 * a snapshot, an extracted archive) also names loads of files and folders under it (`checkpoints/converter/x.pth`
 * under `checkpoints`); the deepest such folder wins.
 */
export function resolveDownloadedFolders(references: ModelReference[]): ModelReference[] {
  const sources = new Map<string, { src: ModelReference; tree: boolean }>();
  for (const w of references) {
    const from = w.facts?.derivedFrom;
    // A write names a folder whatever its shape (`checkpoints` is a folder here, not an alias).
    const placed =
      w.usage === "write" && w.kind === "local-path" && typeof from === "string" ? placePath(w.raw, "") : undefined;
    const path = placed?.inside && placed.path !== "." ? trimEndChars(placed.path, "/") : undefined;
    if (!path || (sources.has(path) && !w.facts?.downloadedFile)) continue;
    const src = /^https?:\/\//i.test(from as string)
      ? codeReference({ extractor: w.extractor, value: from as string, location: w.location })
      : makeReference({ extractor: w.extractor, raw: from as string, location: w.location });
    if ((src.kind !== "hub-id" && src.kind !== "url") || src.skipReason) continue;
    if (!sources.has(path)) sources.set(path, { src, tree: w.facts?.downloadsTree === true });
    const file = w.facts?.downloadedFile;
    if (typeof file === "string" && !sources.has(`${path}/${file}`))
      sources.set(`${path}/${file}`, { src, tree: false });
  }
  if (sources.size === 0) return references;
  const under = (path: string): ModelReference | undefined => {
    for (let p = posix.dirname(path); p !== "." && p !== "/" && p !== ""; p = posix.dirname(p)) {
      const s = sources.get(p);
      if (s?.tree) return s.src;
    }
    return undefined;
  };
  return references.map((r) => {
    if (r.usage || r.kind !== "local-path" || r.localTarget) return r;
    const path = rootPath(r);
    const byRoot = path ? (sources.get(path)?.src ?? under(path)) : undefined;
    const src = byRoot ?? (r.target ? sources.get(trimEndChars(r.target, "/"))?.src : undefined);
    return src ? takeValue(r, [src], { resolvedFrom: "download-destination", localPath: r.target ?? r.raw }) : r;
  });
}

/**
 * `r` with the target of the first of `from` (and its kind, role and skip reason), keeping `r`'s id and location;
 * `how` (e.g. `{ resolvedFrom: "callers" }`) is added to its facts with where the value is defined and how many
 * distinct values the candidates hold.
 */
function takeValue(r: ModelReference, from: readonly ModelReference[], how: Record<string, string>): ModelReference {
  const chosen = from[0]!;
  const { skipReason: _drop, ...rest } = r;
  return {
    ...rest,
    kind: chosen.kind,
    ...(chosen.target ? { target: chosen.target } : {}),
    ...(chosen.skipReason ? { skipReason: chosen.skipReason } : {}),
    ...(chosen.role && !r.role ? { role: chosen.role } : {}),
    facts: {
      ...(r.facts ?? {}),
      ...how,
      definedAt: `${chosen.location.file}:${chosen.location.line ?? 1}`,
      candidates: new Set(from.map((h) => h.target)).size,
    },
    definedAt: { file: chosen.location.file, line: chosen.location.line ?? 1 },
  };
}

function dedupeById<T extends { id: string }>(xs: T[]): T[] {
  const seen = new Set<string>();
  return xs.filter((x) => (seen.has(x.id) ? false : (seen.add(x.id), true)));
}

function dedupeComponents(xs: LocalComponent[]): LocalComponent[] {
  const seen = new Set<string>();
  return xs.filter((x) => (seen.has(x.key) ? false : (seen.add(x.key), true)));
}

/** Merges folder facts into a component's: later scalars win; lists (family hints from several files) are united. */
function mergeFacts(
  a: LocalComponent["facts"],
  b: NonNullable<LocalComponent["facts"]>,
): NonNullable<LocalComponent["facts"]> {
  const out = { ...(a ?? {}) };
  for (const [k, v] of Object.entries(b)) {
    const prev = out[k];
    out[k] = Array.isArray(prev) && Array.isArray(v) ? [...new Set([...prev, ...v])].sort() : v;
  }
  return out;
}
