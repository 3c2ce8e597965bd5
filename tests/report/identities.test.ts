/**
 * One component per model identity on a tree shaped like real repositories (tests/fixtures/identities-app: the ids
 * and the shapes they are read in come from QwenLM/Qwen-VL, lm-sys/FastChat and facebookresearch/ImageBind, see
 * tests/fixtures/SOURCES.md), and the same component count in every report format of that scan.
 */
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { AuditResult } from "../../src/model/types.js";
import { componentIndex } from "../../src/report/common.js";
import { toCycloneDx } from "../../src/report/cyclonedx.js";
import { renderHtml } from "../../src/report/html.js";
import { renderMarkdown } from "../../src/report/markdown.js";
import { toSpdx } from "../../src/report/spdx.js";
import { renderText } from "../../src/report/text.js";
import {
  componentCountProblems,
  cyclonedxGraphProblems,
  formatComponentCounts,
  markdownTableProblems,
  spdxProfileProblems,
} from "../helpers/bom-checks.js";
import { aiprovAsync, REPO_ROOT } from "../helpers/cli.js";

type Json = Record<string, any>;

let result: AuditResult;

beforeAll(async () => {
  const tmp = mkdtempSync(join(tmpdir(), "aiprov-ids-"));
  const out = join(tmp, "r.json");
  const r = await aiprovAsync(
    [
      "scan",
      join(REPO_ROOT, "tests", "fixtures", "identities-app"),
      "--offline",
      "--policy",
      "kr-sovereign-from-scratch",
      "--json-output",
      out,
      "--quiet",
    ],
    { env: { HF_HUB_OFFLINE: "1", AIPROV_CACHE_DIR: join(tmp, "cache") } },
  );
  expect(r.code, r.stderr).toBeLessThan(2);
  result = JSON.parse(readFileSync(out, "utf8")) as AuditResult;
}, 120_000);

const purls = (bom: Json): string[] => ((bom.components ?? []) as Json[]).map((c) => String(c.purl ?? ""));

describe("one component per model identity (real-repository shapes)", () => {
  it("folds Hub ids that differ only in case into one component, and passes the BOM checks", () => {
    // The tree names the repo in both spellings (web_demo.py and the README); the scan spells it one way
    // (src/resolve/knowledge/aliases.ts canonicalHubCase), keeping the written spelling on the reference.
    expect(result.lineage.nodes.filter((n) => n.repo?.toLowerCase() === "qwen/qwen-vl-chat").length).toBe(1);
    expect(result.references.some((r) => r.facts?.writtenAs === "qwen/Qwen-VL-Chat")).toBe(true);
    const bom = toCycloneDx(result) as Json;
    expect(purls(bom).filter((p) => p.toLowerCase() === "pkg:huggingface/qwen/qwen-vl-chat")).toHaveLength(1);
    expect(cyclonedxGraphProblems(bom)).toEqual([]);
    expect(spdxProfileProblems(toSpdx(result) as Json)).toEqual([]);
  });

  it("gives a ModelScope snapshot_download a ModelScope identity, never a huggingface purl", () => {
    const bom = toCycloneDx(result) as Json;
    const ms = purls(bom).filter((p) => p.includes("modelscope"));
    expect(ms).toEqual([
      "pkg:generic/qwen/Qwen-VL-Chat?download_url=https%3A%2F%2Fwww.modelscope.cn%2Fmodels%2Fqwen%2FQwen-VL-Chat",
    ]);
    // The model-named variable handed to snapshot_download is the same ModelScope id, not a Hub load.
    const refs = result.references.filter((r) => r.location.file === "README.md" && /qwen-vl-chat/i.test(r.raw));
    expect(refs.filter((r) => r.kind === "modelscope-id").length).toBeGreaterThanOrEqual(2);
  });

  it("folds a bare model name into the one Hub repo of the scan with that name", () => {
    const bom = toCycloneDx(result) as Json;
    const vicuna = ((bom.components ?? []) as Json[]).filter((c) => c.name === "vicuna-7b-v1.5");
    expect(vicuna.map((c) => c.purl)).toEqual(["pkg:huggingface/lmsys/vicuna-7b-v1.5"]);
    expect(componentIndex(result).groups.find((g) => g.repo === "lmsys/vicuna-7b-v1.5")!.nodes.length).toBe(2);
  });

  it("credits no local model to a hosted provider, and reads no vocabulary file as a Hub id", () => {
    // The one hosted model is the one written at an OpenAI call (monitor/summarize.py).
    expect(result.lineage.nodes.filter((n) => n.kind === "hosted").map((n) => n.id)).toEqual([
      "hosted:openai/gpt-4o-mini",
    ]);
    expect(result.lineage.nodes.some((n) => n.name === "all-mpnet-base-v2")).toBe(true);
    expect(result.references.filter((r) => r.raw.includes("bpe_simple_vocab"))).toEqual([]);
  });

  it("counts the same components in CycloneDX, SPDX, HTML, Markdown and text", () => {
    const counts = formatComponentCounts({
      cyclonedx: toCycloneDx(result) as Json,
      spdx: toSpdx(result) as Json,
      html: renderHtml(result),
      markdown: renderMarkdown(result),
      text: renderText(result, { color: false }),
    });
    expect(componentCountProblems(counts)).toEqual([]);
    // The Markdown table lists every component the product uses, the hosted model included.
    expect(markdownTableProblems(renderMarkdown(result))).toEqual([]);
    expect(renderMarkdown(result)).toMatch(/^\| \*\*gpt-4o-mini\*\*/m);
    expect(counts.cyclonedx).toBe(componentIndex(result).groups.length);
    // Fewer components than lineage nodes: the folds above happened.
    expect(counts.cyclonedx).toBeLessThan(result.lineage.nodes.length);
  });

  it("lists a reference folded into a bill-of-materials row once: the text sections sum to the component count (break-14 B15)", () => {
    const text = renderText(result, { color: false });
    const bom =
      /Bill of materials \((\d+) in the tree, (\d+) loaded from elsewhere(?:, (\d+) unresolved expressions?)?\)/.exec(
        text,
      );
    const hosted = /Hosted models \((\d+)/.exec(text);
    const total = Number(/Components: (\d+)/.exec(text)?.[1]);
    const sum = [bom?.[1], bom?.[2], bom?.[3], hosted?.[1]].reduce((a, b) => a + Number(b ?? 0), 0);
    expect(sum).toBe(total);
    expect(text).not.toMatch(/^ {4}"vicuna-7b-v1\.5"/m);
    expect(text).toMatch(/^ {4}"qwen\/Qwen-VL-Chat"/m);
  });

  it("the checks can fail: a case variant of a Hub purl and a format that counts nodes are caught", () => {
    const bom = toCycloneDx(result) as Json;
    const hub = (bom.components as Json[]).find((c) => String(c.purl).startsWith("pkg:huggingface/lmsys/"))!;
    const variant = { ...hub, "bom-ref": "variant", purl: String(hub.purl).replace("lmsys", "LMSYS") };
    const broken = { ...bom, components: [...(bom.components as Json[]), variant] };
    expect(cyclonedxGraphProblems(broken).some((p) => p.includes("appears as"))).toBe(true);
    const counts = formatComponentCounts({
      cyclonedx: bom,
      spdx: toSpdx(result) as Json,
      html: renderHtml(result),
      markdown: renderMarkdown(result),
      text: renderText(result, { color: false }).replace(
        /^Components: \d+/m,
        `Components: ${result.lineage.nodes.length}`,
      ),
    });
    expect(componentCountProblems(counts)).toEqual([
      `text counts ${result.lineage.nodes.length} components, CycloneDX ${counts.cyclonedx}`,
    ]);
  });
});

describe("licences of well-known models offline", () => {
  it("takes a Hub model's licence from the knowledge base offline, and links a LicenseRef to the licence's text", async () => {
    const tmp = mkdtempSync(join(tmpdir(), "aiprov-lic-"));
    const out = join(tmp, "r.json");
    const r = await aiprovAsync(["scan", "examples/llama-finetune", "--offline", "--json-output", out, "--quiet"], {
      env: { HF_HUB_OFFLINE: "1", AIPROV_CACHE_DIR: join(tmp, "cache") },
    });
    expect(r.code, r.stderr).toBeLessThan(2);
    const res = JSON.parse(readFileSync(out, "utf8")) as AuditResult;
    // rules/knowledge/components/llama-3.1-8b.yaml: license llama3.1 for its checkpoints.
    expect(res.lineage.nodes.find((n) => n.repo === "meta-llama/Llama-3.1-8B-Instruct")?.license).toBe("llama3.1");
    const graph = (toSpdx(res) as Json)["@graph"] as Json[];
    const ref = graph.find((x) => x.simplelicensing_licenseExpression === "LicenseRef-llama3.1")!;
    expect(ref.simplelicensing_customIdToUri).toEqual([
      { type: "DictionaryEntry", key: "LicenseRef-llama3.1", value: "https://www.llama.com/llama3_1/license/" },
    ]);
    expect(ref.comment).toContain("Llama 3.1 Community License Agreement");
  }, 60_000);
});
