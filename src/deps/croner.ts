/**
 * @module
 * Cron expression parsing and next-run calculation (with seconds and named time zones): croner, its ES
 * module build vendored into one file by scripts/vendor.ts (from npm it costs Deno's npm resolution on every
 * start of the agent, about 5 ms against 2 ms for this file). The types are the package's own.
 */
// @ts-types="croner"
export { Cron } from "./vendor/croner.js";
