/**
 * @module
 * Schema validation: zod, from its npm package vendored into one file by scripts/vendor.ts with only the
 * `z.` functions tapesync's code calls, so the bundler leaves out the schema types never used, the message
 * locales other than English, JSON Schema conversion and the `core` namespace (from npm zod costs about 40 ms
 * of every cold start, this file about 8.5 ms). The types are the package's own, so a `z.` function the file
 * lacks still type-checks: tests/deps/vendor_test.ts fails for any the code calls, until the script is run.
 */
// @ts-types="zod"
import * as z from "./vendor/zod.js";

export { z };
export type { ZodError, ZodType } from "zod";
