/**
 * Headless Chromium for HTML report tests: Debian's `chromium` package (installed by `.ci/run`) driven by
 * playwright-core with `executablePath` (no browser download). Each launch gets a fresh user-data-dir.
 */
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type BrowserContext, chromium } from "playwright-core";

/** Where Debian installs Chromium (override with AIPROV_CHROMIUM). */
export const CHROMIUM = process.env.AIPROV_CHROMIUM ?? "/usr/bin/chromium";

/** True when the browser binary exists. */
export function hasChromium(): boolean {
  return existsSync(CHROMIUM);
}

/** Flags for a hermetic headless run: no sandbox (root in CI), no GPU, no network side traffic. */
export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** Launches Chromium with a fresh profile; `close` also removes the profile. */
export async function launchChromium(): Promise<{ context: BrowserContext; close: () => Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), "aiprov-chromium-"));
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
  });
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
