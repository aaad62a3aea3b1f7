/**
 * @module
 * The `source:` section of a definition: how bytes become records. Owned by the source stage; embedded in
 * the full definition schema as `source`. (Initial version: CSV/delimited; more formats follow.)
 */
import { z } from "../deps/zod.ts";

const oneChar = (what: string) =>
  z.string().refine((value) => [...value].length === 1, {
    message: `${what} must be one character`,
  });

/** Lines that are not records, skipped by rule and counted with their reason. */
export const skipRuleSchema = z.object({
  match: z.string().min(1),
  reason: z.string().min(1),
}).strict();

const commonSource = {
  encoding: z.enum(["utf-8", "windows-1252", "latin1"]).default("utf-8"),
  skipLines: z.number().int().min(0).default(0),
  comment: z.string().min(1).optional(),
  skip: z.array(skipRuleSchema).default([]),
};

export const csvSourceSchema = z.object({
  format: z.literal("csv"),
  delimiter: oneChar("delimiter").default(","),
  quote: z.union([oneChar("quote"), z.literal(""), z.null()]).default('"'),
  header: z.boolean().default(true),
  columns: z.array(z.string().min(1)).optional(),
  ...commonSource,
}).strict();

export const sourceSchema = z.discriminatedUnion("format", [csvSourceSchema]);

export type SourceSpec = z.infer<typeof sourceSchema>;
export type CsvSourceSpec = z.infer<typeof csvSourceSchema>;
