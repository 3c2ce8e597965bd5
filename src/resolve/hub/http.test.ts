import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHubFetch, HubOversizedError } from "./http.js";

/** A 127.0.0.1 server answering `/declared/<n>` with n bytes and a Content-Length, `/streamed/<n>` without one. */
let server: Server;
let url: string;
let bytesSent = 0;
beforeAll(async () => {
  server = createServer((req, res) => {
    const [, how, n] = (req.url ?? "").split("/");
    const size = Number(n);
    res.writeHead(200, {
      "content-type": "application/json",
      ...(how === "declared" ? { "content-length": String(size) } : {}),
    });
    res.on("error", () => undefined);
    let sent = 0;
    const chunk = Buffer.alloc(64 * 1024, 0x20);
    const more = (): void => {
      while (sent < size) {
        const part = chunk.subarray(0, Math.min(chunk.length, size - sent));
        sent += part.length;
        bytesSent += part.length;
        if (!res.write(part)) return void res.once("drain", more);
      }
      res.end();
    };
    more();
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

describe("Hub answer bodies are capped", () => {
  const http = (): ReturnType<typeof createHubFetch> =>
    createHubFetch({ hubUrl: url, maxBodyBytes: 1024 * 1024, retries: 0 });

  it("reads a body under the cap whole", async () => {
    const text = await (await http().fetch(`${url}/streamed/${500 * 1024}`)).text();
    expect(text.length).toBe(500 * 1024);
  });

  it("refuses a declared length past the cap before reading it", async () => {
    const err = await http()
      .fetch(`${url}/declared/${64 * 1024 * 1024}`)
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HubOversizedError);
    expect((err as Error).message).toContain("more than 1 MiB");
  });

  it("cuts an undeclared body at the cap while streaming, and stops the transfer", async () => {
    bytesSent = 0;
    const res = await http().fetch(`${url}/streamed/${64 * 1024 * 1024}`);
    const err = await res.json().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HubOversizedError);
    await new Promise((r) => setTimeout(r, 200));
    // The connection is cancelled at the cap: far less than the 64 MiB offered is ever sent.
    expect(bytesSent).toBeLessThan(32 * 1024 * 1024);
  });
});
