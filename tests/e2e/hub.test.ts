/**
 * End to end against the local Hub: the built CLI (`aiprov explain`, `aiprov scan`, `aiprov cache clear`) talks to
 * src/local-hub/server.ts on 127.0.0.1, serving tests/fixtures/hub. Requests are counted in the server.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { createServer } from "node:net";
import { join } from "node:path";
import { aiprovAsync, REPO_ROOT } from "../helpers/cli.js";
import { startLocalHub, type LocalHub } from "../../src/local-hub/server.js";
import { validate } from "../../src/util/schema.js";
import type { AuditResult } from "../../src/model/types.js";

let hub: LocalHub;
let env: Record<string, string>;
let project: string;

beforeAll(async () => {
  hub = await startLocalHub({ fixtures: join(REPO_ROOT, "tests", "fixtures", "hub") });
});
afterAll(async () => {
  await hub.close();
});
beforeEach(() => {
  hub.reset();
  const tmp = mkdtempSync(join(tmpdir(), "aiprov-e2e-hub-"));
  env = { HF_HUB_OFFLINE: "0", AIPROV_CACHE_DIR: join(tmp, "cache"), HF_HOME: join(tmp, "hf") };
  // A product that ships a re-packager's GGUF of Merged-AGI-7B, declared in its model card.
  project = join(tmp, "project");
  mkdirSync(join(project, "model"), { recursive: true });
  writeFileSync(
    join(project, "model", "README.md"),
    "---\nlicense: cc-by-nc-4.0\nbase_model: TheBloke/Merged-AGI-7B-GGUF\nbase_model_relation: quantized\n---\n# Our assistant\n",
  );
});

describe("aiprov explain against the local Hub", () => {
  it("prints the lineage tree with relation, licence, publisher and country on each node", async () => {
    const r = await aiprovAsync(["explain", "Q-bert/Merged-AGI-7B", "--hub-url", hub.url], { env });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const lines = r.stdout.split("\n");
    expect(lines[0]).toMatch(
      /^Q-bert\/Merged-AGI-7B@[0-9a-f]{7} {2}\[licence cc-by-nc-4\.0; publisher Q-bert, unknown\]/,
    );
    expect(r.stdout).toMatch(/[├└]─ merge Q-bert\/MetaMath-Cybertron-Starling@[0-9a-f]{7}/);
    expect(r.stdout).toMatch(/─ merge berkeley-nest\/Starling-LM-7B-alpha@/);
    expect(r.stdout).toMatch(
      /─ finetune openchat\/openchat_3\.5@[0-9a-f]{7} {2}\[licence apache-2\.0; publisher openchat, unknown\] {2}via card-prose README\.md \(weak: card prose\)/,
    );
    // openchat's own card names no base: the hop comes from Starling's card, and the evidence says so.
    expect(r.stdout).toMatch(
      /└─ finetune mistralai\/Mistral-7B-v0\.1@[0-9a-f]{7} {2}\[licence apache-2\.0; publisher .*\(mistralai\), FR\] {2}via card-prose berkeley-nest\/Starling-LM-7B-alpha\/README\.md/,
    );
    expect(r.stdout).toMatch(/merge Q-bert\/MetaMath-Cybertron .*UNDETERMINED: not-found-or-private/);
    // The tree is indented: Mistral sits four levels below the root.
    expect(lines.find((l) => l.includes("mistralai/Mistral-7B-v0.1"))).toMatch(/^(?:[│ ] {2}){3}└─ /);
  });

  it("--format json gives the tree as data", async () => {
    const r = await aiprovAsync(["explain", "TheBloke/Merged-AGI-7B-GGUF", "--hub-url", hub.url, "--format", "json"], {
      env,
    });
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as {
      root: string;
      hubUrl: string;
      tree: {
        repo: string;
        publisher: { repackager?: boolean };
        parents: { repo: string; relation: string; evidence: { code: string; file: string }[] }[];
      };
    };
    expect(out.root).toBe("TheBloke/Merged-AGI-7B-GGUF");
    expect(out.hubUrl).toBe(hub.url);
    expect(out.tree.publisher.repackager).toBe(true);
    expect(out.tree.parents[0]).toMatchObject({
      repo: "Q-bert/Merged-AGI-7B",
      relation: "quantized",
      evidence: [{ code: "gguf-base-model", file: "merged-agi-7b.Q2_K.gguf" }],
    });
  });

  it("--offline makes no request; a bad id is a usage error", async () => {
    const r = await aiprovAsync(["explain", "Q-bert/Merged-AGI-7B", "--hub-url", hub.url, "--offline"], { env });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("(own lineage not looked up)");
    expect(hub.requests).toHaveLength(0);
    const bad = await aiprovAsync(["explain", "not a model id", "--hub-url", hub.url], { env });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("is not a Hugging Face model id");
  });
});

describe("aiprov scan through the local Hub", () => {
  it("resolves the chain behind a re-packager's GGUF, records the Hub URL, and a second scan makes no request", async () => {
    const r = await aiprovAsync(["scan", project, "--hub-url", hub.url, "--format", "json"], { env });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const result = JSON.parse(r.stdout) as AuditResult;
    expect(validate("report.schema.json", result, "report")).toEqual([]);
    expect(result.settings).toMatchObject({ offline: false, hubUrl: hub.url });
    const node = (id: string) => result.lineage.nodes.find((n) => n.id === id);
    expect(node("hub:TheBloke/Merged-AGI-7B-GGUF")).toMatchObject({
      status: "third-party",
      publisher: { repackager: true },
    });
    expect(node("hub:mistralai/Mistral-7B-v0.1")).toMatchObject({
      status: "third-party",
      publisher: { country: "FR" },
      license: "apache-2.0",
    });
    expect(node("hub:mistralai/Mistral-7B-v0.1")?.revision).toMatch(/^[0-9a-f]{40}$/);
    const edge = result.lineage.edges.find((e) => e.from === "hub:TheBloke/Merged-AGI-7B-GGUF");
    expect(edge).toMatchObject({ to: "hub:Q-bert/Merged-AGI-7B", relation: "quantized" });
    expect(edge?.evidence[0]?.location.hub?.repo).toBe("TheBloke/Merged-AGI-7B-GGUF");
    const cold = hub.requests.length;
    expect(cold).toBeGreaterThan(0);

    hub.reset();
    const again = await aiprovAsync(["scan", project, "--hub-url", hub.url, "--format", "json"], { env });
    expect(again.code).toBe(0);
    expect(hub.requests).toHaveLength(0);
    expect((JSON.parse(again.stdout) as AuditResult).lineage).toEqual(result.lineage);
  });

  it("--offline and HF_HUB_OFFLINE=1 make zero requests", async () => {
    const a = await aiprovAsync(["scan", project, "--hub-url", hub.url, "--offline", "--format", "json"], { env });
    const b = await aiprovAsync(["scan", project, "--hub-url", hub.url, "--format", "json"], {
      env: { ...env, HF_HUB_OFFLINE: "1" },
    });
    expect(a.code).toBe(0);
    expect(b.code).toBe(0);
    expect(hub.requests).toHaveLength(0);
    expect((JSON.parse(a.stdout) as AuditResult).settings.offline).toBe(true);
  });

  it("sends the token to the Hub but never prints or stores it; cache clear forgets everything", async () => {
    const token = "hf_e2eSecretToken000000000000000000";
    const r = await aiprovAsync(["scan", project, "--hub-url", hub.url, "--format", "json"], {
      env: { ...env, HF_TOKEN: token },
    });
    expect(r.code).toBe(0);
    expect(hub.requests.every((q) => q.authorized)).toBe(true);
    expect(r.stdout + r.stderr).not.toContain(token);
    const files = (d: string): string[] =>
      readdirSync(d, { withFileTypes: true }).flatMap((e) =>
        e.isDirectory() ? files(join(d, e.name)) : [join(d, e.name)],
      );
    for (const f of files(env.AIPROV_CACHE_DIR!)) expect(readFileSync(f, "utf8")).not.toContain(token);

    const cleared = await aiprovAsync(["cache", "clear"], { env });
    expect(cleared.code).toBe(0);
    expect(cleared.stdout).toContain(`cleared ${env.AIPROV_CACHE_DIR}`);
    hub.reset();
    await aiprovAsync(["scan", project, "--hub-url", hub.url, "--format", "json"], { env });
    expect(hub.requests.length).toBeGreaterThan(0);
  });

  it("says once that an unreachable Hub was not reached, and still reports", async () => {
    const port = await new Promise<number>((res) => {
      const s = createServer();
      s.listen(0, "127.0.0.1", () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => res(p));
      });
    });
    const started = Date.now();
    const r = await aiprovAsync(
      ["scan", project, "--hub-url", `http://127.0.0.1:${port}`, "--format", "json", "--timeout", "2"],
      { env },
    );
    // Generous bound (a loaded CI machine): the point is that it does not wait per repo or hang.
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(r.code).toBe(0);
    const result = JSON.parse(r.stdout) as AuditResult;
    expect(result.diagnostics.filter((d) => d.code === "hub-unreachable")).toHaveLength(1);
    // As with --offline (the same findings), with the reason kept: the re-packager's origin was not looked up.
    expect(result.lineage.nodes.find((n) => n.id === "hub:TheBloke/Merged-AGI-7B-GGUF")).toMatchObject({
      status: "undetermined",
      statusReason: { code: "repackager-origin-unresolved", args: { lookedUp: false, why: "unreachable" } },
    });
  });

  it("rejects a bad --timeout", async () => {
    const r = await aiprovAsync(["scan", project, "--timeout", "soon"], { env });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("--timeout");
  });
});
