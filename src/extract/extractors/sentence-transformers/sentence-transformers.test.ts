import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { extractAndLink, extractFile } from "../../testing.js";
import { sentenceTransformersExtractor } from "./index.js";

const FIX = join(import.meta.dirname, "fixtures");

describe("sentence-transformers extractor", () => {
  it("all-MiniLM-L6-v2 modules.json: Transformer, Pooling, Normalize; the folder's model is an embedding", async () => {
    const out = await extractFile(sentenceTransformersExtractor, FIX, "all-MiniLM-L6-v2/modules.json");
    expect(out.components!.map((c) => [c.role, c.facts?.moduleType])).toEqual([
      ["backbone", "sentence_transformers.models.Transformer"],
      ["other", "sentence_transformers.models.Pooling"],
      ["other", "sentence_transformers.models.Normalize"],
    ]);
    expect(out.components![1]!.location).toMatchObject({ pointer: "/1", line: 8 });
    expect(out.folders?.[0]).toMatchObject({
      role: "embedding",
      facts: { modules: ["Transformer", "Pooling", "Normalize"] },
    });
  });

  it("config_sentence_transformers.json: versions; linked, the folder gets an embedding component", async () => {
    const linked = await extractAndLink(FIX, [
      [sentenceTransformersExtractor, "all-MiniLM-L6-v2/config_sentence_transformers.json"],
      [sentenceTransformersExtractor, "all-MiniLM-L6-v2/modules.json"],
    ]);
    const owner = linked.components.find((c) => c.parent === undefined)!;
    expect(owner).toMatchObject({
      role: "embedding",
      facts: { "version.sentence_transformers": "2.0.0", library: "sentence-transformers" },
    });
    expect(linked.components.filter((c) => c.parent === owner.key)).toHaveLength(3);
  });
});
