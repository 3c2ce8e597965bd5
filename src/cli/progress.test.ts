import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import type { CliIO } from "./main.js";
import { scanProgress } from "./progress.js";

function io(): CliIO & { err: string[] } {
  const err: string[] = [];
  return { err, stdout: () => {}, stderr: (t) => err.push(t), cwd: "/", env: {}, isTTY: false };
}

describe("scan progress line", () => {
  it("on a terminal, redraws the running stage with files listed and Hub repos, then erases itself", async () => {
    const o = io();
    const p = scanProgress(o, { stderrIsTTY: true, verbosity: "normal", delayMs: 0 });
    for (let i = 0; i < 1234; i++) p.onFile();
    await sleep(600);
    expect(o.err.at(-1)).toMatch(/^\r\x1b\[Kaiprov: listing files 1,234 files \(\d+\.\d s\)$/);
    p.onStage("walk", 10);
    p.onStage("extract", 10);
    p.onStage("link", 10);
    p.onHub(3, 7);
    expect(o.err.at(-1)).toMatch(/^\r\x1b\[Kaiprov: resolving lineage 3\/7 repos \(/);
    p.stop();
    expect(o.err.at(-1)).toBe("\r\x1b[K");
    const n = o.err.length;
    await sleep(400);
    expect(o.err).toHaveLength(n);
  });

  it("says nothing when stderr is not a terminal, with --quiet, or before the delay", async () => {
    for (const [tty, verbosity, delayMs] of [
      [false, "normal", 0],
      [true, "quiet", 0],
      [true, "normal", 60_000],
    ] as const) {
      const o = io();
      const p = scanProgress(o, { stderrIsTTY: tty, verbosity, delayMs });
      p.onFile();
      p.onHub(1, 2);
      await sleep(350);
      p.onStage("walk", 5);
      p.stop();
      expect(o.err, `${tty} ${verbosity} ${delayMs}`).toEqual([]);
    }
  });

  it("--verbose prints one line per finished stage on any stderr", () => {
    const o = io();
    const p = scanProgress(o, { stderrIsTTY: false, verbosity: "verbose" });
    p.onStage("walk", 12.4);
    p.onStage("policy", 3);
    p.stop();
    expect(o.err).toEqual(["aiprov: walk done in 12 ms\n", "aiprov: policy done in 3 ms\n"]);
  });
});
