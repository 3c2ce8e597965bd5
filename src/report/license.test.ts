import { describe, expect, it } from "vitest";
import { isSpdxExpression, spdxLicense } from "./license.js";

describe("spdxLicense (break-14 B19)", () => {
  it("keeps a Hub card's lower-case OR expression a choice of licences", () => {
    expect(spdxLicense("apache-2.0 OR mit")).toEqual({ expression: "Apache-2.0 OR MIT", listed: true, refs: [] });
    expect(spdxLicense("mit and bsd-3-clause").expression).toBe("MIT AND BSD-3-Clause");
  });

  it("names an unlisted operand by a LicenseRef and keeps the operator", () => {
    const l = spdxLicense("llama3.1 OR mit");
    expect(l.expression).toBe("LicenseRef-llama3.1 OR MIT");
    expect(l.listed).toBe(false);
    expect(l.refs).toEqual([{ id: "LicenseRef-llama3.1", value: "llama3.1" }]);
    expect(isSpdxExpression(l.expression)).toBe(true);
  });

  it("leaves single licences as before", () => {
    expect(spdxLicense("apache-2.0").expression).toBe("Apache-2.0");
    expect(spdxLicense("Apache License 2.0").expression).toBe("Apache-2.0");
    expect(spdxLicense("other").expression).toBe("LicenseRef-other");
  });
});
