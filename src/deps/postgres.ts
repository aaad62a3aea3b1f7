/**
 * @module
 * PostgreSQL client for the server's scalable store: the `postgres` package vendored into one file by
 * scripts/vendor.ts, with its Node built-ins taken when it is first evaluated, so the one-file bundle does
 * not load Deno's Node layer for every command. The types are the package's own.
 */
// @ts-types="postgres"
export { default as postgres } from "./vendor/postgres.js";
export type { Sql } from "postgres";
export type { ReservedSql } from "postgres";
