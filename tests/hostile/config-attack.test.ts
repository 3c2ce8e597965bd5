/**
 * Hostile-input suite, the attack config (issue 11): a scanned tree whose own `.aiprovrc.yaml` sets `hubUrl` to its
 * own server, `output` outside the tree, a catch-all waiver, `exclude: ["**"]` and a knowledge folder that relabels
 * Qwen's publisher as US. Run with a token: the token never reaches the project's server (with the endpoint given by
 * flag, and with none given, when the default Hub is asked through a recording proxy on 127.0.0.1), no file outside
 * the named outputs is written, and every report format lists the waiver, the exclude and the override.
 */
import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, lstatSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { aiprovInProcess, type CliRun } from "../helpers/cli.js";
import { startLocalHub, type LocalHub } from "../../src/local-hub/server.js";
import type { AuditResult } from "../../src/model/types.js";

const TOKEN = "hf_AttackConfigToken0123456789abcdefXYZ";
let base: string;
let tree: string;
let upstream: LocalHub;
/** The project's own server (named by its config): it must never see a request, let alone the token. */
let attacker: Server;
const attackerSeen: string[] = [];
/** A forward proxy that records what it is asked to reach and refuses (the default Hub stays unreached: hermetic). */
let proxy: Server;
const proxied: string[] = [];
const sockets = new Set<Socket>();
const url = (s: Server): string => `http://127.0.0.1:${(s.address() as AddressInfo).port}`;

/** Every path under `dir` with a digest of its bytes (links by target), to prove what a run wrote. */
function snapshot(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string): void => {
    for (const n of readdirSync(d).sort()) {
      const p = join(d, n);
      const st = lstatSync(p);
      if (st.isDirectory()) walk(p);
      else
        out.set(relative(base, p), st.isFile() ? createHash("sha256").update(readFileSync(p)).digest("hex") : "other");
    }
  };
  walk(dir);
  return out;
}

/** `aiprov <args>` in this process, from inside the scanned tree, with the token in the environment. */
function scan(args: string[], env: Record<string, string>): Promise<CliRun> {
  return aiprovInProcess(args, {
    cwd: tree,
    env: { HF_TOKEN: TOKEN, AIPROV_CACHE_DIR: join(base, "cache"), HF_HOME: join(base, "hf"), ...env },
  });
}

beforeAll(async () => {
  base = mkdtempSync(join(tmpdir(), "aiprov-attack-config-"));
  const hubRepo = join(base, "hub", "acme", "qwen-ft");
  mkdirSync(hubRepo, { recursive: true });
  writeFileSync(join(hubRepo, "README.md"), "---\nlicense: apache-2.0\nbase_model: Qwen/Qwen2.5-7B-Instruct\n---\n");
  mkdirSync(join(base, "hub", "Qwen", "Qwen2.5-7B-Instruct"), { recursive: true });
  writeFileSync(join(base, "hub", "Qwen", "Qwen2.5-7B-Instruct", "README.md"), "---\nlicense: apache-2.0\n---\n");
  upstream = await startLocalHub({ fixtures: join(base, "hub") });
  attacker = createServer((req, res) => {
    attackerSeen.push(`${req.method} ${req.url} ${req.headers.authorization ?? ""}`);
    res
      .writeHead(200, { "content-type": "application/json" })
      .end(JSON.stringify({ sha: "0".repeat(40), author: "acme", cardData: {} }));
  });
  proxy = createServer((req, res) => {
    proxied.push(`${req.method} ${req.url}`);
    res.writeHead(502).end();
  });
  proxy.on("connect", (req, socket: Socket) => {
    proxied.push(`CONNECT ${req.url}`);
    socket.end("HTTP/1.1 502 Bad Gateway\r\n\r\n");
  });
  for (const s of [attacker, proxy]) {
    s.on("connection", (c: Socket) => (sockets.add(c), c.on("close", () => sockets.delete(c))));
    await new Promise<void>((r) => s.listen(0, "127.0.0.1", r));
  }
  // The scanned tree: a fine-tune of Qwen (through acme/qwen-ft), and its own hostile config and knowledge folder.
  tree = join(base, "tree");
  mkdirSync(join(tree, "model"), { recursive: true });
  mkdirSync(join(tree, "kb"), { recursive: true });
  writeFileSync(
    join(tree, "model", "config.json"),
    JSON.stringify({ _name_or_path: "acme/qwen-ft", architectures: ["LlamaForCausalLM"] }),
  );
  writeFileSync(
    join(tree, "kb", "publishers.yaml"),
    'publishers:\n  - id: friendly-qwen\n    entity: Friendly Models Inc.\n    country: US\n    orgs: [Qwen]\n    source: { title: "trust us" }\n',
  );
  writeFileSync(
    join(tree, ".aiprovrc.yaml"),
    [
      `hubUrl: ${url(attacker)}`,
      "output: ../escaped-report.txt",
      'exclude: ["**"]',
      "knowledge: [kb]",
      "waivers:",
      '  - { rule: covered-ancestor, component: "*", reason: risk-accepted, comment: "nothing to see here", owner: attacker@example.com }',
      "",
    ].join("\n"),
  );
  mkdirSync(join(base, "out"));
});
afterAll(async () => {
  for (const c of sockets) c.destroy();
  await Promise.all([attacker, proxy].map((s) => new Promise((r) => s?.close(r))));
  await upstream?.close();
});

const OUTPUTS = ["sarif", "markdown", "html", "cyclonedx", "spdx", "junit", "json"] as const;
const EXT: Record<(typeof OUTPUTS)[number], string> = {
  sarif: "sarif",
  markdown: "md",
  html: "html",
  cyclonedx: "cdx.json",
  spdx: "spdx.json",
  junit: "xml",
  json: "json",
};

describe("a scanned tree's own config cannot take over the run", () => {
  it(
    "with the Hub named by flag: the token goes there only, nothing is written outside the named outputs, every format lists what weakens the audit",
    { timeout: 60_000 },
    async () => {
      const before = snapshot(base);
      const outputs = OUTPUTS.flatMap((f) => [`--${f}-output`, join(base, "out", `report.${EXT[f]}`)]);
      const r = await scan(
        [
          "scan",
          ".",
          "--policy",
          "us-covered-adversary",
          "--fail-on",
          "warning",
          "--hub-url",
          upstream.url,
          "--format",
          "text",
          "--jobs",
          "1",
          ...outputs,
        ],
        {},
      );
      expect(r.stderr).not.toContain("internal error");
      expect(attackerSeen).toEqual([]);
      expect(r.stdout + r.stderr).not.toContain(TOKEN);

      // Only the named outputs and aiprov's cache are new; the tree and everything else is as it was.
      const after = snapshot(base);
      const changed = [...after.keys()].filter((k) => before.get(k) !== after.get(k));
      expect(changed.filter((k) => !k.startsWith("cache/")).sort()).toEqual(
        OUTPUTS.map((f) => `out/report.${EXT[f]}`).sort(),
      );
      for (const k of changed) expect(readFileSync(join(base, k), "latin1")).not.toContain(TOKEN);

      // The ignored settings are said, each naming the config file.
      const json = JSON.parse(readFileSync(join(base, "out", "report.json"), "utf8")) as AuditResult;
      const ignored = json.diagnostics
        .filter((d) => d.location?.file?.endsWith(".aiprovrc.yaml"))
        .map((d) => d.message);
      expect(ignored.join("\n")).toMatch(/output/);
      // What it weakens is in every format: the text report on stdout and each file.
      const kinds = (json.settings.weakenings ?? []).map((w) => w.kind).sort();
      expect(kinds).toEqual(expect.arrayContaining(["exclude", "knowledge-override", "waiver"]));
      const reports: [string, string][] = [
        ["text", r.stdout],
        ...OUTPUTS.map((f): [string, string] => [f, readFileSync(join(base, "out", `report.${EXT[f]}`), "utf8")]),
      ];
      for (const [format, text] of reports) {
        expect(text, `${format} lists the waiver`).toContain("nothing to see here");
        expect(text, `${format} lists the exclude`).toContain("**");
        expect(text, `${format} lists the knowledge override`).toMatch(/friendly-qwen|Friendly Models/);
      }
    },
  );

  // The config's `exclude: ["**"]` hides every file, so no Hub is asked; the auditor's own --exclude replaces it here,
  // so that the model's Hub lineage is looked up and the token is used.
  it(
    "when the Hub is asked, the token goes to the Hub named by flag, never to the project's server",
    { timeout: 60_000 },
    async () => {
      upstream.reset();
      const r = await scan(
        [
          "scan",
          ".",
          "--policy",
          "us-covered-adversary",
          "--exclude",
          "no-such-folder/**",
          "--hub-url",
          upstream.url,
          "--format",
          "json",
          "--jobs",
          "1",
        ],
        {},
      );
      expect(r.stderr).not.toContain("internal error");
      const json = JSON.parse(r.stdout) as AuditResult;
      expect(json.lineage.nodes.some((n) => n.id === "hub:acme/qwen-ft" && n.revision)).toBe(true);
      expect(upstream.requests.length).toBeGreaterThan(0);
      expect(upstream.requests.every((q) => q.authorized)).toBe(true);
      expect(attackerSeen).toEqual([]);
      expect(r.stdout).not.toContain(TOKEN);
    },
  );

  it(
    "with no Hub named: the default Hub is asked (through the proxy), never the project's server",
    { timeout: 60_000 },
    async () => {
      proxied.length = 0;
      const r = await scan(
        [
          "scan",
          ".",
          "--policy",
          "us-covered-adversary",
          "--exclude",
          "no-such-folder/**",
          "--format",
          "json",
          "--timeout",
          "2",
          "--jobs",
          "1",
          "--refresh",
        ],
        { HTTPS_PROXY: url(proxy), HTTP_PROXY: url(proxy), NO_PROXY: "" },
      );
      expect(r.stderr).not.toContain("internal error");
      expect(attackerSeen).toEqual([]);
      expect(proxied.length).toBeGreaterThan(0);
      expect(proxied.every((p) => p.includes("huggingface.co"))).toBe(true);
      const json = JSON.parse(r.stdout) as AuditResult;
      expect(
        json.diagnostics.some((d) => d.location?.file?.endsWith(".aiprovrc.yaml") && d.message.includes("hubUrl")),
      ).toBe(true);
      expect(r.stdout).not.toContain(TOKEN);
    },
  );
});
