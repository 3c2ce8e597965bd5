/**
 * Environment files: `.env`, `.env.example`, `.env.local`, `.env_sample`, `*.env`. Yields variable definitions for
 * the linking pass, which resolves `${VAR}` and `${VAR:-default}` in the files of the same folder and below.
 * Syntax per the dotenv conventions Docker Compose documents (https://docs.docker.com/compose/how-tos/environment-variables/variable-interpolation/#env-file-syntax).
 * Values are never copied into reports except when they name a model (and then with secrets redacted).
 */
import { posix } from "node:path";
import type { Extractor, ExtractOutput, VariableDefinition } from "../../types.js";
import { findValueLine, settingsReferences } from "../app-settings/index.js";

const ID = "dotenv";

/**
 * Parses dotenv text into definitions (later definitions of a name win, as in Compose). Quoted values (`"`, `'`,
 * and the backtick quoting dotenv-expand and SvelteKit apps such as chat-ui use) may span several lines.
 */
export function parseDotenv(text: string, file: string, scope: string): VariableDefinition[] {
  const out: VariableDefinition[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const m = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.]*)\s*=(.*)$/.exec(line);
    if (!m) continue;
    let value = m[2]!.trim();
    const start = i;
    const q = value[0];
    if ((q === '"' || q === "'" || q === "`") && !new RegExp(`^${q}(?:[^${q}\\\\]|\\\\.)*${q}`).test(value)) {
      // A multi-line quoted value: read until the closing quote.
      while (i + 1 < lines.length && !lines[i + 1]!.trimEnd().endsWith(q)) value += "\n" + lines[++i]!;
      if (i + 1 < lines.length) value += "\n" + lines[++i]!;
    }
    if (q === '"') value = value.replace(/^"((?:[^"\\]|\\.)*)"[^]*$/, "$1").replace(/\\(["\\$`])/g, "$1");
    else if (q === "'") value = value.replace(/^'([^']*)'[^]*$/, "$1");
    else if (q === "`") value = value.replace(/^`([^`]*)`[^]*$/, "$1");
    else value = stripInlineComment(value);
    out.push({ name: m[1]!, value, location: { file, line: start + 1, column: line.indexOf(m[1]!) + 1 }, scope });
  }
  return out;
}

export const dotenvExtractor: Extractor = {
  id: ID,
  declaresModels: true,
  holdsReferences: true,
  description: "Environment files (.env, .env.example): variables for ${VAR} resolution",
  matches(_path, base) {
    return /^\.env(?:[._-][A-Za-z0-9_.-]+)?$/.test(base) || /\.env$/.test(base);
  },
  async extract(file, ctx): Promise<ExtractOutput> {
    const dir = posix.dirname(file.path) === "." ? "" : posix.dirname(file.path);
    const text = await file.text(ctx.maxTextBytes);
    const variables = parseDotenv(text, file.path, dir);
    // Model-named variables and JSON model lists (`MODELS=[...]`) are references of their own.
    const data: Record<string, string> = {};
    for (const v of variables) data[v.name] = v.value;
    const lineOf = new Map(variables.map((v) => [v.name, v.location.line ?? 1]));
    const references = settingsReferences(data, {
      file: file.path,
      extractor: ID,
      locate: (pointer, value, key) => {
        const hash = pointer.indexOf("#");
        const name = (hash >= 0 ? pointer.slice(1, hash) : pointer.slice(1)).split("/")[0] ?? "";
        const from = lineOf.get(name) ?? 1;
        return findValueLine(text, value, from, hash >= 0 ? key : undefined) ?? { line: from, column: 1 };
      },
    });
    return { variables, references };
  },
};

/** An unquoted value without its ` # comment` (a `#` after whitespace) or all of it when it starts with `#`. */
function stripInlineComment(value: string): string {
  if (value.startsWith("#")) return "";
  for (let i = 1; i < value.length; i++)
    if (value[i] === "#" && /\s/.test(value[i - 1]!)) return value.slice(0, i).trimEnd();
  return value;
}
