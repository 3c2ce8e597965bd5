/**
 * The linking pass's folder joins: `folder:<dir>` subjects and parents resolve to the folder's model, folder facts
 * merge (lists united), inferred card relations become `quantized` / `merge` from the folder's other files, and a
 * diffusers pipeline entry owns the model in its sub-folder.
 */
import { describe, expect, it } from "vitest";
import type { LocalComponent, ModelReference } from "../model/types.js";
import { link } from "./link.js";
import { makeReference } from "./reference.js";

const comp = (key: string, role: LocalComponent["role"], extra: Partial<LocalComponent> = {}): LocalComponent => ({
  key,
  role,
  name: key,
  location: { file: key.split("#")[0]!, pointer: key.split("#")[1] ?? "" },
  ...extra,
});
const cardRef = (file: string, raw: string): ModelReference =>
  makeReference({
    extractor: "model-card",
    raw,
    location: { file, line: 3 },
    relation: "finetune",
    subject: `folder:${file.includes("/") ? file.slice(0, file.lastIndexOf("/")) : ""}`,
    facts: { relationInferred: true },
  });

describe("link: folder joins", () => {
  it("hangs a tokenizer under the folder's config and unites list facts", () => {
    const out = link([
      {
        components: [
          comp("m/config.json#", "model"),
          comp("m/tokenizer_config.json#", "tokenizer", { parent: "folder:m" }),
        ],
      },
      { folders: [{ dir: "m", location: { file: "m/added_tokens.json" }, facts: { tokenFamilies: ["paligemma"] } }] },
      {
        folders: [
          {
            dir: "m",
            location: { file: "m/special_tokens_map.json" },
            facts: { tokenFamilies: ["gemma"], "specialTokens.bos": "<bos>" },
          },
        ],
      },
    ]);
    const model = out.components.find((c) => c.key === "m/config.json#")!;
    expect(out.components.find((c) => c.key === "m/tokenizer_config.json#")?.parent).toBe(model.key);
    expect(model.facts).toEqual({ tokenFamilies: ["gemma", "paligemma"], "specialTokens.bos": "<bos>" });
  });

  it("a part whose folder has no model becomes top-level; a reference's folder gets a model made from its file", () => {
    const ref = makeReference({
      extractor: "mergekit",
      raw: "a/b",
      location: { file: "r/mergekit_config.yml", line: 4 },
      relation: "merge",
      subject: "folder:r",
    });
    const out = link([
      { components: [comp("t/tokenizer.json#", "tokenizer", { parent: "folder:t" })] },
      { references: [ref] },
    ]);
    expect(out.components.find((c) => c.key === "t/tokenizer.json#")?.parent).toBeUndefined();
    expect(out.references[0]!.subject).toBe("r/mergekit_config.yml#");
    expect(out.components.find((c) => c.key === "r/mergekit_config.yml#")?.role).toBe("model");
  });

  it("an inferred card relation is quantized beside a quantization block, merge beside a recipe", () => {
    const out = link([
      { components: [comp("q/config.json#", "model"), comp("g/config.json#", "model")] },
      {
        folders: [{ dir: "q", location: { file: "q/config.json" }, facts: { quantMethod: "bitsandbytes" } }],
        references: [cardRef("q/README.md", "x/base")],
      },
      {
        references: [
          cardRef("g/README.md", "y/base"),
          makeReference({
            extractor: "mergekit",
            raw: "z/other",
            location: { file: "g/mergekit_config.yml", line: 2 },
            relation: "merge",
            subject: "folder:g",
          }),
        ],
      },
    ]);
    expect(out.references.find((r) => r.target === "x/base")?.relation).toBe("quantized");
    expect(out.references.find((r) => r.target === "y/base")?.relation).toBe("merge");
  });

  it("a diffusers pipeline entry owns the model in its sub-folder, which takes the entry's role", () => {
    const out = link([
      {
        components: [
          comp("model_index.json#", "diffusion"),
          comp("model_index.json#/text_encoder", "text-encoder", { parent: "model_index.json#" }),
        ],
      },
      { components: [comp("text_encoder/config.json#", "model")] },
    ]);
    expect(out.components.find((c) => c.key === "text_encoder/config.json#")).toMatchObject({
      parent: "model_index.json#/text_encoder",
      role: "text-encoder",
    });
  });

  it("facts of a part-only file in a folder without a model go to the folder's tokenizer, not to a made-up model", () => {
    const out = link([
      { components: [comp("tok/tokenizer_config.json#", "tokenizer", { parent: "folder:tok" })] },
      {
        folders: [
          {
            dir: "tok",
            location: { file: "tok/special_tokens_map.json" },
            attachOnly: true,
            facts: { "specialTokens.bos": "<s>" },
          },
        ],
      },
    ]);
    expect(out.components).toHaveLength(1);
    expect(out.components[0]).toMatchObject({ role: "tokenizer", facts: { "specialTokens.bos": "<s>" } });
  });

  it("a Hugging Face cache snapshot in the tree is a copy of its repo at that commit, and a code path into it points at it", () => {
    const snap = "vendor/hub/models--Qwen--Qwen2.5-7B-Instruct/snapshots/a09a35458c702b33eeacc393d103063234e8bc28";
    const code = makeReference({
      extractor: "python-code",
      raw: `./hub/models--Qwen--Qwen2.5-7B-Instruct/snapshots/a09a35458c702b33eeacc393d103063234e8bc28`,
      location: { file: "vendor/app.py", line: 2 },
      baseDir: "vendor",
    });
    const outside = makeReference({
      extractor: "python-code",
      raw: "/root/.cache/huggingface/hub/models--NCSOFT--VARCO-VISION-2.0-1.7B/snapshots/ed09f37445518b1564d1ef3c6e26fbd7c1b2c818",
      location: { file: "vendor/app.py", line: 3 },
    });
    const out = link([
      { components: [comp(`${snap}/config.json#`, "model", { name: "a09a35458c702b33eeacc393d103063234e8bc28" })] },
      { references: [code, outside] },
    ]);
    const layout = out.references.find((r) => r.extractor === "hf-cache-layout")!;
    expect(layout).toMatchObject({
      kind: "hub-id",
      target: "Qwen/Qwen2.5-7B-Instruct",
      revision: "a09a35458c702b33eeacc393d103063234e8bc28",
      subject: `${snap}/config.json#`,
      relation: "initialised-from",
    });
    expect(out.components[0]!.name).toBe("Qwen/Qwen2.5-7B-Instruct@a09a354");
    expect(out.references.find((r) => r.location.line === 2)).toMatchObject({
      target: "Qwen/Qwen2.5-7B-Instruct",
      localTarget: `${snap}/config.json#`,
    });
    // A cache path outside the tree keeps its id and commit, and points at nothing local.
    const far = out.references.find((r) => r.location.line === 3)!;
    expect(far).toMatchObject({
      target: "NCSOFT/VARCO-VISION-2.0-1.7B",
      revision: "ed09f37445518b1564d1ef3c6e26fbd7c1b2c818",
    });
    expect(far.localTarget).toBeUndefined();
  });

  it("a relative path in code is looked up beside the file, then from the project root (the usual working directory)", () => {
    const rel = (raw: string, file: string): ModelReference =>
      makeReference({
        extractor: "python-code",
        raw,
        location: { file, line: 1 },
        baseDir: file.includes("/") ? file.slice(0, file.lastIndexOf("/")) : "",
      });
    const out = link([
      { components: [comp("models/my-bert/config.json#", "model"), comp("app/local/config.json#", "model")] },
      {
        references: [
          rel("./models/my-bert", "app/serve.py"),
          rel("./local", "app/other.py"),
          rel("./models/absent", "app/x.py"),
          rel("models\\my-bert", "src/core/config.py"),
        ],
      },
    ]);
    const by = (f: string) => out.references.find((r) => r.location.file === f)!;
    expect(by("app/serve.py")).toMatchObject({
      target: "models/my-bert",
      localTarget: "models/my-bert/config.json#",
      facts: { resolvedFrom: "project root" },
    });
    // Beside the file wins when the folder is there.
    expect(by("app/other.py")).toMatchObject({ target: "app/local", localTarget: "app/local/config.json#" });
    expect(by("app/other.py").facts?.resolvedFrom).toBeUndefined();
    // Nowhere in the tree: kept as written beside the file, unresolved.
    expect(by("app/x.py")).toMatchObject({ target: "app/models/absent", skipReason: "local-path" });
    expect(by("src/core/config.py")).toMatchObject({
      target: "models/my-bert",
      localTarget: "models/my-bert/config.json#",
    });
  });
});
