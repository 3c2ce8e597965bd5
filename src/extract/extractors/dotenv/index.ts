/**
 * Environment files: `.env`, `.env.example`, `.env.local`, `.env_sample`, `*.env`. Yields variable definitions for
 * the linking pass, which resolves `${VAR}` and `${VAR:-default}` in the files of the same folder and below.
 * Syntax per the dotenv conventions Docker Compose documents (https://docs.docker.com/compose/how-tos/environment-variables/variable-interpolation/#env-file-syntax).
 * Values are never copied into reports except when they name a model (and then with secrets redacted).
 */
import { posix } from "node:path";
import type { Extractor, ExtractOutput, VariableDefinition } from "../../types.js";

const ID = "dotenv";

/** Parses dotenv text into definitions (later definitions of a name win, as in Compose). */
export function parseDotenv(text: string, file: string, scope: string): VariableDefinition[] {
  const out: VariableDefinition[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    const m = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.]*)\s*=\s*(.*)$/.exec(line);
    if (!m) return;
    let value = m[2]!.trim();
    if (/^"/.test(value)) value = value.replace(/^"((?:[^"\\]|\\.)*)".*$/, "$1").replace(/\\(.)/g, "$1");
    else if (/^'/.test(value)) value = value.replace(/^'([^']*)'.*$/, "$1");
    else value = value.replace(/\s+#.*$/, "");
    out.push({ name: m[1]!, value, location: { file, line: i + 1, column: line.indexOf(m[1]!) + 1 }, scope });
  });
  return out;
}

export const dotenvExtractor: Extractor = {
  id: ID,
  description: "Environment files (.env, .env.example): variables for ${VAR} resolution",
  matches(_path, base) {
    return /^\.env(?:[._-][A-Za-z0-9_.-]+)?$/.test(base) || /\.env$/.test(base);
  },
  async extract(file, ctx): Promise<ExtractOutput> {
    const dir = posix.dirname(file.path) === "." ? "" : posix.dirname(file.path);
    return { variables: parseDotenv(await file.text(ctx.maxTextBytes), file.path, dir) };
  },
};
