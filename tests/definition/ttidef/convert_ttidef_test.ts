import assert from "node:assert/strict";
import { convertTtidef } from "../../../src/definition/ttidef/mod.ts";
import { loadDefinition } from "../../../src/definition/mod.ts";
import type { Definition } from "../../../src/definition/mod.ts";

/** Key fields of a CSV definition: the statements under test start on line 5. */
const CSV =
  `SetCSVDelimiter(",");\nSetLiteral(CUSTOMER, "ACME");\nSetLiteral(MEDIA, "LTO7");\nExtract(VOLUME, 1, 8, 0);\n`;
/** Key fields of a text (fixed-width) definition: the statements under test start on line 4. */
const TEXT = `SetLiteral(CUSTOMER, "ACME");\nSetLiteral(MEDIA, "LTO7");\nExtract(VOLUME, 0, 8, 0);\n`;

/** Convert and load: the YAML must be a valid definition. */
function convert(text: string): { def: Definition; yaml: string; warnings: string[] } {
  const result = convertTtidef(text, "t.ttidef");
  assert.deepEqual(result.errors, []);
  return {
    def: loadDefinition(result.yaml, "t.yaml"),
    yaml: result.yaml,
    warnings: result.warnings.map((w) => `${w.line}: ${w.message}`),
  };
}

const source = (def: Definition) => def.source as unknown as Record<string, unknown>;

const cases: { name: string; text: string; check: (r: ReturnType<typeof convert>) => void }[] = [
  {
    name: "SetLiteral is a literal value, quoted when YAML would read it otherwise",
    text: `${CSV}SetLiteral(SCRATCH, "YES");\nSetLiteral(SLOT, "007");\n`,
    check: ({ def, warnings }) => {
      assert.equal(def.fields.scratch.value, "YES");
      assert.equal(def.fields.slot.value, "007");
      assert.deepEqual(warnings, []);
    },
  },
  {
    name: "Extract from CSV reads the 1-based column and keeps at most its length",
    text: `${CSV}Extract(SLOT, 3, 4, 0);\n`,
    check: ({ def }) => {
      assert.deepEqual(def.fields.slot.column, { index: 3, optional: false });
      assert.deepEqual(def.fields.slot.steps, [{ substring: { start: 0, length: 4 } }]);
      assert.equal(source(def).header, false);
    },
  },
  {
    name: "Extract from text data is a fixed-width column at offset + 1, padding kept",
    text: `${TEXT}Extract(SLOT, 10, 5, 0);\n`,
    check: ({ def }) => {
      assert.deepEqual(source(def).columns, [
        { name: "volume", start: 1, width: 8, offset: 0 },
        { name: "slot", start: 11, width: 5, offset: 0 },
      ]);
      assert.equal(source(def).trim, false);
      assert.deepEqual(def.fields.slot.column, { name: "slot", optional: false });
    },
  },
  {
    name: "Extract from header record n with AddString(HEADER) and SetHeaderCount is a heading value",
    text: `${TEXT}AddString(HEADER, 0, "LIBRARY*");\nSetHeaderCount(3);\nExtract(REPOSITORY, 10, 4, 2);\n`,
    check: ({ def, warnings }) => {
      assert.deepEqual(source(def).heading, {
        match: "^LIBRARY",
        lines: 3,
        reason: "heading",
        values: [{ name: "repository", line: 2, start: 11, width: 4 }],
      });
      assert.deepEqual(warnings, []);
    },
  },
  {
    name: "Extract from a header record outside the block is a warning",
    text: `${TEXT}AddString(HEADER, 0, "LIBRARY*");\nSetHeaderCount(2);\nExtract(REPOSITORY, 10, 4, 3);\n`,
    check: ({ def, warnings }) => {
      assert.equal(def.fields.repository, undefined);
      assert.deepEqual(warnings, ["6: Extract from header record 3 is outside the 2-record heading block"]);
    },
  },
  {
    name: "Extract of the whole CSV line (offset 0) is a warning",
    text: `${CSV}Extract(DESCRIPTION, 0, 60, 0);\n`,
    check: ({ def, warnings }) => {
      assert.equal(def.fields.description, undefined);
      assert.deepEqual(warnings, [
        `5: Extract of the whole line (offset 0) into "description" has no equivalent: a field reads one column`,
      ]);
    },
  },
  {
    name: "RemoveSpaces is a removeSpaces step after the length cut",
    text: `${CSV}Extract(SLOT, 2, 6, 0);\nremovespaces(SLOT);\n`,
    check: ({ def }) => {
      assert.deepEqual(def.fields.slot.steps, [{ substring: { start: 0, length: 6 } }, {
        removeSpaces: true,
      }]);
    },
  },
  {
    name: "AddTranslation entries form one ordered table; *, ~ and ^ make a template",
    text: `${CSV}Extract(REPOSITORY, 2, 20, 0);\nAddTranslation(REPOSITORY, "Vault*", "OFFS");\n` +
      `AddTranslation(VOLUME, "A*", "~~~~~~");\nAddTranslation(REPOSITORY, "*", "LIBR");\n` +
      `AddTranslation(VOLUME, "0*", "^^^~~~~~~L4");\n`,
    check: ({ def }) => {
      assert.deepEqual(def.tables.repository, [{ match: "Vault*", value: "OFFS" }, {
        match: "*",
        value: "LIBR",
      }]);
      assert.deepEqual(def.tables.volume, [{ match: "A*", template: "~~~~~~" }, {
        match: "0*",
        template: "^^^~~~~~~L4",
      }]);
      assert.deepEqual(def.fields.repository.steps.at(-1), { translate: { table: "repository" } });
    },
  },
  {
    name: "AddTranslation2 is a translateOn step with its own table (the second pass)",
    text: `${CSV}Extract(USER1, 2, 10, 0);\nAddTranslation2(VOLUME, USER1, "HCART3", "*L3");\n`,
    check: ({ def }) => {
      assert.deepEqual(def.fields.volume.steps.at(-1), {
        translateOn: { field: "user1", table: "volumeByUser1" },
      });
      assert.deepEqual(def.tables.volumeByUser1, [{ match: "HCART3", template: "*L3" }]);
    },
  },
  {
    name: "AddTranslation2 on a field the definition does not set is a warning",
    text: `${CSV}AddTranslation2(VOLUME, USER2, "X", "*L3");\n`,
    check: ({ def, warnings }) => {
      assert.equal(def.tables.volumeByUser2, undefined);
      assert.deepEqual(warnings, [`5: AddTranslation2 tests "user2", which the definition does not set`]);
    },
  },
  {
    name: "AddExclusionOnValue is a field filter",
    text: `${CSV}AddExclusionOnValue(VOLUME, "CLN*");\n`,
    check: ({ def, warnings }) => {
      assert.deepEqual(def.filters, [{
        exclude: { field: "volume", glob: ["CLN*"] },
        reason: `excluded volume "CLN*"`,
      }]);
      assert.deepEqual(warnings, []);
    },
  },
  {
    name: "SetMoveDateFormat collapses %% and converts strftime to tokens",
    text: `${CSV}Extract(MOVEDATE, 2, 20, 0);\nSetMoveDateFormat("%%d/%%m/%%Y");\n`,
    check: ({ def }) => assert.equal(def.fields.moveDate.date?.format, "D/M/YYYY"),
  },
  {
    name: "WRITEDATE with SetWriteDateFormat is the write time",
    text: `${CSV}Extract(WRITEDATE, 2, 20, 0);\nSetWriteDateFormat("%%H:%%M:%%S %%d/%%m/%%Y");\n`,
    check: ({ def }) => assert.equal(def.fields.writeTime.date?.format, "H:mm:ss D/M/YYYY"),
  },
  {
    name: "a date field without its format is not synced, with a warning",
    text: `${CSV}Extract(MOUNTTIME, 2, 20, 0);\nExtract(MOVEDATE, 3, 10, 0);\n`,
    check: ({ def, warnings }) => {
      assert.equal(def.fields.mountTime, undefined);
      assert.equal(def.fields.moveDate, undefined);
      assert.deepEqual(warnings, [
        `5: field "mountTime" needs a date format and ttidef has no statement that sets one [unconfirmed]`,
        `6: field "moveDate" is not synced without its date format (SetMoveDateFormat / SetWriteTimeFormat)`,
      ]);
    },
  },
  {
    name: "AddMoveDateAdjustment with the documented ';' typo is accepted with a warning",
    text:
      `${CSV}Extract(DESCRIPTION, 2, 40, 0);\nExtract(MOVEDATE, 3, 10, 0);\nSetMoveDateFormat("%%Y-%%m-%%d");\n` +
      `AddMoveDateAdjustment(DESCRIPTION, "*YEARLY*"; 7, 0, 0);\n`,
    check: ({ def, warnings }) => {
      assert.deepEqual(def.fields.moveDate.date?.adjust, [
        { when: { field: "description", glob: ["*YEARLY*"] }, add: { years: 7, months: 0, days: 0 } },
      ]);
      assert.deepEqual(warnings, [
        `8: ";" between arguments read as "," (a known typo of the original documentation)`,
      ]);
    },
  },
  {
    name: "AddSkipOnRepositoryChange is a repository-change veto",
    text: `${CSV}AddSkipOnRepositoryChange("HOLD", "LIBR", "*");\n`,
    check: ({ def }) => {
      assert.deepEqual(def.skipRepositoryChanges, [
        { proposed: "HOLD", target: "LIBR", current: "*", reason: "repository change skipped" },
      ]);
    },
  },
  {
    name: "AddString EXCLUSION, TERMINATE, START and END become skip, stop and section rules",
    text: `${TEXT}AddString(EXCLUSION, 2, "--*");\nAddString(TERMINATE, 0, "END");\n` +
      `AddString(START, 0, "BEGIN [0-9]*");\nAddString(END, 0, "*(DONE|STOP)");\n`,
    check: ({ def, warnings }) => {
      assert.deepEqual(warnings, [
        `6: the START line itself is skipped as "section marker" (whether the original reads it as a record is [unconfirmed])`,
        `7: the END line itself is skipped as "section marker" (whether the original reads it as a record is [unconfirmed])`,
      ]);
      assert.deepEqual(source(def).skip, [{ match: "^.{2}--", reason: `exclusion "--*"` }]);
      assert.deepEqual(source(def).stop, { match: "^END$", reason: "terminated" });
      assert.deepEqual(source(def).section, {
        begin: "^BEGIN [0-9]",
        end: "^.*(?:DONE|STOP)$",
        outside: "outside section",
      });
    },
  },
  {
    name: "the documented unclosed !([0-9]* is read as closed, with a warning",
    text: `${TEXT}AddString(EXCLUSION, 0, "!([0-9]*");\n`,
    check: ({ def, warnings }) => {
      assert.deepEqual(source(def).skip, [{ match: "^(?!(?:[0-9].*)$)", reason: `exclusion "!([0-9]*"` }]);
      assert.deepEqual(warnings, [`4: pattern "!([0-9]*" has an unclosed "(": read as closed at its end`]);
    },
  },
  {
    name: "curly quotes, any case of statement names and trailing comments are read",
    text: `${CSV}setliteral(DESCRIPTION, \u201Cvault box\u201D);   # from an old page\n`,
    check: ({ def, yaml }) => {
      assert.equal(def.fields.description.value, "vault box");
      assert.ok(yaml.includes(`# line 5: setliteral(DESCRIPTION, "vault box");   # from an old page\n`));
    },
  },
  {
    name: "SetFile is kept as a comment naming the input",
    text: `SetFile("C:\\exports\\nightly.csv");\n${CSV}`,
    check: ({ yaml, warnings }) => {
      assert.match(yaml, /# Input file: C:\\exports\\nightly\.csv \(line 1: .*\): give it with --input/);
      assert.deepEqual(warnings, []);
    },
  },
  {
    name: "AddRepositoryOnWriteTime is kept as a comment with the documented spans, for review",
    text: `${CSV}AddRepositoryOnWriteTime(DESCRIPTION, "*", "0:1", "OFFS", "0:1:1");\n`,
    check: ({ yaml, warnings }) => {
      const message =
        `AddRepositoryOnWriteTime has no tapesync equivalent (a target repository and move date set ` +
        `from the write time relative to the run time); review by hand: spans as documented "0:1" = 1 day, ` +
        `"0:1:1" = 1 year`;
      assert.deepEqual(warnings, [`5: ${message}`]);
      assert.ok(yaml.includes(`# line 5: warning: ${message}\n#     AddRepositoryOnWriteTime(`));
    },
  },
  {
    name: "an unknown statement and an unknown field are warnings with their lines, kept in the notes",
    text: `${CSV}SetOdbcSource("dsn");\nSetLiteral(USER12, "X");\nSetLiteral(REPOSITORY_DESC, "Vault");\n` +
      `Extract(SLOT, 1, x1, 0);\nSetHeaderCount(2, 3);\n`,
    check: ({ yaml, warnings }) => {
      assert.deepEqual(warnings, [
        "5: statement SetOdbcSource is not known: it is kept as a comment (SPEC.md 3.3 lists the known ones)",
        `6: field "USER12" has no equivalent: tapesync has comparison fields USER1 to USER9`,
        `7: field "REPOSITORY_DESC" has no equivalent: translate the description to the repository ID with a table instead`,
        "8: argument 3 of Extract must be an integer",
        "9: SetHeaderCount takes 1 argument: found 2",
      ]);
      assert.ok(yaml.includes(`#     SetOdbcSource("dsn");\n`));
      assert.ok(yaml.includes(`#     SetLiteral(USER12, "X");\n`));
    },
  },
  {
    name: "a second SetLiteral or Extract of a field replaces the first, with a warning",
    text: `${CSV}SetLiteral(SLOT, "1");\nExtract(SLOT, 4, 10, 0);\n`,
    check: ({ def, warnings }) => {
      assert.equal(def.fields.slot.value, undefined);
      assert.deepEqual(def.fields.slot.column, { index: 4, optional: false });
      assert.deepEqual(warnings, [
        `6: Extract sets "slot" again (first set on line 5): the later statement is used`,
      ]);
    },
  },
  {
    name: "a literal with ${ stays literal (not a parameter)",
    text: `${CSV}SetLiteral(DESCRIPTION, "cost \${x}");\n`,
    check: ({ def }) => assert.equal(def.fields.description.value, "cost ${x}"),
  },
];

Deno.test("convertTtidef() translates each statement kind to a definition that loads", async (t) => {
  for (const c of cases) {
    await t.step(c.name, () => c.check(convert(c.text)));
  }
});

Deno.test("convertTtidef() reports constructs that must not be guessed at as errors with their lines", async (t) => {
  const errorCases = [
    { name: "a section header", text: `${CSV}[vars]\n`, want: [5] },
    { name: "a % sequence other than %%", text: `${CSV}SetMoveDateFormat("%d");\n`, want: [5] },
    {
      name: "an unreadable line",
      text: `${CSV}SetLiteral(CUSTOMER "ACME");\nExtract(SLOT, 1, 2 0);\n`,
      want: [5, 6],
    },
    { name: "a % at the end of a string", text: `${CSV}SetLiteral(DESCRIPTION, "100%");\n`, want: [5] },
    { name: "an unclosed string", text: `${CSV}SetLiteral(MEDIA, "LTO);\n`, want: [5] },
  ];
  for (const c of errorCases) {
    await t.step(c.name, () => {
      const result = convertTtidef(c.text, "t.ttidef");
      assert.deepEqual(result.errors.map((e) => e.line), c.want);
    });
  }
});

Deno.test("convertTtidef() warns on the file when a key field or every body column is missing", () => {
  const result = convertTtidef(`SetLiteral(CUSTOMER, "ACME");\nExtract(REPOSITORY, 10, 4, 2);\n`, "t.ttidef");
  assert.deepEqual(result.errors, []);
  assert.deepEqual(result.warnings.map((w) => `${w.line}: ${w.message}`), [
    "0: text data needs at least one Extract from the body record (record 0): add a column by hand",
    `0: the definition sets no "media": tapesync needs customer, media and volume (add them by hand)`,
    `0: the definition sets no "volume": tapesync needs customer, media and volume (add them by hand)`,
    "2: Extract from header record 2 needs an AddString(HEADER) rule",
  ]);
});
