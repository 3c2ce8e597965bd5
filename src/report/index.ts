/**
 * The report formats, each a pure function of the {@link AuditResult}: `text` (terminal), `json` (the result itself,
 * `schemas/report.schema.json`), `sarif` (SARIF 2.1.0), `markdown` (pull-request summary), `html` (procurement),
 * `cyclonedx` (CycloneDX 1.6 AI-BOM), `spdx` (SPDX 3.0.1 with the AI profile), `junit` (JUnit XML).
 */
import type { AuditResult } from "../model/types.js";
import { renderCycloneDx } from "./cyclonedx.js";
import { renderHtml } from "./html.js";
import { renderJunit } from "./junit.js";
import { renderMarkdown } from "./markdown.js";
import { renderSarif } from "./sarif.js";
import { renderSpdx } from "./spdx.js";
import { renderText } from "./text.js";

import { REPORT_FORMATS, type ReportFormat } from "./formats.js";

export { REPORT_FORMATS, type ReportFormat };

/** Renders a result in one format. `color` applies to `text` only. Pure: no I/O. */
export function renderReport(result: AuditResult, format: ReportFormat, options: { color?: boolean; verbose?: boolean } = {}): string {
  switch (format) {
    case "text":
      return renderText(result, { color: options.color ?? false, verbose: options.verbose ?? false });
    case "json":
      return `${JSON.stringify(result, null, 2)}\n`;
    case "sarif":
      return renderSarif(result);
    case "markdown":
      return renderMarkdown(result);
    case "html":
      return renderHtml(result);
    case "cyclonedx":
      return renderCycloneDx(result);
    case "spdx":
      return renderSpdx(result);
    case "junit":
      return renderJunit(result);
  }
}
