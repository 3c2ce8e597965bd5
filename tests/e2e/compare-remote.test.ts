/**
 * Remote comparison against the local Hub (src/local-hub/server.ts on 127.0.0.1): weights are read by HTTP range
 * requests only, and the bytes read are a small fraction of the file.
 */
import { cp, mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLocalHub, type LocalHub } from "../../src/local-hub/server.js";
import { aiprovAsync } from "../helpers/cli.js";
import { compareModels, type ModelComparison } from "../../src/fingerprint/compare.js";
import { createFingerprint, matchFingerprint } from "../../src/fingerprint/entry.js";
import { generateModel, generatedConfig, reprefix, writeModelFolder } from "../../src/fingerprint/generate.js";
import { openHubModel } from "../../src/fingerprint/hub-source.js";
import { openLocalModel } from "../../src/fingerprint/source.js";
import type { FingerprintEntry } from "../../src/fingerprint/entry.js";
import type { AuditResult } from "../../src/model/types.js";

let root: string;
let hub: LocalHub;
let fileSize: number;
// A larger text model than vision tower, as in real VLMs, so a component read is visibly partial.
const SHAPE = { seed: 21, textHidden: 128, textLayers: 4, vocab: 8192 };

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "aiprov-e2e-remote-"));
  const up = generateModel(SHAPE);
  const file = await writeModelFolder(join(root, "hub", "acme", "upstream-vl"), up, "F32", generatedConfig(SHAPE));
  fileSize = (await stat(file)).size;
  const other = generateModel({ seed: 22, visionPrefix: null });
  await writeModelFolder(
    join(root, "reuse"),
    [...reprefix(up, "visual.", "model.visual."), ...reprefix(other, "model.", "model.language_model.")],
    "F32",
    generatedConfig({ seed: 22 }),
  );
  hub = await startLocalHub({ fixtures: join(root, "hub") });
});

afterAll(async () => {
  await hub?.close();
  await rm(root, { recursive: true, force: true });
});

const weightRequests = () =>
  hub.requests.filter((r) => r.path.includes("/resolve/") && r.path.endsWith(".safetensors"));

describe("remote comparison through the local Hub", () => {
  it("compares a Hub model's vision tower with a local one by range requests, reading only the component", async () => {
    hub.reset();
    const remote = await openHubModel("acme/upstream-vl", { hubUrl: hub.url });
    const local = await openLocalModel(join(root, "reuse"));
    const r = await compareModels(remote, local, "vision");
    expect(r.components[0]).toMatchObject({ component: "vision", verdict: "identical" });
    const vision = remote.tensors.filter((t) => t.kind === "vision").reduce((a, t) => a + t.end - t.start, 0);
    const header = Math.min(...remote.tensors.map((t) => t.start));
    expect(remote.bytesRead()).toBe(header + vision);
    expect(remote.bytesRead() / fileSize).toBeLessThan(0.1);
    // Every weight request was a range request answered 206.
    expect(
      weightRequests()
        .filter((q) => q.method === "GET")
        .every((q) => q.status === 206),
    ).toBe(true);
    await local.close();
  });

  it("decides a sketch match of the Hub model against a knowledge entry from well under 1% of the file", async () => {
    const local = await openLocalModel(join(root, "reuse"));
    const entry = await createFingerprint(local, { id: "reuse", components: ["vision"], createdWith: "test" });
    await local.close();
    hub.reset();
    const remote = await openHubModel("acme/upstream-vl", { hubUrl: hub.url });
    const m = await matchFingerprint(remote, entry);
    expect(m.map((x) => [x.component, x.strength])).toEqual([["vision", "weight-similar"]]);
    expect(m[0]!.sketch.valuesEqual).toBe(true);
    expect(remote.bytesRead() / fileSize).toBeLessThan(0.01);
    expect(
      weightRequests()
        .filter((q) => q.method === "GET")
        .every((q) => q.status === 206),
    ).toBe(true);
  });

  it("aiprov compare <hub-id> <folder> --hub-url reports the verdict and the bytes read", async () => {
    const r = await aiprovAsync(
      [
        "compare",
        "acme/upstream-vl",
        join(root, "reuse"),
        "--component",
        "vision",
        "--hub-url",
        hub.url,
        "--format",
        "json",
      ],
      { env: { HF_HUB_OFFLINE: "0" } },
    );
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const c = JSON.parse(r.stdout) as ModelComparison;
    expect(c.components[0]!.verdict).toBe("identical");
    expect(c.a).toMatchObject({ label: "acme/upstream-vl", bytes: fileSize });
    expect(c.a.bytesRead / c.a.bytes).toBeLessThan(0.1);
    const missing = await aiprovAsync(["compare", "acme/no-such-model", join(root, "reuse"), "--hub-url", hub.url], {
      env: { HF_HUB_OFFLINE: "0" },
    });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(
      /^aiprov: acme\/no-such-model: could not be read from http:\/\/127\.0\.0\.1:\d+: .*RepoNotFound/,
    );
    const offline = await aiprovAsync(["compare", "acme/upstream-vl", join(root, "reuse"), "--hub-url", hub.url]);
    expect(offline.code).toBe(2);
    expect(offline.stderr).toMatch(/needs the network/);
  });

  it("builds a weight entry from a Hub model (the README procedure), and a scan finds the reused tower with it", async () => {
    const kb = join(root, "my-knowledge");
    const w = await aiprovAsync(
      ["fingerprint", "acme/upstream-vl", "--component", "vision", "--hub-url", hub.url, "--out", kb],
      { env: { HF_HUB_OFFLINE: "0" } },
    );
    expect(w.code).toBe(0);
    const entry = JSON.parse(await readFile(join(kb, "fingerprints", "upstream-vl.json"), "utf8")) as FingerprintEntry;
    expect(entry.source).toEqual({ repo: "acme/upstream-vl" });
    expect(entry.components.map((c) => [c.component, c.prefixes])).toEqual([["vision", ["visual."]]]);
    await cp(join(root, "reuse"), join(root, "project", "weights"), { recursive: true });
    const r = await aiprovAsync(["scan", join(root, "project"), "--knowledge", kb, "--offline", "--format", "json"]);
    const result = JSON.parse(r.stdout) as AuditResult;
    const edge = result.lineage.edges.find((e) => e.evidence.some((x) => x.code === "weight-fingerprint-match"));
    expect(edge).toMatchObject({
      from: "local:weights/config.json#/vision_config",
      to: "hub:acme/upstream-vl",
      relation: "initialised-from",
      strength: "weight-identical",
    });
  });
});
