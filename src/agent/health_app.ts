/**
 * @module
 * The agent's health endpoint as a Hono app: /healthz, /readyz, /status, /metrics and a small HTML page at
 * `/`. A bearer token, when set, protects everything but /healthz. Served with `Deno.serve` by `runAgent`;
 * tests call `app.request()`.
 */
import { Hono, type MiddlewareHandler } from "../deps/hono.ts";
import type { AgentStatus, Readiness } from "./agent_status.ts";
import { METRICS_CONTENT_TYPE, renderMetrics } from "./metrics.ts";
import { renderStatusPage } from "./_status_page.ts";

/** Options of `createHealthApp`. */
export interface HealthAppOptions {
  /** The status at request time. */
  status: () => AgentStatus;
  /** Readiness at request time. */
  ready: () => Promise<Readiness>;
  /** When set, every route but /healthz needs `Authorization: Bearer <token>`. */
  token?: string;
}

function sameSecret(a: string, b: string): boolean {
  const left = new TextEncoder().encode(a);
  const right = new TextEncoder().encode(b);
  let diff = left.length ^ right.length;
  for (let i = 0; i < Math.max(left.length, right.length); i++) diff |= (left[i] ?? 0) ^ (right[i] ?? 0);
  return diff === 0;
}

function bearer(token: string): MiddlewareHandler {
  return async (c, next) => {
    const header = c.req.header("authorization") ?? "";
    const given = /^Bearer\s+(.+)$/i.exec(header)?.[1] ?? "";
    if (!sameSecret(given, token)) {
      c.header("WWW-Authenticate", 'Bearer realm="tapesync-agent"');
      return c.json({ error: "Cannot show this page: a valid bearer token is required" }, 401);
    }
    await next();
  };
}

/**
 * Build the health app.
 * @param options status and readiness sources, optional token
 * @returns a Hono app
 * @example
 * ```ts
 * const app = createHealthApp({ status: () => status, ready: async () => readiness });
 * const res = await app.request("/healthz");
 * ```
 */
export function createHealthApp(options: HealthAppOptions): Hono {
  const app = new Hono();
  app.get("/healthz", (c) => c.json({ status: "ok" }));
  if (options.token !== undefined) app.use("*", bearer(options.token));
  app.get("/readyz", async (c) => {
    const readiness = await options.ready();
    return c.json(readiness, readiness.ready ? 200 : 503);
  });
  app.get("/status", (c) => c.json(options.status()));
  app.get(
    "/metrics",
    (c) => c.body(renderMetrics(options.status()), 200, { "Content-Type": METRICS_CONTENT_TYPE }),
  );
  app.get("/", (c) => c.html(renderStatusPage(options.status())));
  app.notFound((c) =>
    c.json({ error: `Cannot find "${c.req.path}": use /healthz, /readyz, /status, /metrics or /` }, 404)
  );
  app.onError((error, c) => c.json({ error: `Cannot answer: ${error.message}` }, 500));
  return app;
}
