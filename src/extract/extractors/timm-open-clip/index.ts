/**
 * timm and OpenCLIP model ids (https://huggingface.co/docs/timm/main/en/hf_hub, open_clip `pretrained.py`):
 * - timm's Hub `config.json` (`architecture` + `pretrained_cfg`, written by `timm.models.push_to_hf`): the model is a
 *   vision backbone; `pretrained_cfg.hf_hub_id` names the Hub repo of its weights;
 * - `open_clip_config.json` (`model_cfg.vision_cfg.timm_model_name`, `model_cfg.text_cfg.hf_model_name`): the
 *   towers of a CLIP model and where they come from;
 * - timm model names with a pretrained tag used as a value in another config (`"vision_encoder":
 *   "vit_so400m_patch14_siglip_384.webli"` in MiniCPM-V 2): timm publishes those weights as `timm/<name>.<tag>`.
 * A timm name without a tag is kept as an unresolved alias (which weights it means is not written down).
 */
import { posix } from "node:path";
import type { ComponentRole, LocalComponent, ModelReference } from "../../../model/types.js";
import { dirOf, isDiagnostic, readMapDocument, str, type MapDocument } from "../../helpers.js";
import { makeReference } from "../../reference.js";
import type { Extractor, ExtractOutput } from "../../types.js";

const ID = "timm-open-clip";

/** timm architecture families (timm `models/*.py` entry points) whose names identify a vision backbone. */
const TIMM_FAMILY =
  /^(?:vit|eva02?|convnext(?:v2)?|resnet|resnext|efficientnet|mobilenetv[1-4]|regnet[xyz]?|deit3?|beit(?:v2)?|swin(?:v2)?|levit|coat|davit|fastvit|maxvit|dinov2|nextvit|hiera|siglip|samvit|vitamin)[a-z0-9]*_[a-z0-9_]+$/;

/**
 * The Hub id of a timm model name with a pretrained tag (`vit_so400m_patch14_siglip_384.webli` ->
 * `timm/vit_so400m_patch14_siglip_384.webli`), `{ name }` for a tagless timm name, undefined for anything else.
 */
export function timmHubId(value: string): { id?: string; name: string } | undefined {
  const v = value.replace(/^timm\//, "");
  const [name, tag, ...rest] = v.split(".");
  if (!name || rest.length > 0 || !TIMM_FAMILY.test(name)) return undefined;
  if (tag !== undefined && !/^[a-z0-9_]+$/.test(tag)) return undefined;
  return tag ? { id: `timm/${name}.${tag}`, name } : { name };
}

/** Config keys whose value may be a timm model name, with the role of what they name. */
const TIMM_KEYS: Record<string, ComponentRole> = {
  vision_encoder: "vision-encoder",
  timm_model_name: "vision-encoder",
  vision_tower: "vision-encoder",
  mm_vision_tower: "vision-encoder",
  backbone: "vision-encoder",
  model_name: "vision-encoder",
};

function timmReference(
  p: MapDocument,
  file: string,
  tokens: (string | number)[],
  value: string,
  role: ComponentRole,
  subject: string,
): ModelReference | undefined {
  const t = timmHubId(value);
  if (!t) return undefined;
  const base = {
    extractor: ID,
    location: p.loc(tokens),
    relation: "initialised-from" as const,
    role,
    subject,
    baseDir: dirOf(file),
    facts: { timmModel: t.name, library: "timm" },
  };
  if (t.id) return makeReference({ ...base, raw: t.id });
  return {
    ...makeReference({ ...base, raw: value }),
    kind: "known-component",
    target: t.name,
    skipReason: "unknown-alias",
  };
}

export const timmOpenClipExtractor: Extractor = {
  id: ID,
  description:
    "timm and OpenCLIP ids: timm config.json (architecture, pretrained_cfg.hf_hub_id), open_clip_config.json, timm names in configs",
  matches(_path, base) {
    return base === "config.json" || base === "open_clip_config.json";
  },
  async extract(file, ctx): Promise<ExtractOutput> {
    // config.json is hf-config's to report (unreadable, binary, too large): this extractor only adds references.
    const parsed = await readMapDocument(file, ctx.maxTextBytes, posix.basename(file.path)).catch((err: unknown) => {
      if (posix.basename(file.path) === "config.json") return undefined;
      throw err;
    });
    if (!parsed) return {};
    if (isDiagnostic(parsed)) return posix.basename(file.path) === "config.json" ? {} : { diagnostics: [parsed] };
    const { data } = parsed;
    const key = `${file.path}#`;
    const components: LocalComponent[] = [];
    const references: ModelReference[] = [];
    const push = (r: ModelReference | undefined) => r && references.push(r);
    const dir = dirOf(file.path);
    if (posix.basename(file.path) === "open_clip_config.json") {
      const cfg = (data.model_cfg ?? {}) as Record<string, Record<string, unknown> | undefined>;
      const vision = str(cfg.vision_cfg?.timm_model_name);
      if (vision)
        push(
          timmReference(
            parsed,
            file.path,
            ["model_cfg", "vision_cfg", "timm_model_name"],
            vision,
            "vision-encoder",
            `folder:${dir}`,
          ),
        );
      const text = str(cfg.text_cfg?.hf_model_name);
      const tokenizer = str(cfg.text_cfg?.hf_tokenizer_name);
      if (tokenizer)
        push(
          makeReference({
            extractor: ID,
            raw: tokenizer,
            location: parsed.loc(["model_cfg", "text_cfg", "hf_tokenizer_name"]),
            relation: "initialised-from",
            role: "tokenizer",
            subject: `folder:${dir}`,
            baseDir: dir,
            facts: { library: "open_clip" },
          }),
        );
      if (text)
        push(
          makeReference({
            extractor: ID,
            raw: text,
            location: parsed.loc(["model_cfg", "text_cfg", "hf_model_name"]),
            relation: "initialised-from",
            role: "text-encoder",
            subject: `folder:${dir}`,
            baseDir: dir,
            facts: { library: "open_clip" },
          }),
        );
      return {
        references,
        folders: [
          {
            dir,
            location: { file: file.path, line: 1 },
            facts: { library: "open_clip", ...(vision ? { visionTower: vision } : {}) },
          },
        ],
      };
    }
    const arch = str(data.architecture);
    const pcfg = data.pretrained_cfg as Record<string, unknown> | undefined;
    if (arch && typeof pcfg === "object" && pcfg !== null) {
      // A timm model folder: the folder's model is this vision backbone.
      components.push({
        key,
        role: "vision-encoder",
        name: dir === "" ? arch : posix.basename(dir),
        location: { file: file.path, line: 1, column: 1, pointer: "" },
        facts: {
          library: "timm",
          architecture: arch,
          ...(typeof data.num_classes === "number" ? { numClasses: data.num_classes } : {}),
          ...(str(pcfg.tag) ? { pretrainedTag: pcfg.tag as string } : {}),
        },
      });
      const hub = str(pcfg.hf_hub_id);
      const tag = str(pcfg.tag);
      if (hub) {
        const id = hub.endsWith("/") ? `${hub}${arch}${tag ? `.${tag}` : ""}` : hub;
        push(
          makeReference({
            extractor: ID,
            raw: id,
            location: parsed.loc(["pretrained_cfg", "hf_hub_id"]),
            relation: "initialised-from",
            role: "vision-encoder",
            subject: key,
            baseDir: dir,
            facts: { library: "timm" },
          }),
        );
      } else if (tag) {
        // timm publishes pretrained weights as `timm/<architecture>.<tag>`: the tag names the weights it started from.
        push(
          makeReference({
            extractor: ID,
            raw: `timm/${arch}.${tag}`,
            location: parsed.loc(["pretrained_cfg", "tag"]),
            relation: "initialised-from",
            role: "vision-encoder",
            subject: key,
            baseDir: dir,
            facts: { library: "timm", derivedFrom: "architecture+pretrained_cfg.tag" },
          }),
        );
      }
      return { components, references };
    }
    // A transformers config naming a timm backbone by its timm name.
    for (const [k, role] of Object.entries(TIMM_KEYS)) {
      const v = str(data[k]);
      if (v) push(timmReference(parsed, file.path, [k], v, role, key));
    }
    return { references };
  },
};
