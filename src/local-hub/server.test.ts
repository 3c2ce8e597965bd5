/** The local Hub speaks the Hub's HTTP contract (shared/research/manifests-and-apis.md §B2-B4), checked with plain fetch. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { join } from "node:path";
import { fileDownloadInfo, listFiles, modelInfo } from "@huggingface/hub";
import { startLocalHub, type LocalHub } from "./server.js";

const FIXTURES = join(import.meta.dirname, "..", "..", "tests", "fixtures", "hub");
let hub: LocalHub;
beforeAll(async () => {
  hub = await startLocalHub({ fixtures: FIXTURES });
});
afterAll(async () => {
  await hub.close();
});

describe("local Hub", () => {
  it("answers modelInfo with only the expanded fields, cardData from the README front matter", async () => {
    const info = (await modelInfo({
      name: "Q-bert/Merged-AGI-7B",
      hubUrl: hub.url,
      additionalFields: ["cardData", "sha", "author"],
    })) as unknown as Record<string, unknown>;
    expect(info.name).toBe("Q-bert/Merged-AGI-7B");
    expect(info.author).toBe("Q-bert");
    expect(info.sha).toMatch(/^[0-9a-f]{40}$/);
    expect(info.cardData).toMatchObject({
      license: "cc-by-nc-4.0",
      base_model: ["Q-bert/MetaMath-Cybertron-Starling", "fblgit/juanako-7b-UNA"],
    });
    const raw = (await (await fetch(`${hub.url}/api/models/Q-bert/Merged-AGI-7B?expand[]=likes`)).json()) as Record<
      string,
      unknown
    >;
    expect(Object.keys(raw).sort()).toEqual(["_id", "id", "likes"]);
  });

  it("lists the tree and serves files with Range, ETag and X-Repo-Commit; HEAD has no body", async () => {
    const files = [];
    for await (const f of listFiles({ repo: "YouriLalain/2PRYMMAL-Yi1.5-6B-SLERP", hubUrl: hub.url }))
      files.push(f.path);
    expect(files.sort()).toEqual(["README.md", "config.json", "mergekit_config.yml"]);
    const info = await fileDownloadInfo({
      repo: "YouriLalain/2PRYMMAL-Yi1.5-6B-SLERP",
      path: "mergekit_config.yml",
      hubUrl: hub.url,
    });
    expect(info?.etag).toMatch(/^"[0-9a-f]{40}"$/);
    const r = await fetch(`${hub.url}/YouriLalain/2PRYMMAL-Yi1.5-6B-SLERP/resolve/main/mergekit_config.yml`, {
      headers: { Range: "bytes=0-6" },
    });
    expect(r.status).toBe(206);
    expect(r.headers.get("content-range")).toBe(`bytes 0-6/${info!.size}`);
    expect(await r.text()).toBe("\nslices");
    expect(r.headers.get("x-repo-commit")).toMatch(/^[0-9a-f]{40}$/);
    const head = await fetch(`${hub.url}/YouriLalain/2PRYMMAL-Yi1.5-6B-SLERP/resolve/main/README.md`, {
      method: "HEAD",
    });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe("");
    expect(
      (
        await fetch(`${hub.url}/YouriLalain/2PRYMMAL-Yi1.5-6B-SLERP/resolve/main/README.md`, {
          headers: { Range: "bytes=999999-" },
        })
      ).status,
    ).toBe(416);
  });

  it("sets X-Error-Code for missing repos, revisions and entries, and gated files", async () => {
    const code = async (path: string, token?: string) => {
      const r = await fetch(`${hub.url}${path}`, token ? { headers: { Authorization: `Bearer ${token}` } } : {});
      return [r.status, r.headers.get("x-error-code")];
    };
    expect(await code("/api/models/nobody/nothing")).toEqual([401, "RepoNotFound"]);
    expect(await code("/api/models/nobody/nothing", "hf_x")).toEqual([404, "RepoNotFound"]);
    expect(await code("/api/models/openchat/openchat_3.5/revision/v9")).toEqual([404, "RevisionNotFound"]);
    expect(await code("/openchat/openchat_3.5/resolve/main/nope.json")).toEqual([404, "EntryNotFound"]);
    expect(await code("/meta-llama/Llama-3.2-11B-Vision-Instruct/resolve/main/README.md")).toEqual([401, "GatedRepo"]);
    expect(await code("/meta-llama/Llama-3.2-11B-Vision-Instruct/resolve/main/README.md", "hf_x")).toEqual([
      403,
      "GatedRepo",
    ]);
    // Model info of a gated repo stays public, as on the Hub.
    expect(await code("/api/models/meta-llama/Llama-3.2-11B-Vision-Instruct")).toEqual([200, null]);
  });

  it("injects 429 with Retry-After and RateLimit, counts every request", async () => {
    hub.reset();
    hub.setFaults([{ path: "/api/models/openchat", kind: 429, times: 1, retryAfter: 7, rateLimit: '"api";r=0;t=7' }]);
    const r = await fetch(`${hub.url}/api/models/openchat/openchat_3.5`);
    expect([r.status, r.headers.get("retry-after"), r.headers.get("ratelimit")]).toEqual([429, "7", '"api";r=0;t=7']);
    expect((await fetch(`${hub.url}/api/models/openchat/openchat_3.5`)).status).toBe(200);
    expect(hub.requests.map((q) => q.status)).toEqual([429, 200]);
    hub.setFaults([]);
  });
});
