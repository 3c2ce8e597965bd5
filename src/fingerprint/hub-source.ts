/**
 * A Hub model as a {@link ModelSource}: lists the repo's top-level files, reads side files (config, tokenizer) whole
 * and safetensors files only by HTTP range requests through `@huggingface/hub`'s `downloadFile` blobs (each
 * `slice(start, end)` becomes one `Range: bytes=start-(end-1)` request; `xet: false` keeps plain HTTP ranges).
 * `hubUrl`, `accessToken` and `fetch` come in through the context (never globals), as `@huggingface/hub` takes them.
 */
import { MAX_REMOTE_HEADER_BYTES } from "../formats/safetensors.js";
import {
  createRangeSource,
  SIDE_FILE_LIMIT,
  SIDE_FILES,
  type ModelSource,
  type RangeFile,
  type SourceProblem,
} from "./source.js";

/** Network context of a Hub source. */
export interface HubContext {
  hubUrl?: string;
  accessToken?: string;
  fetch?: typeof fetch;
  revision?: string;
}

/**
 * Opens `repo` on the Hub. Weight bytes are fetched lazily by range; `bytesRead()` counts weight bytes received.
 * @throws the Hub client's errors (HubApiError) when the repo cannot be listed.
 */
export async function openHubModel(repo: string, ctx: HubContext = {}): Promise<ModelSource> {
  const common = {
    repo,
    ...(ctx.revision ? { revision: ctx.revision } : {}),
    ...(ctx.hubUrl ? { hubUrl: ctx.hubUrl } : {}),
    ...(ctx.accessToken ? { accessToken: ctx.accessToken } : {}),
    ...(ctx.fetch ? { fetch: ctx.fetch } : {}),
  };
  // Loaded on first use: a scan that compares no weights never loads the Hub client (start-up, issue 13).
  const { downloadFile, listFiles } = await import("@huggingface/hub");
  const entries: { path: string; size: number }[] = [];
  for await (const e of listFiles(common))
    if (e.type === "file") entries.push({ path: e.path, size: e.lfs?.size ?? e.size });
  const problems: SourceProblem[] = [];
  const files: RangeFile[] = [];
  for (const e of entries.filter((x) => x.path.endsWith(".safetensors")).sort((a, b) => a.path.localeCompare(b.path))) {
    let blob: Blob | null | undefined;
    files.push({
      name: e.path,
      size: e.size,
      read: async (start, end) => {
        blob ??= await downloadFile({ ...common, path: e.path, xet: false });
        if (!blob) throw new Error(`${repo}/${e.path}: not found`);
        return new Uint8Array(await blob.slice(start, end).arrayBuffer());
      },
    });
  }
  const sideFiles = new Map<string, string>();
  let config: Record<string, unknown> | undefined;
  for (const name of SIDE_FILES) {
    const e = entries.find((x) => x.path === name);
    if (!e) continue;
    if (e.size > SIDE_FILE_LIMIT) {
      problems.push({ file: name, message: `${e.size} bytes, over the ${SIDE_FILE_LIMIT}-byte limit; not read` });
      continue;
    }
    const blob = await downloadFile({ ...common, path: name, xet: false });
    if (!blob) continue;
    const text = await blob.text();
    sideFiles.set(name, text);
    if (name === "config.json") {
      try {
        const v = JSON.parse(text) as unknown;
        if (v && typeof v === "object" && !Array.isArray(v)) config = v as Record<string, unknown>;
      } catch (err) {
        problems.push({ file: name, message: `invalid JSON: ${(err as Error).message}` });
      }
    }
  }
  const streamed = new Set(entries.map((e) => e.path));
  const sideStream = (name: string): AsyncIterable<Uint8Array> | undefined => {
    if (!streamed.has(name)) return undefined;
    return (async function* () {
      const blob = await downloadFile({ ...common, path: name, xet: false });
      if (!blob) return;
      const reader = blob.stream().getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        yield value;
      }
    })();
  };
  return createRangeSource(
    repo,
    files,
    {
      ...(config ? { config } : {}),
      sideFiles,
      problems,
      sideStream,
      hub: { repo, ...(ctx.revision ? { revision: ctx.revision } : {}) },
    },
    { maxHeader: MAX_REMOTE_HEADER_BYTES },
  );
}
