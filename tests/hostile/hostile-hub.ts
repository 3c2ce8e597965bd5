/**
 * A hostile Hub on 127.0.0.1 for the hostile-input suite: in its healthy mode it forwards to the local Hub
 * (src/local-hub/server.ts); in every other mode it answers every request badly (any status, a request that never
 * answers, a reset connection, malformed, wrong-typed or oversized bodies, redirects to another origin, the request's
 * own headers echoed back). It records every Authorization header it receives and every request path.
 */
import {
  createServer,
  request as httpRequest,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from "node:http";
import type { AddressInfo, Socket } from "node:net";

/** How the hostile Hub answers. `ok`: forward to the upstream; a number: that status with a short JSON error. */
export type HostileMode =
  | "ok"
  | number
  | "hang"
  | "reset"
  | "reset-mid-body"
  | "malformed-json"
  | "wrong-typed-json"
  | "html"
  | "empty"
  | "oversized"
  | "oversized-no-length"
  | "redirect-other-origin"
  | "redirect-loop"
  | "header-echo"
  | "slow-drip";

export interface HostileHub {
  url: string;
  mode: HostileMode;
  /** Authorization headers received (to prove where a token went). */
  authorizations: string[];
  paths: string[];
  close(): Promise<void>;
}

/** Starts the hostile Hub in front of `upstream` (the local Hub's URL), plus a second origin redirects point at. */
export async function startHostileHub(
  upstream: string,
): Promise<HostileHub & { other: { url: string; authorizations: string[] } }> {
  const sockets = new Set<Socket>();
  const otherAuth: string[] = [];
  const other = createServer((req, res) => {
    if (req.headers.authorization) otherAuth.push(req.headers.authorization);
    res
      .writeHead(200, { "content-type": "application/json" })
      .end(JSON.stringify({ id: "x/y", sha: "0".repeat(40), cardData: { base_model: "Qwen/Qwen2.5-7B-Instruct" } }));
  });
  const hub: HostileHub = { url: "", mode: "ok", authorizations: [], paths: [], close: async () => undefined };
  const up = new URL(upstream);
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    if (req.headers.authorization) hub.authorizations.push(req.headers.authorization);
    hub.paths.push(req.url ?? "");
    const m = hub.mode;
    if (m === "ok") {
      const p = httpRequest(
        {
          host: up.hostname,
          port: up.port,
          path: req.url,
          method: req.method,
          headers: { ...req.headers, host: up.host },
        },
        (r) => {
          res.writeHead(r.statusCode ?? 502, r.headers);
          r.pipe(res);
        },
      );
      p.on("error", () => res.destroy());
      req.pipe(p);
      return;
    }
    if (typeof m === "number") {
      res
        .writeHead(m, {
          "content-type": "application/json",
          ...(m === 429 || m === 503 ? { "retry-after": "0" } : {}),
          ...(m >= 300 && m < 400 ? { location: "/elsewhere" } : {}),
        })
        .end(JSON.stringify({ error: `status ${m}` }));
      return;
    }
    switch (m) {
      case "hang":
        return; // never answers
      case "reset":
        req.socket.destroy();
        return;
      case "reset-mid-body":
        res.writeHead(200, { "content-type": "application/json", "content-length": "100000" });
        res.write('{"id": "acme/qwen-ft", "sha": "');
        setTimeout(() => req.socket.destroy(), 20);
        return;
      case "malformed-json":
        res.writeHead(200, { "content-type": "application/json" }).end('{"id": "acme/qwen-ft", "sha": [1, 2,, }');
        return;
      case "wrong-typed-json":
        res.writeHead(200, { "content-type": "application/json" }).end(
          JSON.stringify({
            id: 5,
            sha: { a: 1 },
            cardData: "not an object",
            config: [1, 2],
            tags: "x",
            siblings: 7,
            gguf: "y",
            author: ["z"],
          }),
        );
        return;
      case "html":
        res.writeHead(200, { "content-type": "text/html" }).end("<html><body>maintenance</body></html>");
        return;
      case "empty":
        res.writeHead(200, { "content-type": "application/json" }).end();
        return;
      case "oversized": {
        const chunk = Buffer.alloc(1024 * 1024, 0x20);
        res.writeHead(200, { "content-type": "application/json", "content-length": String(64 * chunk.length) });
        let sent = 0;
        const more = (): void => {
          while (sent < 64) {
            sent++;
            if (!res.write(chunk)) return void res.once("drain", more);
          }
          res.end();
        };
        res.on("error", () => undefined);
        more();
        return;
      }
      case "oversized-no-length": {
        const chunk = Buffer.alloc(1024 * 1024, 0x20);
        res.writeHead(200, { "content-type": "application/json" });
        res.write("[");
        let sent = 0;
        const more = (): void => {
          while (sent < 64) {
            sent++;
            if (!res.write(chunk)) return void res.once("drain", more);
          }
          res.end("]");
        };
        res.on("error", () => undefined);
        more();
        return;
      }
      case "redirect-other-origin":
        res.writeHead(302, { location: `${(hub as HostileHub & { otherUrl: string }).otherUrl}${req.url}` }).end();
        return;
      case "redirect-loop":
        res.writeHead(302, { location: req.url ?? "/" }).end();
        return;
      case "header-echo":
        res
          .writeHead(200, { "content-type": "application/json", "x-echo": String(req.headers.authorization ?? "") })
          .end(
            JSON.stringify({
              id: `acme/${String(req.headers.authorization ?? "")}`,
              sha: String(req.headers.authorization ?? ""),
              author: String(req.headers.authorization ?? ""),
              cardData: {
                base_model: String(req.headers.authorization ?? ""),
                license: String(req.headers.authorization ?? ""),
              },
            }),
          );
        return;
      case "slow-drip": {
        res.writeHead(200, { "content-type": "application/json" });
        const t = setInterval(() => res.write(" "), 200);
        res.on("close", () => clearInterval(t));
        return;
      }
    }
  });
  for (const s of [server, other])
    s.on("connection", (c: Socket) => (sockets.add(c), c.on("close", () => sockets.delete(c))));
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  await new Promise<void>((r) => other.listen(0, "127.0.0.1", r));
  hub.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const otherUrl = `http://127.0.0.1:${(other.address() as AddressInfo).port}`;
  (hub as HostileHub & { otherUrl: string }).otherUrl = otherUrl;
  hub.close = async () => {
    for (const c of sockets) c.destroy();
    await Promise.all([new Promise((r) => server.close(r)), new Promise((r) => other.close(r))]);
  };
  return Object.assign(hub, { other: { url: otherUrl, authorizations: otherAuth } });
}
