/** The fixed omni result (tests/golden/omni-result.json) and variants of it for reporter tests. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { AuditResult, Finding } from "../../src/model/types.js";
import { GOLDEN_DIR } from "./golden.js";

/** A fresh deep copy of the omni example's result (scanned with SOURCE_DATE_EPOCH, offline). */
export function omniResult(): AuditResult {
  return JSON.parse(readFileSync(join(GOLDEN_DIR, "omni-result.json"), "utf8")) as AuditResult;
}

/**
 * The omni result with one vision finding waived (owner and expiry) and one audio finding's evidence read from the
 * Hub at a pinned commit: the shapes a waiver file and an online scan produce.
 */
export function omniWithWaiverAndHubPin(): AuditResult {
  const r = omniResult();
  const vision = r.findings.find((f) => f.rule === "checkpoint-signature-match")!;
  vision.waived = {
    reason: "architecture-only",
    comment: "ViT re-initialised; init log filed as INIT-2026-01",
    owner: "ml-platform@example.com",
    expires: "2026-06-30",
  };
  const audio = r.findings.find((f) => f.rule === "third-party-weights")! as Finding;
  audio.evidence.push({
    code: "hub-config-name",
    strength: "declared",
    location: {
      file: "config.json",
      line: 3,
      pointer: "/_name_or_path",
      hub: { repo: "Qwen/Qwen2-Audio-7B-Instruct", revision: "0a095220c30b7b31434169c3086508ef3ea5bf0a" },
    },
    raw: "Qwen/Qwen2-Audio-7B-Instruct",
  });
  r.summary.waived = 1;
  r.summary.findings.error -= 1;
  return r;
}
