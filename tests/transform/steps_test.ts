/**
 * @module
 * Tests of field steps, ordered translation tables (first match wins, patterns, templates), `translateOn`
 * and column templates, through `compileDefinition`.
 */
import assert from "node:assert/strict";
import { compile, KEYS, valueOf } from "./_compile.ts";

/** Run `steps` (YAML flow list) on the description of a record whose column 1 is `input`. */
function description(steps: string, input: string, extra: string[] = []): string | null | undefined {
  const compiled = compile(["fields:", ...KEYS, `  description: { column: 1, steps: ${steps} }`, ...extra]);
  return valueOf(compiled, [input], "description");
}

Deno.test("compileDefinition() runs each step type on a field's value", async (t) => {
  const cases: { name: string; steps: string; input: string; want: string | undefined }[] = [
    { name: "trim", steps: "[trim]", input: "  a b  ", want: "a b" },
    { name: "upper", steps: "[upper]", input: "ab-1", want: "AB-1" },
    { name: "lower", steps: "[lower]", input: "AB-1", want: "ab-1" },
    {
      name: "removeSpaces removes every space and tab",
      steps: "[removeSpaces]",
      input: " A 1\t2 ",
      want: "A12",
    },
    {
      name: "substring with length",
      steps: "[{ substring: { start: 0, length: 6 } }]",
      input: "A00417L7",
      want: "A00417",
    },
    {
      name: "substring without length",
      steps: "[{ substring: { start: 2 } }]",
      input: "A00417L7",
      want: "0417L7",
    },
    {
      name: "substring from the end",
      steps: "[{ substring: { start: -2 } }]",
      input: "A00417L7",
      want: "L7",
    },
    {
      name: "substring past the end",
      steps: "[{ substring: { start: 9 } }]",
      input: "A00417L7",
      want: undefined,
    },
    { name: "padStart", steps: "[{ padStart: { length: 6, char: '0' } }]", input: "417", want: "000417" },
    {
      name: "padEnd with a space",
      steps: "[{ padEnd: { length: 5 } }, { replace: { regex: ' ', with: '_' } }]",
      input: "ab",
      want: "ab___",
    },
    { name: "extract group 1 by default", steps: "[{ extract: '(L\\d)$' }]", input: "A00417L7", want: "L7" },
    {
      name: "extract group 0",
      steps: "[{ extract: { regex: '\\d+', group: 0 } }]",
      input: "slot 0042 left",
      want: "0042",
    },
    {
      name: "extract a named group",
      steps: "[{ extract: { regex: 'S(?<n>\\d+)', group: n } }]",
      input: "RS12",
      want: "12",
    },
    {
      name: "extract without a match is empty",
      steps: "[{ extract: '(L\\d)$' }]",
      input: "A00417",
      want: undefined,
    },
    {
      name: "replace every match",
      steps: "[{ replace: { regex: '[-/]', with: '' } }]",
      input: "A-00/4-17",
      want: "A00417",
    },
    {
      name: "replace with a group",
      steps: "[{ replace: { regex: '^(\\w+)@(\\w+)$', with: '$2:$1' } }]",
      input: "a@b",
      want: "b:a",
    },
    { name: "default for an empty value", steps: "[trim, { default: none }]", input: "  ", want: "none" },
    { name: "default keeps a value", steps: "[{ default: none }]", input: "x", want: "x" },
    {
      name: "translate through an inline map",
      steps: "[{ translate: { table: { L7: LTO7 } } }]",
      input: "L7",
      want: "LTO7",
    },
    {
      name: "translate keeps an unmatched value",
      steps: "[{ translate: { table: { L7: LTO7 } } }]",
      input: "L9",
      want: "L9",
    },
    {
      name: "translate default for an unmatched value",
      steps: "[{ translate: { table: { L7: LTO7 }, default: OTHER } }]",
      input: "L9",
      want: "OTHER",
    },
    {
      name: "steps run in order",
      steps: "[trim, { substring: { start: 0, length: 3 } }, upper]",
      input: " abcdef",
      want: "ABC",
    },
  ];
  for (const c of cases) {
    await t.step(c.name, () => assert.equal(description(c.steps, c.input), c.want));
  }
});

Deno.test("compileDefinition() translates with the first matching entry of an ordered table", async (t) => {
  const table = [
    "tables:",
    "  t:",
    "    - { equals: Robot-1, value: LIB1 }",
    "    - { match: 'Robot*', value: LIBR }",
    "    - { match: 'Vault*', value: OFFS }",
    "    - { regex: '^[0-9]+$', value: NUM }",
    "    - { match: '0*', template: '*L3' }",
    "    - { match: 'A*', template: '~~~~~~' }",
    "    - { match: 'X*', template: '^^^~~~~~~L4' }",
  ];
  const cases = [
    { name: "an exact entry before a pattern wins", input: "Robot-1", want: "LIB1" },
    { name: "a glob matches the rest", input: "Robot-2", want: "LIBR" },
    { name: "globs are case-sensitive", input: "vault-2", want: "vault-2" },
    { name: "regex entry", input: "123", want: "NUM" },
    { name: "an earlier entry shadows a later one", input: "0123", want: "NUM" },
    { name: "template * appends", input: "0ABC", want: "0ABCL3" },
    { name: "template ~ keeps the first characters", input: "A00417L7", want: "A00417" },
    { name: "template ^ drops, ~ keeps, text appends", input: "XYZ123456789", want: "123456L4" },
    { name: "no match keeps the value", input: "Shelf", want: "Shelf" },
  ];
  const compiled = compile([
    "fields:",
    ...KEYS,
    "  description: { column: 1, steps: [{ translate: t }] }",
    ...table,
  ]);
  for (const c of cases) {
    await t.step(c.name, () => assert.equal(valueOf(compiled, [c.input], "description"), c.want));
  }
});

Deno.test("compileDefinition() translateOn tests another field after that field's own translation", async (t) => {
  const compiled = compile([
    "fields:",
    "  customer: { value: ACME }",
    "  volume:",
    "    column: 1",
    "    steps: [upper, { translateOn: { field: media, table: suffix } }, { substring: { start: 0, length: 8 } }]",
    "  media: { column: 2, steps: [{ translate: { table: { HCART3: LTO7, HCART2: LTO6 } } }] }",
    "  description: { column: 3, steps: [{ translateOn: { field: volume, table: [{ match: 'A*', value: A-series }] } }] }",
    "tables:",
    "  suffix:",
    "    - { equals: LTO7, template: '*L7' }",
    "    - { equals: LTO6, template: '*L6' }",
  ], ["label", "type", "comment"]);
  const cases = [
    {
      name: "media translated to LTO7 gives L7",
      values: ["a00101", "HCART3", "x"],
      want: ["A00101L7", "LTO7", "A-series"],
    },
    {
      name: "media translated to LTO6 gives L6",
      values: ["b20001", "HCART2", "y"],
      want: ["B20001L6", "LTO6", "y"],
    },
    {
      name: "no match keeps the value and later steps still run",
      values: ["c300019999", "LTO9", "z"],
      want: ["C3000199", "LTO9", "z"],
    },
  ];
  for (const c of cases) {
    await t.step(c.name, () => {
      const result = compiled.apply(c.values, 2);
      assert.equal(result.kind, "volume");
      if (result.kind !== "volume") return;
      assert.deepEqual([result.volume, result.media, result.values[0]], c.want);
    });
  }
});

Deno.test("compileDefinition() builds a value from a template of columns", () => {
  const compiled = compile(["fields:", ...KEYS, "  description: { template: '{b}/{1} {{x}}' }"], ["a", "b"]);
  assert.equal(valueOf(compiled, ["7", "R2"], "description"), "R2/7 {x}");
});
