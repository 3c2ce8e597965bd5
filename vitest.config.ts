import { defineConfig } from "vitest/config";

// `npm test`: everything that needs nothing outside the repository. The tests that read the real corpus
// (`../shared/corpus`) live in tests/corpus/ and run with `npm run test:corpus` (vitest.corpus.config.ts).
export default defineConfig({
  test: {
    include: ["src/**/*.test.ts", "tests/**/*.test.ts"],
    exclude: ["tests/corpus/**", "**/node_modules/**"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: "forks",
  },
});
