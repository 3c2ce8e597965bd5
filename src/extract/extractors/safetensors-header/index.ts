/**
 * Local `.safetensors` files: only the 8-byte header length and the JSON header are read, through the one header
 * reader `src/formats/safetensors.ts` (format limits enforced: header at most 100 MB, inside the file, valid UTF-8
 * JSON, offsets covering the buffer exactly); tensor data is never loaded. Yields a weights component (role
 * `other`, part of the folder's model) with tensor count, dtypes and parameter count, one component per multimodal
 * tensor-prefix group, and the `__metadata__` keys that name a base model (kohya-ss LoRA `ss_sd_model_name`,
 * `ss_base_model_version`; `modelspec.architecture`) as facts. A malformed file becomes a diagnostic.
 */
import { posix } from "node:path";
import { readSafetensorsHeader, SafetensorsError } from "../../../formats/safetensors.js";
import type { LocalComponent } from "../../../model/types.js";
import { dirOf, folderSubject } from "../../helpers.js";
import { groupByPrefix, topLevelPrefixes } from "../../tensor-prefixes.js";
import type { Extractor, ExtractOutput } from "../../types.js";

const ID = "safetensors-header";

/** `__metadata__` keys copied as facts (kohya-ss sd-scripts training metadata, Stability's modelspec). */
const METADATA_FACTS = [
  "format",
  "ss_sd_model_name",
  "ss_base_model_version",
  "ss_network_module",
  "modelspec.architecture",
  "modelspec.title",
  "modelspec.implementation",
];

export const safetensorsHeaderExtractor: Extractor = {
  id: ID,
  description: "Local .safetensors files: header only (tensor names, dtypes, __metadata__), never the tensors",
  matches(_path, base) {
    return base.endsWith(".safetensors");
  },
  async extract(file): Promise<ExtractOutput> {
    if (file.size < 200) {
      const head = Buffer.from(await file.head(200)).toString("latin1");
      if (head.startsWith("version https://git-lfs.github.com/spec/v1")) {
        return {
          diagnostics: [
            {
              code: "git-lfs-pointer",
              severity: "warning",
              message: "weights file is a Git LFS pointer; the weights were not checked out",
              location: { file: file.path },
            },
          ],
        };
      }
    }
    let header;
    try {
      header = await readSafetensorsHeader((s, e) => file.range(s, e), file.size);
    } catch (err) {
      if (err instanceof SafetensorsError)
        return {
          diagnostics: [
            {
              code: "invalid-safetensors",
              severity: "error",
              message: `invalid safetensors file: ${err.message}`,
              location: { file: file.path },
            },
          ],
        };
      throw err;
    }
    const names = header.tensors.map((t) => t.name);
    const dtypes = [...new Set(header.tensors.map((t) => t.dtype))].sort();
    const parameters = header.tensors.reduce((n, t) => n + t.shape.reduce((a, d) => a * d, 1), 0);
    const key = `${file.path}#`;
    const facts: NonNullable<LocalComponent["facts"]> = {
      tensorCount: names.length,
      dtypes,
      parameterCount: parameters,
      tensorPrefixes: topLevelPrefixes(names).slice(0, 32),
      headerBytes: header.headerLength,
    };
    for (const k of METADATA_FACTS)
      if (header.metadata[k] !== undefined) facts[`metadata.${k}`] = header.metadata[k]!.slice(0, 200);
    const weights: LocalComponent = {
      key,
      role: "other",
      name: posix.basename(file.path),
      location: { file: file.path, pointer: "" },
      parent: folderSubject(file.path),
      facts,
    };
    const dir = dirOf(file.path);
    const folderName = dir === "" ? posix.basename(file.path) : posix.basename(dir);
    const parts: LocalComponent[] = groupByPrefix(names).map((g) => ({
      key: `${file.path}#/${g.prefix}`,
      role: g.role,
      name: `${folderName}/${g.prefix.replace(/\.$/, "")}`,
      location: { file: file.path, pointer: `/${g.prefix}` },
      parent: key,
      facts: { tensorPrefix: g.prefix, tensorCount: g.tensors.length, source: "safetensors-header" },
    }));
    return { components: [weights, ...parts] };
  },
};
