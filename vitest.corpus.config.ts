import { defineConfig } from "vitest/config";

// `npm run test:corpus` (scripts/test-corpus.js): the tests that scan the real corpus in `../shared/corpus`.
export default defineConfig({
  test: {
    include: ["tests/corpus/**/*.test.ts"],
    testTimeout: 120_000,
    hookTimeout: 60_000,
    pool: "forks",
  },
});
