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
    message: '"encoding" must be one of "utf-8", "windows-1252", "latin1": current value is "utf-16"',
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
