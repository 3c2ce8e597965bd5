import { describe, expect, it } from "vitest";
import { DIAGNOSTIC_CODES } from "./diagnostic-codes.js";

describe("DIAGNOSTIC_CODES", () => {
  it("is one sorted list of unique kebab-case codes (the stable keys of JSON and SARIF output)", () => {
    expect([...DIAGNOSTIC_CODES]).toEqual([...new Set(DIAGNOSTIC_CODES)].sort());
    for (const c of DIAGNOSTIC_CODES) expect(c).toMatch(/^[a-z0-9]+(?:-[a-z0-9]+)*$/);
  });
});
