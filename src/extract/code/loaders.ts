/**
 * The table of model loaders, as data: per library, the call that loads a model, which argument names it, the role it
 * implies, and what a value looks like (a Hub id, a size alias the library maps to a Hub id, a model pack, an
 * architecture name, a hosted model name). The code extractors (Python, JavaScript / TypeScript, notebooks through
 * Python) read the same rows; a new loader is one row here plus a fixture in the extractor's tests.
 * Each row cites the library's documentation for the call and, for size aliases, the table the library ships.
 */
import type { ComponentRole, Relation } from "../../model/types.js";

/** What a loader's model argument holds. */
export type LoaderValue =
  /** A Hub id, a local folder or file, or a URL (the usual case). */
  | "hub-id"
  /** A size alias the library maps to a Hub repository (`large-v3` -> `Systran/faster-whisper-large-v3`). */
  | "size-alias"
  /** A named pack of models the library downloads by name (InsightFace `buffalo_l`). */
  | "model-pack"
  /** An architecture name from the library's registry (timm `vit_base_patch16_224`), weights chosen by the library. */
  | "architecture";

/** One loader. */
export interface LoaderRow {
  library: string;
  language: "python" | "js";
  /** The call's last name, or a pattern over it (`^FaceAnalysis\w*$` also matches a subclass named after it). */
  call: string | RegExp;
  /** The qualified call must start with one of these modules (as the file imports them), when set. */
  modules?: readonly string[];
  /** Keyword names of the model argument, in order of preference, then its position. */
  keywords: readonly string[];
  position?: number;
  /** Value used when the call passes none (the library's default). */
  defaultValue?: string;
  role?: ComponentRole;
  relation?: Relation;
  /** The argument names a dataset, not a model. */
  dataset?: boolean;
  /** For a reference to a local or Ollama runtime: the kind forced on bare names. */
  kind?: "ollama-tag";
  value: LoaderValue;
  /** For size aliases: alias -> Hub repository. */
  aliases?: Readonly<Record<string, string>>;
  /** For packs and architectures: the Hub repository a value names, with `{}` for the value. */
  upstream?: string;
  /**
   * For size aliases: keep the alias as a known component with the aliased repository as its `upstream` fact (the
   * knowledge base knows openai-whisper's sizes as components), instead of reporting the repository itself.
   */
  aliasAsComponent?: boolean;
  /** A second argument that completes the value as `<value>:<entry point>` (torch.hub's model entry point). */
  entrypoint?: { keywords: readonly string[]; position: number };
  /** Keyword arguments recorded as facts when constant (open_clip's `pretrained` tag). */
  factKeywords?: readonly string[];
  source: string;
}

/** faster-whisper's size aliases (`faster_whisper/utils.py` `_MODELS`, https://github.com/SYSTRAN/faster-whisper). */
const FASTER_WHISPER_SIZES: Readonly<Record<string, string>> = {
  "tiny.en": "Systran/faster-whisper-tiny.en",
  tiny: "Systran/faster-whisper-tiny",
  "base.en": "Systran/faster-whisper-base.en",
  base: "Systran/faster-whisper-base",
  "small.en": "Systran/faster-whisper-small.en",
  small: "Systran/faster-whisper-small",
  "medium.en": "Systran/faster-whisper-medium.en",
  medium: "Systran/faster-whisper-medium",
  "large-v1": "Systran/faster-whisper-large-v1",
  "large-v2": "Systran/faster-whisper-large-v2",
  "large-v3": "Systran/faster-whisper-large-v3",
  large: "Systran/faster-whisper-large-v3",
  "distil-large-v2": "Systran/faster-distil-whisper-large-v2",
  "distil-medium.en": "Systran/faster-distil-whisper-medium.en",
  "distil-small.en": "Systran/faster-distil-whisper-small.en",
  "distil-large-v3": "Systran/faster-distil-whisper-large-v3",
  "large-v3-turbo": "mobiuslabsgmbh/faster-whisper-large-v3-turbo",
  turbo: "mobiuslabsgmbh/faster-whisper-large-v3-turbo",
};

/** openai-whisper's size aliases (`whisper/__init__.py` `_MODELS`, https://github.com/openai/whisper#available-models-and-languages). */
const OPENAI_WHISPER_SIZES: Readonly<Record<string, string>> = Object.fromEntries(
  [
    "tiny.en",
    "tiny",
    "base.en",
    "base",
    "small.en",
    "small",
    "medium.en",
    "medium",
    "large-v1",
    "large-v2",
    "large-v3",
    "large",
    "large-v3-turbo",
    "turbo",
  ].map((s) => [s, `openai/whisper-${s === "large" ? "large-v3" : s === "turbo" ? "large-v3-turbo" : s}`]),
);

const HF_LANGCHAIN = "https://python.langchain.com/docs/integrations/providers/huggingface/";
const OLLAMA_LANGCHAIN = "https://python.langchain.com/docs/integrations/providers/ollama/";

/** Every loader the code extractors know beyond the transformers / huggingface_hub core. */
export const LOADERS: readonly LoaderRow[] = [
  {
    library: "faster-whisper",
    language: "python",
    call: "WhisperModel",
    modules: ["faster_whisper"],
    keywords: ["model_size_or_path"],
    position: 0,
    value: "size-alias",
    aliases: FASTER_WHISPER_SIZES,
    source: "https://github.com/SYSTRAN/faster-whisper#usage",
  },
  {
    library: "whisperx",
    language: "python",
    call: "load_model",
    modules: ["whisperx"],
    keywords: ["whisper_arch"],
    position: 0,
    value: "size-alias",
    aliases: FASTER_WHISPER_SIZES,
    source: "https://github.com/m-bain/whisperX#python-usage",
  },
  {
    library: "openai-whisper",
    language: "python",
    call: "load_model",
    modules: ["whisper"],
    keywords: ["name"],
    position: 0,
    role: "audio-encoder",
    value: "size-alias",
    aliases: OPENAI_WHISPER_SIZES,
    aliasAsComponent: true,
    source: "https://github.com/openai/whisper#python-usage",
  },
  {
    library: "torch",
    language: "python",
    call: "load",
    modules: ["torch.hub"],
    keywords: ["repo_or_dir"],
    position: 0,
    entrypoint: { keywords: ["model"], position: 1 },
    value: "hub-id",
    source: "https://pytorch.org/docs/stable/hub.html#torch.hub.load",
  },
  {
    library: "open_clip",
    language: "python",
    call: /^(?:create_model(?:_and_transforms|_from_pretrained)?|get_tokenizer)$/,
    // eva_clip: the EVA-CLIP package (https://github.com/baaivision/EVA/tree/master/EVA-CLIP), vendored by many
    // repositories, keeps open_clip's factory API and model-name registry.
    modules: ["open_clip", "eva_clip"],
    keywords: ["model_name"],
    position: 0,
    factKeywords: ["pretrained"],
    value: "architecture",
    source: "https://github.com/mlfoundations/open_clip#usage",
  },
  {
    library: "insightface",
    language: "python",
    call: /^FaceAnalysis\w*$/,
    keywords: ["name"],
    position: 0,
    defaultValue: "buffalo_l",
    role: "vision-encoder",
    value: "model-pack",
    upstream: "insightface/{}",
    source: "https://github.com/deepinsight/insightface/tree/master/python-package#model-zoo",
  },
  // facexlib face helpers: detectors and parsers named by a registry key, weights downloaded by the library.
  {
    library: "facexlib",
    language: "python",
    call: "FaceRestoreHelper",
    modules: ["facexlib"],
    keywords: ["det_model"],
    defaultValue: "retinaface_resnet50",
    role: "vision-encoder",
    value: "architecture",
    source: "https://github.com/xinntao/facexlib/blob/master/facexlib/utils/face_restoration_helper.py",
  },
  {
    library: "facexlib",
    language: "python",
    call: /^init_(?:detection|parsing|alignment|headpose|matting|recognition)_model$/,
    modules: ["facexlib"],
    keywords: ["model_name"],
    position: 0,
    role: "vision-encoder",
    value: "architecture",
    source: "https://github.com/xinntao/facexlib#-functions",
  },
  // whisper-timestamped's VAD: `method="silero"` loads Silero VAD through torch.hub (snakers4/silero-vad).
  {
    library: "whisper-timestamped",
    language: "python",
    call: /^(?:get_vad_segments|transcribe(?:_timestamped)?)$/,
    modules: ["whisper_timestamped"],
    keywords: ["method", "vad"],
    value: "size-alias",
    aliases: {
      silero: "snakers4/silero-vad",
      "silero:v3.1": "snakers4/silero-vad",
      "silero:v4.0": "snakers4/silero-vad",
    },
    source: "https://github.com/linto-ai/whisper-timestamped#options-that-may-improve-results",
  },
  {
    library: "timm",
    language: "python",
    call: "create_model",
    modules: ["timm"],
    keywords: ["model_name"],
    position: 0,
    role: "vision-encoder",
    value: "architecture",
    upstream: "timm/{}",
    source: "https://huggingface.co/docs/timm/reference/models#timm.create_model",
  },
  {
    library: "diffusers",
    language: "python",
    call: "load_ip_adapter",
    keywords: ["pretrained_model_name_or_path_or_dict"],
    position: 0,
    role: "adapter",
    relation: "adapter",
    value: "hub-id",
    source: "https://huggingface.co/docs/diffusers/api/loaders/ip_adapter",
  },
  {
    library: "diffusers",
    language: "python",
    call: "load_lora_weights",
    keywords: ["pretrained_model_name_or_path_or_dict"],
    position: 0,
    role: "adapter",
    relation: "adapter",
    value: "hub-id",
    source: "https://huggingface.co/docs/diffusers/api/loaders/lora",
  },
  {
    library: "diffusers",
    language: "python",
    call: "load_textual_inversion",
    keywords: ["pretrained_model_name_or_path"],
    position: 0,
    role: "adapter",
    relation: "adapter",
    value: "hub-id",
    source: "https://huggingface.co/docs/diffusers/api/loaders/textual_inversion",
  },
  {
    library: "diffusers",
    language: "python",
    call: "from_single_file",
    keywords: ["pretrained_model_link_or_path"],
    position: 0,
    value: "hub-id",
    source: "https://huggingface.co/docs/diffusers/api/loaders/single_file",
  },
  {
    library: "datasets",
    language: "python",
    call: "load_dataset",
    modules: ["datasets"],
    keywords: ["path"],
    position: 0,
    dataset: true,
    value: "hub-id",
    source: "https://huggingface.co/docs/datasets/package_reference/loading_methods#datasets.load_dataset",
  },
  // LangChain / LlamaIndex Hugging Face and Ollama classes (keyword arguments only).
  {
    library: "langchain",
    language: "python",
    call: "HuggingFaceEmbeddings",
    keywords: ["model_name", "model"],
    role: "embedding",
    value: "hub-id",
    source: HF_LANGCHAIN,
  },
  {
    library: "langchain",
    language: "python",
    call: "HuggingFaceBgeEmbeddings",
    keywords: ["model_name"],
    role: "embedding",
    value: "hub-id",
    source: HF_LANGCHAIN,
  },
  {
    library: "langchain",
    language: "python",
    call: "HuggingFaceInstructEmbeddings",
    keywords: ["model_name"],
    role: "embedding",
    value: "hub-id",
    source: HF_LANGCHAIN,
  },
  {
    library: "llama-index",
    language: "python",
    call: "HuggingFaceEmbedding",
    keywords: ["model_name"],
    role: "embedding",
    value: "hub-id",
    source: "https://docs.llamaindex.ai/en/stable/examples/embeddings/huggingface/",
  },
  {
    library: "langchain",
    language: "python",
    call: "HuggingFaceInferenceAPIEmbeddings",
    keywords: ["model_name"],
    role: "embedding",
    value: "hub-id",
    source: HF_LANGCHAIN,
  },
  {
    library: "langchain",
    language: "python",
    call: "HuggingFaceEndpointEmbeddings",
    keywords: ["model", "repo_id"],
    role: "embedding",
    value: "hub-id",
    source: HF_LANGCHAIN,
  },
  {
    library: "langchain",
    language: "python",
    call: "HuggingFaceEndpoint",
    keywords: ["repo_id", "model"],
    value: "hub-id",
    source: HF_LANGCHAIN,
  },
  {
    library: "langchain",
    language: "python",
    call: "HuggingFaceHub",
    keywords: ["repo_id"],
    value: "hub-id",
    source: HF_LANGCHAIN,
  },
  {
    library: "langchain",
    language: "python",
    call: "HuggingFaceTextGenInference",
    keywords: ["model"],
    value: "hub-id",
    source: HF_LANGCHAIN,
  },
  {
    library: "llama-index",
    language: "python",
    call: "HuggingFaceLLM",
    keywords: ["model_name"],
    value: "hub-id",
    source: "https://docs.llamaindex.ai/en/stable/examples/llm/huggingface/",
  },
  {
    library: "llama-index",
    language: "python",
    call: "HuggingFaceLLM",
    keywords: ["tokenizer_name"],
    role: "tokenizer",
    value: "hub-id",
    source: "https://docs.llamaindex.ai/en/stable/examples/llm/huggingface/",
  },
  {
    library: "llama-index",
    language: "python",
    call: "HuggingFaceInferenceAPI",
    keywords: ["model_name", "model"],
    value: "hub-id",
    source: "https://docs.llamaindex.ai/en/stable/examples/llm/huggingface/",
  },
  {
    library: "langchain",
    language: "python",
    call: "ChatHuggingFace",
    keywords: ["model_id"],
    value: "hub-id",
    source: HF_LANGCHAIN,
  },
  {
    library: "langchain",
    language: "python",
    call: "TextEmbeddingsInference",
    keywords: ["model_name"],
    role: "embedding",
    value: "hub-id",
    source: HF_LANGCHAIN,
  },
  {
    library: "langchain",
    language: "python",
    call: "ChatOllama",
    keywords: ["model"],
    kind: "ollama-tag",
    value: "hub-id",
    source: OLLAMA_LANGCHAIN,
  },
  {
    library: "langchain",
    language: "python",
    call: "Ollama",
    keywords: ["model"],
    kind: "ollama-tag",
    value: "hub-id",
    source: OLLAMA_LANGCHAIN,
  },
  {
    library: "langchain",
    language: "python",
    call: "OllamaLLM",
    keywords: ["model"],
    kind: "ollama-tag",
    value: "hub-id",
    source: OLLAMA_LANGCHAIN,
  },
  {
    library: "langchain",
    language: "python",
    call: "OllamaEmbeddings",
    keywords: ["model"],
    role: "embedding",
    kind: "ollama-tag",
    value: "hub-id",
    source: OLLAMA_LANGCHAIN,
  },
  {
    library: "llama-index",
    language: "python",
    call: "OllamaEmbedding",
    keywords: ["model_name"],
    role: "embedding",
    kind: "ollama-tag",
    value: "hub-id",
    source: "https://docs.llamaindex.ai/en/stable/examples/embeddings/ollama_embedding/",
  },
  // LangChain.js (the argument object's keys).
  {
    library: "langchain-js",
    language: "js",
    call: "HuggingFaceInferenceEmbeddings",
    keywords: ["model", "modelName"],
    role: "embedding",
    value: "hub-id",
    source: "https://js.langchain.com/docs/integrations/text_embedding/hugging_face_inference/",
  },
  {
    library: "langchain-js",
    language: "js",
    call: "HuggingFaceTransformersEmbeddings",
    keywords: ["model", "modelName"],
    role: "embedding",
    value: "hub-id",
    source: "https://js.langchain.com/docs/integrations/text_embedding/transformers/",
  },
  {
    library: "langchain-js",
    language: "js",
    call: "HuggingFaceInference",
    keywords: ["model", "modelName"],
    value: "hub-id",
    source: "https://js.langchain.com/docs/integrations/llms/huggingface_inference/",
  },
  {
    library: "langchain-js",
    language: "js",
    call: "ChatOllama",
    keywords: ["model", "modelName"],
    kind: "ollama-tag",
    value: "hub-id",
    source: "https://js.langchain.com/docs/integrations/chat/ollama/",
  },
  {
    library: "langchain-js",
    language: "js",
    call: "Ollama",
    keywords: ["model", "modelName"],
    kind: "ollama-tag",
    value: "hub-id",
    source: "https://js.langchain.com/docs/integrations/llms/ollama/",
  },
  {
    library: "langchain-js",
    language: "js",
    call: "OllamaEmbeddings",
    keywords: ["model", "modelName"],
    role: "embedding",
    kind: "ollama-tag",
    value: "hub-id",
    source: "https://js.langchain.com/docs/integrations/text_embedding/ollama/",
  },
];

/**
 * The loader rows of a call in `language`: by its last name, and by module when the row names modules
 * (`qualified` is the call as the file imports it, `faster_whisper.WhisperModel`).
 */
export function loadersFor(language: "python" | "js", qualified: string, last: string): LoaderRow[] {
  return LOADERS.filter(
    (r) =>
      r.language === language &&
      (typeof r.call === "string" ? r.call === last : r.call.test(last)) &&
      (!r.modules || r.modules.some((m) => qualified === `${m}.${last}` || qualified.startsWith(`${m}.`))),
  );
}

/** The Hub repository a size alias names for any size-alias loader of a library the file imports, if any. */
export function sizeAliasUpstream(
  value: string,
  importedModules: Iterable<string>,
): { repo: string; row: LoaderRow } | undefined {
  const mods = [...importedModules];
  for (const r of LOADERS) {
    if (r.value !== "size-alias" || !r.aliases?.[value]) continue;
    if (r.modules?.some((m) => mods.some((q) => q === m || q.startsWith(`${m}.`))))
      return { repo: r.aliases[value]!, row: r };
  }
  return undefined;
}
