/**
 * The extractor registry: an explicit list, sorted by id (Renovate `lib/modules/manager/api.ts`), not folder magic.
 * Adding a format means adding its folder under `src/extract/extractors/` and one line here; the conformance test
 * (`src/extract/registry.test.ts`) then demands its README, tests and fixtures.
 */
import { attributionExtractor } from "./extractors/attribution/index.js";
import { dotenvExtractor } from "./extractors/dotenv/index.js";
import { hfConfigExtractor } from "./extractors/hf-config/index.js";
import { modelCardExtractor } from "./extractors/model-card/index.js";
import { peftAdapterExtractor } from "./extractors/peft-adapter/index.js";
import type { Extractor } from "./types.js";

/** Every registered extractor, sorted by id. */
export const EXTRACTORS: readonly Extractor[] = [attributionExtractor, dotenvExtractor, hfConfigExtractor, modelCardExtractor, peftAdapterExtractor];
