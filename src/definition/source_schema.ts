/**
 * @module
 * The `source:` section of a definition: how bytes become records. Owned by the source stage; embedded in
 * the full definition schema as `source`. Each `format` is one member of a discriminated union; the line
 * rules (encoding, skipLines, comment, skip) are shared by every format. See docs/definitions-source.md.
 */
import { z } from "../deps/zod.ts";

/** Quote a value the way messages show it (STYLE.md section 4). */
const shown = (value: unknown): string => typeof value === "string" ? JSON.stringify(value) : String(value);

const oneChar = (what: string) =>
  z.string().refine((value) => [...value].length === 1, {
    error: (issue) => `"${what}" must be one character: current value is ${shown(issue.input)}`,
  });

const isRegExp = (pattern: string): boolean => {
  try {
    new RegExp(pattern);
    return true;
  } catch {
    return false;
  }
};

/** A JavaScript regular expression, checked when the definition is loaded (not when input is read). */
export const regExpSchema = (what: string) =>
  z.string().min(1, { error: `"${what}" must not be empty` }).refine(isRegExp, {
    error: (issue) => `"${what}" must be a valid regular expression: current value is ${shown(issue.input)}`,
  });

/** Lines that are not records, skipped by rule and counted with their reason. */
export const skipRuleSchema = z.object({
  /** Regular expression tested against the raw line (not anchored: use `^` to anchor). */
  match: regExpSchema("match"),
  /** Statistics key, e.g. "product message". */
  reason: z.string().min(1, { error: `"reason" must not be empty` }),
}).strict();

/** Text encodings a source can read. `latin1` is decoded as windows-1252 (the WHATWG Encoding rule). */
export const encodingSchema = z.enum(["utf-8", "windows-1252", "latin1"], {
  error: (issue) =>
    `"encoding" must be one of "utf-8", "windows-1252", "latin1": current value is ${shown(issue.input)}`,
});

const commonSource = {
  encoding: encodingSchema.default("utf-8"),
  /** Physical lines skipped at the start of the input, counted as "leading lines skipped". */
  skipLines: z.number().int().min(0, { error: `"skipLines" must be 0 or more` }).default(0),
  /** Lines starting with this text are skipped as "comment". */
  comment: z.string().min(1, { error: `"comment" must not be empty` }).optional(),
  skip: z.array(skipRuleSchema).default([]),
};

export const csvSourceSchema = z.object({
  format: z.literal("csv"),
  delimiter: oneChar("delimiter").default(","),
  quote: z.union([oneChar("quote"), z.literal(""), z.null()]).default('"'),
  header: z.boolean().default(true),
  columns: z.array(z.string().min(1, { error: `a column name must not be empty` })).optional(),
  ...commonSource,
}).strict();

export const sourceSchema = z.discriminatedUnion("format", [csvSourceSchema]);

export type SourceSpec = z.infer<typeof sourceSchema>;
export type CsvSourceSpec = z.infer<typeof csvSourceSchema>;
/** The line rules every format shares. */
export type LineRulesSpec = Pick<SourceSpec, "encoding" | "skipLines" | "comment" | "skip">;
