/** Hub settings: flags over environment over config file; the URL loses credentials; progress only on a TTY. */
import { describe, expect, it } from "vitest";
import { UsageError } from "../errors.js";
import { cleanHubUrl, hubSettings, progressReporter } from "./hub-options.js";
import type { CliIO } from "./io.js";

describe("hub settings", () => {
  it("takes flags over HF_* variables over the config file", () => {
    expect(hubSettings({}, {}, {})).toEqual({
      offline: false,
      hubUrl: "https://huggingface.co",
      timeoutMs: 5000,
      refresh: false,
    });
    expect(
      hubSettings(
        {},
        { HF_ENDPOINT: "https://hf-mirror.example/", HF_TOKEN: "hf_env" },
        { hubUrl: "https://cfg.example", timeout: 2 },
      ),
    ).toMatchObject({ hubUrl: "https://hf-mirror.example", token: "hf_env", timeoutMs: 2000 });
    expect(
      hubSettings(
        { hubUrl: "http://127.0.0.1:8080", token: "hf_flag", timeout: "0.5", refresh: true },
        { HF_ENDPOINT: "https://x.example", HF_TOKEN: "hf_env" },
      ),
    ).toMatchObject({ hubUrl: "http://127.0.0.1:8080", token: "hf_flag", timeoutMs: 500, refresh: true });
    expect(hubSettings({}, { HF_HUB_OFFLINE: "1" }).offline).toBe(true);
    expect(hubSettings({}, { HF_HUB_OFFLINE: "0" }).offline).toBe(false);
    expect(hubSettings({}, {}, { offline: true }).offline).toBe(true);
    expect(() => hubSettings({ timeout: "-1" }, {})).toThrow(UsageError);
  });

  it("never keeps credentials in the Hub URL", () => {
    expect(cleanHubUrl("https://user:hf_secret@hub.example/path/?token=x#y")).toBe("https://hub.example/path");
    expect(() => cleanHubUrl("ftp://hub.example")).toThrow(UsageError);
    expect(() => cleanHubUrl("not a url")).toThrow(UsageError);
  });

  it("shows progress on stderr only on a terminal and after the delay", () => {
    const out: string[] = [];
    const io: CliIO = { stdout: () => undefined, stderr: (t) => void out.push(t), cwd: ".", env: {}, isTTY: true };
    const quiet = progressReporter(io, false, 0);
    quiet.onProgress(1, 2);
    quiet.stop();
    expect(out).toEqual([]);
    const later = progressReporter(io, true, 60_000);
    later.onProgress(1, 2);
    expect(out).toEqual([]);
    const tty = progressReporter(io, true, 0);
    tty.onProgress(3, 7);
    tty.stop();
    expect(out[0]).toContain("3/7");
    expect(out[1]).toContain("\x1b[K");
  });
});
