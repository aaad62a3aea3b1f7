/**
 * @module
 * Schema validation: zod from npm.
 */
export { z } from "zod";
export type { ZodError, ZodType } from "zod";
