/**
 * @module
 * Tests of the table, multiline, tokens and regex formats and of the context and stop rules, through
 * `openSource`, on small inputs including malformed ones.
 */
import assert from "node:assert/strict";
import { InputRecordError } from "../../src/source/mod.ts";
import { lineCount, linesCovered, readEvents, show } from "./_events.ts";
import type { Shown } from "./_events.ts";

interface Case {
  name: string;
  source: Record<string, unknown>;
  input: string;
  want: Shown[];
}

async function check(t: Deno.TestContext, cases: Case[]): Promise<void> {
  for (const c of cases) {
    await t.step(c.name, async () => {
      for (const chunk of [0, 4]) {
        const events = await readEvents(c.source, c.input, chunk);
        assert.deepEqual(events.map(show), c.want, `chunk size ${chunk}`);
        assert.equal(linesCovered(events), lineCount(c.input), `lines covered, chunk size ${chunk}`);
      }
    });
  }
}

const BACULA = [
  "Pool: Full",
  "+----+----------+-----------------+",
  "| id | name     | bytes           |",
  "+----+----------+-----------------+",
  "|  1 | BA0001L7 | 5,997,310,126   |",
  "|  2 | BA0002L7 |                 |",
  "+----+----------+-----------------+",
  "Pool: Scratch",
  "+----+----------+-------+",
  "| id | name     | bytes |",
  "+----+----------+-------+",
  "|  3 | BA0003L7 | 0     |",
  "You have messages.",
].join("\n");

Deno.test("openSource() reads separator tables with rules, repeated headers and trimmed cells", async (t) => {
  await check(t, [
    {
      name: "bconsole table with a pool context line per block",
      source: { format: "table", context: [{ name: "pool", match: "^Pool: (.*)$" }] },
      input: BACULA,
      want: [
        ["skip", 1, "context line"],
        ["skip", 2, "table rule"],
        ["header", 3, ["id", "name", "bytes", "pool"]],
        ["skip", 4, "table rule"],
        ["record", 5, ["1", "BA0001L7", "5,997,310,126", "Full"]],
        ["record", 6, ["2", "BA0002L7", "", "Full"]],
        ["skip", 7, "table rule"],
        ["skip", 8, "context line"],
        ["skip", 9, "table rule"],
        ["skip", 10, "repeated header"],
        ["skip", 11, "table rule"],
        ["record", 12, ["3", "BA0003L7", "0", "Scratch"]],
        ["skip", 13, "outside table"],
      ],
    },
    {
      name: "psql-style table without outer separators, header false with columns",
      source: { format: "table", header: false, columns: ["id", "name"], outside: "noise" },
      input: " 1 | A \n---+---\n 2 | B\n(2 rows)\n",
      want: [
        ["header", 1, ["id", "name"], 0],
        ["record", 1, ["1", "A"]],
        ["skip", 2, "table rule"],
        ["record", 3, ["2", "B"]],
        ["skip", 4, "noise"],
      ],
    },
    {
      name: "a row with a missing cell keeps its own cell count",
      source: { format: "table" },
      input: "| a | b |\n| 1 |\n",
      want: [["header", 1, ["a", "b"]], ["record", 2, ["1"]]],
    },
  ]);
});

Deno.test("openSource() reads multi-line records by count and by start pattern", async (t) => {
  await check(t, [
    {
      name: "a fixed count of lines per record, lines as values",
      source: { format: "multiline", lines: 2, columns: ["volume", "slot"] },
      input: "A1\n  12\nA2\n  13\n",
      want: [
        ["header", 1, ["volume", "slot"], 0],
        ["record", 1, ["A1", "12"], 2],
        ["record", 3, ["A2", "13"], 2],
      ],
    },
    {
      name:
        "blocks started by a pattern, key: value lines; a skipped line comes before the open block's record",
      source: {
        format: "multiline",
        start: "^Volume:",
        values: "fields",
        columns: ["Volume", "Pool", "Slot"],
      },
      input: "Report\nVolume: A1\n Pool: P1\n Slot: 3\n\nVolume: A2\n Slot: 4\n Other: x\n",
      want: [
        ["skip", 1, "outside block"],
        ["skip", 5, "blank line"],
        ["header", 2, ["Volume", "Pool", "Slot"], 0],
        ["record", 2, ["A1", "P1", "3"], 3],
        ["record", 6, ["A2", "", "4"], 3],
      ],
    },
    {
      name: "a block with a missing line is passed on short; an extra line falls outside",
      source: { format: "multiline", start: "^V ", lines: 3 },
      input: "V 1\na\nb\nextra\nV 2\na\nV 3\na\nb\n",
      want: [
        ["record", 1, ["V 1", "a", "b"], 3],
        ["skip", 4, "outside block"],
        ["record", 5, ["V 2", "a"], 2],
        ["record", 7, ["V 3", "a", "b"], 3],
      ],
    },
    {
      name: "the last block cut off by the end of the input",
      source: { format: "multiline", lines: 3 },
      input: "a\nb\nc\nd",
      want: [["record", 1, ["a", "b", "c"], 3], ["record", 4, ["d"]]],
    },
  ]);
});

Deno.test("openSource() reads KEY:value token lines with positional words", async (t) => {
  const amanda = {
    format: "tokens",
    positional: ["datestamp", "label", "reuse"],
    keys: ["BARCODE", "POOL"],
    trailingComment: "#",
    commentColumn: "comment",
    rest: "rest",
    comment: "#",
  };
  await check(t, [
    {
      name: "positional words, keys in any order, a missing key, a trailing comment, unknown words",
      source: amanda,
      input: [
        "# tapelist",
        "20251104021503 ACME-0112 reuse BARCODE:AM0112L7 POOL:ACME",
        "20251102021007 ACME-0110 reuse POOL:ACME BARCODE:AM0110L7 X:1 #sent offsite, box 17",
        "20221231 ACME-0001",
        "ACME-0099 reuse BARCODE:AM0099L7 stray   ",
        "   # indented comment",
      ].join("\n"),
      want: [
        ["skip", 1, "comment"],
        ["header", 2, ["datestamp", "label", "reuse", "BARCODE", "POOL", "comment", "rest"], 0],
        ["record", 2, ["20251104021503", "ACME-0112", "reuse", "AM0112L7", "ACME", "", ""]],
        ["record", 3, [
          "20251102021007",
          "ACME-0110",
          "reuse",
          "AM0110L7",
          "ACME",
          "sent offsite, box 17",
          "X:1",
        ]],
        ["record", 4, ["20221231", "ACME-0001", "", "", "", "", ""]],
        ["record", 5, ["ACME-0099", "reuse", "", "AM0099L7", "", "", "stray"]],
        ["skip", 6, "comment"],
      ],
    },
    {
      name: "another key separator",
      source: { format: "tokens", keys: ["vol", "slot"], separator: "=" },
      input: "slot=4 vol=A1\n",
      want: [["header", 1, ["vol", "slot"], 0], ["record", 1, ["A1", "4"]]],
    },
  ]);
});

Deno.test("openSource() reads regex lines with named groups and counts unmatched lines", async (t) => {
  const pattern = "^(?<volume>\\w{8}) +(?<slot>\\d+)?$";
  await check(t, [
    {
      name: "group names are the columns; an optional group that did not take part gives an empty value",
      source: { format: "regex", pattern },
      input: "LB0001L8 12\nnoise line\nLB0002L8 \n",
      want: [
        ["header", 1, ["volume", "slot"], 0],
        ["record", 1, ["LB0001L8", "12"]],
        ["skip", 2, "unmatched line"],
        ["record", 3, ["LB0002L8", ""]],
      ],
    },
    {
      name: "a configured reason for unmatched lines, and ignoreCase",
      source: { format: "regex", pattern: "^vol (?<v>\\S+)$", ignoreCase: true, unmatched: "not a volume" },
      input: "VOL A1\nslot 3\n",
      want: [["header", 1, ["v"], 0], ["record", 1, ["A1"]], ["skip", 2, "not a volume"]],
    },
  ]);
});

Deno.test("openSource() skips everything from a stop line, with its reason", async (t) => {
  await check(t, [
    {
      name: "stop on END OF REPORT",
      source: {
        format: "fixed",
        columns: [{ name: "volume", start: 1, width: 8 }],
        stop: { match: "^END OF REPORT" },
      },
      input: "LB0001L8\nEND OF REPORT\nLB9999L8\n\n",
      want: [
        ["header", 1, ["volume"], 0],
        ["record", 1, ["LB0001L8"]],
        ["skip", 2, "after end of report"],
        ["skip", 3, "after end of report"],
        ["skip", 4, "after end of report"],
      ],
    },
    {
      name: "stop in a CSV, with a reason",
      source: { format: "csv", header: false, stop: { match: "^Total", reason: "footer" } },
      input: "a,1\nTotal: 1\nb,2\n",
      want: [["record", 1, ["a", "1"]], ["skip", 2, "footer"], ["skip", 3, "footer"]],
    },
  ]);
});

Deno.test("openSource() reads only the sections between begin and end lines", async (t) => {
  await check(t, [
    {
      name: "begin and end markers, twice; blank lines inside a section are still blank lines",
      source: { format: "csv", header: false, section: { begin: "^START", end: "^END" } },
      input: "junk\nSTART\na,1\n\nEND\nb,2\nSTART\nc,3\n",
      want: [
        ["skip", 1, "outside section"],
        ["skip", 2, "section marker"],
        ["record", 3, ["a", "1"]],
        ["skip", 4, "blank line"],
        ["skip", 5, "section marker"],
        ["skip", 6, "outside section"],
        ["skip", 7, "section marker"],
        ["record", 8, ["c", "3"]],
      ],
    },
    {
      name: "an end marker alone: reading starts at the first line, and a stop wins over a begin",
      source: {
        format: "regex",
        pattern: "^(?<v>[a-z])$",
        section: { end: "^PAUSE", outside: "paused" },
        stop: { match: "^EOF" },
      },
      input: "a\nPAUSE\nb\nEOF\nc\n",
      want: [
        ["header", 1, ["v"], 0],
        ["record", 1, ["a"]],
        ["skip", 2, "section marker"],
        ["skip", 3, "paused"],
        ["skip", 4, "after end of report"],
        ["skip", 5, "after end of report"],
      ],
    },
  ]);
});

Deno.test("openSource() skips heading blocks and adds their values to the records after them", async (t) => {
  const ttidefReport = {
    format: "fixed",
    columns: [{ name: "volume", start: 1, width: 8 }, { name: "slot", start: 11, width: 5 }, {
      name: "written",
      start: 18,
      width: 16,
    }],
    heading: {
      match: "^LIBRARY REPORT",
      lines: 3,
      values: [{ name: "repository", line: 2, start: 11, width: 4 }],
    },
    skip: [{ match: "^-----", reason: "exclusion" }],
    stop: { match: "^END OF REPORT", reason: "terminated" },
  };
  await check(t, [
    {
      name: "the library report of the .ttidef examples (SetHeaderCount 3, Extract from heading line 2)",
      source: ttidefReport,
      input: await Deno.readTextFile(
        new URL("../../../shared/samples/ttidef/lib-report.txt", import.meta.url),
      ),
      want: [
        ["skip", 1, "heading"],
        ["skip", 2, "heading"],
        ["skip", 3, "heading"],
        ["skip", 4, "exclusion"],
        ["header", 5, ["volume", "slot", "written", "repository"], 0],
        ["record", 5, ["LB0001L8", "101", "20/11/2026 22:15", "LIBA"]],
        ["record", 6, ["LB0002L8", "102", "21/11/2026 23:40", "LIBA"]],
        ["record", 7, ["CLN001L8", "140", "", "LIBA"]],
        ["skip", 8, "heading"],
        ["skip", 9, "heading"],
        ["skip", 10, "heading"],
        ["skip", 11, "exclusion"],
        ["record", 12, ["LB0101L8", "7", "02/11/2026 01:05", "LIBB"]],
        ["skip", 13, "terminated"],
        ["skip", 14, "terminated"],
      ],
    },
    {
      name: "a heading line without the value's line resets it; context and heading columns together",
      source: {
        format: "regex",
        pattern: "^v (?<v>\\S+)$",
        context: [{ name: "pool", match: "^Pool: (\\S+)" }],
        heading: { match: "^==", values: [{ name: "site", line: 1, start: 4 }] },
      },
      input: "== north\nPool: A\nv 1\n==\nv 2\n",
      want: [
        ["skip", 1, "heading"],
        ["skip", 2, "context line"],
        ["header", 3, ["v", "pool", "site"], 0],
        ["record", 3, ["1", "A", "north"]],
        ["skip", 4, "heading"],
        ["record", 5, ["2", "A", ""]],
      ],
    },
  ]);
});

Deno.test("openSource() fails a multi-line record that never ends", async () => {
  const input = "V 1\n" + "x\n".repeat(10_000) + "V 2\n";
  await assert.rejects(
    readEvents({ format: "multiline", start: "^V " }, input, 0, "report.txt"),
    (error: unknown) => {
      assert.ok(error instanceof InputRecordError);
      assert.deepEqual([error.file, error.line, error.field, error.detail], [
        "report.txt",
        1,
        "",
        'Cannot read record starting on line 1: it has more than 10000 lines; check "start" or set "lines"',
      ]);
      return true;
    },
  );
});
