import { describe, expect, it } from "vitest";
import { displaySafe, escapeControls, htmlEscape, markdownCode, markdownInline, mermaidLabel } from "./escape.js";

describe("escapers", () => {
  it("make every control character visible and leave the rest alone", () => {
    expect(escapeControls("a\nb\r\tc\x1b[31m\x00\x7f\u0085\u2028\u202e\u2066ü漢")).toBe(
      "a\\nb\\r\\tc\\x1b[31m\\x00\\x7f\\x85\\u2028\\u202e\\u2066ü漢",
    );
    expect(escapeControls("Qwen/Qwen2.5-VL-7B-Instruct")).toBe("Qwen/Qwen2.5-VL-7B-Instruct");
  });

  it("escape each format's metacharacters", () => {
    expect(markdownInline("a|b `c` <d>\ne")).toBe("a\\|b \\`c\\` &lt;d&gt;\\\\ne");
    expect(markdownCode("x`y\nz")).toBe("`x'y\\nz`");
    // An image, a link and mentions written as a model value (issue 11 fresh-clone attack): literal text, no markup.
    expect(
      markdownInline("![PASS](https://evil.example/p.svg) [x](javascript:alert(1)) @octocat @github/security"),
    ).toBe("!\\[PASS\\](https://evil.example/p.svg) \\[x\\](javascript:alert(1)) \\@octocat \\@github/security");
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
