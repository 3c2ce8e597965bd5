/** Every report format, in the order `--help` lists them (see `./index.ts` for what each is). */
export const REPORT_FORMATS = ["text", "json", "sarif", "markdown", "html", "cyclonedx", "spdx", "junit"] as const;

/** A report format name. */
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/** A renderer: a pure function of the audit result (`color` and `verbose` apply to `text` only, `sarifCategory` to `sarif`). */
export type Renderer = (result: import("../model/types.js").AuditResult, options: { color?: boolean; verbose?: boolean; sarifCategory?: string }) => string;

/**
 * Loads the renderer of one format and nothing else (the CycloneDX library and the HTML graph layout are large, and
 * most runs write one or two formats). Same output as `renderReport` in `./index.ts`.
 */
export async function loadRenderer(format: ReportFormat): Promise<Renderer> {
  switch (format) {
    case "text": {
      const { renderText } = await import("./text.js");
      return (r, o) => renderText(r, { color: o.color ?? false, verbose: o.verbose ?? false });
    }
    case "json":
      return (r) => `${JSON.stringify(r, null, 2)}\n`;
    case "sarif": {
      const { renderSarif } = await import("./sarif.js");
      return (r, o) => renderSarif(r, o.sarifCategory !== undefined ? { category: o.sarifCategory } : {});
    }
    case "markdown":
      return (await import("./markdown.js")).renderMarkdown;
    case "html":
      return (await import("./html.js")).renderHtml;
    case "cyclonedx":
      return (await import("./cyclonedx.js")).renderCycloneDx;
    case "spdx":
      return (await import("./spdx.js")).renderSpdx;
    case "junit":
      return (await import("./junit.js")).renderJunit;
  }
}
