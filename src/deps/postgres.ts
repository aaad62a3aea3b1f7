/**
 * @module
 * PostgreSQL client for the server's scalable store.
 */
export { default as postgres } from "postgres";
export type { Sql } from "postgres";
export type { ReservedSql } from "postgres";
