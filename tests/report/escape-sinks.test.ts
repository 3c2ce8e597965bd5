/** The report sinks (registry in src/report/formats.ts) on a name read from a hostile tree (issue 11). */
import { describe, expect, it } from "vitest";
import type { AuditResult } from "../../src/model/types.js";
import { loadRenderer, type ReportFormat } from "../../src/report/formats.js";
import { omniResult } from "../helpers/results.js";

/** A folder name that tries every sink: a line break and a fence, an ANSI sequence, a bidi override, HTML, a pipe. */
const HOSTILE = "enc\n```\n## Injected <img src=x onerror=alert(1)> | cell\x1b[2J\x1b]8;;http://evil\x07\u202eexe.txt";

/** The omni example's result with the hostile name on a node, in a finding's message and in a diagnostic. */
function hostileResult(): AuditResult {
  const r = omniResult();
  const node = r.lineage.nodes.find((n) => n.kind === "local")!;
  node.name = HOSTILE;
  const f = r.findings.find((x) => x.node === node.id) ?? r.findings[0]!;
  f.message.text = `${HOSTILE} uses weights of Qwen`;
  r.diagnostics.push({
    code: "extractor-error",
    severity: "warning",
    message: `${HOSTILE}/config.json: not valid JSON`,
    location: { file: `${HOSTILE}/config.json` },
  });
  return r;
}

const render = async (format: ReportFormat, r: AuditResult): Promise<string> => (await loadRenderer(format))(r, {});

describe("every text-like sink neutralises names read from the scanned tree", () => {
  it("Markdown: the name cannot close the Mermaid block or start a heading, and no raw HTML passes", async () => {
    const md = await render("markdown", hostileResult());
    const fences = md.split("\n").filter((l) => l.trimStart().startsWith("```"));
    expect(fences).toEqual(["```mermaid", "```"]);
    expect(md.split("\n").some((l) => l.startsWith("## Injected"))).toBe(false);
    expect(md).not.toContain("<img");
    expect(md).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f\u202e]/);
  });

  it("terminal text: no escape sequence, no bidi override, no line the tree wrote", async () => {
    const text = await render("text", hostileResult());
    expect(text).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f\u202e]/);
    expect(text.split("\n").some((l) => l.startsWith("```") || l.startsWith("## Injected"))).toBe(false);
    expect(text).toContain("enc\\n```\\n## Injected");
  });

  it("HTML, SARIF and JUnit: no raw markup, no control characters in any message", async () => {
    const r = hostileResult();
    const html = await render("html", r);
    expect(html).not.toContain("<img src=x");
    expect(html).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f\u202e]/);
    const sarif = JSON.parse(await render("sarif", r)) as { runs: { results: { message: { text: string } }[] }[] };
    for (const res of sarif.runs[0]!.results) expect(res.message.text).not.toMatch(/[\x00-\x1f\x7f\u202e]/);
    expect(sarif.runs[0]!.results.some((x) => x.message.text.includes("enc\\n```"))).toBe(true);
    const junit = await render("junit", r);
    expect(junit).not.toMatch(/[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u202e]/);
    expect(junit).not.toContain("<img");
  });

  it("JSON keeps the data verbatim (its encoding escapes controls)", async () => {
    const json = await render("json", hostileResult());
    expect((JSON.parse(json) as AuditResult).lineage.nodes.some((n) => n.name === HOSTILE)).toBe(true);
  });
});
