/**
 * What a failed Hub lookup means: the error of the wrapped fetch (http.ts) classified into an undetermined reason,
 * whether that answer may be cached, and the words that name it in a diagnostic. Missing data is never a pass: every
 * failure here leaves the repo undetermined (or its lineage not looked up) and is said per repo.
 */
import type { UpstreamInfo } from "../types.js";
import { HubHttpError, HubOversizedError, HubTransferError, HubUnreachableError } from "./http.js";

/** Why a repo's record could not be had (`not-found`, `gated`, `hub-error`, `unreachable`, `offline`, ...). */
export type Missing = NonNullable<UpstreamInfo["reason"]>;

/** A classified failure: the reason, whether a negative cache entry may keep it, and whether the Hub is down. */
export interface Failure {
  missing: Missing;
  /** A definite answer about the repo (404, 401, 403, gated): kept as a short-lived negative cache entry. */
  cacheable: boolean;
  /** A connection-level failure: the whole Hub, not this repo, could not be reached. */
  unreachable?: boolean;
}

/**
 * Classifies an error thrown by a Hub call. Statuses follow the Hub's answers (401 for a missing or private repo when
 * no token grants it, `X-Error-Code: GatedRepo` for a gated one); an oversized or cut body is a `hub-error` naming it.
 */
export function reasonOf(err: unknown): Failure {
  if (err instanceof HubUnreachableError)
    return { missing: { code: "unreachable", args: { message: err.message } }, cacheable: false, unreachable: true };
  if (err instanceof HubHttpError) {
    if (err.errorCode === "GatedRepo")
      return { missing: { code: "gated", args: { status: err.status } }, cacheable: true };
    if (err.status === 401)
      return {
        missing: {
          code: "not-found-or-private",
          args: { status: 401, ...(err.errorCode ? { errorCode: err.errorCode } : {}) },
        },
        cacheable: true,
      };
    if (err.status === 403) return { missing: { code: "forbidden", args: { status: 403 } }, cacheable: true };
    if (err.status === 404)
      return {
        missing: { code: "not-found", args: { status: 404, ...(err.errorCode ? { errorCode: err.errorCode } : {}) } },
        cacheable: true,
      };
    if (err.status === 429) return { missing: { code: "rate-limited", args: { status: 429 } }, cacheable: false };
    return { missing: { code: "hub-error", args: { status: err.status } }, cacheable: false };
  }
  if (err instanceof HubOversizedError || err instanceof HubTransferError)
    return { missing: { code: "hub-error", args: { message: err.message } }, cacheable: false };
  return {
    missing: { code: "hub-error", args: { message: (err as Error)?.message ?? String(err) } },
    cacheable: false,
  };
}

/** Words for a failed lookup, naming the failure (status, timeout, reset, malformed or oversized answer). */
export function failureText(m: Missing): string {
  const status = m.args?.status !== undefined ? ` (HTTP ${String(m.args.status)})` : "";
  const detail = m.args?.message !== undefined ? ` (${String(m.args.message)})` : "";
  switch (m.code) {
    case "not-found":
      return `the Hub has no such model${status}`;
    case "not-found-or-private":
      return `the Hub answered not found or private${status}`;
    case "gated":
      return `the model is gated and the token has no access${status}`;
    case "forbidden":
      return `the Hub refused access${status}`;
    case "rate-limited":
      return `the Hub kept rate-limiting the requests${status}`;
    case "unreachable":
      return `the Hub could not be reached${detail}`;
    default:
      return `the Hub's answer could not be used${status}${detail}`;
  }
}
