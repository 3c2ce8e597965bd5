import { describe, expect, it } from "vitest";
import { failureText, reasonOf } from "./failures.js";
import { HubHttpError, HubOversizedError, HubTransferError, HubUnreachableError } from "./http.js";

describe("reasonOf", () => {
  it("keeps definite answers about a repo (404, 401, 403, gated) and never caches transient ones", () => {
    const http = (status: number, code?: string) =>
      reasonOf(new HubHttpError(status, "http://hub/api/models/a/b", code, undefined));
    expect(http(404, "RepoNotFound")).toEqual({
      missing: { code: "not-found", args: { status: 404, errorCode: "RepoNotFound" } },
      cacheable: true,
    });
    expect(http(401)).toMatchObject({ missing: { code: "not-found-or-private" }, cacheable: true });
    expect(http(403)).toMatchObject({ missing: { code: "forbidden" }, cacheable: true });
    expect(http(403, "GatedRepo")).toMatchObject({ missing: { code: "gated" }, cacheable: true });
    expect(http(429)).toMatchObject({ missing: { code: "rate-limited" }, cacheable: false });
    expect(http(503)).toMatchObject({ missing: { code: "hub-error", args: { status: 503 } }, cacheable: false });
    expect(http(418)).toMatchObject({ missing: { code: "hub-error" }, cacheable: false });
  });

  it("tells an unreachable Hub from a broken or oversized answer", () => {
    expect(reasonOf(new HubUnreachableError("http://hub unreachable (no answer within 1000 ms)"))).toMatchObject({
      missing: { code: "unreachable" },
      unreachable: true,
      cacheable: false,
    });
    expect(reasonOf(new HubOversizedError("http://hub/api/models/a/b", 16 * 1024 * 1024)).missing).toEqual({
      code: "hub-error",
      args: { message: "oversized answer (more than 16 MiB) from http://hub/api/models/a/b" },
    });
    expect(reasonOf(new HubTransferError("http://hub/x: ECONNRESET")).missing.code).toBe("hub-error");
    expect(reasonOf(new SyntaxError("Unexpected token <")).missing).toEqual({
      code: "hub-error",
      args: { message: "Unexpected token <" },
    });
  });
});

describe("failureText", () => {
  it("names the failure with its status or detail", () => {
    expect(failureText({ code: "gated", args: { status: 403 } })).toBe(
      "the model is gated and the token has no access (HTTP 403)",
    );
    expect(failureText({ code: "hub-error", args: { message: "malformed answer: not a JSON object" } })).toBe(
      "the Hub's answer could not be used (malformed answer: not a JSON object)",
    );
  });
});
