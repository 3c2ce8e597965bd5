/**
 * The extractor interface: the seam every manifest format plugs into.
 *
 * An extractor is one typed object (Renovate's managers, knip's plugins): a cheap path-only `matches` test
 * (osv-scalibr's `FileRequired`) kept apart from the parse (`extract`). The core walks the tree and hands each
 * extractor its file through a {@link FileReader} with bounded operations; an extractor never walks directories,
 * never touches the network and never executes what it reads. Facts that span files (`${VAR}` defined in `.env`,
 * a local path pointing at a model folder) are joined afterwards by the linking pass (`src/extract/link.ts`).
 */
import type { Readable } from "node:stream";
import type {
  ComponentRole,
  Diagnostic,
  Evidence,
  LocalComponent,
  Mention,
  ModelReference,
  SourceLocation,
} from "../model/types.js";

/** Bounded, read-only access to one file of the scanned tree. */
export interface FileReader {
  /** Path relative to the scanned root, POSIX separators. */
  readonly path: string;
  /** Size in bytes. */
  readonly size: number;
  /**
   * The file as UTF-8 text.
   * @param limit maximum bytes (default: the scan's text limit).
   * @throws FileTooLargeError when the file is larger than `limit`; BinaryFileError when it holds NUL bytes;
   *   InvalidUtf8Error when it is not valid UTF-8.
   */
  text(limit?: number): Promise<string>;
  /** The first `n` bytes (fewer when the file is shorter). */
  head(n: number): Promise<Uint8Array>;
  /** Bytes `[start, end)` of the file. @throws RangeError when the range lies outside the file. */
  range(start: number, end: number): Promise<Uint8Array>;
  /** A stream of the whole file, for formats that must be read in bounded memory (tokenizer.json). */
  stream(): Readable;
  /** Absolute path, only for libraries that insist on a path (e.g. `@huggingface/gguf` with `allowLocalFile`). */
  readonly absolutePath: string;
}

/** A variable definition found in an env file or a compose `environment:` block, for `${VAR}` resolution. */
export interface VariableDefinition {
  name: string;
  value: string;
  location: SourceLocation;
  /** Scope: the folder (root-relative) whose files it applies to; `""` for the root. */
  scope: string;
}

/**
 * Facts about the model stored in a folder, from a file that describes the folder rather than a component
 * (a model card). The linking pass attaches them to the folder's top-level component, or makes one.
 * References whose `subject` is `folder:<dir>`, and components whose `parent` is `folder:<dir>`, belong to the same
 * model: the linking pass replaces the marker with the folder owner's key.
 */
export interface FolderFacts {
  /** Root-relative folder (`""` for the root). */
  dir: string;
  location: SourceLocation;
  name?: string;
  license?: string;
  licenseLocation?: SourceLocation;
  tags?: string[];
  claims?: { fromScratch?: Evidence };
  /** Facts about the folder's model (quantization, tensor counts, tokenizer hints), merged into its owner's facts. */
  facts?: Record<string, string | number | boolean | string[]>;
  /** Role of the folder's model when this file says it (a sentence-transformers folder is an `embedding`). */
  role?: ComponentRole;
  /**
   * The file describes a part, not a model (special tokens, a chat template): when the folder has no model, its facts
   * go to a part of the folder (its tokenizer) instead of making a model up.
   */
  attachOnly?: boolean;
  /** The folder's metadata could not be read (broken front matter): its model is undetermined. */
  unparsable?: boolean;
}

/** What one extractor found in one file. Every field is optional: most files yield little. */
export interface ExtractOutput {
  components?: LocalComponent[];
  references?: ModelReference[];
  mentions?: Mention[];
  variables?: VariableDefinition[];
  folders?: FolderFacts[];
  diagnostics?: Diagnostic[];
  /** Attribution documents, for licence-duty rules (never copied into the report). */
  documents?: ProjectDocument[];
  /** Facts about a code module that other files may import (constants, classes), for cross-file resolution. */
  codeModules?: CodeModuleFacts[];
  /** Code that takes a model from another module: the linking pass turns each into a reference when it resolves. */
  pendingCode?: PendingCodeReference[];
}

/**
 * What a source file defines that another file can import: module-level string constants and classes whose
 * constructor has model-named parameters with defaults. Read by the linking pass (`src/extract/link.ts`).
 */
export interface CodeModuleFacts {
  /** Root-relative POSIX path of the module's file. */
  file: string;
  language: "python" | "js";
  /** Module-level constants by name (JS: members of the default export are `default.NAME`). */
  constants?: Record<string, { value: string; line: number }>;
  /** Top-level classes. */
  classes?: CodeClassFacts[];
  /** The module imports an Ollama client: a bare model name there is an Ollama tag. */
  usesOllama?: boolean;
}

/** A class and the model-named defaults of its constructor (Python `__init__`). */
export interface CodeClassFacts {
  name: string;
  /** Base classes: `module.Name` when imported (module as written), `Name` when defined in the same file. */
  bases: string[];
  /** True when the class defines its own constructor (its defaults then hide its bases'). */
  hasInit: boolean;
  /** Model-named constructor parameters with their default: a constant `value` or the source `expression`. */
  modelDefaults: { param: string; value?: string; expression?: string; line: number }[];
}

/**
 * A place where code takes a model from another module: a class built without a model argument (`Chain()`, whose
 * constructor default names the model) or an imported constant. Becomes a reference only when the module is in the
 * scanned tree and the symbol is found there.
 */
export interface PendingCodeReference {
  extractor: string;
  language: "python" | "js";
  location: SourceLocation;
  /** `constructor`: a class instantiated with no model argument. */
  via: "constructor";
  /** The import's module as written (`chains`, `.base`, `src.core.chat_vector`); `""` for the same file. */
  module: string;
  /** The class name in that module. */
  symbol: string;
}

/** Settings an extractor may read. */
export interface ExtractContext {
  /** Maximum bytes read as text from one file. */
  maxTextBytes: number;
  /** Longest one file's parse and code analysis may take, in milliseconds (default `ANALYSIS_BUDGET_MS`, 10 s). */
  analysisBudgetMs?: number;
}

/** One manifest format. */
export interface Extractor {
  /** Kebab-case id, unique in the registry (`src/extract/registry.ts`). */
  readonly id: string;
  /** One line: what the format is and what it yields. */
  readonly description: string;
  /**
   * Cheap path-only test: does this extractor want the file? Must not read the file.
   * @param path root-relative POSIX path; @param base its last segment.
   */
  matches(path: string, base: string): boolean;
  /**
   * True when the files this extractor reads (code, serving files, settings, recipes) may hold model references that
   * only it would find. Such a file that cannot be read (not UTF-8, binary, too large, no permission) and whose raw
   * bytes hold model words becomes an unresolved reference (skip reason `parse-error`): its component, or the
   * product, is undetermined, never a silent pass.
   */
  readonly holdsReferences?: boolean;
  /** With {@link holdsReferences}: a file over the size limit is data (a dataset dump), not a file that was missed. */
  readonly largeFilesAreData?: boolean;
  /**
   * True for declaration formats (a model config, model card, merge recipe, Modelfile, `.env`): their whole content
   * is model declarations, so one over the read limit is an unresolved reference (skip reason `parse-error`) whatever
   * its bytes hold, never a silent drop (issue 11, break B6: padding a declaration past the limit hid it).
   */
  readonly declaresModels?: boolean;
  /**
   * Parses the file. Problems with the file become diagnostics in the output (or a thrown error, which the core
   * turns into a diagnostic naming the file); nothing is ever written.
   */
  extract(file: FileReader, ctx: ExtractContext): Promise<ExtractOutput>;
}

/**
 * An attribution document of the project (README, NOTICE, LICENSE, USE_POLICY, ...): its text, for rules that check
 * a licence's attribution duties ("Built with Llama", the Gemma NOTICE line). Kept in memory for the policy engine
 * only; the report never carries the text.
 */
export interface ProjectDocument {
  /** Root-relative POSIX path. */
  file: string;
  kind: "readme" | "notice" | "license" | "use-policy";
  text: string;
}
