/**
 * @module
 * Tests of `loadDefinition`: defaults, the exact file:line:col, YAML path and problem of each kind of
 * definition error, site parameters, and the shipped definitions.
 */
import assert from "node:assert/strict";
import { DefinitionError, loadDefinition } from "../../src/definition/mod.ts";

/** A valid definition; `fields` and `rest` are appended as YAML lines (line 6 is the first field line). */
function yaml(fields: string[], rest: string[] = []): string {
  return [
    "version: 1",
    "source:",
    "  format: csv",
    "fields:",
    "  customer: { value: ACME }",
    ...fields,
    ...rest,
  ].join("\n") + "\n";
}

const base = ["  media: { value: LTO }", "  volume: { column: label }"];

Deno.test("loadDefinition() reads a valid definition and fills the defaults", () => {
  const def = loadDefinition(yaml([...base, "  moveDate: { column: 2, date: DD/MM/YYYY }"]), "my.yaml");
  assert.equal(def.version, 1);
  assert.equal(def.source.format, "csv");
  assert.deepEqual(def.options, {
    addVolumes: false,
    onBadRecord: "skip",
    batchSize: 1000,
    cacheVolumes: 1_000_000,
  });
  assert.deepEqual(def.fields.volume, {
    column: { name: "label", optional: false },
    steps: [],
    empty: "skip",
    mode: "update",
  });
  assert.deepEqual(def.fields.moveDate.date, { format: "DD/MM/YYYY", null: [], adjust: [] });
  assert.deepEqual(def.filters, []);
  assert.equal(def.origin?.file, "my.yaml");
  assert.deepEqual(def.origin?.at("fields.moveDate.date"), { line: 8, column: 32 });
});

Deno.test("loadDefinition() reports file:line:col, the YAML path and the problem", async (t) => {
  const cases: { name: string; text: string; want: [number, number, string, string] }[] = [
    {
      name: "malformed YAML",
      text: "version: 1\nfields:\n  volume: { column: [1, 2 }\n",
      want: [
        3,
        27,
        "",
        "invalid YAML: Flow sequence in block collection must be sufficiently indented and end with a ]",
      ],
    },
    {
      name: "duplicate key",
      text: "version: 1\nversion: 1\n",
      want: [2, 1, "", "invalid YAML: Map keys must be unique"],
    },
    {
      name: "unknown key in a field",
      text: yaml([...base, "  slot: { colum: 3 }"]),
      want: [8, 11, "fields.slot", `unknown key "colum"`],
    },
    {
      name: "unknown top-level key",
      text: yaml(base, ["option: { addVolumes: true }"]),
      want: [8, 1, "", `unknown key "option"`],
    },
    {
      name: "unknown date format token QQ",
      text: yaml([...base, "  moveDate:", "    column: return", "    date: { format: DD/QQ/YYYY }"]),
      want: [
        10,
        21,
        "fields.moveDate.date",
        `unknown format token "QQ": tokens are YYYY YY MMM MM M DD D HH H hh h mm ss A S; put other letters in [brackets]`,
      ],
    },
    {
      name: "unknown table",
      text: yaml([...base, "  repository: { column: 3, steps: [{ translate: locations }] }"]),
      want: [
        8,
        49,
        "fields.repository.steps[0].translate.table",
        `unknown table "locations": the definition has no tables`,
      ],
    },
    {
      name: "unknown step",
      text: yaml(["  media: { value: LTO }", "  volume: { column: label, steps: [trim, uper] }"]),
      want: [
        7,
        42,
        "fields.volume.steps[1]",
        `unknown step "uper": steps are trim, upper, lower, removeSpaces, substring, padStart, padEnd, extract, replace, default, translate, translateOn`,
      ],
    },
    {
      name: "unknown field with a suggestion",
      text: yaml([...base, "  move_date: { column: 3, date: YYYY-MM-DD }"]),
      want: [8, 3, "fields.move_date", `unknown field "move_date": did you mean "moveDate"?`],
    },
    {
      name: "field written without a value points at its key",
      text: yaml([...base, "  slot:"]),
      want: [8, 3, "fields.slot", "must be a map: current value is empty"],
    },
    {
      name: "missing key field",
      text: yaml(["  volume: { column: label }"]),
      want: [4, 1, "fields", `field "media" is required: give it a column, a value or a template`],
    },
    {
      name: "literal over its limit",
      text: yaml(["  media: { value: ULTRIUM7 }", "  volume: { column: 1 }"]),
      want: [6, 19, "fields.media.value", `"ULTRIUM7" is 8 characters: the limit is 4`],
    },
    {
      name: "invalid regular expression",
      text: yaml([...base, "  slot: { column: 2, steps: [{ extract: '(\\d+' }] }"]),
      want: [
        8,
        41,
        "fields.slot.steps[0].extract",
        `invalid regular expression "(\\d+": /(\\d+/: Unterminated group`,
      ],
    },
    {
      name: "extract group that does not exist",
      text: yaml([...base, "  slot: { column: 2, steps: [{ extract: { regex: 'S(\\d+)', group: 2 } }] }"]),
      want: [8, 41, "fields.slot.steps[0].extract", `regular expression "S(\\d+)" has no group 2`],
    },
    {
      name: "malformed glob in a filter",
      text: yaml(base, [
        "filters:",
        "  - exclude: { field: volume, glob: 'CLN[0-9' }",
        "    reason: cleaning",
      ]),
      want: [
        9,
        37,
        "filters[0].exclude.glob[0]",
        `invalid pattern "CLN[0-9": "[" at position 4 is not closed with "]"`,
      ],
    },
    {
      name: "filter on a field the definition does not set",
      text: yaml(base, ["filters:", "  - include: { field: slot, equals: '1' }", "    reason: other slot"]),
      want: [
        9,
        23,
        "filters[0].include.field",
        `field "slot" cannot be tested: the definition does not set it`,
      ],
    },
    {
      name: "filter without a reason",
      text: yaml(base, ["filters:", "  - exclude: { field: volume, glob: 'CLN*' }"]),
      want: [9, 5, "filters[0]", `"reason" is required`],
    },
    {
      name: "wrong type",
      text: yaml(base, ["options: { batchSize: many }"]),
      want: [8, 23, "options.batchSize", `must be a number: current value is "many"`],
    },
    {
      name: "wrong enum value",
      text: yaml(base, ["options: { onBadRecord: ignore }"]),
      want: [8, 25, "options.onBadRecord", `must be "skip" or "stop": current value is "ignore"`],
    },
    {
      name: "date on a text field",
      text: yaml([...base, "  slot: { column: 2, date: DD/MM/YYYY }"]),
      want: [8, 22, "fields.slot.date", `"date" applies to date fields only: "slot" is text`],
    },
    {
      name: "date field without a format",
      text: yaml([...base, "  moveDate: { column: 2 }"]),
      want: [
        8,
        13,
        "fields.moveDate",
        `date field "moveDate" needs an explicit input format: add date: { format: "DD/MM/YYYY" }`,
      ],
    },
    {
      name: "a field with both column and value",
      text: yaml([...base, "  slot: { column: 2, value: '7' }"]),
      want: [8, 9, "fields.slot", `a field needs exactly one of "column", "value", "template"`],
    },
    {
      name: "translateOn on a field not set",
      text: yaml([
        "  media: { value: LTO }",
        "  volume: { column: 1, steps: [{ translateOn: { field: user1, table: { LTO7: L7 } } }] }",
      ]),
      want: [
        7,
        56,
        "fields.volume.steps[0].translateOn.field",
        `field "user1" cannot be tested: the definition does not set it`,
      ],
    },
    {
      name: "key field cleared",
      text: yaml(["  media: { value: LTO, empty: clear }", "  volume: { column: 1 }"]),
      want: [6, 31, "fields.media.empty", `key field "media" cannot be cleared: remove "empty: clear"`],
    },
    {
      name: "named column without a header row",
      text:
        "version: 1\nsource: { format: csv, header: false }\nfields:\n  customer: { value: A }\n  media: { value: B }\n  volume: { column: label }\n",
      want: [
        6,
        21,
        "fields.volume.column",
        `column "label" is named but the source has no header row: use a 1-based index or source.columns`,
      ],
    },
    {
      name: "literal date that does not parse",
      text: yaml([...base, "  moveDate: { value: 2025-02-30, date: YYYY-MM-DD }"]),
      want: [
        8,
        22,
        "fields.moveDate.value",
        `cannot parse "2025-02-30" with date format "YYYY-MM-DD": day 30 does not exist in February 2025`,
      ],
    },
    {
      name: "unknown source format",
      text: "version: 1\nsource: { format: xml }\nfields: {}\n",
      want: [
        2,
        19,
        "source.format",
        `must be one of "csv", "fixed", "table", "multiline", "tokens", "regex": current value is "xml"`,
      ],
    },
    {
      name: "source without a format",
      text: "version: 1\nsource: { delimiter: ';' }\nfields: {}\n",
      want: [
        2,
        9,
        "source",
        `"format" is required: one of "csv", "fixed", "table", "multiline", "tokens", "regex"`,
      ],
    },
    {
      name: "source option checked by the source schema",
      text: yaml(base).replace("format: csv", "format: csv\n  delimiter: ';;'"),
      want: [4, 14, "source.delimiter", `"delimiter" must be one character: current value is ";;"`],
    },
    {
      name: "number below its minimum",
      text: yaml(base, ["options: { batchSize: 0 }"]),
      want: [8, 23, "options.batchSize", "must be 1 or more: current value is 0"],
    },
    {
      name: "list with too few entries",
      text: yaml([...base, "  scratch: { column: 2, bool: { true: [], false: [N] } }"]),
      want: [8, 39, "fields.scratch.bool.true", `"true" needs at least one word`],
    },
    {
      name: "not a map",
      text: "- 1\n- 2\n",
      want: [1, 1, "", "a definition must be a map with version, source and fields"],
    },
  ];
  for (const c of cases) {
    await t.step(c.name, () => {
      assert.throws(() => loadDefinition(c.text, "my.yaml"), (error: unknown) => {
        assert.ok(error instanceof DefinitionError, String(error));
        const [line, column, path, problem] = c.want;
        assert.deepEqual([error.file, error.line, error.column, error.path, error.problem], [
          "my.yaml",
          line,
          column,
          path,
          problem,
        ]);
        assert.equal(error.message, `my.yaml:${line}:${column}${path ? ` ${path}` : ""}: ${problem}`);
        return true;
      });
    });
  }
});

Deno.test("loadDefinition() reports the problem that comes first in the file", () => {
  const text = yaml([
    "  media: { value: LTO }",
    "  volume: { column: 1, steps: [bogus] }",
    "  moveDate: { column: 2, date: QQ }",
  ], ["options: { batchSize: 0 }"]);
  assert.throws(() => loadDefinition(text, "first.yaml"), { message: /^first\.yaml:7:/ });
});

const PARAMS = [
  "version: 1",
  "parameters:",
  "  customer: { required: true, description: Customer ID }",
  "  vault: { default: OFFS }",
  "  spare: { description: optional without default }",
  "source: { format: csv }",
  "fields:",
  '  customer: { value: "${customer}" }',
  "  media: { value: LTO }",
  "  volume: { column: 1 }",
  "  repository: { column: 2, steps: [{ translate: { table: { V: '${vault}' }, default: 'LIB$${x}' } }] }",
].join("\n") + "\n";

Deno.test("loadDefinition() replaces ${name} with site parameters and their defaults", async (t) => {
  await t.step("given and default values", () => {
    const def = loadDefinition(PARAMS, "p.yaml", { customer: "ACME" });
    assert.deepEqual(def.fields.customer.value, "ACME");
    assert.deepEqual(def.fields.repository.steps[0].translate, {
      table: [{ equals: "V", value: "OFFS" }],
      default: "LIB${x}",
    });
  });
  await t.step("a given value overrides the default", () => {
    const def = loadDefinition(PARAMS, "p.yaml", { customer: "ACME", vault: "VLT2" });
    assert.deepEqual(def.fields.repository.steps[0].translate?.table, [{ equals: "V", value: "VLT2" }]);
  });
  await t.step("a parameter value is checked like a literal", () => {
    assert.throws(
      () => loadDefinition(PARAMS, "p.yaml", { customer: "ACME-CORP" }),
      new DefinitionError(
        "p.yaml",
        8,
        22,
        "fields.customer.value",
        `"ACME-CORP" is 9 characters: the limit is 4`,
      ),
    );
  });
});

Deno.test("loadDefinition() names missing and unknown parameters", async (t) => {
  const cases: { name: string; text: string; params: Record<string, string>; want: DefinitionError }[] = [
    {
      name: "missing required parameter",
      text: PARAMS,
      params: {},
      want: new DefinitionError(
        "p.yaml",
        3,
        3,
        "parameters.customer",
        `parameter "customer" is required: set it with --set customer=VALUE`,
      ),
    },
    {
      name: "undeclared parameter given",
      text: PARAMS,
      params: { customer: "ACME", custmer: "X" },
      want: new DefinitionError(
        "p.yaml",
        2,
        1,
        "parameters",
        `parameter "custmer" is not declared: the definition declares "customer", "vault", "spare"`,
      ),
    },
    {
      name: "reference to an undeclared parameter",
      text: PARAMS.replace("media: { value: LTO }", "media: { value: '${mediaId}' }"),
      params: { customer: "ACME" },
      want: new DefinitionError(
        "p.yaml",
        9,
        19,
        "fields.media.value",
        `unknown parameter "\${mediaId}": declare it under "parameters"`,
      ),
    },
    {
      name: "reference to a parameter without a value",
      text: PARAMS.replace("media: { value: LTO }", "media: { value: '${spare}' }"),
      params: { customer: "ACME" },
      want: new DefinitionError(
        "p.yaml",
        9,
        19,
        "fields.media.value",
        `parameter "spare" has no value: set it with --set spare=VALUE or give it a default`,
      ),
    },
  ];
  for (const c of cases) {
    await t.step(c.name, () => assert.throws(() => loadDefinition(c.text, "p.yaml", c.params), c.want));
  }
});

Deno.test("loadDefinition() accepts the shipped generic-csv definition and the test fixtures", async (t) => {
  const files: { path: string; params: Record<string, string>; fields: number }[] = [
    { path: "../../definitions/generic-csv.yaml", params: {}, fields: 27 },
    { path: "../fixtures/definitions/acme_worked_example.yaml", params: {}, fields: 7 },
    { path: "../fixtures/definitions/acme_nightly.yaml", params: {}, fields: 7 },
    { path: "../fixtures/definitions/barcode_example.yaml", params: { customer: "ACME" }, fields: 6 },
  ];
  for (const file of files) {
    await t.step(file.path.split("/").pop()!, async () => {
      const url = new URL(file.path, import.meta.url);
      const def = loadDefinition(await Deno.readTextFile(url), url.pathname, file.params);
      assert.equal(Object.keys(def.fields).length, file.fields);
      for (const key of ["customer", "media", "volume"]) assert.ok(Object.hasOwn(def.fields, key), key);
    });
  }
});

Deno.test("loadDefinition() accepts every complete definition shown in docs/definitions.md", async () => {
  const doc = await Deno.readTextFile(new URL("../../docs/definitions.md", import.meta.url));
  const blocks = [...doc.matchAll(/```yaml\n([\s\S]*?)```/g)].map((match) => match[1]);
  const complete = blocks.filter((block) => block.startsWith("version: 1"));
  assert.ok(complete.length >= 1);
  for (const block of complete) {
    const def = loadDefinition(block, "docs/definitions.md");
    assert.ok(Object.hasOwn(def.fields, "volume"));
  }
});
