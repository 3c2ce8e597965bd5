/**
 * sentence-transformers models (https://sbert.net/docs/sentence_transformer/usage/custom_models.html):
 * `modules.json` lists the modules in order (`{"idx", "name", "path", "type"}`: a `Transformer` whose sub-folder is
 * the underlying Hugging Face model, then `Pooling`, `Dense`, `Normalize`), and `config_sentence_transformers.json`
 * records the library versions, prompts and similarity function. Yields the folder's model as an `embedding` (a
 * `CrossEncoder` folder is a `reranker`), one component per module with its type, and the facts.
 */
import { posix } from "node:path";
import type { LocalComponent } from "../../../model/types.js";
import { parseJsonDocument, toPointer } from "../../document.js";
import { dirOf, folderSubject, isDiagnostic, parseErrorDiagnostic, readMapDocument, str } from "../../helpers.js";
import type { Extractor, ExtractOutput, FolderFacts } from "../../types.js";

const ID = "sentence-transformers";

export const sentenceTransformersExtractor: Extractor = {
  id: ID,
  description:
    "sentence-transformers modules.json and config_sentence_transformers.json: embedding model and its modules",
  matches(_path, base) {
    return base === "modules.json" || base === "config_sentence_transformers.json";
  },
  async extract(file, ctx): Promise<ExtractOutput> {
    const dir = dirOf(file.path);
    if (posix.basename(file.path) === "config_sentence_transformers.json") {
      const parsed = await readMapDocument(file, ctx.maxTextBytes, "config_sentence_transformers.json");
      if (isDiagnostic(parsed)) return { diagnostics: [parsed] };
      const versions = (parsed.data.__version__ ?? {}) as Record<string, unknown>;
      const facts: NonNullable<FolderFacts["facts"]> = { library: "sentence-transformers" };
      for (const [k, v] of Object.entries(versions)) if (typeof v === "string") facts[`version.${k}`] = v;
      if (str(parsed.data.similarity_fn_name)) facts.similarityFunction = parsed.data.similarity_fn_name as string;
      if (str(parsed.data.model_type)) facts.sentenceTransformersType = parsed.data.model_type as string;
      const role = parsed.data.model_type === "CrossEncoder" ? "reranker" : "embedding";
      return { folders: [{ dir, location: { file: file.path, line: 1 }, role, facts }] };
    }
    let data: unknown;
    let doc;
    try {
      doc = parseJsonDocument(await file.text(ctx.maxTextBytes));
      data = doc.data;
    } catch (err) {
      return { diagnostics: [parseErrorDiagnostic(file.path, err)] };
    }
    if (!Array.isArray(data))
      return {
        diagnostics: [
          {
            code: "not-a-module-list",
            severity: "warning",
            message: "modules.json is not a list of modules",
            location: { file: file.path, line: 1 },
          },
        ],
      };
    const components: LocalComponent[] = [];
    data.forEach((m, i) => {
      if (typeof m !== "object" || m === null) return;
      const { name, path, type } = m as Record<string, unknown>;
      if (typeof type !== "string") return;
      const short = type.split(".").pop()!;
      const pointer = toPointer([i]);
      const at = doc!.locate(pointer) ?? {};
      components.push({
        key: `${file.path}#${pointer}`,
        role: short === "Transformer" ? "backbone" : "other",
        name: `${dir === "" ? "model" : posix.basename(dir)}/${typeof name === "string" ? name : short}`,
        location: { file: file.path, pointer, ...at },
        parent: folderSubject(file.path),
        facts: { moduleType: type, ...(typeof path === "string" ? { path } : {}) },
      });
    });
    return {
      components,
      folders: [
        {
          dir,
          location: { file: file.path, line: 1 },
          role: "embedding",
          facts: {
            library: "sentence-transformers",
            modules: components.map((c) => String(c.facts!.moduleType).split(".").pop()!),
          },
        },
      ],
    };
  },
};
