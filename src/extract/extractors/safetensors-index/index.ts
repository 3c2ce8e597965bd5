/**
 * `model.safetensors.index.json` (and the older `pytorch_model.bin.index.json`; transformers' sharded checkpoints,
 * `{"metadata": {"total_size": N}, "weight_map": {"<tensor>": "<shard file>"}}`). The tensor names reveal what the
 * checkpoint holds: `visual.*` is a ViT inside a Qwen2.5-VL checkpoint, `vpm.*` MiniCPM-V's SigLIP, `vision_tower.*`
 * a LLaVA tower (prefixes in `src/extract/tensor-prefixes.ts`). Yields one component per multimodal prefix group,
 * part of the folder's model, with its tensor count; and the folder's tensor, shard and size totals as facts.
 */
import { posix } from "node:path";
import type { LocalComponent } from "../../../model/types.js";
import { dirOf, folderSubject, isDiagnostic, readMapDocument } from "../../helpers.js";
import { checkpointLayout, groupByPrefix, topLevelPrefixes } from "../../tensor-prefixes.js";
import type { Extractor, ExtractOutput } from "../../types.js";

const ID = "safetensors-index";

export const safetensorsIndexExtractor: Extractor = {
  id: ID,
  description:
    "model.safetensors.index.json / pytorch_model.bin.index.json: components revealed by tensor-name prefixes",
  matches(_path, base) {
    return /\.safetensors\.index\.json$/.test(base) || base === "pytorch_model.bin.index.json";
  },
  async extract(file, ctx): Promise<ExtractOutput> {
    const parsed = await readMapDocument(file, ctx.maxTextBytes, posix.basename(file.path));
    if (isDiagnostic(parsed)) return { diagnostics: [parsed] };
    const { data, loc } = parsed;
    const map = data.weight_map;
    if (typeof map !== "object" || map === null || Array.isArray(map)) {
      return {
        diagnostics: [
          {
            code: "not-a-checkpoint-index",
            severity: "warning",
            message: "index has no weight_map object",
            location: { file: file.path, line: 1 },
          },
        ],
      };
    }
    const names = Object.keys(map);
    const shards = new Set(Object.values(map).filter((v): v is string => typeof v === "string"));
    const groups = groupByPrefix(names);
    const dir = dirOf(file.path);
    const folderName = dir === "" ? posix.basename(file.path) : posix.basename(dir);
    const totalSize = (data.metadata as { total_size?: unknown } | undefined)?.total_size;
    const components: LocalComponent[] = groups.map((g) => {
      const at = loc(["weight_map", g.tensors[0]!]);
      return {
        key: `${file.path}#${at.pointer}`,
        role: g.role,
        name: `${folderName}/${g.prefix.replace(/\.$/, "")}`,
        location: at,
        parent: folderSubject(file.path),
        facts: { tensorPrefix: g.prefix, tensorCount: g.tensors.length, source: "tensor-names" },
      };
    });
    const layout = checkpointLayout(groups);
    return {
      components,
      folders: [
        {
          dir,
          location: { file: file.path, line: 1 },
          facts: {
            "checkpoint.tensorCount": names.length,
            "checkpoint.shardCount": shards.size,
            "checkpoint.tensorPrefixes": topLevelPrefixes(names),
            ...(typeof totalSize === "number" ? { "checkpoint.totalSize": totalSize } : {}),
            ...(layout ? { "checkpoint.layout": layout } : {}),
          },
        },
      ],
    };
  },
};
