import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { registerSecret } from "../../util/redact.js";
import { DiskCache } from "./cache.js";

/** Every path under `dir` and the text of every file, joined: what an attacker reading the cache would see. */
function everything(dir: string): string {
  const out: string[] = [];
  const visit = (d: string): void => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      out.push(p);
      if (statSync(p).isDirectory()) visit(p);
      else out.push(readFileSync(p, "utf8"));
    }
  };
  visit(dir);
  return out.join("\n");
}

describe("DiskCache and the Hub token", () => {
  const dirs: string[] = [];
  afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

  it("writes no file whose path or content holds the token, even when a hostile Hub echoes it as a repo id", () => {
    const token = "plain-token-not-hf-shaped-7731";
    registerSecret(token);
    const dir = mkdtempSync(join(tmpdir(), "aiprov-cache-"));
    dirs.push(dir);
    const cache = new DiskCache(dir, 60_000, "127.0.0.1_9");
    const sha = "a".repeat(40);
    // The echoed token as a base model's repo id (a folder and file name) and inside a record's data.
    cache.putRecord(`acme/${token}`, sha, { id: `acme/${token}` });
    cache.putLatest(`acme/${token}`, { sha, at: Date.now() } as never);
    cache.putRecord("acme/model", sha, { id: "acme/model", cardData: { base_model: `acme/${token}` } });
    const seen = everything(dir);
    expect(seen).not.toContain(token);
    // An ordinary record is still cached (the check is not a blanket refusal).
    expect(cache.getRecord("acme/model", sha)).toEqual({
      id: "acme/model",
      cardData: { base_model: "acme/[REDACTED]" },
    });
  });
});
