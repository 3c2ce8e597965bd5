// Focused tests of the linking pass's named passes (link.ts). Inputs are small hand-made references.
import { describe, expect, it } from "vitest";
import type { LocalComponent, ModelReference } from "../model/types.js";
import { attachLocalPath, link, resolveVariable } from "./link.js";
import { makeReference } from "./reference.js";

const comp = (file: string): LocalComponent => ({
  key: `${file}#`,
  role: "model",
  name: file,
  location: { file, pointer: "" },
});

describe("link passes", () => {
  it("resolveVariable takes the nearest .env value and keeps the typed locations of the reference it rebuilds", () => {
    const r: ModelReference = {
      ...makeReference({
        extractor: "python-code",
        raw: "${BASE:-org/default}",
        location: { file: "svc/a.py", line: 3 },
      }),
      usage: "write",
      derivedFromLoad: { file: "svc/a.py", line: 2 },
    };
    const vars = [
      { name: "BASE", value: "org/root", scope: "", location: { file: ".env", line: 1 } },
      { name: "BASE", value: "org/near", scope: "svc", location: { file: "svc/.env", line: 4 } },
    ];
    const out = resolveVariable(r, vars);
    expect(out).toMatchObject({
      id: r.id,
      target: "org/near",
      usage: "write",
      derivedFromLoad: { file: "svc/a.py", line: 2 },
      definedAt: { file: "svc/.env", line: 4 },
    });
    expect(resolveVariable({ ...r, raw: "${OTHER}" }, vars)).toMatchObject({ raw: "${OTHER}" });
  });

  it("attachLocalPath: beside the file, else from the project root; an absolute output by its last folders", () => {
    const byDir = new Map([["models/llm", comp("models/llm/config.json")]]);
    const rel = makeReference({
      extractor: "python-code",
      raw: "models/llm",
      location: { file: "app/run.py", line: 1 },
      baseDir: "app",
    });
    expect(attachLocalPath(rel, byDir)).toMatchObject({
      target: "models/llm",
      localTarget: "models/llm/config.json#",
      facts: { resolvedFrom: "project root" },
    });
    const abs: ModelReference = {
      ...makeReference({
        extractor: "python-code",
        raw: "/home/u/models/llm/",
        location: { file: "app/run.py", line: 2 },
      }),
      usage: "write",
    };
    expect(attachLocalPath(abs, byDir)).toMatchObject({
      localTarget: "models/llm/config.json#",
      facts: { matchedBySuffix: "models/llm" },
    });
    const none = makeReference({
      extractor: "python-code",
      raw: "./nowhere",
      location: { file: "app/run.py", line: 3 },
      baseDir: "app",
    });
    expect(attachLocalPath(none, byDir)).toBe(none);
  });

  it("a caller's value reaches the loader it feeds by typed location", () => {
    const loader = makeReference({ extractor: "js-code", raw: "", location: { file: "w.js", line: 5, column: 20 } });
    const dyn: ModelReference = { ...loader, skipReason: "dynamic-value", raw: "model", kind: "local-path" };
    const caller: ModelReference = {
      ...makeReference({
        extractor: "js-code",
        raw: "Xenova/whisper-tiny",
        location: { file: "w.js", line: 9, column: 3 },
      }),
      feeds: { file: "w.js", line: 5, column: 20 },
    };
    const other: ModelReference = {
      ...makeReference({
        extractor: "js-code",
        raw: "Xenova/whisper-base",
        location: { file: "w.js", line: 10, column: 3 },
      }),
      feeds: { file: "w.js", line: 5, column: 21 },
    };
    const { references } = link([{ references: [dyn, caller, other] }]);
    expect(references.find((r) => r.id === dyn.id)).toMatchObject({
      target: "Xenova/whisper-tiny",
      definedAt: { file: "w.js", line: 9 },
      facts: { resolvedFrom: "callers" },
    });
  });
});

describe("link pass: download destinations", () => {
  it("a load of a folder the setup downloads into takes the downloaded repository; a folder without a download stays local", async () => {
    const { resolveDownloadedFolders } = await import("./link.js");
    const write: ModelReference = {
      ...makeReference({
        extractor: "readme-mentions",
        raw: "pretrained_models/CosyVoice-300M",
        location: { file: "README.md", line: 120 },
        facts: { derivedFrom: "iic/CosyVoice-300M" },
      }),
      usage: "write",
    };
    const load = makeReference({
      extractor: "python-code",
      raw: "pretrained_models/CosyVoice-300M/",
      location: { file: "example.py", line: 17 },
    });
    const other = makeReference({
      extractor: "python-code",
      raw: "pretrained_models/Other",
      location: { file: "example.py", line: 20 },
    });
    const out = resolveDownloadedFolders([write, load, other]);
    expect(out[1]).toMatchObject({
      id: load.id,
      kind: "hub-id",
      target: "iic/CosyVoice-300M",
      definedAt: { file: "README.md", line: 120 },
      facts: { resolvedFrom: "download-destination" },
    });
    expect(out[2]).toBe(other);
    expect(out[0]).toBe(write);
  });
});

describe("download destinations (issue 17 session 3)", () => {
  it("names loads under a downloaded tree and of a downloaded file by their source; other files of a shared folder stay local", async () => {
    const { extractPythonSource } = await import("./extractors/python-code/index.js");
    const { extractedFolders } = await import("./extractors/readme-mentions/index.js");
    const { resolveDownloadedFolders } = await import("./link.js");
    const docs = extractedFolders(
      "Download the checkpoint from [here](https://myshell-public-repo-host.s3.amazonaws.com/openvoice/checkpoints_1226.zip) and extract it to the `checkpoints` folder.\n",
      "docs/USAGE.md",
    );
    expect(docs).toMatchObject([{ usage: "write", raw: "checkpoints", facts: { downloadsTree: true } }]);
    const code = await extractPythonSource(
      [
        "from huggingface_hub import hf_hub_download, snapshot_download",
        "import insightface, torch",
        "ckpt_converter = 'checkpoints/converter'",
        "tone_color_converter.load_ckpt(f'{ckpt_converter}/checkpoint.pth')",
        "snapshot_download('DIAMONIK7777/antelopev2', local_dir='models/antelopev2')",
        "handler = insightface.model_zoo.get_model('models/antelopev2/glintr100.onnx')",
        "hf_hub_download('guozinan/PuLID', 'pulid_v1.bin', local_dir='models')",
        "state = torch.load('models/pulid_v1.bin')",
        "other = torch.load('models/other.bin')",
      ].join("\n"),
      { file: "app.py" },
    );
    const out = resolveDownloadedFolders([...docs, ...code]);
    const loadAt = (line: number) =>
      out.find((r) => r.location.file === "app.py" && r.location.line === line && !r.usage);
    expect(loadAt(4)).toMatchObject({
      kind: "url",
      target: "https://myshell-public-repo-host.s3.amazonaws.com/openvoice/checkpoints_1226.zip",
      facts: { resolvedFrom: "download-destination" },
    });
    expect(loadAt(6)).toMatchObject({ kind: "hub-id", target: "DIAMONIK7777/antelopev2" });
    expect(loadAt(8)).toMatchObject({ kind: "hub-id", target: "guozinan/PuLID" });
    expect(loadAt(9)).toMatchObject({ kind: "local-path" });
  });
});
