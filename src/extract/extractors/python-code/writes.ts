/**
 * Value-flow rules for what a script does with a model it loaded: writes it (`save_pretrained`), transforms it in
 * process (state-dict arithmetic, llm-compressor `oneshot`, AutoAWQ / AutoGPTQ `quantize`), or produces it with an
 * imported step guarded by a path test. Each rule is a named function over one syntax node; the writes are paired
 * with the transforms of the same object at the end ({@link linkWritesToTransforms}).
 */
import type { SyntaxNode } from "../../code/tree-sitter.js";
import { isModelShaped } from "../../code/model-ref.js";
import { callArgs, qualify, resolve } from "./flow.js";
import { isTrue, loadedFrom, recipeFacts, stateDictOwner } from "./derivations.js";
import { atOf, emit, objectKey, pick, rowLocation, type CallSite, type Facts, type ModuleContext } from "./context.js";

/** Calls that write a loaded model to a folder (transformers, sentence-transformers, AutoAWQ / AutoGPTQ). */
const WRITERS: ReadonlySet<string> = new Set(["save_pretrained", "save_model", "save_quantized"]);

/** Role of a loader class (`AutoTokenizer` -> tokenizer). */
export function roleOfClass(cls: string): "tokenizer" | "processor" | "adapter" | undefined {
  if (/Tokenizer/.test(cls)) return "tokenizer";
  if (/(?:Processor|FeatureExtractor)/.test(cls)) return "processor";
  if (/^Peft/.test(cls)) return "adapter";
  return undefined;
}

/**
 * Rule "state-dict arithmetic": `for k, v in a.state_dict().items(): sd[k] = v + alpha * (sd[k] - v)` with
 * `sd = b.state_dict()` merges `a` into `b` (a chat vector, task arithmetic).
 */
export function stateDictMerge(ctx: ModuleContext, n: SyntaxNode): void {
  const right = n.childForFieldName("right");
  const body = n.childForFieldName("body");
  const from = stateDictOwner(right, ctx.scope);
  if (!right || !body || !from) return;
  for (const asg of body.descendantsOfType("assignment")) {
    const l = asg?.childForFieldName("left");
    const r = asg?.childForFieldName("right");
    if (
      !asg ||
      !r ||
      l?.type !== "subscript" ||
      (r.type !== "binary_operator" && r.descendantsOfType("binary_operator").length === 0)
    )
      continue;
    const into = stateDictOwner(l.childForFieldName("value"), ctx.scope);
    if (!into || into.text === from.text) continue;
    const src = loadedFrom(from, ctx.scope);
    const dst = loadedFrom(into, ctx.scope);
    const dv = dst ? resolve(dst.node, ctx.scope) : undefined;
    const merged: Facts = dv
      ? "value" in dv
        ? { mergedInto: dv.value }
        : { mergedIntoExpression: dv.expression }
      : {};
    emit(ctx, src?.node ?? from, {
      at: right,
      usage: "transform",
      relation: "merge",
      facts: {
        transform: "state-dict-arithmetic",
        operation: r.text.slice(0, 120),
        object: into.text,
        mergedFrom: from.text,
        ...merged,
      },
    });
    ctx.transforms.set(objectKey(into), { relation: "merge", row: right.startPosition.row });
    return;
  }
}

/** The path a condition tests for existence: `os.path.exists(P)`, `Path(P).exists()`, `p.is_dir()`. */
function testedPath(ctx: ModuleContext, test: SyntaxNode): SyntaxNode | undefined {
  const f = test.type === "call" ? test.childForFieldName("function") : undefined;
  if (!f) return undefined;
  if (/^os\.path\.(?:exists|isdir|isfile)$/.test(qualify(f, ctx.scope))) return callArgs(test).positional[0];
  if (f.type !== "attribute" || !/^(?:exists|is_dir)$/.test(f.childForFieldName("attribute")?.text ?? ""))
    return undefined;
  const obj = f.childForFieldName("object");
  const isPathCall =
    obj?.type === "call" && /^(?:Path|pathlib\.Path)$/.test(qualify(obj.childForFieldName("function")!, ctx.scope));
  return isPathCall ? callArgs(obj).positional[0] : (obj ?? undefined);
}

/**
 * Rule "guarded producer": `if not os.path.exists(P): from step1_train import main` — the step imported when the
 * model folder P is missing produces the model at P (a write of P by that module).
 */
export function guardedProducer(ctx: ModuleContext, n: SyntaxNode): void {
  const cond = n.childForFieldName("condition");
  const inner = cond?.type === "not_operator" ? cond.childForFieldName("argument") : undefined;
  const path = inner ? testedPath(ctx, inner) : undefined;
  const imp = n
    .childForFieldName("consequence")
    ?.namedChildren.find((c) => c?.type === "import_from_statement" || c?.type === "import_statement");
  if (!path || !imp) return;
  const v = resolve(path, ctx.scope);
  if (!("value" in v) || !isModelShaped(v.value)) return;
  const mod =
    imp.type === "import_from_statement"
      ? imp.childForFieldName("module_name")?.text
      : imp.childForFieldName("name")?.text;
  emit(ctx, path, { at: imp, usage: "write", facts: { producedBy: mod ?? imp.text, guard: cond!.text.slice(0, 120) } });
}

/** Rule "save": `model.save_pretrained(dir)` writes a model derived from what `model` was loaded from. */
function saveWrite(ctx: ModuleContext, c: CallSite): boolean {
  if (!WRITERS.has(c.last) || c.fn.type !== "attribute") return false;
  const arg = pick(c.args, ["save_directory", "output_dir"], 0);
  const obj = c.fn.childForFieldName("object");
  if (!arg || !obj) return true;
  const src = loadedFrom(obj, ctx.scope);
  const sv = src ? resolve(src.node, ctx.scope) : undefined;
  const role = roleOfClass(src?.loader.split(".").slice(-2, -1)[0] ?? "");
  const derived: Facts = sv
    ? "value" in sv
      ? { derivedFrom: sv.value }
      : { derivedFromExpression: sv.expression }
    : {};
  const facts = {
    writer: `${obj.text}.${c.last}`,
    object: obj.text,
    objectKey: objectKey(obj),
    ...derived,
    ...(isTrue(c.args.keywords.get("save_compressed")) ? { saveCompressed: true } : {}),
  };
  ctx.writes.push(
    ...emit(ctx, arg, {
      usage: "write",
      ...(role ? { role } : {}),
      facts,
      ...(src ? { derivedFromLoad: rowLocation(ctx, src.node.startPosition.row) } : {}),
    }),
  );
  return true;
}

/** Rule "one-shot quantization": llm-compressor `oneshot(model=...)` (https://docs.vllm.ai/projects/llm-compressor). */
function oneshotTransform(ctx: ModuleContext, c: CallSite): boolean {
  if (c.last !== "oneshot" || !/^llmcompressor(?:\.|$)/.test(c.q)) return false;
  const m = pick(c.args, ["model"], 0);
  if (m) {
    const src = loadedFrom(m, ctx.scope);
    emit(ctx, src?.node ?? m, {
      at: m,
      usage: "transform",
      relation: "quantized",
      facts: { transform: c.q, object: m.text, ...recipeFacts(c.args.keywords.get("recipe"), ctx.scope) },
    });
    ctx.transforms.set(objectKey(m), { relation: "quantized", row: c.node.startPosition.row });
  }
  const out = c.args.keywords.get("output_dir");
  if (out)
    ctx.writes.push(
      ...emit(ctx, out, {
        usage: "write",
        relation: "quantized",
        facts: { writer: c.q, ...(m ? { object: m.text, objectKey: objectKey(m) } : {}) },
      }),
    );
  return true;
}

/** Rule "quantize in place": AutoAWQ / AutoGPTQ `model.quantize(...)` on a loaded model. */
function quantizeTransform(ctx: ModuleContext, c: CallSite): boolean {
  if (c.last !== "quantize" || c.fn.type !== "attribute") return false;
  const obj = c.fn.childForFieldName("object");
  const src = obj ? loadedFrom(obj, ctx.scope) : undefined;
  if (obj && src) {
    emit(ctx, src.node, {
      at: c.fn.childForFieldName("attribute") ?? c.fn,
      usage: "transform",
      relation: "quantized",
      facts: { transform: `${src.loader}.quantize`, object: obj.text },
    });
    ctx.transforms.set(objectKey(obj), { relation: "quantized", row: c.node.startPosition.row });
  }
  return true;
}

/** The write and transform rules over calls, in order; each returns true when the call was its own. */
export const WRITE_RULES: readonly ((ctx: ModuleContext, c: CallSite) => boolean)[] = [
  saveWrite,
  oneshotTransform,
  quantizeTransform,
];

/** A write of an object transformed earlier takes the transform's relation (a quantized model saved after). */
export function linkWritesToTransforms(ctx: ModuleContext): void {
  for (const w of ctx.writes) {
    const { objectKey: key, ...facts } = w.facts ?? {};
    w.facts = facts;
    const t = typeof key === "string" ? ctx.transforms.get(key) : undefined;
    if (!t || rowLocation(ctx, t.row).line > (w.location.line ?? 0)) continue;
    w.relation ??= t.relation;
    w.facts = { ...(w.facts ?? {}), transformAt: atOf(ctx, t.row) };
  }
}
