/**
 * @module
 * Embedded SQL engine: Node's built-in `node:sqlite`, available in Deno without a flag.
 */
export { DatabaseSync } from "node:sqlite";
export type { StatementSync } from "node:sqlite";
