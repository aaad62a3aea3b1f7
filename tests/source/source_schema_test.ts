/**
 * @module
 * Tests of the `source:` schema: defaults, and messages that say what is wanted and what was found.
 */
import assert from "node:assert/strict";
import { sourceSchema } from "../../src/definition/source_schema.ts";

Deno.test("sourceSchema fills the CSV defaults", () => {
  assert.deepEqual(sourceSchema.parse({ format: "csv" }), {
    format: "csv",
    delimiter: ",",
    quote: '"',
    header: true,
    encoding: "utf-8",
    skipLines: 0,
    skip: [],
  });
});

const invalid = [
  {
    name: "a two-character delimiter",
    source: { format: "csv", delimiter: ";;" },
    path: ["delimiter"],
    message: '"delimiter" must be one character: current value is ";;"',
  },
  {
    name: "a two-character quote",
    source: { format: "csv", quote: "''" },
    path: ["quote"],
    message: '"quote" must be one character: current value is "\'\'"',
  },
  {
    name: "an unknown encoding",
    source: { format: "csv", encoding: "utf-16" },
    path: ["encoding"],
    message:
      '"encoding" must be one of "utf-8", "windows-1252", "latin1", "utf-16le", "utf-16be": current value is ' +
      '"utf-16"',
  },
  {
    name: "a skip rule that is not a regular expression",
    source: { format: "csv", skip: [{ match: "(ANR", reason: "message" }] },
    path: ["skip", 0, "match"],
    message: '"match" must be a valid regular expression: current value is "(ANR"',
  },
  {
    name: "a negative skipLines",
    source: { format: "csv", skipLines: -1 },
    path: ["skipLines"],
    message: '"skipLines" must be 0 or more',
  },
  {
    name: "an unknown key",
    source: { format: "csv", delimeter: ";" },
    path: [],
    message: 'Unrecognized key: "delimeter"',
  },
];

Deno.test("sourceSchema rejects invalid CSV settings with a message naming the value", async (t) => {
  for (const c of invalid) {
    await t.step(c.name, () => {
      const result = sourceSchema.safeParse(c.source);
      assert.equal(result.success, false);
      assert.deepEqual(result.error?.issues.map((issue) => [issue.path, issue.message]), [[
        c.path,
        c.message,
      ]]);
    });
  }
});

const invalidFormats = [
  {
    name: "a fixed column with both start and title",
    source: { format: "fixed", header: { match: "^a" }, columns: [{ name: "a", start: 1, title: "A" }] },
    path: ["columns", 0],
    message:
      'a column needs either "start" (1-based position) or "title" (text in the header line), not both',
  },
  {
    name: "fixed columns by title without a header",
    source: { format: "fixed", columns: [{ name: "a", title: "A" }] },
    path: ["header"],
    message: 'columns located by "title" need a "header"',
  },
  {
    name: "fixed columns mixing start and title",
    source: {
      format: "fixed",
      header: { match: "^a" },
      columns: [{ name: "a", title: "A" }, { name: "b", start: 5 }],
    },
    path: ["columns"],
    message: 'columns must all have "start" or all "title"',
  },
  {
    name: "a position of 0 (positions are 1-based)",
    source: { format: "fixed", columns: [{ name: "a", start: 0 }] },
    path: ["columns", 0, "start"],
    message: '"start" is a 1-based position: it must be 1 or more',
  },
  {
    name: "a title line outside the header block",
    source: {
      format: "fixed",
      header: { match: "^a", lines: 2, titleLine: 3 },
      columns: [{ name: "a", start: 1 }],
    },
    path: ["header", "titleLine"],
    message: '"titleLine" must be within the header block ("lines")',
  },
  {
    name: "a heading value on a line outside the heading block",
    source: {
      format: "regex",
      pattern: "(?<v>.)",
      heading: { match: "^H", lines: 2, values: [{ name: "site", line: 3, start: 1 }] },
    },
    path: ["heading", "values"],
    message: 'a heading value\'s "line" must be within the heading block ("lines")',
  },
  {
    name: "a multiline source with neither start nor lines",
    source: { format: "multiline" },
    path: [],
    message: 'a multiline source needs "start", "lines" or both',
  },
  {
    name: "multiline fields without columns",
    source: { format: "multiline", lines: 2, values: "fields" },
    path: ["columns"],
    message: '"values: fields" needs "columns" (the keys)',
  },
  {
    name: "a regex without named groups",
    source: { format: "regex", pattern: "^(\\w+)$" },
    path: ["pattern"],
    message: '"pattern" must have named groups such as (?<volume>...): current value is "^(\\\\w+)$"',
  },
  {
    name: "a context rule without a capturing group",
    source: { format: "table", context: [{ name: "pool", match: "^Pool: " }] },
    path: ["context", 0, "match"],
    message: '"match" must have a capturing group for the value: current value is "^Pool: "',
  },
  {
    name: "a section with neither begin nor end",
    source: { format: "csv", section: {} },
    path: ["section"],
    message: 'a section needs "begin", "end" or both',
  },
  {
    name: "a command with no program",
    source: { format: "csv", command: { run: [] } },
    path: ["command", "run"],
    message: '"run" must name the program: current value is an empty list',
  },
  {
    name: "a command timeout of 0",
    source: { format: "csv", command: { run: ["x"], timeout: 0 } },
    path: ["command", "timeout"],
    message: '"timeout" must be a number of seconds above 0',
  },
];

Deno.test("sourceSchema rejects invalid text-format and command settings with a clear message", async (t) => {
  for (const c of invalidFormats) {
    await t.step(c.name, () => {
      const result = sourceSchema.safeParse(c.source);
      assert.equal(result.success, false);
      assert.deepEqual(result.error?.issues.map((issue) => [issue.path, issue.message]), [[
        c.path,
        c.message,
      ]]);
    });
  }
});

Deno.test("sourceSchema fills the defaults of the text formats and of a command", () => {
  assert.deepEqual(sourceSchema.parse({ format: "table", command: { run: ["bconsole"] } }), {
    format: "table",
    separator: "|",
    header: true,
    outside: "outside table",
    encoding: "utf-8",
    skipLines: 0,
    skip: [],
    context: [],
    command: { run: ["bconsole"], timeout: 600 },
  });
  assert.deepEqual(sourceSchema.parse({ format: "fixed", columns: [{ name: "a", start: 3 }] }), {
    format: "fixed",
    columns: [{ name: "a", start: 3, offset: 0 }],
    trim: true,
    slack: 2,
    encoding: "utf-8",
    skipLines: 0,
    skip: [],
    context: [],
  });
});
