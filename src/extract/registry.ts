/**
 * The extractor registry: an explicit list, sorted by id (Renovate `lib/modules/manager/api.ts`), not folder magic.
 * Adding a format means adding its folder under `src/extract/extractors/` and one line here; the conformance test
 * (`src/extract/registry.test.ts`) then demands its README, tests and fixtures.
 */
import { appSettingsExtractor } from "./extractors/app-settings/index.js";
import { attributionExtractor } from "./extractors/attribution/index.js";
import { dotenvExtractor } from "./extractors/dotenv/index.js";
import { hfConfigExtractor } from "./extractors/hf-config/index.js";
import { jsCodeExtractor } from "./extractors/js-code/index.js";
import { modelCardExtractor } from "./extractors/model-card/index.js";
import { modelfileExtractor } from "./extractors/modelfile/index.js";
import { peftAdapterExtractor } from "./extractors/peft-adapter/index.js";
import { pythonCodeExtractor } from "./extractors/python-code/index.js";
import { readmeMentionsExtractor } from "./extractors/readme-mentions/index.js";
import { servingExtractor } from "./extractors/serving/index.js";
import type { Extractor } from "./types.js";

/** Every registered extractor, sorted by id. */
export const EXTRACTORS: readonly Extractor[] = [
  appSettingsExtractor,
  attributionExtractor,
  dotenvExtractor,
  hfConfigExtractor,
  jsCodeExtractor,
  modelCardExtractor,
  modelfileExtractor,
  peftAdapterExtractor,
  pythonCodeExtractor,
  readmeMentionsExtractor,
  servingExtractor,
];
