/**
 * The reporter registry: every report format, each a pure function of the {@link AuditResult}, loaded on demand (the
 * CycloneDX library and the HTML graph layout are large, and most runs write one or two formats). The CLI's
 * `--format` choices and its `--<format>-output <file>` flags are built from this one table.
 * `text` (terminal), `json` (the result itself, `schemas/report.schema.json`), `sarif` (SARIF 2.1.0), `markdown`
 * (pull-request summary), `html` (procurement), `cyclonedx` (CycloneDX 1.6 AI-BOM), `spdx` (SPDX 3.0.1 with the AI
 * profile), `junit` (JUnit XML).
 */
import type { AuditResult } from "../model/types.js";
import { displaySafe } from "./escape.js";

/** Every report format, in the order `--help` lists them. */
export const REPORT_FORMATS = ["text", "json", "sarif", "markdown", "html", "cyclonedx", "spdx", "junit"] as const;

/** A report format name. */
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/** A renderer: a pure function of the audit result (`color` and `verbose` apply to `text` only, `sarifCategory` to `sarif`). */
export type Renderer = (
  result: AuditResult,
  options: { color?: boolean; verbose?: boolean; sarifCategory?: string },
) => string;

/** One registry entry: what its `--<format>-output` flag writes (none for `text`), and how to load its renderer. */
interface Reporter {
  output?: string;
  load: () => Promise<Renderer>;
}

const REPORTERS = {
  text: {
    load: async () => {
      const { renderText } = await import("./text.js");
      return (r, o) => renderText(r, { color: o.color ?? false, verbose: o.verbose ?? false });
    },
  },
  json: {
    output: "the JSON result (schemas/report.schema.json)",
    load: async () => (r) => `${JSON.stringify(r, null, 2)}\n`,
  },
  sarif: {
    output: "SARIF 2.1.0 for code scanning",
    load: async () => {
      const { renderSarif } = await import("./sarif.js");
      return (r, o) => renderSarif(r, o.sarifCategory !== undefined ? { category: o.sarifCategory } : {});
    },
  },
  markdown: {
    output: "a Markdown pull-request summary",
    load: async () => (await import("./markdown.js")).renderMarkdown,
  },
  html: { output: "a self-contained HTML report", load: async () => (await import("./html.js")).renderHtml },
  cyclonedx: {
    output: "a CycloneDX 1.6 JSON AI-BOM",
    load: async () => (await import("./cyclonedx.js")).renderCycloneDx,
  },
  spdx: { output: "an SPDX 3.0.1 JSON-LD AI-BOM", load: async () => (await import("./spdx.js")).renderSpdx },
  junit: { output: "JUnit XML", load: async () => (await import("./junit.js")).renderJunit },
} satisfies Record<ReportFormat, Reporter>;

/**
 * Formats a reader sees as text (terminal, Markdown, HTML, SARIF messages, JUnit XML): the result's strings reach
 * them with their control characters made visible (escape.ts). JSON, CycloneDX and SPDX keep the data verbatim.
 */
const TEXT_SINKS: ReadonlySet<ReportFormat> = new Set(["text", "markdown", "html", "sarif", "junit"]);

/** Loads the renderer of one format and nothing else (a text-like one renders a {@link displaySafe} copy). */
export async function loadRenderer(format: ReportFormat): Promise<Renderer> {
  const render = await REPORTERS[format].load();
  return TEXT_SINKS.has(format) ? (result, options) => render(displaySafe(result), options) : render;
}

/** The `--<format>-output <file>` flags: commander option key, flag, format and what the file holds. */
export const OUTPUT_FLAGS: readonly { key: string; flag: string; format: ReportFormat; what: string }[] =
  REPORT_FORMATS.flatMap((format) => {
    const what = (REPORTERS[format] as Reporter).output;
    return what ? [{ key: `${format}Output`, flag: `--${format}-output <file>`, format, what }] : [];
  });
