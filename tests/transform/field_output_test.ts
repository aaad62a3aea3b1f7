/**
 * @module
 * Tests of field outputs: date and time formats with arithmetic and conditional adjustments, booleans,
 * the limits of SPEC.md 2.4, record errors, empty values and comparison-only fields.
 */
import assert from "node:assert/strict";
import { InputRecordError } from "../../src/source/mod.ts";
import { compile, fieldsOf, KEYS, valueOf } from "./_compile.ts";

Deno.test("compileDefinition() writes dates as YYYY-MM-DD and times as YYYY-MM-DD HH:MM", async (t) => {
  const cases: { name: string; field: string; date: string; input: string; want: string | undefined }[] = [
    { name: "day first", field: "moveDate", date: "DD/MM/YYYY", input: "14/03/2025", want: "2025-03-14" },
    {
      name: "surrounding spaces are ignored",
      field: "moveDate",
      date: "DD/MM/YYYY",
      input: " 14/03/2025 ",
      want: "2025-03-14",
    },
    {
      name: "a date field drops the time",
      field: "expiryDate",
      date: "DD/MM/YYYY HH:mm",
      input: "14/03/2025 22:10",
      want: "2025-03-14",
    },
    {
      name: "a time field keeps minutes",
      field: "writeTime",
      date: "DD/MM/YYYY HH:mm:ss",
      input: "14/03/2025 22:10:59",
      want: "2025-03-14 22:10",
    },
    {
      name: "a time field without a time is midnight",
      field: "readTime",
      date: "YYYY-MM-DD",
      input: "2025-03-14",
      want: "2025-03-14 00:00",
    },
    {
      name: "12-hour clock",
      field: "mountTime",
      date: "M/D/YY h:mm A",
      input: "3/4/25 7:05 PM",
      want: "2025-03-04 19:05",
    },
    {
      name: "null value",
      field: "moveDate",
      date: "{ format: DD/MM/YYYY, null: ['00/00/0000'] }",
      input: "00/00/0000",
      want: undefined,
    },
    {
      name: "addDays",
      field: "moveDate",
      date: "{ format: DD/MM/YYYY, addDays: 7 }",
      input: "28/02/2025",
      want: "2025-03-07",
    },
    {
      name: "negative days across a year",
      field: "moveDate",
      date: "{ format: DD/MM/YYYY, add: { days: -1 } }",
      input: "01/01/2025",
      want: "2024-12-31",
    },
    {
      name: "a month added to 31 January ends in February",
      field: "moveDate",
      date: "{ format: DD/MM/YYYY, add: { months: 1 } }",
      input: "31/01/2024",
      want: "2024-02-29",
    },
    {
      name: "months across a year",
      field: "moveDate",
      date: "{ format: DD/MM/YYYY, add: { months: -3 } }",
      input: "15/02/2025",
      want: "2024-11-15",
    },
    {
      name: "years from 29 February",
      field: "moveDate",
      date: "{ format: DD/MM/YYYY, add: { years: 1 } }",
      input: "29/02/2024",
      want: "2025-02-28",
    },
    {
      name: "years, months and days together",
      field: "moveDate",
      date: "{ format: YYYY-MM-DD, add: { years: 1, months: 1, days: 1 } }",
      input: "2025-01-31",
      want: "2026-03-01",
    },
  ];
  for (const c of cases) {
    await t.step(c.name, () => {
      const compiled = compile(["fields:", ...KEYS, `  ${c.field}: { column: 1, date: ${c.date} }`]);
      assert.equal(valueOf(compiled, [c.input], c.field), c.want);
    });
  }
});

Deno.test("compileDefinition() adjusts a date when another field matches (AddMoveDateAdjustment)", async (t) => {
  const compiled = compile([
    "fields:",
    ...KEYS,
    "  description: { column: 1 }",
    "  moveDate:",
    "    column: 2",
    "    date:",
    "      format: YYYY-MM-DD",
    "      adjust:",
    "        - { when: { field: description, glob: '*YEARLY*' }, add: { years: 7 } }",
    "        - { when: { column: c, in: [LEGAL, HOLD] }, add: { months: 6 } }",
  ], ["a", "b", "c"]);
  const cases = [
    { name: "field condition", values: ["YEARLY archive", "2026-12-31", ""], want: "2033-12-31" },
    { name: "column condition", values: ["weekly", "2026-12-31", "HOLD"], want: "2027-06-30" },
    { name: "both apply in order", values: ["YEARLY", "2026-08-31", "LEGAL"], want: "2034-02-28" },
    { name: "neither applies", values: ["weekly", "2026-12-31", "X"], want: "2026-12-31" },
  ];
  for (const c of cases) {
    await t.step(c.name, () => assert.equal(valueOf(compiled, c.values, "moveDate"), c.want));
  }
});

Deno.test("compileDefinition() reads booleans from words and writes YES or NO", async (t) => {
  const plain = compile(["fields:", ...KEYS, "  scratch: { column: 1 }"]);
  const custom = compile([
    "fields:",
    ...KEYS,
    "  encrypted: { column: 1, bool: { true: [Y, '1'], false: [N, '0'] } }",
  ]);
  const cases = [
    { name: "YES", compiled: plain, field: "scratch", input: "YES", want: "YES" },
    { name: "true in lower case", compiled: plain, field: "scratch", input: "true", want: "YES" },
    { name: "False", compiled: plain, field: "scratch", input: "False", want: "NO" },
    { name: "custom true word", compiled: custom, field: "encrypted", input: "y", want: "YES" },
    { name: "custom false word", compiled: custom, field: "encrypted", input: "0", want: "NO" },
  ];
  for (const c of cases) {
    await t.step(c.name, () => assert.equal(valueOf(c.compiled, [c.input], c.field), c.want));
  }
  await t.step("an unknown word is a record error", () => {
    assert.throws(
      () => custom.apply(["YES"], 9),
      new InputRecordError(
        "input.csv",
        9,
        "encrypted",
        `"YES" is not a boolean word: expected one of "Y", "1", "N", "0"`,
      ),
    );
  });
});

Deno.test("compileDefinition() checks the limits of SPEC.md 2.4 after all steps", async (t) => {
  const compiled = compile([
    "fields:",
    "  customer: { value: ACME }",
    "  media: { column: 4 }",
    "  volume: { column: 1 }",
    "  slot: { column: 2 }",
    "  repository: { column: 3, steps: [{ translate: { table: [{ match: 'Vault*', value: OFFS }] } }] }",
    "  homeSlot: { column: 2 }",
  ]);
  const error = (field: string, detail: string) => new InputRecordError("input.csv", 4, field, detail);
  const cases = [
    {
      name: "slot over 10",
      values: ["A1", "12345678901", "", "LTO"],
      want: error("slot", `"12345678901" is 11 characters: the limit is 10`),
    },
    {
      name: "repository over 4 without a translation",
      values: ["A1", "", "Robot-1", "LTO"],
      want: error("repository", `"Robot-1" is 7 characters: the limit is 4`),
    },
    {
      name: "volume over 10",
      values: ["A00417L7XYZ", "", "", "LTO"],
      want: error("volume", `"A00417L7XYZ" is 11 characters: a volume ID has at most 10`),
    },
    {
      name: "volume in lower case",
      values: ["a00417", "", "", "LTO"],
      want: error("volume", `"a00417" is not a volume ID: use A-Z, 0-9 and "-" (not first), upper case only`),
    },
    {
      name: "volume starting with a dash",
      values: ["-A1", "", "", "LTO"],
      want: error("volume", `"-A1" is not a volume ID: use A-Z, 0-9 and "-" (not first), upper case only`),
    },
    {
      name: "media with a dash",
      values: ["A1", "", "", "LT-7"],
      want: error("media", `"LT-7" must be letters and digits only`),
    },
    {
      name: "home slot not a number",
      values: ["A1", "7a", "", "LTO"],
      want: error("slot", `"7a" is not a whole number from 0 to 2147483647`),
    },
    {
      name: "empty volume",
      values: ["", "", "", "LTO"],
      want: error("volume", "the value is empty: every record needs a volume"),
    },
  ];
  for (const c of cases) {
    await t.step(c.name, () => {
      const want = c.name === "home slot not a number" ? error("homeSlot", c.want.detail) : c.want;
      assert.throws(() => compiled.apply(c.values, 4), want);
    });
  }
  await t.step("a translated value within the limit passes, an integer loses leading zeros", () => {
    assert.deepEqual(fieldsOf(compiled, compiled.apply(["A-1", "0042", "Vault-2", "LTO"], 4)), {
      slot: "0042",
      repository: "OFFS",
      homeSlot: "42",
    });
  });
});

Deno.test("compileDefinition() reports a date that does not parse with the value and the format", async (t) => {
  const compiled = compile(["fields:", ...KEYS, "  moveDate: { column: 1, date: DD/MM/YYYY }"]);
  const cases = [
    {
      input: "31/02/2025",
      detail:
        `cannot parse "31/02/2025" with date format "DD/MM/YYYY": day 31 does not exist in February 2025`,
    },
    {
      input: "2025-03-14",
      detail: `cannot parse "2025-03-14" with date format "DD/MM/YYYY": expected "/" at position 3`,
    },
  ];
  for (const c of cases) {
    await t.step(c.input, () => {
      assert.throws(
        () => compiled.apply([c.input], 12),
        new InputRecordError("input.csv", 12, "moveDate", c.detail),
      );
    });
  }
});

Deno.test("compileDefinition() leaves an empty value untouched or clears it as the field says", async (t) => {
  const compiled = compile([
    "fields:",
    ...KEYS,
    "  slot: { column: 1 }",
    "  description: { column: 2, empty: clear }",
    "  moveDate: { column: 3, date: { format: DD/MM/YYYY, null: ['00/00/0000'] }, empty: clear }",
    "  system: { column: 4, steps: [trim] }",
  ]);
  const cases = [
    { name: "empty values", values: ["", "", "", "   "], want: { description: null, moveDate: null } },
    { name: "null date", values: ["", "", "00/00/0000", ""], want: { description: null, moveDate: null } },
    {
      name: "values",
      values: ["7", "d", "01/02/2025", " S "],
      want: { slot: "7", description: "d", moveDate: "2025-02-01", system: "S" },
    },
  ];
  for (const c of cases) {
    await t.step(c.name, () => assert.deepEqual(fieldsOf(compiled, compiled.apply(c.values, 2)), c.want));
  }
  await t.step("fields lists the synced fields with their mode", () => {
    assert.deepEqual(compiled.fields.map((field) => `${field.name}:${field.mode}`), [
      "slot:update",
      "description:update",
      "moveDate:update",
      "system:update",
    ]);
  });
});

Deno.test("compileDefinition() keeps comparison-only fields out of the intent and carries alert mode", () => {
  const compiled = compile([
    "fields:",
    ...KEYS,
    "  user1: { column: 1 }",
    "  repository: { column: 2, mode: alert }",
  ]);
  assert.deepEqual(compiled.fields, [{ name: "repository", mode: "alert" }]);
  assert.deepEqual(fieldsOf(compiled, compiled.apply(["x", "LIBR"], 2)), { repository: "LIBR" });
});
