/**
 * @module
 * Tests of the field catalog: names, types and limits of SPEC.md 2.4, and `checkFieldValue`.
 */
import assert from "node:assert/strict";
import { checkFieldValue, fieldInfo } from "../../src/definition/mod.ts";

Deno.test("fieldInfo() knows the syncable and comparison-only fields with their type and limit", async (t) => {
  const cases: { name: string; want: string | undefined }[] = [
    { name: "volume", want: "volume 10 key" },
    { name: "customer", want: "id 4 key" },
    { name: "media", want: "id 4 key" },
    { name: "repository", want: "id 4" },
    { name: "slot", want: "text 10" },
    { name: "container", want: "text 20" },
    { name: "description", want: "text 256" },
    { name: "scratch", want: "boolean 3" },
    { name: "moveDate", want: "date 10" },
    { name: "mountTime", want: "datetime 16" },
    { name: "system", want: "text 10" },
    { name: "homeSlot", want: "integer 10" },
    { name: "attr1", want: "text 256" },
    { name: "attr200", want: "text 256" },
    { name: "user9", want: "text 256 comparison" },
    { name: "attr201", want: undefined },
    { name: "user10", want: undefined },
    { name: "MOVEDATE", want: undefined },
  ];
  for (const c of cases) {
    await t.step(c.name, () => {
      const info = fieldInfo(c.name);
      const got = info &&
        [info.type, info.max, info.key ? "key" : "", info.comparisonOnly ? "comparison" : ""].filter(Boolean)
          .join(" ")
          .trim();
      assert.equal(got, c.want);
    });
  }
});

Deno.test("checkFieldValue() applies the identifier rules and limits", async (t) => {
  const cases = [
    { field: "volume", value: "A00417L7", want: undefined },
    { field: "volume", value: "AB-12", want: undefined },
    {
      field: "volume",
      value: "-AB12",
      want: `"-AB12" is not a volume ID: use A-Z, 0-9 and "-" (not first), upper case only`,
    },
    {
      field: "volume",
      value: "AB 12",
      want: `"AB 12" is not a volume ID: use A-Z, 0-9 and "-" (not first), upper case only`,
    },
    {
      field: "volume",
      value: "A234567890X",
      want: `"A234567890X" is 11 characters: a volume ID has at most 10`,
    },
    { field: "customer", value: "ACME", want: undefined },
    { field: "customer", value: "AC_E", want: `"AC_E" must be letters and digits only` },
    { field: "homeSlot", value: "0", want: undefined },
    {
      field: "homeSlot",
      value: "2147483648",
      want: `"2147483648" is not a whole number from 0 to 2147483647`,
    },
    { field: "homeSlot", value: "-1", want: `"-1" is not a whole number from 0 to 2147483647` },
    { field: "slot", value: "1234567890", want: undefined },
    { field: "slot", value: "12345678901", want: `"12345678901" is 11 characters: the limit is 10` },
    {
      field: "description",
      value: "x".repeat(257),
      want: `"${"x".repeat(40)}..." is 257 characters: the limit is 256`,
    },
  ];
  for (const c of cases) {
    await t.step(`${c.field} "${c.value.slice(0, 12)}"`, () => {
      assert.equal(checkFieldValue(fieldInfo(c.field)!, c.value), c.want);
    });
  }
});
