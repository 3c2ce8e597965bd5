/**
 * The linking pass's code joins for JavaScript/TypeScript, on real sources parsed by the js-code extractor: a React
 * state initialised from a member of another module's default export takes that module's constant; the state handed
 * on in `{ model }` keeps its initial value; a model setter is a run-time choice.
 */
import { describe, expect, it } from "vitest";
import { extractJsModule } from "./extractors/js-code/index.js";
import { link } from "./link.js";
import type { ExtractOutput } from "./types.js";
import { fileURLToPath } from "node:url";
import { dotenvExtractor } from "./extractors/dotenv/index.js";
import { jsCodeExtractor } from "./extractors/js-code/index.js";
import { extractFile } from "./testing.js";

const FIX = fileURLToPath(new URL("./fixtures/endpoint-config", import.meta.url));

async function js(file: string, text: string): Promise<ExtractOutput> {
  const r = await extractJsModule(text, file);
  return { references: r.references, ...(r.module.constants ? { codeModules: [r.module] } : {}) };
}

describe("link: JS/TS code across files", () => {
  it("follows useState(Constants.DEFAULT_MODEL) to the exported constant; { model } and setModel(...) are references", async () => {
    const out = link([
      await js(
        "src/utils/Constants.ts",
        'export default {\n  SAMPLING_RATE: 16000,\n  DEFAULT_MODEL: "Xenova/whisper-tiny",\n  DEFAULT_LANGUAGE: "english",\n};\nexport const EMBEDDER = "Xenova/all-MiniLM-L6-v2";\n',
      ),
      await js(
        "src/hooks/useTranscriber.ts",
        'import { useState } from "react";\nimport Constants, { EMBEDDER } from "../utils/Constants";\n\nexport function useT(w: Worker) {\n  const [model, setModel] = useState<string>(Constants.DEFAULT_MODEL);\n  const [language] = useState<string>(Constants.DEFAULT_LANGUAGE);\n  const embedder = EMBEDDER;\n  w.postMessage({ model, language });\n  return { model, setModel, embedder };\n}\n',
      ),
      await js(
        "src/Menu.tsx",
        "export function Menu(props: { t: { setModel(m: string): void } }) {\n  return <select onChange={(e) => props.t.setModel(e.target.value)} />;\n}\n",
      ),
    ]);
    const at = (file: string, line: number) =>
      out.references.filter((r) => r.location.file === file && r.location.line === line);
    expect(at("src/hooks/useTranscriber.ts", 5)[0]).toMatchObject({
      target: "Xenova/whisper-tiny",
      facts: {
        resolvedFrom: "imported-constant",
        definedAt: "src/utils/Constants.ts:3",
        importedName: "default.DEFAULT_MODEL",
      },
    });
    expect(at("src/hooks/useTranscriber.ts", 6)).toEqual([]);
    expect(at("src/hooks/useTranscriber.ts", 8).map((r) => r.target)).toEqual(["Xenova/whisper-tiny"]);
    expect(at("src/Menu.tsx", 2)[0]).toMatchObject({
      skipReason: "dynamic-value",
      facts: { setter: "setModel", expression: "e.target.value" },
    });
  });

  it("gives an endpoint handler's config field the model lists' entries of its endpoint type, and the loader its callers' value", async () => {
    const env = await extractFile(dotenvExtractor, FIX, ".env");
    const code = await extractFile(jsCodeExtractor, FIX, "embeddings.ts");
    const before = (code.references ?? [])
      .filter((r) => r.skipReason === "dynamic-value")
      .map((r) => r.location.line ?? 0)
      .sort((a, b) => a - b);
    expect(before).toEqual([11, 21]);
    const out = link([env, code]);
    const at = (line: number) =>
      out.references.filter((r) => r.location.file === "embeddings.ts" && r.location.line === line);
    // `model.name` in the transformersjs handler: the TEXT_EMBEDDING_MODELS entry served by transformersjs, not the TEI one
    expect(at(21)[0]).toMatchObject({
      target: "Xenova/gte-small",
      facts: {
        endpointType: "transformersjs",
        configKey: "name",
        resolvedFrom: "endpoint-config",
        definedAt: ".env:6",
        candidates: 1,
      },
    });
    expect(at(21)[0]!.skipReason).toBeUndefined();
    // the loader's parameter takes what its (now resolved) callers hand it
    expect(at(11)[0]).toMatchObject({
      target: "Xenova/gte-small",
      facts: { resolvedFrom: "callers", definedAt: "embeddings.ts:21" },
    });
    // without the model lists, both stay run-time values
    expect(
      link([code])
        .references.filter((r) => r.skipReason === "dynamic-value")
        .map((r) => r.location.line ?? 0)
        .sort((a, b) => a - b),
    ).toEqual([11, 21]);
  });
});
