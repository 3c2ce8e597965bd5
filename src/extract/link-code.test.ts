/**
 * The linking pass's code joins: a class built without a model argument takes the model-named default of its
 * constructor (or of a base class's) from the module of the tree that defines it, and a name imported from another
 * module takes that module's constant. Inputs are real Python parsed by the python-code extractor.
 */
import { describe, expect, it } from "vitest";
import { extractPythonModule } from "./extractors/python-code/index.js";
import { link } from "./link.js";
import type { ExtractOutput } from "./types.js";

async function py(file: string, text: string): Promise<ExtractOutput> {
  const r = await extractPythonModule(text, { file });
  return { references: r.references, codeModules: [r.module], pendingCode: r.pending };
}

describe("link: code across files", () => {
  it("resolves a constructor default defined in another module, through a base class, as an Ollama tag", async () => {
    const out = link([
      await py(
        "app/base.py",
        'class Base:\n    def __init__(self, model="exaone3.5", temperature=0):\n        self.model = model\n',
      ),
      await py(
        "app/chains.py",
        "from langchain_ollama import ChatOllama\nfrom base import Base\n\nclass Plain(Base):\n    def run(self):\n        return ChatOllama(model=self.model)\n",
      ),
      await py(
        "app/server.py",
        "from chains import Plain\nfrom fastapi import FastAPI\n\napp = FastAPI()\nchain = Plain()\nother = Plain(model='llama3.1')\n",
      ),
    ]);
    const at = out.references.filter((r) => r.location.file === "app/server.py");
    expect(at).toHaveLength(1);
    expect(at[0]).toMatchObject({
      kind: "ollama-tag",
      target: "exaone3.5:latest",
      location: { line: 5 },
      facts: { constructs: "chains.Plain", resolvedFrom: "constructor-default", definedAt: "app/base.py:2" },
    });
  });

  it("resolves dotted imports from the root; a default that is an expression stays a run-time value", async () => {
    const out = link([
      await py(
        "src/core/merger.py",
        "import os\n\nclass Merger:\n    def __init__(self, base_model_name=os.environ['BASE'], ko_model_name='beomi/Llama-3-KoEn-8B'):\n        pass\n",
      ),
      await py(
        "main.py",
        "from src.core.merger import Merger\nfrom src.core.missing import Predictor\n\nm = Merger()\np = Predictor()\n",
      ),
    ]);
    const at = out.references.filter((r) => r.location.file === "main.py");
    expect(
      at
        .filter((r) => r.location.line === 4)
        .map((r) => r.target ?? r.raw)
        .sort(),
    ).toEqual(["${BASE}", "beomi/Llama-3-KoEn-8B"]);
    // A class of the project's own package whose module is not in the tree: kept, its value missing.
    expect(at.filter((r) => r.location.line === 5)).toMatchObject([
      { raw: "Predictor()", skipReason: "missing-value", facts: { moduleNotInTree: "src.core.missing" } },
    ]);
  });

  it("keeps nothing for a class of a third-party package", async () => {
    const out = link([
      await py("main.py", "from cog import BasePredictor\nfrom fastapi import FastAPI\n\napp = FastAPI()\n"),
    ]);
    expect(out.references).toEqual([]);
  });

  it("takes an imported constant's value from the module that defines it", async () => {
    const out = link([
      await py("pkg/settings.py", 'EMBED = "BAAI/bge-m3"\nOTHER = compute()\n'),
      await py(
        "pkg/app.py",
        "from sentence_transformers import SentenceTransformer\nfrom .settings import EMBED, OTHER\n\na = SentenceTransformer(EMBED)\nb = SentenceTransformer(OTHER)\n",
      ),
    ]);
    const [a, b] = out.references.filter((r) => r.location.file === "pkg/app.py");
    expect(a).toMatchObject({
      target: "BAAI/bge-m3",
      location: { line: 4 },
      facts: { resolvedFrom: "imported-constant", definedAt: "pkg/settings.py:1" },
    });
    expect(b).toMatchObject({
      skipReason: "dynamic-value",
      facts: { importedFrom: ".settings", importedName: "OTHER" },
    });
  });

  it("reads a field of a settings object another module builds, then the environment's default, keeping the usage", async () => {
    const out = link([
      await py(
        "src/config/settings.py",
        'import os\nfrom dataclasses import dataclass\n\n@dataclass\nclass EnvConfig:\n    OUTPUT_DIR: str = os.getenv("OUTPUT_DIR", "./outputs")\n    BASE: str = "meta-llama/Llama-3.1-8B"\n\ndef load_env():\n    return EnvConfig()\n',
      ),
      await py(
        "src/core/merge.py",
        "from transformers import AutoModelForCausalLM\nfrom src.config.settings import load_env\n\nenv = load_env()\n\ndef run():\n    m = AutoModelForCausalLM.from_pretrained(env.BASE)\n    m.save_pretrained(env.OUTPUT_DIR)\n",
      ),
    ]);
    const at = (line: number) =>
      out.references.find((r) => r.location.file === "src/core/merge.py" && r.location.line === line);
    expect(at(7)).toMatchObject({
      target: "meta-llama/Llama-3.1-8B",
      facts: {
        resolvedFrom: "imported-constant",
        importedName: "load_env().BASE",
        definedAt: "src/config/settings.py:7",
      },
    });
    expect(at(8)).toMatchObject({
      usage: "write",
      kind: "local-path",
      target: "src/core/outputs",
      derivedFromLoad: { file: "src/core/merge.py", line: 7 },
      facts: { variable: "OUTPUT_DIR", usedDefault: true, derivedFromExpression: "env.BASE" },
    });
  });

  it("ties an output written to an absolute path to the model folder of the tree with the same last folders", async () => {
    const config = {
      references: [],
      components: [
        {
          key: "exp/models/q8/config.json#",
          role: "model" as const,
          name: "q8",
          location: { file: "exp/models/q8/config.json", line: 1 },
        },
      ],
    };
    const out = link([
      config,
      await py(
        "exp/quant.py",
        'from transformers import AutoModel\nm = AutoModel.from_pretrained("/home/u/base")\nm.save_pretrained("/home/u/exp/models/q8")\nm.save_pretrained("/home/u/other/q8")\n',
      ),
    ]);
    const writes = out.references.filter((r) => r.usage === "write");
    expect(writes.map((r) => [r.target, r.localTarget ?? r.skipReason])).toEqual([
      ["/home/u/exp/models/q8", "exp/models/q8/config.json#"],
      ["/home/u/other/q8", "local-path-outside-root"],
    ]);
  });
});
