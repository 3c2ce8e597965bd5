/**
 * The bounded, read-only {@link FileReader} handed to extractors. Files are opened read-only; nothing is written.
 */
import { createReadStream } from "node:fs";
import { open } from "node:fs/promises";
import type { Readable } from "node:stream";
import type { FileReader } from "./types.js";

/** The file is larger than the read limit. */
export class FileTooLargeError extends Error {
  constructor(
    readonly size: number,
    readonly limit: number,
  ) {
    super(`file is ${size} bytes, larger than the ${limit}-byte read limit; not read`);
    this.name = "FileTooLargeError";
  }
}

/** The file holds NUL bytes where text was expected. */
export class BinaryFileError extends Error {
  constructor() {
    super("file is binary (holds NUL bytes), expected text");
    this.name = "BinaryFileError";
  }
}

/** The file is not valid UTF-8. */
export class InvalidUtf8Error extends Error {
  constructor() {
    super("file is not valid UTF-8 text");
    this.name = "InvalidUtf8Error";
  }
}

const decoder = new TextDecoder("utf-8", { fatal: true });

/** Strict UTF-8 text of `bytes` without a leading BOM, or undefined when they are not valid UTF-8. */
export function decodeText(bytes: Uint8Array): string | undefined {
  try {
    const text = decoder.decode(bytes);
    return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  } catch {
    return undefined;
  }
}

/** Counts bytes read through readers created with the same counter. */
export interface ReadCounter {
  bytes: number;
}

/**
 * Creates a reader for one file.
 * @param path root-relative POSIX path; @param absolutePath where to read it; @param size its size in bytes;
 * @param defaultTextLimit the scan's text limit in bytes; @param counter accumulates bytes read (coverage).
 * @param preloaded the file's bytes when the caller already read them (not counted again), or its text when the caller
 *   already decoded it (then `head` and `range` read the file again).
 */
export function createFileReader(
  path: string,
  absolutePath: string,
  size: number,
  defaultTextLimit: number,
  counter: ReadCounter,
  preloaded?: Uint8Array | { text: string },
): FileReader {
  const preloadedText = preloaded && "text" in preloaded ? preloaded.text : undefined;
  const preloadedBytes = preloaded instanceof Uint8Array ? preloaded : undefined;
  const readRange = async (start: number, end: number): Promise<Uint8Array> => {
    // A file already read once for this scan (small files are read once and shared by every extractor that wants it).
    if (preloadedBytes) return preloadedBytes.subarray(Math.max(0, start), Math.min(end, preloadedBytes.length));
    const fh = await open(absolutePath, "r");
    try {
      const len = Math.max(0, end - start);
      const buf = Buffer.alloc(len);
      const { bytesRead } = await fh.read(buf, 0, len, start);
      counter.bytes += bytesRead;
      return buf.subarray(0, bytesRead);
    } finally {
      await fh.close();
    }
  };
  return {
    path,
    size,
    absolutePath,
    async text(limit = defaultTextLimit) {
      if (size > limit) throw new FileTooLargeError(size, limit);
      if (preloadedText !== undefined) return preloadedText;
      const bytes = await readRange(0, size);
      if (bytes.includes(0)) throw new BinaryFileError();
      const text = decodeText(bytes);
      if (text === undefined) throw new InvalidUtf8Error();
      return text;
    },
    head(n: number) {
      return readRange(0, Math.min(n, size));
    },
    range(start: number, end: number) {
      if (start < 0 || end > size || start > end)
        return Promise.reject(new RangeError(`range ${start}-${end} lies outside the ${size}-byte file`));
      return readRange(start, end);
    },
    stream(): Readable {
      const s = createReadStream(absolutePath);
      s.on("data", (chunk) => {
        counter.bytes += chunk.length;
      });
      return s;
    },
  };
}
