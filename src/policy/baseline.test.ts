import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ConfigError } from "../errors.js";
import type { Finding } from "../model/types.js";
import { applyBaseline, findingFingerprint, loadBaseline } from "./baseline.js";

const tmp = mkdtempSync(join(tmpdir(), "aiprov-baseline-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const f = (over: Partial<Finding>): Finding => ({
  id: "x",
  pack: "p",
  rule: "r",
  severity: "error",
  verdict: "fail",
  node: "local:model/config.json#/audio_config",
  message: { id: "m", text: "t", args: {} },
  path: ["local:model/config.json#/audio_config", "known:qwen2-audio-encoder"],
  evidence: [],
  location: { file: "model/config.json", line: 37, column: 5, pointer: "/audio_config/_name_or_path" },
  ...over,
});

describe("baselines", () => {
  it("fingerprints ignore lines, columns and evidence, but not rule, component, target or file", () => {
    const base = findingFingerprint(f({}));
    expect(
      findingFingerprint(
        f({
          location: { file: "model/config.json", line: 40 },
          evidence: [{ code: "c", strength: "declared", location: { file: "x" } }],
        }),
      ),
    ).toBe(base);
    expect(findingFingerprint(f({ rule: "other" }))).not.toBe(base);
    expect(findingFingerprint(f({ node: "local:model/config.json#/vision_config" }))).not.toBe(base);
    expect(
      findingFingerprint(f({ path: ["local:model/config.json#/audio_config", "hub:deepseek-ai/DeepSeek-V3"] })),
    ).not.toBe(base);
    expect(findingFingerprint(f({ location: { file: "other/config.json", line: 37 } }))).not.toBe(base);
  });

  it("marks findings new or existing against a previous report", () => {
    const file = join(tmp, "prev.json");
    writeFileSync(
      file,
      JSON.stringify({
        tool: { name: "aiprov" },
        findings: [f({ location: { file: "model/config.json", line: 12 } })],
      }),
    );
    const marked = applyBaseline([f({}), f({ rule: "new-rule" })], loadBaseline(file));
    expect(marked.map((x) => x.baseline)).toEqual(["existing", "new"]);
  });

  it("rejects a file that is not an aiprov report", () => {
    const file = join(tmp, "bad.json");
    writeFileSync(file, JSON.stringify({ findings: "no" }));
    expect(() => loadBaseline(file)).toThrow(ConfigError);
    writeFileSync(file, "not json");
    expect(() => loadBaseline(file)).toThrow(/not JSON/);
  });
});
