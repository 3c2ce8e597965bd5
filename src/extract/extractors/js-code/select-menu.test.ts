// Value-flow rule "select options" (select-menu.ts) through the js-code extractor: small JSX written for aiprov.
import { describe, expect, it } from "vitest";
import { extractJsSource } from "./index.js";

describe("js-code select options rule", () => {
  it("a model setter fed by a <select> takes its options: constants and the Hub-id keys of a mapped menu", async () => {
    const src = [
      'const MODELS = { "Xenova/whisper-tiny": [41], "Xenova/whisper-base": [77], "local": [1] };',
      "export function Menu({ setModel }) {",
      "  return (",
      "    <select onChange={(e) => setModel(e.target.value)}>",
      "      {Object.keys(MODELS).filter((k) => k).map((key) => (<option key={key} value={key}>{key}</option>))}",
      '      <option value="Xenova/whisper-small">small</option>',
      "    </select>",
      "  );",
      "}",
    ].join("\n");
    const refs = await extractJsSource(src, "src/Menu.jsx");
    const set = refs.find((r) => r.facts?.setter === "setModel")!;
    expect(set).toMatchObject({
      target: "Xenova/whisper-tiny",
      facts: { resolvedFrom: "select-options", optionsFrom: "MODELS" },
    });
    expect(String(set.facts?.choices).split("|").sort()).toEqual([
      "Xenova/whisper-base",
      "Xenova/whisper-small",
      "Xenova/whisper-tiny",
    ]);
  });

  it("a setter outside a <select> stays a run-time value", async () => {
    const refs = await extractJsSource("function f(setModel, e) {\n  setModel(e.target.value);\n}\n", "src/f.jsx");
    expect(refs.find((r) => r.facts?.setter === "setModel")).toMatchObject({ skipReason: "dynamic-value" });
  });
});
