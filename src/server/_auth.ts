/**
 * @module
 * Session tokens and the checks every protected route makes: a valid bearer token (401), a role high
 * enough for the call (403) and a customer the account may see (403).
 */
import type { MiddlewareHandler } from "../deps/hono.ts";
import type { Role } from "../inventory/http/mod.ts";
import type { Account } from "./account_store.ts";
import type { AppEnv } from "./_app_env.ts";
import { ApiError } from "./api_error.ts";
import type { ServerContext } from "./server_context.ts";

/**
 * Node's `createHash`, taken when this module is first evaluated (only `serve` does). An `import` of
 * `node:crypto` would be hoisted to the start of the one-file bundle, where it loads Deno's Node layer for
 * every command (about 40 ms; scripts/vendor.ts, `nodeBuiltinsOnUse`, does the same for postgres).
 */
const { createHash } = process.getBuiltinModule("node:crypto") as typeof import("node:crypto");

const RANK: Record<Role, number> = { read: 0, sync: 1, admin: 2 };

/** A fresh random session token (256 bits, base64url). */
export function newToken(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

/** SHA-256 of a token in hex: the form sessions are stored and looked up by. Synchronous: it runs on
 * every request, and the asynchronous WebCrypto digest cost a thread hop each time. */
export function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/** The bearer token of a request, or undefined. */
export function bearerToken(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const match = /^Bearer\s+([A-Za-z0-9_-]{16,128})\s*$/i.exec(header);
  return match === null ? undefined : match[1];
}

/**
 * Middleware: the request must carry a live session of an account with at least `role`.
 * @throws {ApiError} 401 without a valid session, 403 when the role is too low
 */
export function requireRole(context: ServerContext, role: Role): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const token = bearerToken(c.req.header("authorization"));
    const unauthorized = () =>
      new ApiError(
        401,
        "unauthorized",
        "Cannot serve the request: log on first (the session is missing or expired)",
        [],
        {
          "WWW-Authenticate": "Bearer",
        },
      );
    if (token === undefined) throw unauthorized();
    const account = await context.accounts.sessionAccount(hashToken(token), context.clock.now());
    if (account === undefined) throw unauthorized();
    const { passwordHash: _hash, ...visible } = account;
    c.set("account", visible);
    if (RANK[account.role] < RANK[role]) {
      throw new ApiError(
        403,
        "forbidden",
        `Cannot serve the request: the account "${account.name}" has the role "${account.role}" and the call needs "${role}"`,
      );
    }
    await next();
  };
}

/**
 * Check that an account may see a customer. With no customer named, a restricted account with exactly
 * one customer gets that one; one with several must name it.
 * @returns the customer to filter on (undefined: every customer)
 * @throws {ApiError} 403 when the customer is outside the account's restriction
 */
export function allowedCustomer(account: Account, customer: string | undefined): string | undefined {
  const allowed = account.customers;
  if (allowed === null) return customer;
  if (customer === undefined) {
    if (allowed.length === 1) return allowed[0];
    throw new ApiError(
      403,
      "forbidden",
      `Cannot serve the request: the account "${account.name}" is restricted to customers ${
        allowed.join(",")
      }; name one with "customer"`,
    );
  }
  if (!allowed.includes(customer)) {
    throw new ApiError(
      403,
      "forbidden",
      `Cannot serve the request: the account "${account.name}" may not access customer "${customer}"`,
    );
  }
  return customer;
}
