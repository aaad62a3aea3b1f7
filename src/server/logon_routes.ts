/**
 * @module
 * `POST /api/v1/logon` (user and password once, a session token back) and `DELETE /api/v1/session`.
 * A wrong user and a wrong password get the same 401 after the same work; failures are throttled.
 */
import type { Hono } from "../deps/hono.ts";
import { API_PREFIX, logonRequestSchema } from "../inventory/http/mod.ts";
import type { LogonResponse } from "../inventory/http/mod.ts";
import type { AppEnv } from "./_app_env.ts";
import { bearerToken, hashToken, newToken, requireRole } from "./_auth.ts";
import { readJson } from "./_read_json.ts";
import { validate } from "./_validate.ts";
import { ApiError } from "./api_error.ts";
import { hashPassword, verifyPassword } from "./password_hash.ts";
import type { ServerContext } from "./server_context.ts";

/** Told to clients when the server has no account yet. */
export const NO_ACCOUNTS_MESSAGE =
  'Cannot log on: the server has no accounts yet; add one on the server with "tapesync users add NAME --role sync --db PATH"';

const LOGON_BODY_LIMIT = 16 * 1024;

/** Register the logon and logoff routes. */
export function logonRoutes(app: Hono<AppEnv>, context: ServerContext): void {
  let standIn: Promise<string> | undefined;

  app.post(`${API_PREFIX}/logon`, async (c) => {
    const body = validate(logonRequestSchema, await readJson(c.req.raw, LOGON_BODY_LIMIT), "body");
    if (await context.accounts.count() === 0) throw new ApiError(503, "no_accounts", NO_ACCOUNTS_MESSAGE);
    const now = context.clock.now();
    const addressKey = `addr:${c.env?.remoteAddress ?? "unknown"}`;
    const keys = [addressKey, `user:${body.user}`];
    const wait = await context.throttle.waitMs(keys, now);
    if (wait > 0) {
      const seconds = Math.ceil(wait / 1000);
      throw new ApiError(
        429,
        "throttled",
        `Cannot log on now: too many failed logons from this address or for this account; try again in ${seconds} s`,
        [],
        { "Retry-After": String(seconds) },
      );
    }
    const account = await context.accounts.get(body.user);
    let valid: boolean;
    if (account === undefined) {
      // Do the same slow work as for a real account so the answer time does not reveal unknown names.
      standIn ??= hashPassword(newToken(), context.passwordIterations);
      await verifyPassword(body.password, await standIn);
      valid = false;
    } else {
      valid = await verifyPassword(body.password, account.passwordHash);
    }
    if (!valid || account === undefined) {
      await context.throttle.fail(keys, now);
      throw new ApiError(401, "bad_credentials", "Cannot log on: the user name or the password is wrong");
    }
    await context.throttle.succeed([`user:${body.user}`]);
    await context.accounts.purgeSessions(now);
    const token = newToken();
    const expiresAt = now + context.sessionTtlMs;
    await context.accounts.createSession({
      tokenHash: hashToken(token),
      user: account.name,
      expiresAt,
    });
    const answer: LogonResponse = {
      token,
      expiresAt: new Date(expiresAt).toISOString(),
      user: account.name,
      role: account.role,
      customers: account.customers,
    };
    return c.json(answer);
  });

  app.delete(`${API_PREFIX}/session`, requireRole(context, "read"), async (c) => {
    const token = bearerToken(c.req.header("authorization"));
    if (token !== undefined) await context.accounts.deleteSession(hashToken(token));
    return c.body(null, 204);
  });
}
