import { describe, expect, it } from "vitest";
import { hasPathPrefix, isAbsolutePath } from "./path-shape.js";

describe("path shapes", () => {
  it("a path prefix: relative, absolute, home, drive and dot-folders; never a Hub id or a bare name", () => {
    for (const v of [".", "..", "./m", "../m", ".cache/hf", "/data/m", "\\\\srv\\m", "~", "~/m", "C:\\m", "c:/m"])
      expect(hasPathPrefix(v), v).toBe(true);
    for (const v of ["org/name", "models/x/y", "llama3.1", "C:m", "hf.co/org/name", ""])
      expect(hasPathPrefix(v), v).toBe(false);
  });

  it("absolute paths cannot lie in the scanned tree; relative ones can", () => {
    for (const v of ["/data/m", "~/m", "~", "D:\\w", "\\\\srv\\m"]) expect(isAbsolutePath(v), v).toBe(true);
    for (const v of ["./m", "../m", "m", ".cache/x", "org/name"]) expect(isAbsolutePath(v), v).toBe(false);
  });
});
