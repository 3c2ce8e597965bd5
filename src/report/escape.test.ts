import { describe, expect, it } from "vitest";
import { omniResult } from "../../tests/helpers/results.js";
import type { AuditResult } from "../model/types.js";
import { displaySafe, escapeControls, htmlEscape, markdownCode, markdownInline, mermaidLabel } from "./escape.js";
import { loadRenderer, type ReportFormat } from "./formats.js";

/** A folder name that tries every sink: a line break and a fence, an ANSI sequence, a bidi override, HTML, a pipe. */
const HOSTILE = "enc\n```\n## Injected <img src=x onerror=alert(1)> | cell\x1b[2J\x1b]8;;http://evil\x07\u202eexe.txt";

/** The omni example's result with the hostile name on a node, in a finding's message and in a diagnostic. */
function hostileResult(): AuditResult {
  const r = omniResult();
  const node = r.lineage.nodes.find((n) => n.kind === "local")!;
  node.name = HOSTILE;
  const f = r.findings.find((x) => x.node === node.id) ?? r.findings[0]!;
  f.message.text = `${HOSTILE} uses weights of Qwen`;
  r.diagnostics.push({ code: "unparsable", severity: "warning", message: `${HOSTILE}/config.json: not valid JSON`, location: { file: `${HOSTILE}/config.json` } });
  return r;
}

const render = async (format: ReportFormat, r: AuditResult): Promise<string> => (await loadRenderer(format))(r, {});

describe("escapers", () => {
  it("make every control character visible and leave the rest alone", () => {
    expect(escapeControls("a\nb\r\tc\x1b[31m\x00\x7f\u0085\u2028\u202e\u2066ü漢")).toBe("a\\nb\\r\\tc\\x1b[31m\\x00\\x7f\\x85\\u2028\\u202e\\u2066ü漢");
    expect(escapeControls("Qwen/Qwen2.5-VL-7B-Instruct")).toBe("Qwen/Qwen2.5-VL-7B-Instruct");
  });

  it("escape each format's metacharacters", () => {
    expect(markdownInline("a|b `c` <d>\ne")).toBe("a\\|b \\`c\\` &lt;d&gt;\\\\ne");
    expect(markdownCode("x`y\nz")).toBe("`x'y\\nz`");
    expect(mermaidLabel('a"b<c>`d\n```')).toBe("a#quot;b#lt;c#gt;#96;d\\n#96;#96;#96;");
    expect(htmlEscape(`<a href='x'>&"\x1b`)).toBe("&lt;a href=&#39;x&#39;&gt;&amp;&quot;\\x1b");
  });

  it("displaySafe copies only when needed and keeps ids matching (keys are escaped like values)", () => {
    const clean = { a: ["b", { c: 1 }] };
    expect(displaySafe(clean)).toBe(clean);
    const dirty = { ["k\n"]: "v\n", list: ["x\x1b"], n: 3, t: true, z: null };
    expect(displaySafe(dirty)).toEqual({ "k\\n": "v\\n", list: ["x\\x1b"], n: 3, t: true, z: null });
    expect(dirty.list[0]).toBe("x\x1b");
  });
});

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
