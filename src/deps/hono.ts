/**
 * @module
 * HTTP framework for the inventory server and the agent's health endpoint.
 */
export { Hono } from "hono";
export { HTTPException } from "hono/http-exception";
export type { Context, MiddlewareHandler } from "hono";
