/**
 * Parsed JSON / YAML documents that remember where each value sits, so every piece of evidence carries a line,
 * a column and an RFC 6901 JSON pointer.
 *
 * JSON goes through `jsonc-parser` (the VS Code parser: tolerant, offset-aware), YAML through `yaml` with alias
 * expansion capped (a YAML "billion laughs" document fails with an error instead of exhausting memory).
 */
import {
  parseTree,
  type Node as JsonNode,
  type ParseError,
  printParseErrorCode,
  findNodeAtLocation,
  getNodeValue,
} from "jsonc-parser";
import type { Node as YamlNode } from "yaml";
import { yaml } from "../util/yaml.js";

/** A parsed document: its data and a way to find where a JSON pointer sits in the text. */
export interface ParsedDocument {
  data: unknown;
  /** 1-based line and column of the value at `pointer` (of its key when it has one), or undefined. */
  locate(pointer: string): { line: number; column: number } | undefined;
  /**
   * Keys written more than once in one object (JSON allows it; parsers keep the last value, hiding the others).
   * `pointer` is the object's pointer; `values` and `lines` list every occurrence in order.
   */
  duplicates?: { pointer: string; key: string; values: unknown[]; lines: number[] }[];
}

/** Error thrown for a document that cannot be parsed; `message` says what is wrong and where. */
export class DocumentParseError extends Error {
  constructor(
    message: string,
    readonly line?: number,
  ) {
    super(message);
    this.name = "DocumentParseError";
  }
}

/** `PropertyNameExpected` -> `property name expected`. */
function words(code: string): string {
  return code.replace(/([a-z])([A-Z])/g, "$1 $2").toLowerCase();
}

/** Escapes one reference token for a JSON pointer (RFC 6901 §3). */
export function pointerToken(token: string | number): string {
  return String(token).replace(/~/g, "~0").replace(/\//g, "~1");
}

/** Joins tokens into a JSON pointer: `["a","b/c",0]` -> `/a/b~1c/0`. */
export function toPointer(tokens: readonly (string | number)[]): string {
  return tokens.map((t) => "/" + pointerToken(t)).join("");
}

function parsePointer(pointer: string): string[] {
  if (pointer === "") return [];
  return pointer
    .slice(1)
    .split("/")
    .map((t) => t.replace(/~1/g, "/").replace(/~0/g, "~"));
}

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  return starts;
}

function offsetToLineCol(starts: number[], offset: number): { line: number; column: number } {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= offset) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo + 1, column: offset - starts[lo]! + 1 };
}

/**
 * Parses JSON text.
 * @param lineOffset lines before this text in its file (for front matter and embedded documents).
 * @throws DocumentParseError naming the first syntax error and its line.
 */
export function parseJsonDocument(text: string, lineOffset = 0): ParsedDocument {
  const errors: ParseError[] = [];
  const tree = parseTree(text, errors, { allowTrailingComma: false, disallowComments: true });
  const starts = lineStarts(text);
  if (errors.length > 0 || tree === undefined) {
    const first = errors[0];
    const at = first ? offsetToLineCol(starts, first.offset) : undefined;
    throw new DocumentParseError(
      `invalid JSON: ${first ? words(printParseErrorCode(first.error)) : "empty document"}${at ? ` at line ${at.line + lineOffset}, column ${at.column}` : ""}`,
      at ? at.line + lineOffset : undefined,
    );
  }
  const data = getNodeValue(tree) as unknown;
  const duplicates: NonNullable<ParsedDocument["duplicates"]> = [];
  const findDuplicates = (node: JsonNode, tokens: (string | number)[]): void => {
    if (node.type === "object") {
      const seen = new Map<string, JsonNode[]>();
      for (const prop of node.children ?? []) {
        const [k, v] = prop.children ?? [];
        if (!k || typeof k.value !== "string") continue;
        // Appended in place: a copy per occurrence was quadratic in a key written 100,000 times.
        const same = seen.get(k.value);
        if (same) same.push(prop);
        else seen.set(k.value, [prop]);
        if (v) findDuplicates(v, [...tokens, k.value]);
      }
      for (const [key, props] of seen) {
        if (props.length > 1)
          duplicates.push({
            pointer: toPointer(tokens),
            key,
            values: props.map((p) => (p.children?.[1] ? getNodeValue(p.children[1]) : undefined)),
            lines: props.map((p) => offsetToLineCol(starts, p.offset).line + lineOffset),
          });
      }
    } else if (node.type === "array") {
      (node.children ?? []).forEach((c, i) => findDuplicates(c, [...tokens, i]));
    }
  };
  findDuplicates(tree, []);
  return {
    data,
    ...(duplicates.length > 0 ? { duplicates } : {}),
    locate(pointer) {
      const node = findJsonNode(tree, parsePointer(pointer));
      if (!node) return undefined;
      const anchor = node.parent?.type === "property" ? node.parent : node;
      const lc = offsetToLineCol(starts, anchor.offset);
      return { line: lc.line + lineOffset, column: lc.column };
    },
  };
}

// Walks the offset tree by pointer tokens (numbers index arrays, strings name object keys).
function findJsonNode(root: JsonNode, tokens: string[]): JsonNode | undefined {
  const path: (string | number)[] = [];
  let node: JsonNode | undefined = root;
  for (const token of tokens) {
    if (!node) return undefined;
    path.push(node.type === "array" ? Number(token) : token);
    node = findNodeAtLocation(root, path);
  }
  return node;
}

/** Deepest nesting of YAML flow collections (`{`, `[`) parsed: the parser recurses once per level. */
const MAX_FLOW_DEPTH = 1000;

/**
 * Deepest nesting of `{`/`[` outside quoted scalars and comments, with the line where it first passes
 * {@link MAX_FLOW_DEPTH}: a linear pre-check, so that 100,000 nested braces never reach the recursive parser.
 */
function flowDepth(text: string): { max: number; line: number } {
  let depth = 0;
  let max = 0;
  let line = 1;
  let at = 1;
  let quote = "";
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === "\n") line++;
    if (quote) {
      if (c === quote) quote = "";
      else if (c === "\n" && quote === "#") quote = "";
      continue;
    }
    if (c === '"' || c === "'") quote = c;
    else if (c === "#" && (i === 0 || text[i - 1] === " " || text[i - 1] === "\n")) quote = "#";
    else if (c === "{" || c === "[") {
      depth++;
      if (depth > max) {
        max = depth;
        if (max === MAX_FLOW_DEPTH + 1) at = line;
      }
    } else if ((c === "}" || c === "]") && depth > 0) depth--;
  }
  return { max, line: at };
}

/** Maximum number of alias resolutions in one YAML document (guards against alias bombs). */
const YAML_MAX_ALIAS_COUNT = 100;

/**
 * Parses one YAML document.
 * @throws DocumentParseError on syntax errors, duplicate keys and alias bombs.
 */
export function parseYamlDocument(text: string, lineOffset = 0): ParsedDocument {
  const depth = flowDepth(text);
  if (depth.max > MAX_FLOW_DEPTH)
    throw new DocumentParseError(
      `invalid YAML at line ${depth.line + lineOffset}: flow collections nested deeper than ${MAX_FLOW_DEPTH} levels`,
      depth.line + lineOffset,
    );
  const lineCounter = new (yaml().LineCounter)();
  const doc = yaml().parseDocument(text, { lineCounter, uniqueKeys: false, prettyErrors: false, strict: false });
  if (doc.errors.length > 0) {
    const e = doc.errors[0]!;
    const at = e.pos?.[0] !== undefined ? lineCounter.linePos(e.pos[0]) : undefined;
    throw new DocumentParseError(
      `invalid YAML at line ${(at?.line ?? 1) + lineOffset}: ${e.message.split("\n")[0]}`,
      at ? at.line + lineOffset : undefined,
    );
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: YAML_MAX_ALIAS_COUNT });
  } catch (err) {
    const msg = (err as Error).message.split("\n")[0] ?? "";
    throw new DocumentParseError(
      /alias/i.test(msg)
        ? `invalid YAML: too many alias expansions (a YAML alias bomb?): ${msg}`
        : `invalid YAML: ${msg}`,
      1 + lineOffset,
    );
  }
  return {
    data,
    locate(pointer) {
      let node: unknown = doc.contents;
      let keyNode: unknown;
      for (const token of parsePointer(pointer)) {
        if (yaml().isMap(node)) {
          const pair = node.items.find(
            (p) => yaml().isPair(p) && String(yaml().isScalar(p.key) ? p.key.value : p.key) === token,
          );
          if (!pair) return undefined;
          keyNode = pair.key;
          node = pair.value;
        } else if (yaml().isSeq(node)) {
          const item = node.items[Number(token)];
          if (item === undefined) return undefined;
          keyNode = undefined;
          node = item;
        } else return undefined;
      }
      const anchor = (keyNode ?? node) as YamlNode | undefined;
      const offset = anchor?.range?.[0];
      if (offset === undefined) return undefined;
      const lp = lineCounter.linePos(offset);
      return { line: lp.line + lineOffset, column: lp.col };
    },
  };
}
