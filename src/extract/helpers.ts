/**
 * Small helpers the extractors share: the folder of a file, the `folder:<dir>` marker the linking pass resolves to
 * the folder's model, parse-error diagnostics, and parsing a JSON/YAML manifest into a map or a diagnostic.
 */
import { posix } from "node:path";
import type { Diagnostic, SourceLocation } from "../model/types.js";
import { parseJsonDocument, parseYamlDocument, toPointer, type ParsedDocument } from "./document.js";
import type { FileReader } from "./types.js";

/** Root-relative folder of a root-relative file (`""` for the root). */
export function dirOf(path: string): string {
  const d = posix.dirname(path);
  return d === "." ? "" : d;
}

/** Subject / parent marker for "the model stored in this folder" (resolved by `src/extract/link.ts`). */
export function folderSubject(path: string): string {
  return `folder:${dirOf(path)}`;
}

/** A `parse-error` diagnostic naming the file (and the line, when the parser knows it). */
export function parseErrorDiagnostic(
  file: string,
  err: unknown,
  severity: Diagnostic["severity"] = "error",
  prefix = "",
): Diagnostic {
  const line = (err as { line?: number }).line;
  return {
    code: "parse-error",
    severity,
    message: `${prefix}${(err as Error).message}`,
    location: { file, ...(line ? { line } : {}) },
  };
}

/** A parsed manifest whose top level is a map. */
export interface MapDocument {
  doc: ParsedDocument;
  data: Record<string, unknown>;
  /** Location of the value at a key path (JSON pointer, line and column when known). */
  loc(tokens: readonly (string | number)[]): SourceLocation;
}

/**
 * Reads and parses a JSON (or, for `.yml`/`.yaml`, YAML) manifest whose top level must be a map.
 * @returns the document, or a diagnostic naming the file and what is wrong (never throws for bad content).
 * @throws the reader's errors (too large, binary, invalid UTF-8), which the core turns into diagnostics.
 */
export async function readMapDocument(
  file: FileReader,
  maxBytes: number,
  what: string,
): Promise<MapDocument | Diagnostic> {
  const text = await file.text(maxBytes);
  if (/^version https:\/\/git-lfs\.github\.com\/spec\/v1/.test(text)) {
    return {
      code: "git-lfs-pointer",
      severity: "warning",
      message: `${what} is a Git LFS pointer; the real file was not checked out`,
      location: { file: file.path, line: 1 },
    };
  }
  let doc: ParsedDocument;
  try {
    doc = /\.ya?ml$/i.test(file.path) ? parseYamlDocument(text) : parseJsonDocument(text);
  } catch (err) {
    return parseErrorDiagnostic(file.path, err, "error", `${what}: `);
  }
  if (typeof doc.data !== "object" || doc.data === null || Array.isArray(doc.data)) {
    return {
      code: "not-an-object",
      severity: "error",
      message: `${what} is not a ${/\.ya?ml$/i.test(file.path) ? "YAML map" : "JSON object"}`,
      location: { file: file.path, line: 1 },
    };
  }
  return { doc, data: doc.data as Record<string, unknown>, loc: (tokens) => locate(doc, file.path, tokens) };
}

/** Location of a key path in a parsed document. */
export function locate(doc: ParsedDocument, file: string, tokens: readonly (string | number)[]): SourceLocation {
  const pointer = toPointer(tokens);
  return { file, pointer, ...(doc.locate(pointer) ?? {}) };
}

/** True when a value is a diagnostic rather than a document (narrowing for {@link readMapDocument}). */
export function isDiagnostic(x: MapDocument | Diagnostic): x is Diagnostic {
  return (x as Diagnostic).code !== undefined && (x as MapDocument).doc === undefined;
}

/** A string value, or undefined. */
export const str = (v: unknown): string | undefined => (typeof v === "string" && v.trim() !== "" ? v : undefined);
