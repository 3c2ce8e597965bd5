/**
 * The HTML report's parts that need no browser: the publisher line of a lineage box (the country is never cut), the
 * header's counts (taken from the inventory the page lists), the section order (verdict and findings before the
 * inventory and the rule documentation) and the table of contents.
 */
import { describe, expect, it } from "vitest";
import { headerCounts, renderHtml } from "../../src/report/html.js";
import { nodeLabelLines, publisherLabel } from "../../src/report/layout.js";
import { omniResult, omniWithWaiverAndHubPin } from "../helpers/results.js";

describe("lineage box labels", () => {
  it("keeps a short publisher and its country as they are", () => {
    expect(publisherLabel("OpenAI", "US")).toBe("OpenAI, US");
  });

  it("drops a long publisher's parenthetical first, then cuts its end, never the country", () => {
    expect(publisherLabel("Alibaba Cloud (Alibaba Group Holding Ltd.)", "CN", 30)).toBe("Alibaba Cloud, CN");
    const cut = publisherLabel("Beijing Lingyi Wanwu Information Technology Co., Ltd. (01.AI)", "CN", 40);
    expect(cut.length).toBeLessThanOrEqual(40);
    expect(cut.endsWith("…, CN")).toBe(true);
    expect(cut.startsWith("Beijing Lingyi Wanwu")).toBe(true);
    expect(publisherLabel("Some Publisher", "unknown", 12)).toMatch(/…, unknown$/);
  });

  it("labels every node of a real result with its name, role and publisher with country", () => {
    for (const n of omniResult().lineage.nodes) {
      const [name, role, who] = nodeLabelLines(n);
      expect(name.length).toBeGreaterThan(0);
      expect(role.startsWith(n.role)).toBe(true);
      if (n.publisher) expect(who.endsWith(`, ${n.publisher.country}`), n.id).toBe(true);
    }
  });
});

describe("HTML report structure", () => {
  it("counts in the header what the inventory lists", () => {
    const r = omniResult();
    const html = renderHtml(r);
    const c = headerCounts(r);
    expect(c.components).toBe(r.lineage.nodes.length);
    expect(c.inProduct + c.upstream).toBe(c.components);
    expect(c.inTree + c.hosted).toBeLessThanOrEqual(c.inProduct);
    const rows = (
      html
        .split(`<section id="inventory">`)[1]!
        .split("</section>")[0]!
        .match(/<tr class="status-/g) ?? []
    ).length;
    expect(html).toContain(`${rows} components</a>`);
  });

  it("puts the verdict and findings before the inventory, lineage and rule documentation, with a table of contents", () => {
    const html = renderHtml(omniWithWaiverAndHubPin());
    const at = (id: string): number => html.indexOf(`<section id="${id}">`);
    expect(html.indexOf(`id="verdict"`)).toBeLessThan(at("findings"));
    expect(at("policies")).toBeLessThan(at("findings"));
    expect(at("findings")).toBeLessThan(at("inventory"));
    expect(at("inventory")).toBeLessThan(at("lineage"));
    expect(at("lineage")).toBeLessThan(at("rules"));
    const toc = html.split(`<nav class="toc"`)[1]!.split("</nav>")[0]!;
    for (const id of ["policies", "findings", "inventory", "lineage", "evidence", "rules", "waivers", "settings"])
      expect(toc).toContain(`href="#${id}"`);
  });

  it("names components without any lineage edge in one line instead of drawing an empty graph for each", () => {
    const r = omniResult();
    const lonely = { ...r, lineage: { nodes: r.lineage.nodes.filter((n) => n.kind === "local"), edges: [] } };
    const html = renderHtml(lonely);
    expect(html).not.toContain(`<svg`);
    expect(html).toContain(`${lonely.lineage.nodes.length} components without a lineage edge`);
  });

  it("shows a How to fix command as code, not with its backticks", () => {
    const html = renderHtml(omniResult());
    // kr-sovereign-from-scratch's fix text names `aiprov compare <your-component-folder> <upstream>`.
    expect(html).toContain("<code>aiprov compare &lt;your-component-folder&gt; &lt;upstream&gt;</code>");
    expect(html).not.toMatch(/How to fix:<\/i>[^<]*`/);
  });
});
