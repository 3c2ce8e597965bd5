import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { walk } from "../../../discover/walk.js";
import { runExtractors } from "../../run.js";
import { attributionExtractor, attributionKind } from "./index.js";

const ROOT = join(fileURLToPath(new URL(".", import.meta.url)), "fixtures", "project");

describe("attribution extractor", () => {
  it("recognises attribution documents by name only", () => {
    expect(attributionKind("NOTICE")).toBe("notice");
    expect(attributionKind("NOTICE.txt")).toBe("notice");
    expect(attributionKind("LICENSE.txt")).toBe("license");
    expect(attributionKind("LICENCE")).toBe("license");
    expect(attributionKind("USE_POLICY.md")).toBe("use-policy");
    expect(attributionKind("README.md")).toBe("readme");
    expect(attributionKind("config.json")).toBeUndefined();
    expect(attributionKind("NOTICES.json")).toBeUndefined();
  });

  it("hands every attribution document's text to the policy engine and nothing else", async () => {
    const walked = await walk(ROOT, {});
    const r = await runExtractors(walked.files, [attributionExtractor], { maxTextBytes: 1 << 20 });
    const docs = r.outputs.flatMap((o) => o.output.documents ?? []).sort((a, b) => a.file.localeCompare(b.file));
    expect(docs.map((d) => `${d.kind} ${d.file}`)).toEqual([
      "license model/LICENSE.txt",
      "notice NOTICE",
      "readme README.md",
    ]);
    expect(docs.find((d) => d.kind === "notice")!.text).toContain(
      "Llama 3.1 is licensed under the Llama 3.1 Community License",
    );
    expect(r.outputs.flatMap((o) => [...(o.output.references ?? []), ...(o.output.components ?? [])])).toEqual([]);
  });
});
