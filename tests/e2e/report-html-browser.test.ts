/**
 * Opens the HTML report in headless Chromium: no console error, no request leaves the page, the lineage graphs hold a
 * node and an edge (by element id) for every component and lineage edge of the result, the verdict and the first
 * finding are on the first screen at 1400x900, every drawn label keeps its publisher's country, graph text is never
 * smaller than 11 px, and screenshots are saved to test-artifacts/. Without a browser the test is skipped and says so, except under CI=true, where that fails.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AuditResult } from "../../src/model/types.js";
import { nodeDomId } from "../../src/report/common.js";
import { renderHtml } from "../../src/report/html.js";
import { CHROMIUM, hasChromium, launchChromium } from "../helpers/browser.js";
import { REPO_ROOT, aiprov } from "../helpers/cli.js";
import { omniWithWaiverAndHubPin } from "../helpers/results.js";

const ARTIFACTS = join(REPO_ROOT, "test-artifacts");
const available = hasChromium();
if (!available) {
  if (process.env.CI === "true")
    throw new Error(
      `CI=true but no browser at ${CHROMIUM}: install Debian's chromium (apt-get install -y chromium), as .ci/run does`,
    );
  console.warn(
    `[aiprov] HTML browser tests skipped: no Chromium at ${CHROMIUM} (apt-get install -y chromium, or set AIPROV_CHROMIUM)`,
  );
}

describe.skipIf(!available)("HTML report in headless Chromium", () => {
  let browser: Awaited<ReturnType<typeof launchChromium>>;
  const work = mkdtempSync(join(tmpdir(), "aiprov-html-"));
  beforeAll(async () => {
    browser = await launchChromium();
    mkdirSync(ARTIFACTS, { recursive: true });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
  });

  async function open(
    file: string,
  ): Promise<{ page: import("playwright-core").Page; errors: string[]; requests: string[] }> {
    const page = await browser.context.newPage();
    const errors: string[] = [];
    const requests: string[] = [];
    page.on("console", (m) => {
      if (m.type() === "error") errors.push(m.text());
    });
    page.on("pageerror", (e) => errors.push(String(e)));
    page.on("request", (r) => {
      if (!r.url().startsWith("file:")) requests.push(r.url());
    });
    await page.goto(pathToFileURL(file).href, { waitUntil: "load" });
    return { page, errors, requests };
  }

  it("the acceptance scan writes an HTML report whose graph draws every component and edge, encoders linked to their upstreams", async () => {
    const html = join(work, "out.html");
    const json = join(work, "out.json");
    const r = aiprov([
      "scan",
      "examples/omni-submission",
      "--policy",
      "kr-sovereign-from-scratch",
      "--html-output",
      html,
      "--json-output",
      json,
    ]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(1);
    const result = JSON.parse(readFileSync(json, "utf8")) as AuditResult;
    const { page, errors, requests } = await open(html);
    expect(errors).toEqual([]);
    expect(requests).toEqual([]);
    // Every component is drawn, or (without any lineage edge) named in the line under the graphs.
    for (const n of result.lineage.nodes) {
      const drawn = await page.locator(`svg.lineage g.node[id$="-node-${nodeDomId(n.id)}"]`).count();
      const named = await page.locator(`#no-lineage [data-node="${n.id}"]`).count();
      expect(drawn + named, `node ${n.id}`).toBeGreaterThan(0);
      expect(named === 0 || !result.lineage.edges.some((e) => e.from === n.id || e.to === n.id), `node ${n.id}`).toBe(
        true,
      );
    }
    for (const e of result.lineage.edges)
      expect(await page.locator(`svg.lineage g.edge[id$="-edge-${e.id}"]`).count(), `edge ${e.id}`).toBeGreaterThan(0);

    // The vision and audio encoders are drawn with edges to the upstream models they match or come from.
    const edgeTo = async (from: string, to: string): Promise<number> =>
      page.locator(`svg.lineage g.edge[data-from="${from}"][data-to="${to}"]`).count();
    const encoders = result.lineage.nodes.filter(
      (n) => n.kind === "local" && (n.role === "vision-encoder" || n.role === "audio-encoder"),
    );
    expect(encoders.map((n) => n.role).sort()).toEqual([
      "audio-encoder",
      "audio-encoder",
      "vision-encoder",
      "vision-encoder",
    ]);
    for (const n of encoders) {
      const upstream = n.role === "vision-encoder" ? "known:qwen2.5-vl-vit" : "known:qwen2-audio-encoder";
      expect(await edgeTo(n.id, upstream), `${n.id} -> ${upstream}`).toBeGreaterThan(0);
    }
    expect(await edgeTo("known:qwen2-audio-encoder", "known:whisper-large-v3-encoder")).toBeGreaterThan(0);
    // Drawn, not only present: the boxes have a size on the page.
    const box = await page
      .locator(`svg.lineage g.node[id$="-node-${nodeDomId("known:qwen2.5-vl-vit")}"] rect`)
      .first()
      .boundingBox();
    expect(box!.width).toBeGreaterThan(20);
    await page.screenshot({ path: join(ARTIFACTS, "omni-report.png"), fullPage: true });
    await page.close();
  });

  it("shows the verdict and the first finding on the first screen at 1400x900 (the largest example), the header counts agreeing with the inventory", async () => {
    const html = join(work, "largest.html");
    const r = aiprov([
      "scan",
      "examples/omni-submission",
      "--policy",
      "kr-sovereign-from-scratch",
      "--html-output",
      html,
      "--format",
      "json",
    ]);
    expect(r.code).toBe(1);
    const { page, errors } = await open(html);
    await page.setViewportSize({ width: 1400, height: 900 });
    expect(errors).toEqual([]);
    const inFirstScreen = async (selector: string): Promise<void> => {
      const box = await page.locator(selector).first().boundingBox();
      expect(box, selector).not.toBeNull();
      expect(box!.y, selector).toBeGreaterThanOrEqual(0);
      // The heading line and message of the finding are visible, not only its top border.
      expect(box!.y + Math.min(box!.height, 60), selector).toBeLessThanOrEqual(900);
      expect(box!.x + box!.width, selector).toBeLessThanOrEqual(1400);
    };
    await inFirstScreen("#verdict");
    await inFirstScreen("#findings .finding");
    // The table of contents links to sections that exist.
    for (const href of await page.locator("nav.toc a").evaluateAll((as) => as.map((a) => a.getAttribute("href")!)))
      expect(await page.locator(href).count(), href).toBe(1);
    const rows = await page.locator("#inventory tbody tr").count();
    expect(await page.locator("#counts").innerText()).toContain(`${rows} components`);
    await page.screenshot({ path: join(ARTIFACTS, "omni-first-screen.png") });
    await page.close();
  });

  it("keeps every publisher's country in the lineage labels, and draws no text smaller than 11 px", async () => {
    const file = join(work, "labels.html");
    const result = omniWithWaiverAndHubPin();
    // A publisher name far longer than a box: the label abbreviates it, never the country.
    const long = {
      ...result,
      lineage: {
        ...result.lineage,
        nodes: result.lineage.nodes.map((n) =>
          n.publisher
            ? {
                ...n,
                publisher: {
                  ...n.publisher,
                  entity: `${n.publisher.entity} International Holdings (Cayman Islands) Limited Partnership`,
                },
              }
            : n,
        ),
      },
    };
    writeFileSync(file, renderHtml(long));
    const { page } = await open(file);
    const labels = await page.locator("svg.lineage g.node").evaluateAll((gs) =>
      gs.map((g) => ({
        node: g.getAttribute("data-node")!,
        publisher: g.querySelector("text.publisher")?.textContent ?? null,
      })),
    );
    const byId = new Map(long.lineage.nodes.map((n) => [n.id, n]));
    let checked = 0;
    for (const l of labels) {
      const n = byId.get(l.node)!;
      if (!n.publisher) continue;
      checked++;
      expect(l.publisher, n.id).not.toBeNull();
      expect(l.publisher!.endsWith(`, ${n.publisher.country}`), `${n.id}: ${l.publisher}`).toBe(true);
    }
    expect(checked).toBeGreaterThan(5);
    // On-screen size of every graph text: its CSS font size times the scale the SVG is drawn at.
    const sizes = (await page.evaluate(
      `[...document.querySelectorAll("svg.lineage text")].map((t) => { const svg = t.ownerSVGElement; const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width; return parseFloat(getComputedStyle(t).fontSize) * scale; })`,
    )) as number[];
    expect(sizes.length).toBeGreaterThan(10);
    expect(Math.min(...sizes)).toBeGreaterThanOrEqual(11);
    await page.close();
  });

  it("folds the evidence of many findings on screen and prints it open", async () => {
    const file = join(work, "many.html");
    const r = omniWithWaiverAndHubPin();
    const many = {
      ...r,
      findings: Array.from({ length: 30 }, (_, i) => r.findings.map((f) => ({ ...f, id: `${f.id}-${i}` }))).flat(),
    };
    writeFileSync(file, renderHtml(many));
    const { page } = await open(file);
    const table = page.locator("#findings .finding").first().locator("table");
    expect(await table.isVisible()).toBe(false);
    await page.emulateMedia({ media: "print" });
    expect(await table.isVisible()).toBe(true);
    await page.close();
  });

  it("groups a long report's findings by rule, first finding on the first screen, and never scrolls sideways", async () => {
    // Every example under every bundled pack: dozens of findings over tens of components, as a multi-repo scan.
    const html = join(work, "long.html");
    const json = join(work, "long.json");
    const packs = ["eu-ai-act-gpai", "kr-sovereign-from-scratch", "licence-duties", "supply-chain-hygiene"];
    const packArgs = [...packs, "unknown-provenance", "us-covered-adversary"].flatMap((p) => ["--policy", p]);
    const r = aiprov(["scan", "examples", "--offline", ...packArgs, "--html-output", html, "--json-output", json]);
    expect(r.code, r.stderr).toBe(1);
    const result = JSON.parse(readFileSync(json, "utf8")) as AuditResult;
    expect(result.findings.length).toBeGreaterThan(25);
    const { page, errors } = await open(html);
    await page.setViewportSize({ width: 1400, height: 900 });
    expect(errors).toEqual([]);
    const rules = new Set(result.findings.map((f) => `${f.pack}/${f.rule}`));
    expect(await page.locator("#findings details.rule-group").count()).toBe(rules.size);
    expect(await page.locator("#findings details.rule-group[open]").count()).toBe(1);
    const counted = await page
      .locator("#findings details.rule-group")
      .evaluateAll((ds) => ds.reduce((a, d) => a + Number(d.getAttribute("data-count")), 0));
    expect(counted).toBe(result.findings.length);
    const first = await page.locator("#findings .finding").first().boundingBox();
    expect(first!.y + Math.min(first!.height, 60)).toBeLessThanOrEqual(900);
    await page.screenshot({ path: join(ARTIFACTS, "examples-long-first-screen.png") });
    // Nothing wider than the page at any width: no sideways scroll, the inventory inside the body's content box.
    for (const width of [1400, 1000, 800]) {
      await page.setViewportSize({ width, height: 900 });
      // A string, so the page's DOM types stay out of the test's typing.
      const widths = (await page.evaluate(`(() => {
        const body = document.body.getBoundingClientRect();
        const inv = document.querySelector("table.inventory").getBoundingClientRect();
        const pad = parseFloat(getComputedStyle(document.body).paddingRight);
        return { scroll: document.documentElement.scrollWidth, view: window.innerWidth, inv: inv.right, body: body.right - pad };
      })()`)) as { scroll: number; view: number; inv: number; body: number };
      expect(widths.scroll, `${width} px`).toBeLessThanOrEqual(widths.view);
      expect(widths.inv, `${width} px`).toBeLessThanOrEqual(widths.body + 0.5);
    }
    await page.close();
  });

  it("shows waivers with owner and expiry and Hub evidence pinned to its commit", async () => {
    const file = join(work, "waived.html");
    writeFileSync(file, renderHtml(omniWithWaiverAndHubPin()));
    const { page, errors } = await open(file);
    expect(errors).toEqual([]);
    const waivers = await page.locator("#waivers tbody tr").allInnerTexts();
    expect(waivers).toHaveLength(1);
    expect(waivers[0]).toContain("ml-platform@example.com");
    expect(waivers[0]).toContain("2026-06-30");
    expect(await page.locator("#findings").innerText()).toContain(
      "Qwen/Qwen2-Audio-7B-Instruct@0a095220c30b7b31434169c3086508ef3ea5bf0a",
    );
    await page.emulateMedia({ media: "print" });
    await page.pdf({ path: join(ARTIFACTS, "omni-report-waived.pdf") }).catch(() => undefined);
    await page.screenshot({ path: join(ARTIFACTS, "omni-report-waived.png"), fullPage: true });
    await page.close();
  });
});
