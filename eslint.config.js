// ESLint flat config. The base: every regular expression in src/ must run in linear time (a scanned file is
// untrusted input; a super-linear regex on it hangs the scan). Issue 11; other rule sets extend this list.
import tsParser from "@typescript-eslint/parser";
import regexp from "eslint-plugin-regexp";

export default [
  { ignores: ["dist/**", "node_modules/**", "coverage/**"] },
  {
    files: ["src/**/*.ts"],
    languageOptions: { parser: tsParser, ecmaVersion: "latest", sourceType: "module" },
    plugins: { regexp },
    linterOptions: { reportUnusedDisableDirectives: "off" },
    rules: {
      "regexp/no-super-linear-backtracking": "error",
      "regexp/no-super-linear-move": "error",
    },
  },
];
