/**
 * @module
 * The `source:` section of a definition: how bytes become records. Owned by the source stage; embedded in
 * the full definition schema as `source`. Each `format` (csv, fixed, table, multiline, tokens, regex) is one
 * member of a discriminated union; the line rules (encoding, skipLines, comment, skip, stop) and `command`
 * are shared by every format. See docs/definitions-source.md.
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
export const encodingSchema = z.enum(["utf-8", "windows-1252", "latin1", "utf-16le", "utf-16be"], {
  error: (issue) =>
    `"encoding" must be one of "utf-8", "windows-1252", "latin1", "utf-16le", "utf-16be": current value is ${
      shown(issue.input)
    }`,
});

/** A command whose stdout is the input (any format). */
export const commandSchema = z.object({
  /** Program and arguments, run without a shell. */
  run: z.array(z.string().min(1, { error: `a "run" argument must not be empty` })).min(1, {
    error: `"run" must name the program: current value is an empty list`,
  }),
  /** Seconds the command may run before it is killed (default 600). */
  timeout: z.number().positive({ error: `"timeout" must be a number of seconds above 0` }).default(600),
}).strict();

/** From a line matching `match` to the end of the input, every line is skipped with `reason`. */
export const stopRuleSchema = z.object({
  match: regExpSchema("match"),
  reason: z.string().min(1, { error: `"reason" must not be empty` }).default("after end of report"),
}).strict();

/**
 * Sections of the input that are read: from a line matching `begin` to a line matching `end`, again at the
 * next `begin` (`START` and `END` markers of the original definition language). The marker lines are
 * skipped as "section marker", the lines outside a section as `outside`.
 */
export const sectionRuleSchema = z.object({
  begin: regExpSchema("begin").optional(),
  end: regExpSchema("end").optional(),
  outside: z.string().min(1, { error: `"outside" must not be empty` }).default("outside section"),
}).strict().refine((section) => section.begin !== undefined || section.end !== undefined, {
  error: `a section needs "begin", "end" or both`,
});

const commonSource = {
  encoding: encodingSchema.default("utf-8"),
  /** Physical lines skipped at the start of the input, counted as "leading lines skipped". */
  skipLines: z.number().int().min(0, { error: `"skipLines" must be 0 or more` }).default(0),
  /** Lines starting with this text are skipped as "comment". */
  comment: z.string().min(1, { error: `"comment" must not be empty` }).optional(),
  skip: z.array(skipRuleSchema).default([]),
  stop: stopRuleSchema.optional(),
  section: sectionRuleSchema.optional(),
  command: commandSchema.optional(),
};

const columnName = z.string().min(1, { error: `a column name must not be empty` });
const columnNames = z.array(columnName).min(1, { error: `"columns" must name at least one column` });

const hasCapture = (pattern: string): boolean =>
  isRegExp(pattern) && new RegExp(`${pattern}|`).exec("")!.length > 1;

/** A line that is not a record but gives a value to the records after it (e.g. "Pool: Full"). */
export const contextRuleSchema = z.object({
  /** Column name the value is appended under. */
  name: columnName,
  /** Regular expression with one capturing group: the value. */
  match: regExpSchema("match").refine(hasCapture, {
    error: (issue) =>
      `"match" must have a capturing group for the value: current value is ${shown(issue.input)}`,
  }),
  reason: z.string().min(1, { error: `"reason" must not be empty` }).default("context line"),
}).strict();

/** A value cut from a heading block: its 1-based line in the block, 1-based start and width. */
export const headingValueSchema = z.object({
  name: columnName,
  line: z.number().int().min(1, { error: `"line" is 1-based: it must be 1 or more` }),
  start: z.number().int().min(1, { error: `"start" is a 1-based position: it must be 1 or more` }),
  width: z.number().int().min(1, { error: `"width" must be 1 or more` }).optional(),
}).strict();

/**
 * A heading block printed before each group of records (a library's report heading): skipped, and the
 * values it carries are added to the records after it (`SetHeaderCount` and header-record `Extract` of
 * the original definition language).
 */
export const headingSchema = z.object({
  match: regExpSchema("match"),
  lines: z.number().int().min(1, { error: `"lines" must be 1 or more` }).default(1),
  reason: z.string().min(1, { error: `"reason" must not be empty` }).default("heading"),
  values: z.array(headingValueSchema).default([]),
}).strict().refine((heading) => heading.values.every((value) => value.line <= heading.lines), {
  error: `a heading value's "line" must be within the heading block ("lines")`,
  path: ["values"],
});

/** Rules of the line-based formats (all but csv). */
const lineSource = {
  ...commonSource,
  context: z.array(contextRuleSchema).default([]),
  heading: headingSchema.optional(),
};

/** A block of header lines: found by `match` on its first line, `lines` long; titles are on `titleLine`. */
export const headerBlockSchema = z.object({
  match: regExpSchema("match"),
  lines: z.number().int().min(1, { error: `"lines" must be 1 or more` }).default(1),
  titleLine: z.number().int().min(1, { error: `"titleLine" must be 1 or more` }).default(1),
}).strict().refine((block) => block.titleLine <= block.lines, {
  error: `"titleLine" must be within the header block ("lines")`,
  path: ["titleLine"],
});

/** A fixed-width column: at a 1-based `start`, or located from its `title` in the header line. */
export const fixedColumnSchema = z.object({
  name: columnName,
  start: z.number().int().min(1, { error: `"start" is a 1-based position: it must be 1 or more` }).optional(),
  title: z.string().min(1, { error: `"title" must not be empty` }).optional(),
  /** Characters the values start after (+) or before (-) their title. */
  offset: z.number().int().default(0),
  width: z.number().int().min(1, { error: `"width" must be 1 or more` }).optional(),
}).strict().refine((column) => (column.start === undefined) !== (column.title === undefined), {
  error: `a column needs either "start" (1-based position) or "title" (text in the header line), not both`,
});

export const csvSourceSchema = z.object({
  format: z.literal("csv"),
  delimiter: oneChar("delimiter").default(","),
  quote: z.union([oneChar("quote"), z.literal(""), z.null()]).default('"'),
  header: z.boolean().default(true),
  columns: z.array(z.string().min(1, { error: `a column name must not be empty` })).optional(),
  ...commonSource,
}).strict();

export const fixedSourceSchema = z.object({
  format: z.literal("fixed"),
  columns: z.array(fixedColumnSchema).min(1, { error: `"columns" must name at least one column` }),
  header: headerBlockSchema.optional(),
  /** Remove the padding around values (default true). */
  trim: z.boolean().default(true),
  /** How far a title-located column boundary may move to fall between two words (default 2). */
  slack: z.number().int().min(0, { error: `"slack" must be 0 or more` }).default(2),
  ...lineSource,
}).strict().superRefine((spec, ctx) => {
  const byTitle = spec.columns.filter((column) => column.title !== undefined).length;
  if (byTitle > 0 && byTitle < spec.columns.length) {
    ctx.addIssue({
      code: "custom",
      path: ["columns"],
      message: `columns must all have "start" or all "title"`,
    });
  }
  if (byTitle > 0 && spec.header === undefined) {
    ctx.addIssue({ code: "custom", path: ["header"], message: `columns located by "title" need a "header"` });
  }
});

export const tableSourceSchema = z.object({
  format: z.literal("table"),
  separator: oneChar("separator").default("|"),
  /** The first table row names the columns (default true). */
  header: z.boolean().default(true),
  columns: columnNames.optional(),
  /** Rule lines such as `+----+----+`; the default matches lines of - = + | : and spaces. */
  rule: regExpSchema("rule").optional(),
  /** Reason of lines that hold no separator (default "outside table"). */
  outside: z.string().min(1, { error: `"outside" must not be empty` }).default("outside table"),
  ...lineSource,
}).strict();

export const multilineSourceSchema = z.object({
  format: z.literal("multiline"),
  /** A line matching this starts a record. */
  start: regExpSchema("start").optional(),
  /** Lines per record (with `start`: the expected count; a shorter block is passed on short). */
  lines: z.number().int().min(1, { error: `"lines" must be 1 or more` }).optional(),
  /** `lines`: each line is a value; `fields`: each line is `key<keySeparator>value`, keys in `columns`. */
  values: z.enum(["lines", "fields"], { error: `"values" must be "lines" or "fields"` }).default("lines"),
  columns: columnNames.optional(),
  keySeparator: z.string().min(1, { error: `"keySeparator" must not be empty` }).default(":"),
  trim: z.boolean().default(true),
  outside: z.string().min(1, { error: `"outside" must not be empty` }).default("outside block"),
  ...lineSource,
}).strict().superRefine((spec, ctx) => {
  if (spec.start === undefined && spec.lines === undefined) {
    ctx.addIssue({ code: "custom", path: [], message: `a multiline source needs "start", "lines" or both` });
  }
  if (spec.values === "fields" && spec.columns === undefined) {
    ctx.addIssue({
      code: "custom",
      path: ["columns"],
      message: `"values: fields" needs "columns" (the keys)`,
    });
  }
});

export const tokensSourceSchema = z.object({
  format: z.literal("tokens"),
  /** Names of the leading words that carry no key. */
  positional: z.array(columnName).default([]),
  /** Keys of `KEY<separator>value` tokens; each becomes a column. */
  keys: z.array(columnName).min(1, { error: `"keys" must name at least one key` }),
  separator: z.string().min(1, { error: `"separator" must not be empty` }).default(":"),
  /** A word starting with this text starts a comment that runs to the end of the line. */
  trailingComment: z.string().min(1, { error: `"trailingComment" must not be empty` }).optional(),
  /** Column for the trailing comment's text. */
  commentColumn: columnName.optional(),
  /** Column for the words that are neither positional nor a declared key (joined by a space). */
  rest: columnName.optional(),
  ...lineSource,
}).strict();

const groupNames = (pattern: string): string[] =>
  isRegExp(pattern) ? Object.keys(new RegExp(`${pattern}|`).exec("")!.groups ?? {}) : [];

export const regexSourceSchema = z.object({
  format: z.literal("regex"),
  /** One regular expression per line; its named groups are the columns. */
  pattern: regExpSchema("pattern").refine((pattern) => groupNames(pattern).length > 0, {
    error: (issue) =>
      `"pattern" must have named groups such as (?<volume>...): current value is ${shown(issue.input)}`,
  }),
  /** Reason of lines the pattern does not match (default "unmatched line"). */
  unmatched: z.string().min(1, { error: `"unmatched" must not be empty` }).default("unmatched line"),
  ignoreCase: z.boolean().default(false),
  ...lineSource,
}).strict();

export const sourceSchema = z.discriminatedUnion("format", [
  csvSourceSchema,
  fixedSourceSchema,
  tableSourceSchema,
  multilineSourceSchema,
  tokensSourceSchema,
  regexSourceSchema,
]);

export type SourceSpec = z.infer<typeof sourceSchema>;
export type CsvSourceSpec = z.infer<typeof csvSourceSchema>;
export type FixedSourceSpec = z.infer<typeof fixedSourceSchema>;
export type TableSourceSpec = z.infer<typeof tableSourceSchema>;
export type MultilineSourceSpec = z.infer<typeof multilineSourceSchema>;
export type TokensSourceSpec = z.infer<typeof tokensSourceSchema>;
export type RegexSourceSpec = z.infer<typeof regexSourceSchema>;
export type CommandSpec = z.infer<typeof commandSchema>;
/** The line rules every format shares. */
export type LineRulesSpec = Pick<
  SourceSpec,
  "encoding" | "skipLines" | "comment" | "skip" | "stop" | "section"
>;
/** The line rules and context rules of the line-based formats. */
export type LineSourceSpec = Exclude<SourceSpec, CsvSourceSpec>;
