/**
 * The scan's weight stage: every local model folder with safetensors weights is matched against the knowledge base's
 * fingerprint entries (sketched windows first, a few kilobytes per component; hashes only when they correlate), and
 * each match becomes {@link WeightEvidenceInput} for the lineage graph. Reads the scanned tree only (never writes);
 * a weight file that cannot be read becomes a diagnostic and the scan goes on.
 */
import { open } from "node:fs/promises";
import { posix } from "node:path";
import type { DiscoveredFile } from "../discover/walk.js";
import { SafetensorsError } from "../formats/safetensors.js";
import type { WeightEvidenceInput, WeightInconclusiveInput } from "../model/weight-evidence.js";
import type { ComponentRole, Diagnostic, LocalComponent } from "../model/types.js";
import type { KnowledgeBase } from "../resolve/knowledge/knowledge-base.js";
import type { ComponentKind } from "./components.js";
import { matchFingerprint } from "./entry.js";
import { createRangeSource, handleRangeFile, type RangeFile } from "./source.js";

const ROLE_OF: Record<ComponentKind, ComponentRole> = {
  vision: "vision-encoder",
  audio: "audio-encoder",
  projector: "projector",
  text: "backbone",
  other: "other",
};

/** Result of {@link matchLocalWeights}. */
export interface WeightStageResult {
  weights: WeightEvidenceInput[];
  /** Comparisons whose correlation lies between the thresholds: the subject's origin is undetermined, never a pass. */
  inconclusive: WeightInconclusiveInput[];
  diagnostics: Diagnostic[];
  bytesRead: number;
}

type Handle = Awaited<ReturnType<typeof open>>;

/** A weight file as a range source; its size comes from the open handle when the walk did not record it. */
async function rangeFile(f: DiscoveredFile, fh: Handle): Promise<RangeFile> {
  return handleRangeFile(f.path, f.size ?? (await fh.stat()).size, fh);
}

/** Matches one model folder's weights against every entry; appends to `out`. */
async function matchModel(
  model: LocalComponent,
  components: readonly LocalComponent[],
  dir: string,
  ranges: RangeFile[],
  kb: KnowledgeBase,
  out: WeightStageResult,
): Promise<void> {
  const source = await createRangeSource(dir, ranges);
  for (const p of source.problems)
    out.diagnostics.push({
      code: "weights-unreadable",
      severity: "warning",
      message: `${p.file}: ${p.message}`,
      location: { file: p.file },
    });
  for (const entry of kb.fingerprints) {
    for (const m of await matchFingerprint(source, entry, { hash: true, inconclusive: true })) {
      const role = ROLE_OF[m.component];
      const child = components.find((c) => c.parent === model.key && c.role === role);
      if (m.strength === "inconclusive") {
        out.inconclusive.push({
          subject: (child ?? model).key,
          entry: entry.id,
          name: entry.name,
          component: m.component,
          pearson: Number(m.sketch.pearson.toFixed(6)),
          controlPearson: Number(m.sketch.control.pearson.toFixed(6)),
          values: m.sketch.elements,
        });
        continue;
      }
      const strength = m.strength;
      const ec = entry.components.find((c) => c.component === m.component)!;
      const firstFile =
        source.tensors.find((t) => t.kind === m.component)?.file ?? source.files[0]?.name ?? model.location.file;
      const hashes = m.hashes
        ? `${m.hashes.equal} of ${m.hashes.entryTensors} tensors SHA-256-equal${m.hashes.reencoded ? ` (${m.hashes.reencoded} after lossless re-encoding to the entry's dtype)` : ""}; `
        : "";
      out.weights.push({
        subject: (child ?? model).key,
        target: {
          entry: entry.id,
          name: entry.name,
          role,
          ...(ec.knownComponent ? { knownComponent: ec.knownComponent } : {}),
          ...(entry.source.repo ? { repo: entry.source.repo } : {}),
        },
        evidence: {
          code: "weight-fingerprint-match",
          strength,
          location: { file: firstFile },
          raw: `${m.component}: ${hashes}sketch Pearson ${m.sketch.pearson.toFixed(4)} (control ${m.sketch.control.pearson.toFixed(4)}) over ${m.sketch.matrices} matrices, ${m.sketch.elements} values`,
          args: {
            entry: entry.id,
            component: m.component,
            pearson: Number(m.sketch.pearson.toFixed(6)),
            controlPearson: Number(m.sketch.control.pearson.toFixed(6)),
            sketchValues: m.sketch.elements,
            matrices: m.sketch.matrices,
            ...(m.hashes
              ? {
                  hashesEqual: m.hashes.equal,
                  hashesCompared: m.hashes.compared,
                  entryTensors: m.hashes.entryTensors,
                  ...(m.hashes.reencoded ? { reencoded: m.hashes.reencoded } : {}),
                }
              : {}),
            ...(entry.file ? { source: entry.file } : {}),
          },
        },
      });
    }
  }
  out.bytesRead += source.bytesRead();
  out.diagnostics.push({
    code: "weights-compared",
    severity: "info",
    message: `${dir}: weights compared with ${kb.fingerprints.length} fingerprint entries (${source.bytesRead()} of ${source.totalBytes()} bytes read)`,
    location: { file: model.location.file },
  });
}

/**
 * Matches the weights beside each top-level model config against every fingerprint entry.
 * @param files the walked files (root-relative paths with absolute paths and sizes).
 */
export async function matchLocalWeights(
  components: readonly LocalComponent[],
  files: readonly DiscoveredFile[],
  kb: KnowledgeBase,
): Promise<WeightStageResult> {
  const out: WeightStageResult = { weights: [], inconclusive: [], diagnostics: [], bytesRead: 0 };
  if (kb.fingerprints.length === 0) return out;
  const byDir = new Map<string, DiscoveredFile[]>();
  for (const f of files) {
    if (!f.path.endsWith(".safetensors")) continue;
    const d = posix.dirname(f.path);
    byDir.set(d, [...(byDir.get(d) ?? []), f]);
  }
  const models = components.filter(
    (c) => !c.parent && posix.basename(c.location.file) === "config.json" && byDir.has(posix.dirname(c.location.file)),
  );
  for (const model of models) {
    const dir = posix.dirname(model.location.file);
    const handles: Handle[] = [];
    try {
      const ranges: RangeFile[] = [];
      for (const f of byDir.get(dir)!) {
        const fh = await open(f.absolutePath, "r").catch((err: Error) => {
          throw new SafetensorsError(`${f.path}: cannot be opened: ${err.message}`);
        });
        handles.push(fh);
        ranges.push(await rangeFile(f, fh));
      }
      await matchModel(model, components, dir, ranges, kb, out);
    } catch (err) {
      if (!(err instanceof SafetensorsError)) throw err;
      out.diagnostics.push({
        code: "weights-unreadable",
        severity: "warning",
        message: `${dir}: weights could not be compared: ${err.message}`,
        location: { file: model.location.file },
      });
    } finally {
      await Promise.all(handles.map((h) => h.close()));
    }
  }
  return out;
}
