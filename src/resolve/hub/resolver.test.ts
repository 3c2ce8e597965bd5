/**
 * The Hub resolver against the local Hub (src/local-hub/server.ts) serving tests/fixtures/hub: the real
 * `@huggingface/hub` client talks HTTP to 127.0.0.1; nothing is mocked and nothing reaches the internet.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { connect, createServer } from "node:net";
import { createServer as createHttpServer, request as httpRequest } from "node:http";
import { startLocalHub, type LocalHub } from "../../local-hub/server.js";
import { loadKnowledgeBase } from "../knowledge/knowledge-base.js";
import { DiskCache, HfCache } from "./cache.js";
import { createHubResolver, type HubResolverOptions } from "./resolver.js";
import { cardFacts, isRepoRecord } from "./record.js";
import { retryDelayMs } from "./http.js";
import type { UpstreamInfo } from "../types.js";

const FIXTURES = join(import.meta.dirname, "..", "..", "..", "tests", "fixtures", "hub");
const kb = loadKnowledgeBase();
let hub: LocalHub;
let tmp: string;

beforeAll(async () => {
  hub = await startLocalHub({ fixtures: FIXTURES, grantedTokens: ["hf_granted_test_token_0000000000"] });
});
afterAll(async () => {
  await hub.close();
});
beforeEach(() => {
  hub.reset();
  hub.setFaults([]);
  hub.setLatency(0);
  tmp = mkdtempSync(join(tmpdir(), "aiprov-hub-"));
});

const resolver = (extra: Partial<HubResolverOptions> = {}) =>
  createHubResolver({
    kb,
    hubUrl: hub.url,
    cache: new DiskCache(join(tmp, "cache")),
    hfCache: new HfCache(join(tmp, "hf", "hub")),
    backoffMs: 5,
    env: {},
    ...extra,
  });

const parentsOf = (m: Map<string, UpstreamInfo>, repo: string) =>
  Object.fromEntries((m.get(repo)?.parents ?? []).map((p) => [p.repo, p.relation]));
describe("Hub resolver on the local Hub", () => {
  it("follows Q-bert/Merged-AGI-7B down to mistralai/Mistral-7B-v0.1 (four hops) with the right relation on each edge", async () => {
    const r = resolver();
    const m = await r.resolve(["Q-bert/Merged-AGI-7B"]);
    expect(parentsOf(m, "Q-bert/Merged-AGI-7B")).toEqual({
      "Q-bert/MetaMath-Cybertron-Starling": "merge",
      "fblgit/juanako-7b-UNA": "merge",
    });
    expect(parentsOf(m, "Q-bert/MetaMath-Cybertron-Starling")).toEqual({
      "Q-bert/MetaMath-Cybertron": "merge",
      "berkeley-nest/Starling-LM-7B-alpha": "merge",
    });
    expect(parentsOf(m, "berkeley-nest/Starling-LM-7B-alpha")).toEqual({ "openchat/openchat_3.5": "finetune" });
    expect(parentsOf(m, "openchat/openchat_3.5")).toEqual({ "mistralai/Mistral-7B-v0.1": "finetune" });
    expect(m.get("mistralai/Mistral-7B-v0.1")).toMatchObject({
      state: "resolved",
      license: "apache-2.0",
      publisher: { country: "FR" },
      parents: [],
    });

    // Every fact names the repo, the file and the commit it was read at.
    const ev = m.get("Q-bert/Merged-AGI-7B")!.parents[0]!.evidence[0]!;
    expect(ev).toMatchObject({
      code: "card-base-model",
      strength: "declared",
      location: {
        file: "README.md",
        hub: { repo: "Q-bert/Merged-AGI-7B", revision: m.get("Q-bert/Merged-AGI-7B")!.revision },
      },
    });
    expect(m.get("Q-bert/Merged-AGI-7B")!.revision).toMatch(/^[0-9a-f]{40}$/);
    // Starling's card declares its base only in prose: weak declared evidence with the line.
    const prose = m.get("berkeley-nest/Starling-LM-7B-alpha")!.parents[0]!.evidence[0]!;
    expect(prose).toMatchObject({
      code: "card-prose",
      location: { file: "README.md", line: 20, hub: { repo: "berkeley-nest/Starling-LM-7B-alpha" } },
      args: { weak: true },
    });
    // "(based on Mistral-7B-v0.1)" after the openchat link speaks about openchat, from Starling's card.
    expect(m.get("openchat/openchat_3.5")!.parents[0]!.evidence[0]!.location.hub?.repo).toBe(
      "berkeley-nest/Starling-LM-7B-alpha",
    );

    // A path of at least four hops from the model to Mistral.
    const hops = (from: string, to: string, seen = new Set<string>()): number => {
      if (from === to) return 0;
      seen.add(from);
      return Math.max(
        -Infinity,
        ...(m.get(from)?.parents ?? []).filter((p) => !seen.has(p.repo)).map((p) => hops(p.repo, to, seen) + 1),
      );
    };
    expect(hops("Q-bert/Merged-AGI-7B", "mistralai/Mistral-7B-v0.1")).toBeGreaterThanOrEqual(4);
    // Publishers outside the knowledge base get the Hub author and an unknown country, never a guess.
    expect(m.get("Q-bert/Merged-AGI-7B")!.publisher).toMatchObject({
      org: "Q-bert",
      entity: "Q-bert",
      country: "unknown",
    });
  });

  it("drops the self-reference of Merged-AGI-7B's base_model tag (cycle) and terminates", async () => {
    const m = await resolver().resolve(["Q-bert/Merged-AGI-7B"]);
    expect(m.get("Q-bert/Merged-AGI-7B")!.parents.map((p) => p.repo)).not.toContain("Q-bert/Merged-AGI-7B");
    // Each repo was asked for once, however many paths lead to it.
    const infoCalls = hub.requests.filter((q) => q.path.startsWith("/api/models/"));
    expect(new Set(infoCalls.map((q) => q.path.split("?")[0])).size).toBe(infoCalls.length);
  });

  it("resolves a multi-parent VLM (InternVL3-1B: vision encoder and LLM) with its declared relation", async () => {
    const m = await resolver().resolve(["OpenGVLab/InternVL3-1B"]);
    expect(parentsOf(m, "OpenGVLab/InternVL3-1B")).toEqual({
      "OpenGVLab/InternViT-300M-448px-V2_5": "merge",
      "Qwen/Qwen2.5-0.5B": "merge",
    });
    expect(m.get("OpenGVLab/InternVL3-1B")!.parents[0]!.evidence[0]!.args).toMatchObject({
      relationSource: "base_model_relation",
    });
    // Parents missing from the Hub are undetermined, with the reason, never a pass.
    expect(m.get("Qwen/Qwen2.5-0.5B")).toMatchObject({
      state: "undetermined",
      reason: { code: "not-found-or-private" },
      publisher: { country: "CN" },
    });
  });

  it("reads a GGUF header that names the base of a re-packager's upload, and follows it to the origin", async () => {
    const m = await resolver().resolve(["TheBloke/Merged-AGI-7B-GGUF"]);
    const gguf = m.get("TheBloke/Merged-AGI-7B-GGUF")!;
    expect(gguf.publisher.repackager).toBe(true);
    expect(gguf.parents).toHaveLength(1);
    expect(gguf.parents[0]).toMatchObject({ repo: "Q-bert/Merged-AGI-7B", relation: "quantized" });
    expect(gguf.parents[0]!.evidence[0]!.location).toMatchObject({
      file: "merged-agi-7b.Q2_K.gguf",
      pointer: "/general.base_model.0",
      hub: { repo: "TheBloke/Merged-AGI-7B-GGUF", revision: gguf.revision },
    });
    expect(m.has("mistralai/Mistral-7B-v0.1")).toBe(true);
    const m2 = await resolver().resolve(["TheBloke/openchat_3.5-GGUF"]);
    expect(parentsOf(m2, "TheBloke/openchat_3.5-GGUF")).toEqual({ "openchat/openchat_3.5": "quantized" });
  });

  it("reads PEFT and mergekit declarations", async () => {
    const m = await resolver().resolve([
      "DEVELOPERYUMIN/GeM2-14B-Korean-RAG-QLoRA",
      "YouriLalain/2PRYMMAL-Yi1.5-6B-SLERP",
    ]);
    expect(parentsOf(m, "DEVELOPERYUMIN/GeM2-14B-Korean-RAG-QLoRA")).toEqual({
      "vaiv/GeM2-Llamion-14B-Chat": "adapter",
    });
    expect(parentsOf(m, "YouriLalain/2PRYMMAL-Yi1.5-6B-SLERP")).toEqual({
      "01-ai/Yi-1.5-6B-Chat": "merge",
      "01-ai/Yi-1.5-6B": "merge",
    });
  });

  it("makes a gated repo undetermined with the reason, and reads it with a granted token", async () => {
    const m = await resolver().resolve(["meta-llama/Llama-3.2-11B-Vision-Instruct"]);
    expect(m.get("meta-llama/Llama-3.2-11B-Vision-Instruct")).toMatchObject({
      state: "undetermined",
      reason: { code: "gated", args: { status: 401 } },
    });
    const denied = await resolver({
      token: "hf_not_granted_token_000000000000",
      cache: new DiskCache(join(tmp, "denied")),
    }).resolve(["meta-llama/Llama-3.2-11B-Vision-Instruct"]);
    expect(denied.get("meta-llama/Llama-3.2-11B-Vision-Instruct")!.reason).toMatchObject({
      code: "gated",
      args: { status: 403 },
    });
    hub.reset();
    const granted = await resolver({
      token: "hf_granted_test_token_0000000000",
      cache: new DiskCache(join(tmp, "other")),
    }).resolve(["meta-llama/Llama-3.2-11B-Vision-Instruct"]);
    expect(granted.get("meta-llama/Llama-3.2-11B-Vision-Instruct")!.state).toBe("resolved");
    expect(hub.requests.every((q) => q.authorized)).toBe(true);
    expect(JSON.stringify([...granted.values()])).not.toContain("hf_granted");
  });

  it("retries a 429 honouring Retry-After, then succeeds", async () => {
    hub.setFaults([
      { path: "/api/models/openchat/openchat_3.5", kind: 429, times: 1, retryAfter: 0, rateLimit: '"api";r=0;t=0' },
    ]);
    const m = await resolver().resolve(["openchat/openchat_3.5"]);
    expect(m.get("openchat/openchat_3.5")!.state).toBe("resolved");
    const calls = hub.requests.filter((q) => q.path.startsWith("/api/models/openchat/openchat_3.5"));
    expect(calls.map((q) => q.status)).toEqual([429, 200]);
  });

  it("retries 5xx with backoff, and gives up as undetermined (rate-limited, hub-error) with one diagnostic", async () => {
    hub.setFaults([{ path: "/api/models/openchat/openchat_3.5", kind: 503, times: 2 }]);
    expect((await resolver().resolve(["openchat/openchat_3.5"])).get("openchat/openchat_3.5")!.state).toBe("resolved");
    hub.setFaults([{ path: "/api/models/", kind: 429, retryAfter: 0 }]);
    const r = resolver({ retries: 1, cache: new DiskCache(join(tmp, "limited")) });
    const m = await r.resolve(["openchat/openchat_3.5", "fblgit/juanako-7b-UNA"]);
    expect(m.get("openchat/openchat_3.5")).toMatchObject({ state: "undetermined", reason: { code: "rate-limited" } });
    expect(r.diagnostics().filter((d) => d.code === "hub-rate-limited")).toHaveLength(1);
  });

  it("parses Retry-After (seconds, HTTP date) and RateLimit t=", () => {
    expect(retryDelayMs(new Headers({ "Retry-After": "3" }))).toBe(3000);
    expect(retryDelayMs(new Headers({ "Retry-After": new Date(10_000).toUTCString() }), 4_000)).toBe(6000);
    expect(retryDelayMs(new Headers({ RateLimit: '"api";r=0;t=42' }))).toBe(42_000);
    expect(retryDelayMs(new Headers({}))).toBeUndefined();
  });

  it("makes a missing repo undetermined (401 anonymous, 404 with a token), never a pass", async () => {
    const anon = await resolver().resolve(["nobody/does-not-exist"]);
    expect(anon.get("nobody/does-not-exist")).toMatchObject({
      state: "undetermined",
      reason: { code: "not-found-or-private", args: { errorCode: "RepoNotFound" } },
    });
    const authed = await resolver({
      token: "hf_some_token_0000000000000000000",
      cache: new DiskCache(join(tmp, "authed")),
    }).resolve(["nobody/does-not-exist"]);
    expect(authed.get("nobody/does-not-exist")).toMatchObject({
      state: "undetermined",
      reason: { code: "not-found", args: { status: 404 } },
    });
  });

  it("keeps the Hub's task and the card's training datasets, also when the answer comes from the cache offline", async () => {
    const on = await resolver().resolve(["openchat/openchat_3.5"]);
    // openchat_3.5's released card (tests/fixtures/hub/openchat/openchat_3.5): pipeline_tag and ten datasets.
    expect(on.get("openchat/openchat_3.5")).toMatchObject({ task: "text-generation" });
    expect(on.get("openchat/openchat_3.5")!.datasets).toHaveLength(10);
    expect(on.get("openchat/openchat_3.5")!.datasets![0]).toBe("openchat/openchat_sharegpt4_dataset");
    hub.reset();
    const cached = await resolver({ offline: true }).resolve(["openchat/openchat_3.5"]);
    expect(hub.requests).toHaveLength(0);
    expect(cached.get("openchat/openchat_3.5")).toMatchObject({ task: "text-generation" });
    expect(cached.get("openchat/openchat_3.5")!.datasets).toEqual(on.get("openchat/openchat_3.5")!.datasets);
  });

  it("reads the task and datasets only in their documented shapes", () => {
    expect(cardFacts({ pipeline_tag: "text-generation" }, { datasets: "org/one" })).toEqual({
      task: "text-generation",
      datasets: ["org/one"],
    });
    // The info's pipeline_tag wins over the card's; a task or dataset of another shape is left out.
    expect(cardFacts({ pipeline_tag: "image-text-to-text" }, { pipeline_tag: "text-generation" }).task).toBe(
      "image-text-to-text",
    );
    expect(cardFacts(undefined, { pipeline_tag: "Text Generation", datasets: ["a/b", 3, "../x", "a/b", "c"] })).toEqual(
      { datasets: ["a/b", "c"] },
    );
    const record = { v: 1, repo: "a/b", sha: "0".repeat(40), parents: [], hints: [], state: "resolved", source: "hub" };
    expect(isRepoRecord({ ...record, task: "text-generation", datasets: ["org/x"] })).toBe(true);
    expect(isRepoRecord({ ...record, datasets: [{ evil: true }] })).toBe(false);
    expect(isRepoRecord({ ...record, task: "<script>" })).toBe(false);
  });

  it("offline makes zero requests; a second resolution with the same cache makes zero requests", async () => {
    const off = await resolver({ offline: true }).resolve(["Q-bert/Merged-AGI-7B"]);
    expect(hub.requests).toHaveLength(0);
    expect(off.get("Q-bert/Merged-AGI-7B")).toMatchObject({ lineageLookedUp: false });

    const cold = resolver();
    const first = await cold.resolve(["Q-bert/Merged-AGI-7B", "nobody/does-not-exist"]);
    const coldCount = hub.requests.length;
    expect(coldCount).toBeGreaterThan(0);
    expect(cold.requestCount()).toBe(coldCount);
    hub.reset();
    const warm = resolver();
    const second = await warm.resolve(["Q-bert/Merged-AGI-7B", "nobody/does-not-exist"]);
    expect(hub.requests).toHaveLength(0);
    const summary = (x: Map<string, UpstreamInfo>) =>
      [...x.entries()]
        .map(([k, v]) => [k, v.state, v.revision, v.parents.map((p) => `${p.relation}:${p.repo}`)])
        .sort((a, b) => String(a[0]).localeCompare(String(b[0])));
    expect(summary(second)).toEqual(summary(first));
    // And offline, the cache answers with the full lineage.
    const offCached = await resolver({ offline: true }).resolve(["Q-bert/Merged-AGI-7B"]);
    expect(offCached.has("mistralai/Mistral-7B-v0.1")).toBe(true);
    expect(hub.requests).toHaveLength(0);
    // --refresh trusts nothing cached: the latest commit and the per-commit records (its files) are read again.
    await resolver({ refresh: true }).resolve(["Q-bert/Merged-AGI-7B"]);
    expect(hub.requests.some((q) => q.path.startsWith("/api/models/"))).toBe(true);
    expect(hub.requests.some((q) => !q.path.startsWith("/api/models/"))).toBe(true);
    // Atomic writes leave no temporary files behind.
    const files = (d: string): string[] =>
      readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(d, e.name)) : [e.name]));
    expect(files(join(tmp, "cache")).filter((f) => f.endsWith(".tmp"))).toEqual([]);
  });

  it("reads the Hugging Face cache before the network", async () => {
    const sha = "0123456789abcdef0123456789abcdef01234567";
    const repoDir = join(tmp, "hf", "hub", "models--Q-bert--MetaMath-Cybertron-Starling");
    mkdirSync(join(repoDir, "refs"), { recursive: true });
    mkdirSync(join(repoDir, "snapshots", sha), { recursive: true });
    writeFileSync(join(repoDir, "refs", "main"), sha);
    writeFileSync(
      join(repoDir, "snapshots", sha, "README.md"),
      readFileSync(join(FIXTURES, "Q-bert", "MetaMath-Cybertron-Starling", "README.md")),
    );
    const m = await resolver({ maxDepth: 0 }).resolve(["Q-bert/MetaMath-Cybertron-Starling"]);
    expect(hub.requests).toHaveLength(0);
    expect(m.get("Q-bert/MetaMath-Cybertron-Starling")).toMatchObject({
      revision: sha,
      parents: [
        { repo: "Q-bert/MetaMath-Cybertron", relation: "merge" },
        { repo: "berkeley-nest/Starling-LM-7B-alpha", relation: "merge" },
      ],
    });
  });

  it("stops at the depth limit and says so", async () => {
    const r = resolver({ maxDepth: 1 });
    const m = await r.resolve(["Q-bert/Merged-AGI-7B"]);
    expect(m.has("berkeley-nest/Starling-LM-7B-alpha")).toBe(false);
    expect(m.get("Q-bert/MetaMath-Cybertron-Starling")!.lineageLookedUp).toBe(false);
    expect(r.diagnostics().some((d) => d.code === "hub-depth-limit")).toBe(true);
  });

  it("says once that the Hub is unreachable, and carries on", async () => {
    const port = await new Promise<number>((res) => {
      const s = createServer();
      s.listen(0, "127.0.0.1", () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => res(p));
      });
    });
    const r = resolver({ hubUrl: `http://127.0.0.1:${port}` });
    const m = await r.resolve(["Q-bert/Merged-AGI-7B", "openchat/openchat_3.5", "mistralai/Mistral-7B-v0.1"]);
    // As offline: the publisher from the knowledge base, the lineage not looked up, the reason kept.
    expect(
      [...m.values()].every((v) => v.state === "resolved" && !v.lineageLookedUp && v.reason?.code === "unreachable"),
    ).toBe(true);
    expect(m.get("mistralai/Mistral-7B-v0.1")!.publisher.country).toBe("FR");
    expect(r.diagnostics().filter((d) => d.code === "hub-unreachable")).toHaveLength(1);
    // The breaker opens on the first failure: no request is sent after it.
    expect(r.requestCount()).toBeLessThanOrEqual(3);
    const again = await r.resolve(["fblgit/juanako-7b-UNA"]);
    expect(again.get("fblgit/juanako-7b-UNA")!.reason?.code).toBe("unreachable");
    expect(r.requestCount()).toBeLessThanOrEqual(3);
  });

  it("applies the timeout setting to a Hub that never answers", async () => {
    hub.setFaults([{ path: "/api/models/", kind: "hang" }]);
    const r = resolver({ timeoutMs: 150 });
    const m = await r.resolve(["openchat/openchat_3.5"]);
    expect(m.get("openchat/openchat_3.5")!.reason?.code).toBe("unreachable");
    expect(r.diagnostics()[0]!.message).toContain("no answer within 150 ms");
  });

  it("retries a body cut short once", async () => {
    // Starling's card declares its base in prose only, so its README is downloaded: cut the first answer short.
    hub.setFaults([{ path: "/berkeley-nest/Starling-LM-7B-alpha/resolve/", kind: "truncate", times: 1 }]);
    const m = await resolver({ maxDepth: 0 }).resolve(["berkeley-nest/Starling-LM-7B-alpha"]);
    expect(parentsOf(m, "berkeley-nest/Starling-LM-7B-alpha")).toEqual({ "openchat/openchat_3.5": "finetune" });
    // One GET cut short, one retried in full.
    expect(hub.requests.filter((q) => q.path.includes("/resolve/"))).toHaveLength(2);
  });

  it("resolves the parts of a composite model from its config.json (ultravox: Whisper encoder, Llama backbone)", async () => {
    const m = await resolver().resolve(["fixie-ai/ultravox-v0_6-llama-3_1-8b"]);
    const ps = m.get("fixie-ai/ultravox-v0_6-llama-3_1-8b")!.parents;
    expect(ps.map((p) => [p.repo, p.relation, p.role])).toEqual([
      ["openai/whisper-large-v3-turbo", "initialised-from", "audio-encoder"],
      ["meta-llama/Llama-3.1-8B-Instruct", "initialised-from", "backbone"],
    ]);
    expect(ps[0]!.evidence[0]!.location).toMatchObject({
      file: "config.json",
      pointer: "/audio_config/_name_or_path",
      hub: { repo: "fixie-ai/ultravox-v0_6-llama-3_1-8b" },
    });
    expect(ps[0]!.evidence[0]!.location.line).toBeGreaterThan(1);
  });

  it("goes through HTTP_PROXY, and around it for NO_PROXY hosts", async () => {
    const seen: string[] = [];
    const proxy = createHttpServer((req, res) => {
      seen.push(req.url ?? "");
      const target = new URL(req.url ?? "");
      const up = httpRequest(
        {
          host: target.hostname,
          port: target.port,
          path: `${target.pathname}${target.search}`,
          method: req.method,
          headers: req.headers,
        },
        (r) => {
          res.writeHead(r.statusCode ?? 502, r.headers);
          r.pipe(res);
        },
      );
      req.pipe(up);
    });
    // undici tunnels through the proxy with CONNECT, as corporate proxies expect.
    proxy.on("connect", (req, client, head) => {
      seen.push(`CONNECT ${req.url}`);
      const [host, port] = (req.url ?? "").split(":");
      const upstream = connect(Number(port), host!, () => {
        client.write("HTTP/1.1 200 Connection Established\r\n\r\n");
        upstream.write(head);
        upstream.pipe(client);
        client.pipe(upstream);
      });
      upstream.on("error", () => client.destroy());
      client.on("error", () => upstream.destroy());
    });
    await new Promise<void>((r) => proxy.listen(0, "127.0.0.1", () => r()));
    const proxyUrl = `http://127.0.0.1:${(proxy.address() as { port: number }).port}`;
    try {
      const m = await resolver({ env: { HTTP_PROXY: proxyUrl } }).resolve(["openchat/openchat_3.5"]);
      expect(m.get("openchat/openchat_3.5")!.reason).toBeUndefined();
      expect(seen.length).toBeGreaterThan(0);
      expect(seen.every((x) => x === `CONNECT 127.0.0.1:${hub.port}` || x.startsWith(`${hub.url}/`))).toBe(true);
      seen.length = 0;
      await resolver({
        env: { HTTP_PROXY: proxyUrl, NO_PROXY: "127.0.0.1" },
        cache: new DiskCache(join(tmp, "np")),
      }).resolve(["openchat/openchat_3.5"]);
      expect(seen).toEqual([]);
    } finally {
      proxy.closeAllConnections();
      await new Promise((r) => proxy.close(r));
    }
  });
});
