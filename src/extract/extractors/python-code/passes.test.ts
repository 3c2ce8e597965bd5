// Focused tests of the python-code passes (calls.ts, settings.ts, writes.ts, module-facts.ts): small inline
// sources written for aiprov; ids are real Hub ids.
import { describe, expect, it } from "vitest";
import { extractPythonModule, extractPythonSource } from "./index.js";
import { LOADERS } from "../../code/loaders.js";

const refsOf = async (src: string) => extractPythonSource(src, { file: "app/x.py" });
const at = (refs: Awaited<ReturnType<typeof refsOf>>, line: number) => refs.filter((r) => r.location.line === line);

describe("python-code writes.ts rules", () => {
  it("guarded producer: Path(P).exists() and os.path.isdir(P) guards name the step that writes P; other guards do not", async () => {
    const refs = await refsOf(
      [
        "import os",
        "from pathlib import Path",
        'OUT = "models/merged"',
        "if not Path(OUT).exists():",
        "    from steps import merge",
        "if not os.path.isdir(OUT + '-2'):",
        "    import train",
        "if not ready(OUT):",
        "    import other",
      ].join("\n"),
    );
    expect(at(refs, 5)[0]).toMatchObject({
      usage: "write",
      target: "app/models/merged",
      facts: { producedBy: "steps" },
    });
    expect(at(refs, 7)[0]).toMatchObject({ usage: "write", facts: { producedBy: "train" } });
    expect(at(refs, 9)).toEqual([]);
  });

  it("save: a write records the load it derives from as a typed location, never a file:line string", async () => {
    const refs = await refsOf(
      ["from transformers import AutoModel", "m = AutoModel.from_pretrained(BASE)", 'm.save_pretrained("out/ft")'].join(
        "\n",
      ),
    );
    const w = at(refs, 3)[0]!;
    expect(w).toMatchObject({ usage: "write", derivedFromLoad: { file: "app/x.py", line: 2 } });
    expect(w.facts?.derivedFromLoad).toBeUndefined();
  });

  it("quantize in place: only on an object the file loaded", async () => {
    const refs = await refsOf(
      [
        "from awq import AutoAWQForCausalLM",
        'm = AutoAWQForCausalLM.from_pretrained("Qwen/Qwen2.5-7B-Instruct")',
        "m.quantize(tok)",
        "other.quantize(tok)",
      ].join("\n"),
    );
    expect(at(refs, 3)[0]).toMatchObject({
      usage: "transform",
      relation: "quantized",
      target: "Qwen/Qwen2.5-7B-Instruct",
    });
    expect(at(refs, 4)).toEqual([]);
  });
});

describe("python-code calls.ts: former recognisers as loader-table rows", () => {
  it("keeps openai-whisper, torch.hub and open_clip as rows of the one table", () => {
    const libs = LOADERS.map((r) => r.library);
    expect(libs).toEqual(expect.arrayContaining(["openai-whisper", "torch", "open_clip"]));
  });

  it("openai-whisper sizes are known components with their repository; whisperx sizes are faster-whisper repositories", async () => {
    const refs = await refsOf(
      [
        "import whisper, whisperx",
        'a = whisper.load_model("turbo")',
        'b = whisperx.load_model("large-v2", "cuda")',
        "c = whisper.load_model(path)",
      ].join("\n"),
    );
    expect(at(refs, 2)[0]).toMatchObject({
      kind: "known-component",
      target: "turbo",
      role: "audio-encoder",
      facts: { upstream: "openai/whisper-large-v3-turbo" },
    });
    expect(at(refs, 3)[0]).toMatchObject({ kind: "hub-id", target: "Systran/faster-whisper-large-v2" });
    expect(at(refs, 4)[0]).toMatchObject({ skipReason: "dynamic-value", role: "audio-encoder" });
  });

  it("an argparse size-alias default of a script importing openai-whisper becomes its repository", async () => {
    const refs = await refsOf(["import whisper", "p.add_argument('--model', default='medium.en')"].join("\n"));
    expect(at(refs, 2)[0]).toMatchObject({
      target: "openai/whisper-medium.en",
      facts: { sizeAlias: "medium.en", library: "openai-whisper" },
    });
  });

  it("torch.hub: repository and entry point when both are constant, else the repository alone", async () => {
    const refs = await refsOf(
      [
        "import torch",
        'a = torch.hub.load("snakers4/silero-vad", model="silero_vad")',
        'b = torch.hub.load("facebookresearch/dinov2", name)',
      ].join("\n"),
    );
    expect(at(refs, 2)[0]).toMatchObject({
      kind: "known-component",
      target: "snakers4/silero-vad:silero_vad",
      raw: "snakers4/silero-vad",
      facts: { entrypoint: "silero_vad" },
    });
    expect(at(refs, 3)[0]).toMatchObject({ kind: "hub-id", target: "facebookresearch/dinov2" });
  });

  it("open_clip: an architecture name with its pretrained tag; an hf-hub: name is a Hub repository", async () => {
    const refs = await refsOf(
      [
        "import open_clip",
        'm = open_clip.create_model("ViT-L-14", pretrained="openai")',
        'n = open_clip.create_model_from_pretrained("hf-hub:timm/ViT-SO400M-14-SigLIP")',
      ].join("\n"),
    );
    expect(at(refs, 2)[0]).toMatchObject({
      kind: "known-component",
      target: "ViT-L-14",
      facts: { pretrained: "openai", library: "open_clip" },
    });
    expect(at(refs, 3)[0]?.kind).not.toBe("known-component");
  });
});

describe("python-code settings.ts and module-facts.ts", () => {
  it("family comparison names a family; a comparison with a non-family key does not", async () => {
    const refs = await refsOf(
      ['if config.model_type == "qwen2_vl":', "    pass", 'if args.mode == "train":', "    pass"].join("\n"),
    );
    expect(at(refs, 1)[0]).toMatchObject({ usage: "name", kind: "known-component", target: "qwen2_vl" });
    expect(at(refs, 3)).toEqual([]);
  });

  it("module facts: class fields, factory fields and __init__ model defaults", async () => {
    const src = [
      "class Cfg:",
      '    vision_tower = "openai/clip-vit-large-patch14"',
      "def get_cfg():",
      "    return Cfg()",
      "class Enc:",
      '    def __init__(self, model_name="BAAI/bge-m3", dim=3):',
      "        pass",
    ].join("\n");
    const { module } = await extractPythonModule(src, { file: "cfg.py" });
    expect(module.constants).toMatchObject({
      "Cfg.vision_tower": { value: "openai/clip-vit-large-patch14", line: 2 },
      "get_cfg().vision_tower": { line: 2 },
    });
    expect(module.classes?.find((c) => c.name === "Enc")).toMatchObject({
      hasInit: true,
      modelDefaults: [{ param: "model_name", value: "BAAI/bge-m3", line: 6 }],
    });
  });
});

describe("python-code issue 17 rules found on the extra part", () => {
  it("download destination: snapshot_download(..., local_dir=P) writes P from the repository; a dataset download does not", async () => {
    const refs = await refsOf(
      [
        "from modelscope import snapshot_download",
        "snapshot_download('iic/CosyVoice-300M', local_dir='pretrained_models/CosyVoice-300M')",
        "snapshot_download('org/data', repo_type='dataset', local_dir='data/x')",
      ].join("\n"),
    );
    expect(at(refs, 2).find((r) => r.usage === "write")).toMatchObject({
      kind: "local-path",
      facts: { derivedFrom: "iic/CosyVoice-300M", writer: "snapshot_download" },
    });
    expect(at(refs, 3).filter((r) => r.usage === "write")).toEqual([]);
  });

  it("a model folder keyword (model_dir=) is a reference; other *_dir keywords are not", async () => {
    const refs = await refsOf(
      [
        "from cosyvoice.cli.cosyvoice import AutoModel",
        "m = AutoModel(model_dir='pretrained_models/CosyVoice2-0.5B', fp16=True)",
        "w = Writer(log_dir='logs/run1')",
      ].join("\n"),
    );
    expect(at(refs, 2)[0]).toMatchObject({ kind: "local-path", facts: { keyword: "model_dir" } });
    expect(at(refs, 3)).toEqual([]);
  });

  it("hub id to a constructor: an imported class built with an org/name constant loads it; files and local classes do not", async () => {
    const refs = await refsOf(
      [
        "from funasr_onnx import SenseVoiceSmall",
        "from PIL import Image",
        'a = SenseVoiceSmall("iic/SenseVoiceSmall", quantize=False)',
        'b = Image("assets/cat.png")',
        "class Local: pass",
        'c = Local("org/name")',
      ].join("\n"),
    );
    expect(at(refs, 3)[0]).toMatchObject({ target: "iic/SenseVoiceSmall" });
    expect(at(refs, 4)).toEqual([]);
    expect(at(refs, 6)).toEqual([]);
  });
});

describe("python-code issue 17 session 3: weight URLs", () => {
  it("weight URL literal: a checkpoint URL in any variable, a load_state_dict_from_url(url=) and docstring wget lines; pages and data files are not", async () => {
    const refs = await refsOf(
      [
        '"""',
        "Download the weights beforehand",
        "wget https://storage.googleapis.com/sfr/BLIP/models/model_base_caption.pth",
        "wget https://storage.googleapis.com/sfr/datasets/train.json",
        '"""',
        "import torch",
        "model_url = 'https://storage.googleapis.com/sfr/BLIP/models/model_base_capfilt_large.pth'",
        "model = blip_decoder(pretrained=model_url, image_size=384)",
        'page = "https://github.com/salesforce/BLIP"',
        "ann = 'https://storage.googleapis.com/sfr/datasets/coco_karpathy_train.json'",
        'ck = torch.hub.load_state_dict_from_url(url="https://dl.fbaipublicfiles.com/deit/deit_base_patch16_224-b5f2ef4d.pth")',
        'w = "https://huggingface.co/guozinan/PuLID/resolve/main/pulid_v1.bin"',
        'ckpt_file = str(cached_path("hf://SomeOrg/Some-TTS/Base/model_1200000.safetensors"))',
        'data = "hf://datasets/SomeOrg/some-data/train.parquet"',
      ].join("\n"),
    );
    expect(at(refs, 13)[0]).toMatchObject({
      kind: "hub-id",
      target: "SomeOrg/Some-TTS",
      facts: { file: "model_1200000.safetensors" },
    });
    expect(at(refs, 14)).toEqual([]);
    expect(at(refs, 3)).toMatchObject([
      { kind: "url", target: "https://storage.googleapis.com/sfr/BLIP/models/model_base_caption.pth" },
    ]);
    expect(at(refs, 4)).toEqual([]);
    expect(at(refs, 7)).toMatchObject([
      {
        kind: "url",
        target: "https://storage.googleapis.com/sfr/BLIP/models/model_base_capfilt_large.pth",
        facts: { weightUrl: true, file: "model_base_capfilt_large.pth", weightFormat: "pickle" },
      },
    ]);
    expect(at(refs, 9)).toEqual([]);
    expect(at(refs, 10)).toEqual([]);
    expect(at(refs, 11)[0]).toMatchObject({
      kind: "url",
      target: "https://dl.fbaipublicfiles.com/deit/deit_base_patch16_224-b5f2ef4d.pth",
    });
    expect(at(refs, 12)[0]).toMatchObject({ kind: "hub-id", target: "guozinan/PuLID" });
  });
});

describe("python-code loader rows added in session 3", () => {
  it("eva_clip (open_clip's API), facexlib helpers and whisper-timestamped's silero VAD are table rows", async () => {
    const refs = await refsOf(
      [
        "from eva_clip import create_model_and_transforms",
        "from facexlib.parsing import init_parsing_model",
        "from facexlib.utils.face_restoration_helper import FaceRestoreHelper",
        "from whisper_timestamped.transcribe import get_vad_segments",
        "model, _, _ = create_model_and_transforms('EVA02-CLIP-L-14-336', 'eva_clip', force_custom_clip=True)",
        "helper = FaceRestoreHelper(upscale_factor=1, face_size=512, det_model='retinaface_resnet50')",
        "parse = init_parsing_model(model_name='bisenet', device='cuda')",
        "segs = get_vad_segments(audio, output_sample=True, method='silero')",
        "other = FaceRestoreHelper2(det_model='x')",
      ].join("\n"),
    );
    expect(at(refs, 5)[0]).toMatchObject({ kind: "known-component", target: "EVA02-CLIP-L-14-336" });
    expect(at(refs, 6)[0]).toMatchObject({ kind: "known-component", target: "retinaface_resnet50" });
    expect(at(refs, 7)[0]).toMatchObject({
      kind: "known-component",
      target: "bisenet",
      facts: { library: "facexlib" },
    });
    expect(at(refs, 8)[0]).toMatchObject({
      kind: "hub-id",
      target: "snakers4/silero-vad",
      facts: { sizeAlias: "silero" },
    });
    expect(at(refs, 9)).toEqual([]);
  });
});

describe("python-code hosted library defaults (issue 17)", () => {
  it("OpenAIEmbeddings() / OpenAIEmbedding() without a model use the documented default; Jina and Cohere classes name their provider", async () => {
    const refs = await refsOf(
      [
        "from langchain_openai import OpenAIEmbeddings",
        "from llama_index.embeddings.openai import OpenAIEmbedding",
        "from langchain_community.embeddings import JinaEmbeddings",
        "from langchain_cohere import CohereRerank",
        "e1 = OpenAIEmbeddings()",
        "e2 = OpenAIEmbedding(embed_batch_size=10)",
        "e3 = OpenAIEmbeddings(model='text-embedding-3-large')",
        "e4 = JinaEmbeddings(jina_api_key=k, model_name='jina-embeddings-v2-base-en')",
        "r = CohereRerank(model='rerank-english-v3.0', top_n=3)",
        "r2 = CohereRerank(top_n=3)",
      ].join("\n"),
    );
    // langchain_cohere's CohereRerank has no default model; langchain_community's has one (module-scoped row).
    expect(at(refs, 10)).toEqual([]);
    const community = await refsOf(
      ["from langchain.retrievers.document_compressors import CohereRerank", "compressor = CohereRerank()"].join("\n"),
    );
    expect(at(community, 2)).toMatchObject([
      { kind: "hosted-model", target: "rerank-english-v2.0", provider: "cohere", role: "reranker" },
    ]);
    expect(at(refs, 5)).toMatchObject([
      {
        kind: "hosted-model",
        target: "text-embedding-ada-002",
        provider: "openai",
        role: "embedding",
        facts: { libraryDefault: true },
      },
    ]);
    expect(at(refs, 6)).toMatchObject([{ target: "text-embedding-ada-002", provider: "openai" }]);
    expect(at(refs, 7)).toMatchObject([{ kind: "hosted-model", target: "text-embedding-3-large", provider: "openai" }]);
    expect(at(refs, 7)[0]?.facts?.libraryDefault).toBeUndefined();
    expect(at(refs, 8)).toMatchObject([
      { kind: "hosted-model", target: "jina-embeddings-v2-base-en", provider: "jina" },
    ]);
    expect(at(refs, 9)).toMatchObject([{ kind: "hosted-model", target: "rerank-english-v3.0", provider: "cohere" }]);
  });
});

describe("python-code click options and weight-file arguments (issue 17)", () => {
  it("a click option default names a model like an argparse default; a weight file handed to a loading call or a weights keyword is a load", async () => {
    const refs = await refsOf(
      [
        "import click",
        '@click.option("--base-weight", type=str, default="checkpoints/fish-speech-1.4")',
        '@click.option("--output", type=str, default="out/merged")',
        "def main(base_weight, output): ...",
        "model = blip_decoder(pretrained='checkpoints/model_base_caption.pth', vit='base')",
        "conv.load_ckpt('checkpoints/converter/checkpoint.pth')",
        "conv.save_ckpt('checkpoints/converter/checkpoint.pth')",
        "conv.load_ckpt('checkpoints/converter/config.json')",
      ].join("\n"),
    );
    expect(at(refs, 2)).toMatchObject([
      { kind: "local-path", raw: "checkpoints/fish-speech-1.4", facts: { cliFlag: "base_weight" } },
    ]);
    expect(at(refs, 3)).toEqual([]);
    expect(at(refs, 5)).toMatchObject([{ kind: "local-path", raw: "checkpoints/model_base_caption.pth" }]);
    expect(at(refs, 6)).toMatchObject([{ kind: "local-path", raw: "checkpoints/converter/checkpoint.pth" }]);
    expect(at(refs, 7)).toEqual([]);
    expect(at(refs, 8)).toEqual([]);
  });
});
