/**
 * The extractor registry: an explicit list, sorted by id (Renovate `lib/modules/manager/api.ts`), not folder magic.
 * Adding a format means adding its folder under `src/extract/extractors/` and one line here; the conformance test
 * (`src/extract/registry.test.ts`) then demands its README, tests and fixtures.
 */
import { appSettingsExtractor } from "./extractors/app-settings/index.js";
import { attributionExtractor } from "./extractors/attribution/index.js";
import { chatTemplateExtractor } from "./extractors/chat-template/index.js";
import { diffusersPipelineExtractor } from "./extractors/diffusers-pipeline/index.js";
import { dotenvExtractor } from "./extractors/dotenv/index.js";
import { generationConfigExtractor } from "./extractors/generation-config/index.js";
import { ggufExtractor } from "./extractors/gguf/index.js";
import { hfConfigExtractor } from "./extractors/hf-config/index.js";
import { jsCodeExtractor } from "./extractors/js-code/index.js";
import { mergekitExtractor } from "./extractors/mergekit/index.js";
import { modelCardExtractor } from "./extractors/model-card/index.js";
import { modelfileExtractor } from "./extractors/modelfile/index.js";
import { peftAdapterExtractor } from "./extractors/peft-adapter/index.js";
import { processorConfigExtractor } from "./extractors/processor-config/index.js";
import { pythonCodeExtractor } from "./extractors/python-code/index.js";
import { quantizationConfigExtractor } from "./extractors/quantization-config/index.js";
import { readmeMentionsExtractor } from "./extractors/readme-mentions/index.js";
import { safetensorsHeaderExtractor } from "./extractors/safetensors-header/index.js";
import { safetensorsIndexExtractor } from "./extractors/safetensors-index/index.js";
import { sentenceTransformersExtractor } from "./extractors/sentence-transformers/index.js";
import { servingExtractor } from "./extractors/serving/index.js";
import { specialTokensMapExtractor } from "./extractors/special-tokens-map/index.js";
import { timmOpenClipExtractor } from "./extractors/timm-open-clip/index.js";
import { tokenizerConfigExtractor } from "./extractors/tokenizer-config/index.js";
import { tokenizerJsonExtractor } from "./extractors/tokenizer-json/index.js";
import { trainingRecipeExtractor } from "./extractors/training-recipe/index.js";
import type { Extractor } from "./types.js";

/** Every registered extractor, sorted by id. */
export const EXTRACTORS: readonly Extractor[] = [
  appSettingsExtractor,
  attributionExtractor,
  chatTemplateExtractor,
  diffusersPipelineExtractor,
  dotenvExtractor,
  generationConfigExtractor,
  ggufExtractor,
  hfConfigExtractor,
  jsCodeExtractor,
  mergekitExtractor,
  modelCardExtractor,
  modelfileExtractor,
  peftAdapterExtractor,
  processorConfigExtractor,
  pythonCodeExtractor,
  quantizationConfigExtractor,
  readmeMentionsExtractor,
  safetensorsHeaderExtractor,
  safetensorsIndexExtractor,
  sentenceTransformersExtractor,
  servingExtractor,
  specialTokensMapExtractor,
  timmOpenClipExtractor,
  tokenizerConfigExtractor,
  tokenizerJsonExtractor,
  trainingRecipeExtractor,
];
