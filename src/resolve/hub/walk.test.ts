import { describe, expect, it } from "vitest";
import type { Diagnostic, Publisher } from "../../model/types.js";
import type { Parent } from "./facts.js";
import type { Lookup } from "./lookup.js";
import type { RepoRecord } from "./record.js";
import { assembleUpstream, walkLineage } from "./walk.js";

const SHA = "a".repeat(40);
const parent = (repo: string, relation: Parent["relation"] = "finetune"): Parent => ({
  repo,
  relation,
  evidence: [{ code: "card-base-model", strength: "declared", location: { file: "README.md" } }],
});
const record = (repo: string, parents: Parent[], hints: RepoRecord["hints"] = []): Lookup => ({
  record: { v: 1, repo, sha: SHA, parents, hints, state: "resolved", source: "hub" },
});
const publisher = (repo: string): Publisher => ({
  org: repo.split("/")[0]!,
  entity: repo.split("/")[0]!,
  country: "unknown",
});

/** A lookup over a fixed table (lowercase ids), counting calls per repo. */
function table(entries: Record<string, Lookup>): { lookup: (repo: string) => Promise<Lookup>; calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    lookup: async (repo) => (
      calls.push(repo),
      entries[repo.toLowerCase()] ?? { missing: { code: "not-found", args: { status: 404 } }, cacheable: true }
    ),
  };
}

describe("walkLineage", () => {
  it("follows parents and hints once each, case-insensitively, and stops at the depth limit with a note", async () => {
    const t = table({
      "a/ft": record("a/ft", [parent("b/Base"), parent("B/base", "merge")]),
      "b/base": record("b/Base", [parent("c/root")]),
      "c/root": record("c/root", [parent("d/too-far")]),
    });
    const said: Diagnostic[] = [];
    const walk = await walkLineage(["a/ft", "not an id"], t.lookup, 2, (_k, d) => said.push(d));
    expect(t.calls).toEqual(["a/ft", "b/Base", "c/root"]);
    expect(walk.depthOf.get("c/root")).toBe(2);
    expect(said.map((d) => d.code)).toEqual(["hub-depth-limit"]);
  });
});

describe("lookup budget (issue 11, break-11 B10)", () => {
  it("cards that fan out 8 ways stop at the budget: the rest is undetermined, the budget is named once", async () => {
    // Every acme/mK declares acme/m(8K+1) .. acme/m(8K+8) as its bases: 8^depth repos without a budget.
    const calls: string[] = [];
    const lookup = async (repo: string): Promise<Lookup> => {
      calls.push(repo);
      const k = Number(repo.slice("acme/m".length));
      return record(
        repo,
        Array.from({ length: 8 }, (_, i) => parent(`acme/m${8 * k + i + 1}`)),
      );
    };
    const said: Array<[string, Diagnostic]> = [];
    const walk = await walkLineage(["acme/m0"], lookup, 10, (k, d) => said.push([k, d]), undefined, 50);
    expect(calls.length).toBe(50);
    const budget = said.filter(([, d]) => d.code === "hub-lookup-budget");
    expect(new Set(budget.map(([k]) => k)).size).toBe(1);
    expect(budget[0]![1].message).toMatch(/--hub-lookup-budget 50/);
    const out = assembleUpstream(
      walk,
      10,
      (r) => publisher(r),
      () => undefined,
    );
    // The repos whose parents were not looked up are undetermined, naming the budget; the root's first layer is kept.
    const spent = [...out.values()].filter((u) => u.reason?.code === "lookup-budget-exceeded");
    expect(spent.length).toBeGreaterThan(0);
    expect(spent.every((u) => u.state === "undetermined" && u.reason?.args?.budget === 50)).toBe(true);
    expect(out.get("acme/m0")?.state).toBe("resolved");
  });

  it("a repo asked for past the budget is undetermined without a lookup", async () => {
    const t = table({ "a/one": record("a/one", []), "b/two": record("b/two", []) });
    const walk = await walkLineage(["a/one", "b/two"], t.lookup, 10, () => undefined, undefined, 1);
    expect(t.calls).toEqual(["a/one"]);
    const out = assembleUpstream(
      walk,
      10,
      (r) => publisher(r),
      () => undefined,
    );
    expect(out.get("b/two")).toMatchObject({ state: "undetermined", reason: { code: "lookup-budget-exceeded" } });
  });
});

describe("assembleUpstream", () => {
  it("a hint stands in only for a repo that declares nothing itself; a repo at the depth limit is not looked up further", async () => {
    const hint = { subject: "x/quiet", parent: parent("y/origin") };
    const t = table({
      "a/ft": record("a/ft", [parent("x/quiet")], [hint]),
      "x/quiet": record("x/quiet", []),
      "y/origin": record("y/origin", []),
    });
    const walk = await walkLineage(["a/ft"], t.lookup, 10, () => undefined);
    const out = assembleUpstream(
      walk,
      10,
      (r) => publisher(r),
      () => undefined,
    );
    expect(out.get("x/quiet")?.parents.map((p) => p.repo)).toEqual(["y/origin"]);
    expect(out.get("a/ft")).toMatchObject({ state: "resolved", revision: SHA, lineageLookedUp: true });
  });

  it("names every repo the Hub could not answer for; unreachable and offline repos keep their publisher with their lineage not looked up", async () => {
    const t = table({
      "a/ft": record("a/ft", [parent("b/gone"), parent("c/far"), parent("d/broken")]),
      "c/far": {
        missing: { code: "unreachable", args: { message: "http://127.0.0.1:9 unreachable" } },
        cacheable: false,
        unreachable: true,
      },
      "d/broken": {
        missing: { code: "hub-error", args: { message: "oversized answer (more than 16 MiB)" } },
        cacheable: false,
      },
    });
    const said = new Map<string, Diagnostic>();
    const walk = await walkLineage(["a/ft"], t.lookup, 10, () => undefined);
    const out = assembleUpstream(
      walk,
      10,
      (r) => publisher(r),
      (k, d) => void (said.has(k) || said.set(k, d)),
    );
    expect(out.get("b/gone")).toMatchObject({
      state: "undetermined",
      reason: { code: "not-found" },
      lineageLookedUp: false,
    });
    expect(out.get("c/far")).toMatchObject({
      state: "resolved",
      reason: { code: "unreachable" },
      lineageLookedUp: false,
      parents: [],
    });
    expect(out.get("d/broken")).toMatchObject({ state: "undetermined", reason: { code: "hub-error" } });
    const failed = [...said.values()].filter((d) => d.code === "hub-lookup-failed").map((d) => d.message);
    expect(failed).toEqual([
      "b/gone: the Hub has no such model (HTTP 404); its lineage is undetermined",
      "c/far: the Hub could not be reached (http://127.0.0.1:9 unreachable); its lineage is undetermined",
      "d/broken: the Hub's answer could not be used (oversized answer (more than 16 MiB)); its lineage is undetermined",
    ]);
  });

  it("an offline repo is not a failure: no diagnostic, lineage not looked up", async () => {
    const said: Diagnostic[] = [];
    const walk = await walkLineage(
      ["a/model"],
      async () => ({ missing: { code: "offline" }, cacheable: false }),
      10,
      () => undefined,
    );
    const out = assembleUpstream(
      walk,
      10,
      (r) => publisher(r),
      (_k, d) => said.push(d),
    );
    expect(out.get("a/model")).toMatchObject({ state: "resolved", lineageLookedUp: false });
    expect(out.get("a/model")?.reason).toBeUndefined();
    expect(said).toEqual([]);
  });
});
