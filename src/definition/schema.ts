/**
 * @module
 * The zod schema of a definition file and the typed `Definition` it yields. Shapes only: the checks that
 * need the whole file (tables that exist, regexes, date formats, field names and limits) are in
 * `_check_definition.ts`. See docs/definitions.md for the language.
 */
import { z } from "../deps/zod.ts";
import { sourceSchema } from "./source_schema.ts";

/** Numbers and booleans written in YAML where text is meant (`value: 7`, `L7: 7`) become their text. */
const scalar = z.preprocess(
  (value) => (typeof value === "number" || typeof value === "boolean" ? String(value) : value),
  z.string(),
);

const nonEmpty = (what: string) => z.string().min(1, { error: `"${what}" must not be empty` });

/** Exactly one of `keys` is present in an object (refinement). */
const oneOf = <T extends object>(keys: readonly (keyof T & string)[], what: string) => ({
  check: (value: T) =>
    keys.filter((key) => (value as Record<string, unknown>)[key] !== undefined).length === 1,
  message: `${what} needs exactly one of ${keys.map((key) => `"${key}"`).join(", ")}`,
});

const refineOne = <S extends z.ZodType<object>>(schema: S, keys: readonly string[], what: string) => {
  const rule = oneOf<Record<string, unknown>>(keys, what);
  return schema.refine((value) => rule.check(value as Record<string, unknown>), { error: rule.message });
};

/** A column: a header name, a 1-based index, or either with `optional: true`. */
export const columnRefSchema = refineOne(
  z.preprocess(
    (
      value,
    ) => (typeof value === "string" ? { name: value } : typeof value === "number" ? { index: value } : value),
    z.object({
      name: nonEmpty("name").optional(),
      index: z.number().int().min(1, { error: `a column index is 1-based: it must be 1 or more` }).optional(),
      /** A header without this column leaves the field unset instead of failing. */
      optional: z.boolean().default(false),
    }).strict(),
  ),
  ["name", "index"],
  "a column",
);

const globList = z.preprocess(
  (value) => (typeof value === "string" ? [value] : value),
  z.array(nonEmpty("glob")),
);

/** A test on a field's value (after its steps) or on a raw column. */
export const conditionSchema = refineOne(
  refineOne(
    z.object({
      field: nonEmpty("field").optional(),
      column: columnRefSchema.optional(),
      equals: scalar.optional(),
      in: z.array(scalar).optional(),
      /** One pattern or a list (any matches); SPEC.md 3.2 syntax. */
      glob: globList.optional(),
      regex: nonEmpty("regex").optional(),
    }).strict(),
    ["field", "column"],
    "a condition",
  ),
  ["equals", "in", "glob", "regex"],
  "a condition",
);

/** Include or exclude records; `reason` is the statistics key of the skip. */
export const filterSchema = refineOne(
  z.object({
    include: conditionSchema.optional(),
    exclude: conditionSchema.optional(),
    reason: nonEmpty("reason"),
  }).strict(),
  ["include", "exclude"],
  "a filter",
);

/** One translation: a test on the value (`match` glob, `equals`, `regex`) and a result (`value` or `template`). */
export const tableEntrySchema = refineOne(
  refineOne(
    z.object({
      match: nonEmpty("match").optional(),
      equals: scalar.optional(),
      regex: nonEmpty("regex").optional(),
      value: scalar.optional(),
      /** ttidef template: `*` the value, `~` keep this character, `^` drop it, other text literal. */
      template: nonEmpty("template").optional(),
    }).strict(),
    ["match", "equals", "regex"],
    "a table entry",
  ),
  ["value", "template"],
  "a table entry",
);

/** A translation table: a map of exact keys, or an ordered list of entries where the first match wins. */
export const tableSchema = z.preprocess(
  (value) =>
    value !== null && typeof value === "object" && !Array.isArray(value)
      ? Object.entries(value).map(([key, result]) => ({ equals: key, value: result }))
      : value,
  z.array(tableEntrySchema).min(1, { error: `a table needs at least one entry` }),
);

const tableRef = z.union([nonEmpty("table"), tableSchema]);

/** `translate: NAME` or `translate: { table: NAME | inline, default: VALUE }`. */
export const translateSchema = z.preprocess(
  (value) => (typeof value === "string" ? { table: value } : value),
  z.object({ table: tableRef, default: scalar.optional() }).strict(),
);

/** Translate this field by testing the table against another field's value (SPEC.md 3.4 pass 2). */
export const translateOnSchema = z.object({
  field: nonEmpty("field"),
  table: tableRef,
  default: scalar.optional(),
}).strict();

const count = z.number().int();
const STEP_KEYS = [
  "trim",
  "upper",
  "lower",
  "removeSpaces",
  "substring",
  "padStart",
  "padEnd",
  "extract",
  "replace",
  "default",
  "translate",
  "translateOn",
] as const;

const pad = z.object({
  length: count.min(1, { error: `"length" must be 1 or more` }),
  char: z.string().length(1, { error: `"char" must be one character` }).default(" "),
}).strict();

/** One step: a bare name (`trim`) or a one-key map (`{ substring: { start: 0, length: 6 } }`). */
export const stepSchema = refineOne(
  z.preprocess(
    (value) => (typeof value === "string" ? { [value]: true } : value),
    z.object({
      trim: z.literal(true).optional(),
      upper: z.literal(true).optional(),
      lower: z.literal(true).optional(),
      removeSpaces: z.literal(true).optional(),
      substring: z.object({ start: count, length: count.min(0).optional() }).strict().optional(),
      padStart: pad.optional(),
      padEnd: pad.optional(),
      extract: z.preprocess(
        (value) => (typeof value === "string" ? { regex: value } : value),
        z.object({ regex: nonEmpty("regex"), group: z.union([count.min(0), nonEmpty("group")]).default(1) })
          .strict(),
      ).optional(),
      replace: z.object({ regex: nonEmpty("regex"), with: scalar.default("") }).strict().optional(),
      default: scalar.optional(),
      translate: translateSchema.optional(),
      translateOn: translateOnSchema.optional(),
    }).strict(),
  ),
  STEP_KEYS,
  "a step",
);

/** Names of the step kinds, for messages. */
export const STEP_NAMES: readonly string[] = STEP_KEYS;

const addSchema = z.object({ years: count.default(0), months: count.default(0), days: count.default(0) })
  .strict();

/** A date (or date-time) read with an explicit format, then shifted. */
export const dateSchema = z.preprocess(
  (value) => (typeof value === "string" ? { format: value } : value),
  z.object({
    format: nonEmpty("format"),
    /** Values that mean "no date" (e.g. `00/00/0000`): treated as empty. */
    null: z.array(scalar).default([]),
    add: addSchema.optional(),
    addDays: count.optional(),
    /** Conditional shifts (SPEC.md AddMoveDateAdjustment): every matching entry applies, in order. */
    adjust: z.array(z.object({ when: conditionSchema, add: addSchema }).strict()).default([]),
  }).strict(),
);

/** Words read as a boolean (compared without regard to case). */
export const boolSchema = z.object({
  true: z.array(scalar).min(1, { error: `"true" needs at least one word` }),
  false: z.array(scalar).min(1, { error: `"false" needs at least one word` }),
}).strict();

/** How one field gets its value. */
export const fieldSchema = refineOne(
  z.object({
    column: columnRefSchema.optional(),
    value: scalar.optional(),
    /** Text with `{name}` or `{3}` column references, e.g. `"{site}-{slot}"`; `{{` and `}}` for braces. */
    template: z.string().optional(),
    steps: z.array(stepSchema).default([]),
    date: dateSchema.optional(),
    bool: boolSchema.optional(),
    /** `skip` (default): an empty value leaves the inventory untouched; `clear`: it removes the value. */
    empty: z.enum(["skip", "clear"]).default("skip"),
    /** `update` (default): a difference is written; `alert`: only reported. */
    mode: z.enum(["update", "alert"]).default("update"),
  }).strict(),
  ["column", "value", "template"],
  "a field",
);

/** A site value a definition declares; `${name}` in any string of the file is replaced by it. */
export const parameterSchema = z.object({
  required: z.boolean().default(false),
  default: scalar.optional(),
  description: z.string().optional(),
}).strict();

/** Skip a volume's update when the proposed, existing target and current repositories all match. */
export const repositorySkipSchema = z.object({
  proposed: nonEmpty("proposed").default("*"),
  target: nonEmpty("target").default("*"),
  current: nonEmpty("current").default("*"),
  reason: nonEmpty("reason").default("repository change skipped"),
}).strict();

/** Run options; the command line can override some of them. */
export const optionsSchema = z.object({
  addVolumes: z.boolean().default(false),
  onBadRecord: z.enum(["skip", "stop"]).default("skip"),
  batchSize: count.min(1).max(100_000).default(1000),
  cacheVolumes: count.min(1).default(1_000_000),
}).strict();

export const definitionSchema = z.object({
  version: z.literal(1, { error: `"version" must be 1` }),
  description: z.string().optional(),
  parameters: z.record(
    z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, { error: "a parameter name is letters, digits and _" }),
    parameterSchema,
  ).default({}),
  source: sourceSchema,
  tables: z.record(z.string(), tableSchema).default({}),
  fields: z.record(z.string(), fieldSchema),
  filters: z.array(filterSchema).default([]),
  skipRepositoryChanges: z.array(repositorySkipSchema).default([]),
  options: optionsSchema.prefault({}),
}).strict();

/** Where a definition came from: its file and the line:column of a YAML path, for later errors. */
export interface DefinitionOrigin {
  readonly file: string;
  /** Position of a path such as `fields.slot.column`; 0:0 when unknown. */
  at(path: string): { line: number; column: number };
}

/** A validated definition. `origin` is set by `loadDefinition`. */
export type Definition = z.infer<typeof definitionSchema> & { readonly origin?: DefinitionOrigin };
export type FieldSpec = z.infer<typeof fieldSchema>;
export type StepSpec = z.infer<typeof stepSchema>;
export type ConditionSpec = z.infer<typeof conditionSchema>;
export type ColumnRef = z.infer<typeof columnRefSchema>;
export type TableEntry = z.infer<typeof tableEntrySchema>;
export type TableRef = z.infer<typeof tableRef>;
export type DateSpec = z.infer<typeof dateSchema>;
export type FilterSpec = z.infer<typeof filterSchema>;
export type RepositorySkipSpec = z.infer<typeof repositorySkipSchema>;
