/**
 * @module
 * Schema validation: zod, from its npm package vendored into one file by scripts/vendor.ts without the
 * message locales other than English, JSON Schema conversion and the `core` namespace (from npm it costs
 * about 40 ms of every cold start, this file about 11 ms). The types are the package's own; the few they
 * name that the file leaves out (`z.locales`, `z.core`, `z.toJSONSchema`, `z.fromJSONSchema`) are never
 * used here, and tests/deps/vendor_test.ts checks that every other export is present.
 */
// @ts-types="zod"
import * as z from "./vendor/zod.js";

export { z };
export type { ZodError, ZodType } from "zod";
