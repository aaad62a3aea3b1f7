/**
 * @module
 * Argument parsing stand-in for `@std/cli`: Node's `util.parseArgs`.
 */
export { parseArgs } from "node:util";
