/**
 * Property tests: the hand-written parsers of part B (shell words, Modelfile, dotenv) and the tree-sitter code
 * extractors never throw on arbitrary input, and every position they report lies inside the text. Fixtures of the
 * extractors themselves are in each extractor's fixtures/ folder.
 */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { splitShell, analyseCommand, substitute } from "./command-line.js";
import { shellOutput } from "./shell-script.js";
import { parseModelfile } from "../modelfile/index.js";
import { parseDotenv } from "../dotenv/index.js";
import { extractPythonSource } from "../python-code/index.js";
import { extractJsSource } from "../js-code/index.js";

// Text biased towards the characters these parsers care about.
const shellish = fc.stringMatching(/^[a-z =$"'{}()\\\n#;|&<:\-/.0-9A-Z]{0,300}$/);

describe("part-B parsers on arbitrary input", () => {
  it("splitShell never throws and reports lines inside the text", () => {
    fc.assert(
      fc.property(shellish, (text) => {
        const lines = text.split("\n").length;
        const { commands, heredocs } = splitShell(text);
        for (const w of commands.flat()) {
          expect(w.line).toBeGreaterThanOrEqual(1);
          expect(w.line).toBeLessThanOrEqual(lines);
        }
        for (const h of heredocs) expect(h.startLine).toBeLessThanOrEqual(lines + 1);
        for (const c of commands)
          analyseCommand(c, { extractor: "serving", file: "x.sh", baseDir: "", vars: new Map() });
      }),
      { numRuns: 300 },
    );
  });

  it("substitute never throws, leaves text without known variables or path commands as written, and ends", () => {
    const vars = new Map([
      ["A", "org/name-1"],
      ["B", ""],
      ["C", "/x/y/z"],
    ]);
    fc.assert(
      fc.property(shellish, (text) => {
        expect(typeof substitute(text, vars)).toBe("string");
        if (!text.includes("$(")) expect(substitute(text, new Map())).toBe(text);
      }),
      { numRuns: 300 },
    );
  });

  it("shellOutput never throws and reports lines inside the text", async () => {
    await fc.assert(
      fc.asyncProperty(shellish, async (text) => {
        const lines = text.split("\n").length;
        const out = await shellOutput(`M=org/model-7b\nMODEL_DIR=\${M//\\//_}\n${text}`, "s.sh");
        for (const r of out.references ?? []) expect(r.location.line ?? 1).toBeLessThanOrEqual(lines + 2);
      }),
      { numRuns: 200 },
    );
  });

  it("parseModelfile and parseDotenv never throw and keep lines inside the text", () => {
    fc.assert(
      fc.property(shellish, (text) => {
        const lines = text.split(/\r?\n/).length;
        for (const i of parseModelfile(text)) expect(i.line).toBeLessThanOrEqual(lines);
        for (const v of parseDotenv(text, ".env", "")) expect(v.location.line).toBeLessThanOrEqual(lines);
      }),
      { numRuns: 300 },
    );
  });

  it("the Python and JavaScript extractors never throw on arbitrary text", async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 200 }), async (text) => {
        const py = await extractPythonSource(`x = AutoModel.from_pretrained(${text})\n${text}`, { file: "a.py" });
        const js = await extractJsSource(`pipeline("t", ${text});\n${text}`, "a.ts");
        for (const r of [...py, ...js]) expect(r.location.line).toBeGreaterThanOrEqual(1);
      }),
      { numRuns: 100 },
    );
  });
});
