#!/usr/bin/env node
/**
 * Fingerprint benchmarks (issue 5):
 *  1. hashing a 2 GB generated safetensors file: aiprov's per-tensor SHA-256 throughput beside `sha256sum` on the same
 *     file (target >= 0.8x);
 *  2. similarity over a 600M-parameter BF16 vision component (A vs a perturbed copy B): time and peak RSS
 *     (target < 512 MB);
 *  3. bytes read to decide a component match from a knowledge-base entry's sketches, as a fraction of the model, and
 *     for a full component comparison (target < 1% for sketches; at most the component plus headers for a full one),
 *     locally and 4. against a model served by the local Hub (src/local-hub) through HTTP range requests.
 * Files are generated into os.tmpdir() and deleted afterwards. Set AIPROV_BENCH_GB to shrink the hashing file.
 */
import { execFileSync } from "node:child_process";
import { randomFillSync } from "node:crypto";
import {
  mkdtempSync,
  openSync,
  writeSync,
  closeSync,
  rmSync,
  mkdirSync,
  statSync,
  readSync,
  renameSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { hashTensors } from "../dist/fingerprint/content.js";
import { compareModels } from "../dist/fingerprint/compare.js";
import { createFingerprint, matchFingerprint } from "../dist/fingerprint/entry.js";
import { openLocalModel } from "../dist/fingerprint/source.js";
import { openHubModel } from "../dist/fingerprint/hub-source.js";
import { startLocalHub } from "../dist/local-hub/server.js";

const root = mkdtempSync(join(tmpdir(), "aiprov-bench-fp-"));
// Gigabytes of generated files must not outlive an interrupted run.
for (const sig of ["SIGINT", "SIGTERM", "SIGHUP"]) {
  process.on(sig, () => {
    rmSync(root, { recursive: true, force: true });
    process.exit(130);
  });
}
process.stdout.on("error", () => {
  rmSync(root, { recursive: true, force: true });
  process.exit(1);
});
const MB = 1e6;

/** Writes a safetensors file of `count` BF16 tensors of `shape` under `prefix`, data from `fill(buf, index)`. */
function writeModel(dir, count, shape, prefix, fill) {
  mkdirSync(dir, { recursive: true });
  const bytes = shape[0] * shape[1] * 2;
  const header = {};
  for (let i = 0; i < count; i++)
    header[`${prefix}blocks.${i}.mlp.fc.weight`] = { dtype: "BF16", shape, data_offsets: [i * bytes, (i + 1) * bytes] };
  const raw = Buffer.from(JSON.stringify(header));
  const hb = Buffer.alloc(raw.length + ((8 - (raw.length % 8)) % 8), 0x20);
  raw.copy(hb);
  const len = Buffer.alloc(8);
  len.writeBigUInt64LE(BigInt(hb.length));
  const file = join(dir, "model.safetensors");
  const fd = openSync(file, "w");
  writeSync(fd, len);
  writeSync(fd, hb);
  const buf = Buffer.alloc(bytes);
  for (let i = 0; i < count; i++) {
    fill(buf, i);
    writeSync(fd, buf);
  }
  closeSync(fd);
  return file;
}

/** Random BF16 values of modest magnitude: random mantissa and sign, exponent fixed near 2^-6. */
function randomBf16(buf) {
  randomFillSync(buf);
  for (let j = 1; j < buf.length; j += 2) buf[j] = (buf[j] & 0x80) | 0x3c;
}

/** Fills `b` from file position `pos`. */
function readFully(fd, b, pos) {
  let off = 0;
  while (off < b.length) {
    const n = readSync(fd, b, off, b.length - off, pos + off);
    if (n === 0) break;
    off += n;
  }
}

function time(fn) {
  const t = process.hrtime.bigint();
  const r = fn();
  return { r, s: Number(process.hrtime.bigint() - t) / 1e9 };
}
async function timeAsync(fn) {
  const t = process.hrtime.bigint();
  const r = await fn();
  return { r, s: Number(process.hrtime.bigint() - t) / 1e9 };
}

try {
  // 1. Hashing throughput.
  const gb = Number(process.env.AIPROV_BENCH_GB ?? 2);
  const shape = [4096, 1024];
  const count = Math.round((gb * 1e9) / (shape[0] * shape[1] * 2));
  const hashDir = join(root, "hash");
  const file = writeModel(hashDir, count, shape, "model.", randomBf16);
  const size = statSync(file).size;
  const runs = [];
  for (let i = 0; i < 2; i++) {
    const sha = time(() => execFileSync("sha256sum", [file], { encoding: "utf8" }));
    // OpenSSL (the library Node's crypto uses) as a second reference: coreutils may lack SHA extensions.
    let ossl;
    try {
      ossl = time(() => execFileSync("openssl", ["dgst", "-sha256", file], { encoding: "utf8" })).s;
    } catch {
      ossl = undefined;
    }
    const src = await openLocalModel(hashDir);
    const ours = await timeAsync(() => hashTensors(src, src.tensors));
    await src.close();
    runs.push({ sha: sha.s, ours: ours.s, ossl });
  }
  const bestSha = Math.min(...runs.map((r) => r.sha));
  const bestOurs = Math.min(...runs.map((r) => r.ours));
  const ossls = runs.map((r) => r.ossl).filter((x) => x !== undefined);
  if (ossls.length)
    console.log(
      `openssl dgst -sha256 on the same file: ${(size / MB / Math.min(...ossls)).toFixed(0)} MB/s (aiprov at ${(Math.min(...ossls) / bestOurs).toFixed(2)}x of it)`,
    );
  console.log(
    `hash ${(size / MB).toFixed(0)} MB (${count} tensors): sha256sum ${(size / MB / bestSha).toFixed(0)} MB/s, aiprov per-tensor SHA-256 ${(size / MB / bestOurs).toFixed(0)} MB/s, ratio ${(bestSha / bestOurs).toFixed(2)}x (target >= 0.8x; best of 2, warm cache)`,
  );
  rmSync(hashDir, { recursive: true, force: true });

  // 2. Similarity over a 600M-parameter component, bounded memory.
  const vshape = [2048, 2048];
  const vcount = Math.ceil(600e6 / (vshape[0] * vshape[1]));
  const dirA = join(root, "a");
  const dirB = join(root, "b");
  writeModel(dirA, vcount, vshape, "visual.", (buf) => randomBf16(buf));
  // B: A's tensors with the lowest mantissa bits flipped at random (a close fine-tune), regenerated from A's file.
  const fa = openSync(join(dirA, "model.safetensors"), "r");
  const lenBuf = Buffer.alloc(8);
  readFully(fa, lenBuf, 0);
  const headerLen = Number(lenBuf.readBigUInt64LE(0));
  writeModel(dirB, vcount, vshape, "visual.", (buf, i) => {
    readFully(fa, buf, 8 + headerLen + i * buf.length);
    const noise = Buffer.alloc(buf.length);
    randomFillSync(noise);
    for (let j = 0; j < buf.length; j += 2) buf[j] ^= noise[j] & 0x07;
  });
  closeSync(fa);
  const rssBefore = process.memoryUsage().rss;
  const a = await openLocalModel(dirA);
  const b = await openLocalModel(dirB);
  const params = a.tensors.reduce((s, t) => s + t.shape[0] * t.shape[1], 0);
  const cmp = await timeAsync(() => compareModels(a, b, "vision"));
  const c = cmp.r.components[0];
  const peak = process.resourceUsage().maxRSS * 1024;
  console.log(
    `similarity over ${(params / 1e6).toFixed(0)}M parameters (${vcount} BF16 matrices ${vshape.join("x")}): ${cmp.s.toFixed(1)} s, verdict ${c.verdict}, Pearson ${c.similarity.pearson.toFixed(4)} (control ${c.similarity.control.pearson.toFixed(4)}); peak RSS ${(peak / 2 ** 20).toFixed(0)} MiB (process, including generation; RSS before comparing ${(rssBefore / 2 ** 20).toFixed(0)} MiB; target < 512 MB)`,
  );
  console.log(
    `full component comparison read ${(a.bytesRead() / MB).toFixed(1)} MB of A's ${(a.totalBytes() / MB).toFixed(1)} MB (component plus header)`,
  );

  // 3. Sketch match: bytes read to decide, as a fraction of the model.
  const entry = await createFingerprint(a, { id: "bench", components: ["vision"], createdWith: "bench" });
  await a.close();
  const fresh = await openLocalModel(dirB);
  const m = await timeAsync(() => matchFingerprint(fresh, entry, { hash: false }));
  console.log(
    `sketch match (${entry.components[0].sketches.length} sketches of ${entry.components[0].sketches[0].values.length} values): ${m.r.length ? m.r[0].strength : "no match"}, Pearson ${m.r[0]?.sketch.pearson.toFixed(4)}, read ${fresh.bytesRead()} bytes of ${fresh.totalBytes()} = ${((100 * fresh.bytesRead()) / fresh.totalBytes()).toFixed(4)}% of the model (target < 1%), ${m.s.toFixed(2)} s`,
  );
  await fresh.close();
  await b.close();

  // 4. The same decisions against a Hub model served by the local Hub (HTTP range requests): a 2-component model,
  // vision tower 1/4 of the parameters. The local Hub reads the whole file per request, so this model is smaller.
  const hubRoot = join(root, "hub");
  const remoteDir = join(hubRoot, "acme", "vlm");
  const rshape = [2048, 2048];
  writeModel(remoteDir, 24, rshape, "visual.", (buf) => randomBf16(buf));
  // Rewrite with a text model: 3 of every 4 tensors under model.layers.
  const header = {};
  const bytes = rshape[0] * rshape[1] * 2;
  for (let i = 0; i < 24; i++)
    header[i % 4 === 0 ? `visual.blocks.${i}.mlp.fc.weight` : `model.layers.${i}.mlp.up_proj.weight`] = {
      dtype: "BF16",
      shape: rshape,
      data_offsets: [i * bytes, (i + 1) * bytes],
    };
  const raw = Buffer.from(JSON.stringify(header));
  const hb = Buffer.alloc(raw.length + ((8 - (raw.length % 8)) % 8), 0x20);
  raw.copy(hb);
  const remoteFile = join(remoteDir, "model.safetensors");
  const src = openSync(join(remoteDir, "model.safetensors"), "r");
  const oldLen = Buffer.alloc(8);
  readFully(src, oldLen, 0);
  const oldHeader = Number(oldLen.readBigUInt64LE(0));
  const tmp = join(remoteDir, "model.tmp");
  const out = openSync(tmp, "w");
  const len = Buffer.alloc(8);
  len.writeBigUInt64LE(BigInt(hb.length));
  writeSync(out, len);
  writeSync(out, hb);
  const chunk = Buffer.alloc(bytes);
  for (let i = 0; i < 24; i++) {
    readFully(src, chunk, 8 + oldHeader + i * bytes);
    writeSync(out, chunk);
  }
  closeSync(out);
  closeSync(src);
  rmSync(remoteFile);
  renameSync(tmp, remoteFile);
  const localCopy = await openLocalModel(remoteDir);
  const remoteEntry = await createFingerprint(localCopy, {
    id: "remote-bench",
    components: ["vision"],
    createdWith: "bench",
  });
  await localCopy.close();
  const hubServer = await startLocalHub({ fixtures: hubRoot });
  try {
    const remote = await openHubModel("acme/vlm", { hubUrl: hubServer.url });
    const sm = await timeAsync(() => matchFingerprint(remote, remoteEntry));
    const sketchBytes = remote.bytesRead();
    console.log(
      `remote sketch match via the local Hub: ${sm.r.length ? sm.r[0].strength : "no match"}, read ${sketchBytes} bytes of ${remote.totalBytes()} = ${((100 * sketchBytes) / remote.totalBytes()).toFixed(4)}% of the model (target < 1%), ${hubServer.requests.length} HTTP requests, ${sm.s.toFixed(2)} s`,
    );
    const remote2 = await openHubModel("acme/vlm", { hubUrl: hubServer.url });
    const local2 = await openLocalModel(remoteDir);
    const fc = await timeAsync(() => compareModels(remote2, local2, "vision"));
    const comp = remote2.tensors.filter((t) => t.kind === "vision").reduce((s, t) => s + t.end - t.start, 0);
    const hdr = Math.min(...remote2.tensors.map((t) => t.start));
    console.log(
      `remote full vision comparison via the local Hub: ${fc.r.components[0].verdict}, read ${(remote2.bytesRead() / MB).toFixed(1)} MB = component ${(comp / MB).toFixed(1)} MB + header ${hdr} B (${((100 * remote2.bytesRead()) / remote2.totalBytes()).toFixed(1)}% of the ${(remote2.totalBytes() / MB).toFixed(0)} MB model), ${fc.s.toFixed(1)} s`,
    );
    await local2.close();
  } finally {
    await hubServer.close();
  }
} finally {
  rmSync(root, { recursive: true, force: true });
}
