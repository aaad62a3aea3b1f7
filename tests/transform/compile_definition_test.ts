/**
 * @module
 * Tests of `compileDefinition` as a whole: filters, header resolution, repository vetoes, and the worked
 * examples of SPEC.md 3.7 and samples/ttidef/acme-nightly run through the real CSV source.
 */
import assert from "node:assert/strict";
import { DefinitionError, loadDefinition, sourceSchema } from "../../src/definition/mod.ts";
import { InputRecordError, openSource } from "../../src/source/mod.ts";
import { compileDefinition } from "../../src/transform/mod.ts";
import type { CompiledDefinition } from "../../src/transform/mod.ts";
import { compile, fieldsOf, KEYS } from "./_compile.ts";

Deno.test("compileDefinition() skips records by filter with the filter's reason", async (t) => {
  const compiled = compile([
    "fields:",
    "  customer: { value: ACME }",
    "  media: { value: LTO }",
    "  volume: { column: a, steps: [upper] }",
    "  user1: { column: b }",
    "filters:",
    "  - exclude: { column: 1, regex: '^(Total|---)' }",
    "    reason: report trailer",
    "  - exclude: { field: volume, glob: ['CLN*', 'DG*'] }",
    "    reason: cleaning or diagnostic",
    "  - include: { field: user1, in: [LTO7, LTO8] }",
    "    reason: other media",
    "  - exclude: { column: c, equals: SCRATCH }",
    "    reason: scratch pool",
  ], ["a", "b", "c"]);
  const cases = [
    { name: "column regex, even on a short record", values: ["Total: 12"], want: "report trailer" },
    {
      name: "field glob after steps (list)",
      values: ["cln003", "LTO7", "P"],
      want: "cleaning or diagnostic",
    },
    { name: "second glob of the list", values: ["DG0001", "LTO7", "P"], want: "cleaning or diagnostic" },
    { name: "include with in", values: ["A00001", "LTO6", "P"], want: "other media" },
    { name: "column equals", values: ["A00001", "LTO7", "SCRATCH"], want: "scratch pool" },
    {
      name: "column filters come before field filters",
      values: ["CLN001", "LTO7", "SCRATCH"],
      want: "scratch pool",
    },
    { name: "kept", values: ["A00001", "LTO8", "P"], want: undefined },
  ];
  for (const c of cases) {
    await t.step(c.name, () => {
      const result = compiled.apply(c.values, 5);
      assert.deepEqual(
        result.kind === "skip" ? result : result.volume,
        c.want === undefined ? "A00001" : { kind: "skip", line: 5, reason: c.want },
      );
    });
  }
  await t.step("a filtered record never fails on a later check", () => {
    const dated = compile([
      "fields:",
      ...KEYS,
      "  moveDate: { column: 1, date: DD/MM/YYYY }",
      "filters:",
      "  - exclude: { field: moveDate, equals: never }",
      "    reason: no move",
    ]);
    assert.deepEqual(dated.apply(["never"], 3), { kind: "skip", line: 3, reason: "no move" });
  });
});

Deno.test("CompiledDefinition.header() resolves named columns", async (t) => {
  const lines = [
    "fields:",
    "  customer: { column: Customer }",
    "  media: { value: LTO }",
    "  volume: { column: barcode }",
    "  slot: { column: { name: slot, optional: true } }",
  ];
  await t.step("in any order, ignoring case and spaces when no exact match", () => {
    const compiled = compile(lines, ["Slot ", "BARCODE", "Customer"]);
    const result = compiled.apply(["12", "A00001", "ACME"], 2);
    assert.deepEqual([result.kind === "volume" && result.customer, fieldsOf(compiled, result)], ["ACME", {
      slot: "12",
    }]);
  });
  await t.step("an optional column the header lacks leaves the field unset", () => {
    const compiled = compile(lines, ["barcode", "Customer"]);
    const result = compiled.apply(["A00001", "ACME"], 2);
    assert.deepEqual(fieldsOf(compiled, result), {});
  });
  await t.step(
    "a missing required column names the column, the input line and the definition position",
    () => {
      assert.throws(
        () => compile(lines, ["label", "Customer"]),
        new DefinitionError(
          "test.yaml",
          6,
          21,
          "fields.volume.column",
          `column "barcode" is not in the header of "input.csv" line 1: the header has "label", "Customer"`,
        ),
      );
    },
  );
  await t.step("no header row at all", () => {
    const compiled = compile(lines, null);
    assert.throws(
      () => compiled.apply(["A00001", "ACME"], 1),
      new DefinitionError(
        "test.yaml",
        4,
        23,
        "fields.customer.column",
        `column "Customer" cannot be found: "input.csv" has no header row; use a 1-based index or source.columns`,
      ),
    );
  });
  await t.step("a ragged record is a record error naming the column", () => {
    const compiled = compile(["fields:", ...KEYS, "  slot: { column: 3 }", "  description: { column: c }"], [
      "a",
      "b",
      "c",
    ]);
    assert.throws(
      () => compiled.apply(["x", "y"], 8),
      new InputRecordError("input.csv", 8, "slot", "the record has 2 values: column 3 is missing"),
    );
    assert.throws(
      () => compile(["fields:", ...KEYS, "  description: { column: c }"], ["a", "b", "c"]).apply(["x"], 9),
      new InputRecordError(
        "input.csv",
        9,
        "description",
        `the record has 1 values: column 3 ("c") is missing`,
      ),
    );
  });
});

Deno.test("CompiledDefinition.repositorySkips match proposed, target and current repositories", () => {
  const compiled = compile([
    "fields:",
    ...KEYS,
    "skipRepositoryChanges:",
    "  - { proposed: HOLD, target: LIBR }",
    "  - { current: DEST, reason: never out of DEST }",
  ]);
  const skips = compiled.repositorySkips ?? [];
  const matching = (p: string, t: string | null, c: string | null) =>
    skips.filter((skip) => skip.matches(p, t, c)).map((skip) => skip.reason);
  assert.deepEqual(matching("HOLD", "LIBR", "OFFS"), ["repository change skipped"]);
  assert.deepEqual(matching("HOLD", "OFFS", null), []);
  assert.deepEqual(matching("LIBR", null, "DEST"), ["never out of DEST"]);
});

/** Feed CSV text through the real CSV source into a compiled definition; one row per event. */
async function run(compiled: CompiledDefinition, csv: string): Promise<unknown[][]> {
  const rows: unknown[][] = [];
  const stream = ReadableStream.from([new TextEncoder().encode(csv)]);
  for await (const events of openSource(sourceSchema.parse({ format: "csv" }), stream, "input.csv")) {
    for (const event of events) {
      if (event.kind === "header") compiled.header(event.names, event.line);
      else if (event.kind === "skip") rows.push([String(event.line), `skipped: ${event.reason}`]);
      else {
        const result = compiled.apply(event.values, event.line);
        if (result.kind === "skip") rows.push([String(result.line), `skipped: ${result.reason}`]);
        else {
          const fields = fieldsOf(compiled, result);
          rows.push([
            String(result.line),
            result.customer,
            result.media,
            result.volume,
            fields,
          ]);
        }
      }
    }
  }
  return rows;
}

Deno.test("compileDefinition() gives SPEC.md 3.7's worked example result", async () => {
  const file = new URL("../fixtures/definitions/acme_worked_example.yaml", import.meta.url);
  const def = loadDefinition(await Deno.readTextFile(file), "acme_worked_example.yaml");
  const csv = [
    "label,pool,site,written,mtype",
    "A00417,WEEKLY_OFF,Vault-2,14/03/2025 22:10,LTO7",
    "CLN003,CLEANING,Robot-1,,LTO7",
    "label,pool,site,written,mtype",
    "B10022,DAILY,Robot-1,15/03/2025 03:55,LTO8",
  ].join("\n") + "\n";
  assert.deepEqual(await run(compileDefinition(def, "input.csv"), csv), [
    [
      "2",
      "ACME",
      "LTO",
      "A00417L7",
      { description: "WEEKLY_OFF", repository: "OFFS", writeTime: "2025-03-14 22:10" },
    ],
    ["3", "skipped: cleaning tape"],
    ["4", "skipped: repeated header"],
    [
      "5",
      "ACME",
      "LTO",
      "B10022L8",
      { description: "DAILY", repository: "LIBR", writeTime: "2025-03-15 03:55" },
    ],
  ]);
});

Deno.test("compileDefinition() gives the expected result of samples/ttidef/acme-nightly written in YAML", async () => {
  const file = new URL("../fixtures/definitions/acme_nightly.yaml", import.meta.url);
  const def = loadDefinition(await Deno.readTextFile(file), "acme_nightly.yaml");
  const csv = await Deno.readTextFile(
    new URL("../../../shared/samples/ttidef/acme-nightly.csv", import.meta.url),
  );
  const row = (
    line: number,
    media: string,
    volume: string,
    repository: string,
    description: string,
    move: string,
  ) => [
    String(line),
    "ACME",
    media,
    volume,
    { repository, description, moveDate: move },
  ];
  assert.deepEqual(await run(compileDefinition(def, "acme-nightly.csv"), csv), [
    row(2, "LTO7", "A00101L7", "LIBR", "daily set 12", "2026-12-01"),
    row(3, "LTO7", "A00102L7", "OFFS", "YEARLY archive 2025", "2033-12-31"),
    ["4", "skipped: cleaning tape"],
    ["5", "skipped: repeated header"],
    row(6, "LTO6", "B20001L6", "LIBR", "weekly", "2026-12-08"),
    row(7, "LTO6", "B20002L6", "OFFS", "monthly, box 7", "2027-01-05"),
  ]);
  assert.deepEqual(compileDefinition(def, "x").repositorySkips?.map((skip) => skip.reason), [
    "never out of DEST",
  ]);
});

Deno.test("compileDefinition() maps generic-csv columns in any order and subset", async () => {
  const file = new URL("../../definitions/generic-csv.yaml", import.meta.url);
  const compiled = compileDefinition(
    loadDefinition(await Deno.readTextFile(file), "generic-csv.yaml"),
    "in.csv",
  );
  const csv = [
    "moveDate,media,volume,scratch,customer,writeTime,homeSlot",
    "2026-12-01,LTO7, a00001l7 ,yes,ACME,2026-11-20 22:15,007",
    ",LTO7,A00002L7,,ACME,,",
  ].join("\n") + "\n";
  assert.deepEqual(
    await run(compiled, csv),
    [
      [
        "2",
        "ACME",
        "LTO7",
        "A00001L7",
        {
          scratch: "YES",
          moveDate: "2026-12-01",
          writeTime: "2026-11-20 22:15",
          homeSlot: "7",
        },
      ],
      ["3", "ACME", "LTO7", "A00002L7", {}],
    ].map((row) => row.length > 4 ? row : row),
  );
});

Deno.test("CompiledDefinition.activeFields() leaves out fields whose optional column the header lacks", async (t) => {
  const compiled = compile([
    "fields:",
    "  customer: { value: ACME }",
    "  media: { value: LTO }",
    "  volume: { column: volume }",
    "  slot: { column: { name: slot, optional: true } }",
    "  description: { template: '{volume}' }",
    "  system: { column: { name: system, optional: true } }",
    "  user1: { column: { name: user1, optional: true } }",
  ], null);
  await t.step("before the header every field is active", () => {
    assert.deepEqual(compiled.activeFields?.(), [true, true, true]);
  });
  await t.step("after a header without slot", () => {
    compiled.header(["system", "volume"], 1);
    assert.deepEqual(compiled.activeFields?.(), [false, true, true]);
    const result = compiled.apply(["S1", "A00001"], 2);
    // Values only for the active fields: description and system, no place for slot.
    assert.deepEqual(result.kind === "volume" && result.values, ["A00001", "S1"]);
  });
});

Deno.test("compileDefinition() runs the barcode example with site parameters", async () => {
  const file = new URL("../fixtures/definitions/barcode_example.yaml", import.meta.url);
  const text = await Deno.readTextFile(file);
  const compiled = compileDefinition(
    loadDefinition(text, "barcode_example.yaml", { customer: "ACME" }),
    "in.csv",
  );
  const csv = [
    "barcode,return,pool,location",
    " a00417L7,14/03/2025,P1,Vault Iron Mountain",
    "A00418L8,00/00/0000,P1,Shelf 3",
    "CLN001L7,,P1,Robot-1",
  ].join("\n") + "\n";
  assert.deepEqual(await run(compiled, csv), [
    ["2", "ACME", "LTO7", "A00417", { repository: "OFFS", moveDate: "2025-03-21" }],
    ["3", "ACME", "LTO8", "A00418", { repository: "LIBR" }],
    ["4", "skipped: cleaning tape"],
  ]);
});
