/**
 * @module
 * `HttpInventory`: the `Inventory` of a remote `tapesync serve`. It logs on once and renews the session
 * before it expires, retries connection errors, timeouts and 5xx answers with backoff and full jitter
 * within a total deadline, and sends each batch under its idempotency key so a retry is applied once.
 * Given several servers (instances sharing one PostgreSQL database), a failed attempt moves on to the
 * next one at once and stays there; only after every server failed in turn does it wait.
 */
import { abortableSleep } from "../abortable_sleep.ts";
import { AuthError } from "../auth_error.ts";
import type { Inventory } from "../inventory.ts";
import { InventoryUnavailableError } from "../inventory_unavailable_error.ts";
import type {
  BatchResult,
  ChangeBatch,
  HistoryPage,
  HistoryQuery,
  ScopeKey,
  VolumePage,
  VolumeQuery,
  VolumeRow,
} from "../model.ts";
import { readNdjson } from "./_ndjson.ts";
import { type Attempt, describe, errorOf, queryString, RetryableFailure } from "./_attempt.ts";
import { serverLocation } from "./server_location.ts";
import { checkScopeLine } from "./fast_check.ts";
import { backoffDelay, fullRetryPolicy } from "./retry_policy.ts";
import type { FullRetryPolicy, RetryPolicy } from "./retry_policy.ts";
import {
  API_PREFIX,
  batchResultSchema,
  historyPageSchema,
  logonResponseSchema,
  NDJSON_TYPE,
  scopeLineSchema,
  volumePageSchema,
} from "./wire_schemas.ts";

/** Options of an HttpInventory. */
export interface HttpInventoryOptions {
  /** Server base URL, e.g. `https://inventory.example.net:8700`; any userinfo is dropped. */
  url: string;
  /**
   * Further servers of the same inventory (`tapesync serve` instances on one database), tried in turn
   * when the current one fails. Safe for batches: the batch id is the idempotency key in the shared
   * database, so a batch re-sent to another instance is applied once. Default none.
   */
  fallbackUrls?: string[];
  user: string;
  password: string;
  /** Refuse batches (dry runs). Default false. */
  readOnly?: boolean;
  retry?: RetryPolicy;
  /** Log on again when the session has less than this left. Default 60,000 ms. */
  renewBeforeMs?: number;
  /** Default: the global `fetch`; tests route requests to an in-process app. */
  fetch?: (request: Request) => Promise<Response>;
  /** Default: the system clock. */
  clock?: { now(): number };
  /** Default: a timer. */
  sleep?: (ms: number) => Promise<void>;
  /** Default: `Math.random`. */
  random?: () => number;
  /** Aborted when the run is interrupted: retries stop and waits end at once (requests are not cut). */
  signal?: AbortSignal;
}

/** The Inventory of a remote inventory server. */
export class HttpInventory implements Inventory {
  readonly location: string;
  readonly readOnly: boolean;
  /**
   * A round trip to the server per load: the next two are started while a run works on a scope (the
   * server and the network work while the engine compares).
   */
  readonly scopeLoadsAhead = 2;
  readonly #user: string;
  readonly #password: string;
  readonly #policy: FullRetryPolicy;
  readonly #renewBeforeMs: number;
  readonly #fetch: (request: Request) => Promise<Response>;
  readonly #clock: { now(): number };
  readonly #sleep: (ms: number) => Promise<void>;
  readonly #random: () => number;
  readonly #signal: AbortSignal | undefined;
  /** Base URLs without userinfo: the first server, then the fallbacks. */
  readonly #servers: string[];
  /** Index in `#servers` of the server requests go to. */
  #current = 0;
  /** The live session; `renewAt` is when to log on again before it expires. */
  #session: { token: string; renewAt: number } | undefined;
  /** The logon under way for the calls that found the session due, so they share it. */
  #renewing: Promise<void> | undefined;

  constructor(options: HttpInventoryOptions) {
    this.#servers = [options.url, ...(options.fallbackUrls ?? [])].map(serverLocation);
    this.location = this.#servers.join(",");
    this.readOnly = options.readOnly ?? false;
    this.#user = options.user;
    this.#password = options.password;
    this.#policy = fullRetryPolicy(options.retry);
    this.#renewBeforeMs = options.renewBeforeMs ?? 60_000;
    this.#fetch = options.fetch ?? ((request) => fetch(request));
    this.#clock = options.clock ?? { now: () => Date.now() };
    this.#sleep = options.sleep ?? ((ms) => abortableSleep(ms, options.signal));
    this.#random = options.random ?? Math.random;
    this.#signal = options.signal;
  }

  async logon(): Promise<void> {
    const body = JSON.stringify({ user: this.#user, password: this.#password });
    const answer = await this.#retrying("log on", async () => {
      const attempt = await this.#attempt("POST", "/logon", body, undefined);
      try {
        return logonResponseSchema.parse(await this.#json(attempt, "log on"));
      } finally {
        attempt.release();
      }
    });
    const expiresAt = Date.parse(answer.expiresAt);
    const now = this.#clock.now();
    const lifetime = Number.isNaN(expiresAt) ? 0 : expiresAt - now;
    // Renew a minute early, or a quarter of the lifetime early when sessions are short.
    this.#session = {
      token: answer.token,
      renewAt: now + lifetime - Math.min(this.#renewBeforeMs, lifetime / 4),
    };
  }

  /**
   * Stream a scope. A stream that breaks off after delivering volumes is resumed after the last volume
   * received, on the next server when there are several (a server killed mid-stream), so the caller
   * gets the scope once and whole; a stream that breaks again without delivering anything new, as
   * often as there are servers, ends the load with InventoryUnavailableError.
   */
  async *loadScope(scope: ScopeKey, after?: string): AsyncIterable<VolumeRow[]> {
    const base = `/scopes/${encodeURIComponent(scope.customer)}/${encodeURIComponent(scope.media)}/volumes`;
    const what = `load scope "${scope.customer}/${scope.media}"`;
    let attempts = 0;
    let received = 0;
    let last = after;
    let fruitless = 0;
    for (;;) {
      const path = last === undefined ? base : `${base}?after=${encodeURIComponent(last)}`;
      const opened = await this.#retrying(what, async () => {
        attempts++;
        const attempt = await this.#authorized("GET", path, undefined, what);
        const lines = readNdjson(attempt.response.body ?? new ReadableStream(), attempt.touch);
        try {
          return { attempt, lines, first: await lines.next() };
        } catch (error) {
          attempt.release();
          throw new RetryableFailure(`the scope stream broke off: ${describe(error)}`, { cause: error });
        }
      });
      const { attempt, lines } = opened;
      const server = this.#current;
      let next = opened.first;
      let streamed = 0;
      let broken: { cause: unknown } | undefined;
      try {
        while (broken === undefined) {
          if (next.done) {
            broken = { cause: undefined };
            break;
          }
          const line = checkScopeLine(next.value) ?? scopeLineSchema.parse(next.value);
          if ("end" in line) {
            if (line.volumes === streamed) return;
            throw this.#broken(attempts, what, received, undefined);
          }
          streamed += line.rows.length;
          received += line.rows.length;
          if (line.rows.length > 0) last = line.rows[line.rows.length - 1].volume;
          yield line.rows;
          try {
            next = await lines.next();
          } catch (error) {
            broken = { cause: error };
          }
        }
      } finally {
        attempt.release();
        await lines.return(undefined);
      }
      fruitless = streamed > 0 ? 0 : fruitless + 1;
      if (fruitless >= this.#servers.length) throw this.#broken(attempts, what, received, broken?.cause);
      // Resume elsewhere: the server that cut the stream is the one most likely down (unless a batch in
      // flight has moved on from it already).
      if (this.#current === server) this.#current = (server + 1) % this.#servers.length;
    }
  }

  async applyBatch(batch: ChangeBatch): Promise<BatchResult> {
    if (this.readOnly) {
      throw new TypeError(
        `Cannot apply batch "${batch.id}": the inventory at "${this.location}" was opened read-only`,
      );
    }
    const what = `apply batch "${batch.id}"`;
    const { id, ...rest } = batch;
    const body = JSON.stringify(rest);
    return await this.#retrying(what, async () => {
      const attempt = await this.#authorized("PUT", `/batches/${encodeURIComponent(id)}`, body, what);
      try {
        return batchResultSchema.parse(await this.#json(attempt, what));
      } finally {
        attempt.release();
      }
    });
  }

  async listVolumes(query: VolumeQuery): Promise<VolumePage> {
    const page = await this.#get(`/volumes${queryString(query)}`, "list volumes");
    const parsed = volumePageSchema.parse(page);
    return parsed.next === undefined
      ? { volumes: parsed.volumes }
      : { volumes: parsed.volumes, next: parsed.next };
  }

  async history(query: HistoryQuery): Promise<HistoryPage> {
    const page = await this.#get(`/history${queryString(query)}`, "read history");
    const parsed = historyPageSchema.parse(page);
    return parsed.next === undefined
      ? { entries: parsed.entries }
      : { entries: parsed.entries, next: parsed.next };
  }

  async close(): Promise<void> {
    const session = this.#session;
    this.#session = undefined;
    if (session === undefined) return;
    try {
      const attempt = await this.#attempt("DELETE", "/session", undefined, session.token);
      attempt.release();
      await attempt.response.body?.cancel();
    } catch {
      // Logging off is a courtesy: an unreachable server lets the session expire on its own.
    }
  }

  async #get(path: string, what: string): Promise<unknown> {
    return await this.#retrying(what, async () => {
      const attempt = await this.#authorized("GET", path, undefined, what);
      try {
        return await this.#json(attempt, what);
      } finally {
        attempt.release();
      }
    });
  }

  /**
   * One attempt with a live session; a 401 leads to one fresh logon and a second try. Calls made at once
   * (batches in flight, scope loads started ahead) that find the session due share one logon, and a 401
   * drops the session only if no other call has replaced it meanwhile.
   */
  async #authorized(method: string, path: string, body: string | undefined, what: string): Promise<Attempt> {
    for (let renewed = false;; renewed = true) {
      const session = this.#session;
      if (session === undefined || this.#clock.now() >= session.renewAt) {
        this.#renewing ??= this.logon().finally(() => this.#renewing = undefined);
        await this.#renewing;
      }
      const token = this.#session?.token;
      const attempt = await this.#attempt(method, path, body, token);
      if (attempt.response.status !== 401 || renewed) return await this.#checked(attempt, what);
      attempt.release();
      await attempt.response.body?.cancel();
      if (this.#session?.token === token) this.#session = undefined;
    }
  }

  /** Send one request; connection errors and timeouts become RetryableFailure. */
  async #attempt(
    method: string,
    path: string,
    body: string | undefined,
    token: string | undefined,
  ): Promise<Attempt> {
    const controller = new AbortController();
    const timeoutMs = this.#policy.attemptTimeoutMs;
    let timer = setTimeout(() => controller.abort(), timeoutMs);
    const touch = () => {
      clearTimeout(timer);
      timer = setTimeout(() => controller.abort(), timeoutMs);
    };
    const release = () => clearTimeout(timer);
    const headers = new Headers({ accept: `application/json, ${NDJSON_TYPE}` });
    if (body !== undefined) headers.set("content-type", "application/json");
    if (token !== undefined) headers.set("authorization", `Bearer ${token}`);
    try {
      const request = new Request(`${this.#servers[this.#current]}${API_PREFIX}${path}`, {
        method,
        headers,
        body,
        signal: controller.signal,
      });
      const response = await this.#fetch(request);
      if (path === "/logon" || token === undefined) {
        return await this.#checked({ response, touch, release }, path);
      }
      return { response, touch, release };
    } catch (error) {
      release();
      if (error instanceof RetryableFailure || error instanceof AuthError) throw error;
      if (error instanceof TypeError || (error instanceof DOMException && error.name === "AbortError")) {
        const detail = controller.signal.aborted ? `no answer within ${timeoutMs} ms` : describe(error);
        throw new RetryableFailure(detail, { cause: error });
      }
      throw error;
    }
  }

  /** Turn a non-2xx answer into the matching error. */
  async #checked(attempt: Attempt, what: string): Promise<Attempt> {
    const { response } = attempt;
    if (response.ok) return attempt;
    attempt.release();
    const problem = await errorOf(response);
    if (response.status >= 500 && problem.code !== "no_accounts") {
      throw new RetryableFailure(
        `the server answered ${response.status}${problem.code ? ` (${problem.code})` : ""}`,
      );
    }
    if ([401, 403, 429, 503].includes(response.status)) {
      throw new AuthError(
        this.location,
        this.#user,
        problem.message || `the server answered ${response.status}`,
      );
    }
    throw new Error(
      `Cannot ${what} at "${this.location}": the server rejected the request (${response.status}): ${problem.message}`,
    );
  }

  async #json(attempt: Attempt, what: string): Promise<unknown> {
    try {
      return await attempt.response.json();
    } catch (error) {
      if (error instanceof SyntaxError) {
        throw new Error(`Cannot ${what}: the answer of "${this.location}" is not JSON`);
      }
      throw new RetryableFailure(`the answer broke off: ${describe(error)}`, { cause: error });
    }
  }

  /** Run `work` until it succeeds, fails for good, or the deadline leaves no room for another wait. */
  async #retrying<T>(what: string, work: () => Promise<T>): Promise<T> {
    const started = this.#clock.now();
    for (let attempt = 1;; attempt++) {
      const server = this.#current;
      try {
        return await work();
      } catch (error) {
        if (!(error instanceof RetryableFailure)) throw error;
        const servers = this.#servers.length;
        // Move on from the server that failed, unless a concurrent request (two batches can be in
        // flight) has moved on already: moving twice would lead back to it.
        if (this.#current === server) this.#current = (server + 1) % servers;
        // Another server not yet tried in this round: go there at once, no wait.
        const round = Math.ceil(attempt / servers);
        const wait = attempt % servers !== 0 ? 0 : backoffDelay(this.#policy, round, this.#random());
        // An interrupted run makes each call once (its last batches still go out) but waits for nothing.
        const interrupted = this.#signal?.aborted === true;
        if (interrupted || this.#clock.now() + wait - started >= this.#policy.deadlineMs) {
          const detail = `cannot ${what}: ${error.message}${
            interrupted ? " (not retried: the run was interrupted)" : ""
          }`;
          throw new InventoryUnavailableError(this.location, attempt, detail, { cause: error });
        }
        if (wait > 0) await this.#sleep(wait);
      }
    }
  }

  #broken(attempts: number, what: string, received: number, cause: unknown): InventoryUnavailableError {
    return new InventoryUnavailableError(
      this.location,
      attempts,
      `cannot ${what}: the stream ended early after ${received} volume(s)`,
      { cause },
    );
  }
}
