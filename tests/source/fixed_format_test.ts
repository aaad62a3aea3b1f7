/**
 * @module
 * Tests of the fixed-width format through `openSource`: columns by position and by title, header blocks,
 * values off their title, padded and truncated lines.
 */
import assert from "node:assert/strict";
import { InputRecordError } from "../../src/source/mod.ts";
import { lineCount, linesCovered, readEvents, show } from "./_events.ts";
import type { Shown } from "./_events.ts";

const REPORT = [
  "LIBRARY REPORT",
  "Barcode   Slot   Last written",
  "--------  -----  ----------------",
  "LB0001L8    101  20/11/2026 22:15",
  "LB0002L8 10102   21/11/2026 23:40",
  "CLN001L8    140",
  "LB0003",
  "",
].join("\n");

const cases: { name: string; source: Record<string, unknown>; input: string; want: Shown[] }[] = [
  {
    name: "columns by 1-based position, trimmed; a header event covering no line before the first record",
    source: {
      format: "fixed",
      skipLines: 3,
      columns: [{ name: "volume", start: 1, width: 8 }, { name: "slot", start: 11, width: 5 }, {
        name: "written",
        start: 18,
      }],
    },
    input: REPORT,
    want: [
      ["skip", 1, "leading lines skipped"],
      ["skip", 2, "leading lines skipped"],
      ["skip", 3, "leading lines skipped"],
      ["header", 4, ["volume", "slot", "written"], 0],
      ["record", 4, ["LB0001L8", "101", "20/11/2026 22:15"]],
      ["record", 5, ["LB0002L8", "0102", "21/11/2026 23:40"]],
      ["record", 6, ["CLN001L8", "140", ""]],
      ["record", 7, ["LB0003", "", ""]],
    ],
  },
  {
    name: "columns by title in a 3-line header block; a wide value starting before its title snaps left",
    source: {
      format: "fixed",
      header: { match: "^LIBRARY REPORT", lines: 3, titleLine: 2 },
      columns: [{ name: "volume", title: "Barcode" }, { name: "slot", title: "Slot" }, {
        name: "written",
        title: "Last written",
      }],
    },
    input: REPORT,
    want: [
      ["header", 1, ["volume", "slot", "written"], 3],
      ["record", 4, ["LB0001L8", "101", "20/11/2026 22:15"]],
      ["record", 5, ["LB0002L8", "10102", "21/11/2026 23:40"]],
      ["record", 6, ["CLN001L8", "140", ""]],
      ["record", 7, ["LB0003", "", ""]],
    ],
  },
  {
    name: "untrimmed values keep their padding",
    source: {
      format: "fixed",
      trim: false,
      columns: [{ name: "a", start: 1, width: 4 }, { name: "b", start: 5 }],
    },
    input: "ab  cd  \nx\n",
    want: [["header", 1, ["a", "b"], 0], ["record", 1, ["ab  ", "cd  "]], ["record", 2, ["x", ""]]],
  },
  {
    name: "a second header block re-locates the columns and is skipped as repeated header",
    source: {
      format: "fixed",
      header: { match: "^id ", lines: 1 },
      columns: [{ name: "id", title: "id" }, { name: "pool", title: "pool" }],
    },
    input: "junk before\nid  pool\n1   A\n\nid      pool\n2       B\n",
    want: [
      ["skip", 1, "before header"],
      ["header", 2, ["id", "pool"]],
      ["record", 3, ["1", "A"]],
      ["skip", 4, "blank line"],
      ["skip", 5, "repeated header"],
      ["record", 6, ["2", "B"]],
    ],
  },
  {
    name: "a value starting a few characters after its title, with an offset",
    source: {
      format: "fixed",
      header: { match: "^Status", lines: 2 },
      columns: [{ name: "status", title: "Status" }, { name: "medium", title: "Medium" }, {
        name: "label",
        title: "Label",
        offset: 4,
      }, { name: "full", title: "Full" }],
    },
    input: `${"Status Medium Label".padEnd(33)}Full\n${"=".repeat(37)}\n${
      "Good   [DP0101L7] DP01 x".padEnd(33)
    }Yes\n`,
    want: [
      ["header", 1, ["status", "medium", "label", "full"], 2],
      ["record", 3, ["Good", "[DP0101L7]", "DP01 x", "Yes"]],
    ],
  },
  {
    name: "a header block cut off by the end of the input covers the lines it has",
    source: { format: "fixed", header: { match: "^H", lines: 3 }, columns: [{ name: "a", start: 1 }] },
    input: "H1\nH2",
    want: [["header", 1, ["a"], 2]],
  },
];

Deno.test("openSource() reads fixed-width columns by position and by title", async (t) => {
  for (const c of cases) {
    await t.step(c.name, async () => {
      for (const chunk of [0, 5]) {
        const events = await readEvents(c.source, c.input, chunk);
        assert.deepEqual(events.map(show), c.want, `chunk size ${chunk}`);
        assert.equal(linesCovered(events), lineCount(c.input));
      }
    });
  }
});

Deno.test("openSource() reads padded and truncated fixed-width lines without failing", async (t) => {
  const columns = [{ name: "a", start: 1, width: 3 }, { name: "b", start: 401, width: 10 }, {
    name: "c",
    start: 412,
  }];
  const padded = "abc" + " ".repeat(397) + "far value " + " " + "last" + " ".repeat(300);
  const rows = [
    { name: "a line padded to 715 columns", line: padded, want: ["abc", "far value", "last"] },
    {
      name: "a line truncated inside the second column",
      line: padded.slice(0, 405),
      want: ["abc", "far v", ""],
    },
    { name: "a line shorter than the first column", line: "a", want: ["a", "", ""] },
  ];
  for (const row of rows) {
    await t.step(row.name, async () => {
      const events = await readEvents({ format: "fixed", columns }, row.line + "\n");
      assert.deepEqual(events.map(show), [["header", 1, ["a", "b", "c"], 0], ["record", 1, row.want]]);
    });
  }
});

Deno.test("openSource() stops with the header line when a column title is missing", async () => {
  const source = {
    format: "fixed",
    header: { match: "^Barcode" },
    columns: [{ name: "volume", title: "Barcode" }, { name: "slot", title: "Slot" }],
  };
  await assert.rejects(
    readEvents(source, "x\nBarcode  Location\nA  B\n", 0, "report.txt"),
    (error: unknown) => {
      assert.ok(error instanceof InputRecordError);
      assert.deepEqual([error.file, error.line, error.field, error.detail], [
        "report.txt",
        2,
        "slot",
        'Cannot locate column "slot": title "Slot" is not in the header line after position 8; check the title ' +
        "and the order of the columns",
      ]);
      return true;
    },
  );
});
