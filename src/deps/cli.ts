/**
 * @module
 * Argument parsing: `@std/cli`'s parseArgs, vendored from denoland/std because JSR cannot be reached here
 * (src/deps/vendor/std_cli_parse_args.ts, unchanged). Once JSR can be reached this file becomes
 * `export { parseArgs } from "jsr:@std/cli@1/parse-args";`. Node's `util.parseArgs`, used before, loads
 * some 40 modules of Deno's Node compatibility layer, about 17 ms of every cold start.
 */
export { parseArgs } from "./vendor/std_cli_parse_args.ts";
