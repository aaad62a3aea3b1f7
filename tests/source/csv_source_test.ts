/**
 * @module
 * Tests of the CSV/delimited source through `openSource`: line endings, quoting, headers, skips,
 * encodings and bad input.
 */
import assert from "node:assert/strict";
import { InputRecordError } from "../../src/source/mod.ts";
import { lineCount, linesCovered, readEvents, show } from "./_events.ts";
import type { Shown } from "./_events.ts";

const CSV = { format: "csv" };
const NO_HEADER = { format: "csv", header: false };

interface Case {
  name: string;
  source: Record<string, unknown>;
  input: string;
  want: Shown[];
}

const cases: Case[] = [
  {
    name: "LF lines with a header row",
    source: CSV,
    input: "a,b\n1,2\n3,4\n",
    want: [["header", 1, ["a", "b"]], ["record", 2, ["1", "2"]], ["record", 3, ["3", "4"]]],
  },
  {
    name: "CRLF lines",
    source: CSV,
    input: "a,b\r\n1,2\r\n3,4\r\n",
    want: [["header", 1, ["a", "b"]], ["record", 2, ["1", "2"]], ["record", 3, ["3", "4"]]],
  },
  {
    name: "bare CR lines",
    source: CSV,
    input: "a,b\r1,2\r3,4\r",
    want: [["header", 1, ["a", "b"]], ["record", 2, ["1", "2"]], ["record", 3, ["3", "4"]]],
  },
  {
    name: "quoted delimiters and doubled quotes",
    source: NO_HEADER,
    input: `"x,y",2,"say ""hi""",""\n"",last\n`,
    want: [["record", 1, ["x,y", "2", 'say "hi"', ""]], ["record", 2, ["", "last"]]],
  },
  {
    name: "a quoted newline makes one record over two lines (CRLF kept as LF)",
    source: CSV,
    input: 'id,text\r\n1,"first\r\nsecond"\r\n2,plain\r\n',
    want: [
      ["header", 1, ["id", "text"]],
      ["record", 2, ["1", "first\nsecond"], 2],
      ["record", 4, ["2", "plain"]],
    ],
  },
  {
    name: "a quoted value spanning three lines, with an empty line inside",
    source: NO_HEADER,
    input: '1,"a\n\nb",z\n2,y\n',
    want: [["record", 1, ["1", "a\n\nb", "z"], 3], ["record", 4, ["2", "y"]]],
  },
  {
    name: "blank and whitespace-only lines are skipped",
    source: CSV,
    input: "a,b\n\n1,2\n   \t\n3,4\n\n",
    want: [
      ["header", 1, ["a", "b"]],
      ["skip", 2, "blank line"],
      ["record", 3, ["1", "2"]],
      ["skip", 4, "blank line"],
      ["record", 5, ["3", "4"]],
      ["skip", 6, "blank line"],
    ],
  },
  {
    name: "ragged rows keep their own value count",
    source: CSV,
    input: "a,b,c\n1,2\n1,2,3,4\n,\n",
    want: [
      ["header", 1, ["a", "b", "c"]],
      ["record", 2, ["1", "2"]],
      ["record", 3, ["1", "2", "3", "4"]],
      ["record", 4, ["", ""]],
    ],
  },
  {
    name: "a repeated header is skipped; header names are trimmed, values are not",
    source: CSV,
    input: "a, b \n 1 ,2\na, b \n3,4\n",
    want: [
      ["header", 1, ["a", "b"]],
      ["record", 2, [" 1 ", "2"]],
      ["skip", 3, "repeated header"],
      ["record", 4, ["3", "4"]],
    ],
  },
  {
    name: "header true with columns renames the header row",
    source: { format: "csv", columns: ["volume", "slot"] },
    input: "Barcode,Slot\nA1,1\nBarcode,Slot\n",
    want: [["header", 1, ["volume", "slot"]], ["record", 2, ["A1", "1"]], ["skip", 3, "repeated header"]],
  },
  {
    name: "header false with columns: a header covering no line before the first record",
    source: { format: "csv", header: false, columns: ["volume", "slot"], skipLines: 1 },
    input: "title\n\nA1,1\nA2,2\n",
    want: [
      ["skip", 1, "leading lines skipped"],
      ["skip", 2, "blank line"],
      ["header", 3, ["volume", "slot"], 0],
      ["record", 3, ["A1", "1"]],
      ["record", 4, ["A2", "2"]],
    ],
  },
  {
    name: "header false without columns: records only",
    source: NO_HEADER,
    input: "a,b\na,b\n",
    want: [["record", 1, ["a", "b"]], ["record", 2, ["a", "b"]]],
  },
  {
    name: "a truncated last line without newline is a record",
    source: CSV,
    input: "a,b\n1,2\n3",
    want: [["header", 1, ["a", "b"]], ["record", 2, ["1", "2"]], ["record", 3, ["3"]]],
  },
  {
    name: "skipLines, comment prefix and skip rules, each with its reason",
    source: {
      format: "csv",
      skipLines: 2,
      comment: "#",
      skip: [{ match: "^AN[RS]\\d{4}[A-Z] ", reason: "product message" }, {
        match: "^Total",
        reason: "footer",
      }],
    },
    input: "Report\n#not a comment here\nh1,h2\n# note\nANR2034E SELECT: No match\n1,2\nTotal: 1\n",
    want: [
      ["skip", 1, "leading lines skipped"],
      ["skip", 2, "leading lines skipped"],
      ["header", 3, ["h1", "h2"]],
      ["skip", 4, "comment"],
      ["skip", 5, "product message"],
      ["record", 6, ["1", "2"]],
      ["skip", 7, "footer"],
    ],
  },
  {
    name: "semicolon delimiter",
    source: { format: "csv", header: false, delimiter: ";" },
    input: 'a;"b;c";d,e\n',
    want: [["record", 1, ["a", "b;c", "d,e"]]],
  },
  {
    name: "tab delimiter with quoting off keeps quotes as text",
    source: { format: "csv", header: false, delimiter: "\t", quote: null },
    input: '"a\tb"\tc\n',
    want: [["record", 1, ['"a', 'b"', "c"]]],
  },
  {
    name: "text after a closing quote and a quote inside a field are kept",
    source: NO_HEADER,
    input: `"a"b,c"d,e\n`,
    want: [["record", 1, ["ab", 'c"d', "e"]]],
  },
  {
    name: "a UTF-8 byte-order mark is removed",
    source: CSV,
    input: '\uFEFF"Label",x\nA,1\n',
    want: [["header", 1, ["Label", "x"]], ["record", 2, ["A", "1"]]],
  },
  { name: "empty input gives no events", source: CSV, input: "", want: [] },
];

Deno.test("openSource() reads CSV line endings, quoting, headers and skips exactly", async (t) => {
  for (const c of cases) {
    await t.step(c.name, async () => {
      for (const chunk of [0, 1, 3]) {
        const events = await readEvents(c.source, c.input, chunk);
        assert.deepEqual(events.map(show), c.want, `chunk size ${chunk}`);
        assert.equal(linesCovered(events), lineCount(c.input), `lines covered, chunk size ${chunk}`);
      }
    });
  }
});

const encodings = [
  {
    name: "latin1 (decoded as windows-1252)",
    encoding: "latin1",
    bytes: [0x4d, 0xfc, 0x6c, 0x6c, 0x65, 0x72],
  },
  { name: "windows-1252", encoding: "windows-1252", bytes: [0x4d, 0xfc, 0x6c, 0x6c, 0x65, 0x72] },
  { name: "windows-1252 euro sign 0x80", encoding: "windows-1252", bytes: [0x80, 0x35] },
  { name: "utf-8", encoding: "utf-8", bytes: [0x4d, 0xc3, 0xbc, 0x6c, 0x6c, 0x65, 0x72] },
];
const encodingWant = ["M\u00fcller", "M\u00fcller", "\u20ac5", "M\u00fcller"];

Deno.test("openSource() decodes the configured encoding", async (t) => {
  for (const [i, c] of encodings.entries()) {
    await t.step(c.name, async () => {
      const input = new Uint8Array([0x6e, 0x61, 0x6d, 0x65, 0x0a, ...c.bytes, 0x2c, 0x31, 0x0a]);
      for (const chunk of [0, 1]) {
        const events = await readEvents({ format: "csv", encoding: c.encoding }, input, chunk);
        assert.deepEqual(events.map(show), [["header", 1, ["name"]], ["record", 2, [encodingWant[i], "1"]]]);
      }
    });
  }
});

const bad = [
  {
    name: "an unterminated quote names the line it opened on",
    input: 'a,b\n1,"ok"\n2,"x\n\n3,4\n',
    line: 3,
    detail:
      "Cannot read record starting on line 3: the quote opened on line 3 is not closed at the end of the input",
  },
  {
    name: "a quote still open after 10000 lines fails there instead of buffering the input",
    input: 'a,b\n1,"x\n' + "more\n".repeat(10_005),
    line: 2,
    detail:
      "Cannot read record starting on line 2: the quote opened on line 2 is not closed after 10000 lines",
  },
  {
    name: "an unterminated quote opened on a later line of the record",
    input: 'a,b\n"x\ny","z\nw\n',
    line: 3,
    detail:
      "Cannot read record starting on line 2: the quote opened on line 3 is not closed at the end of the input",
  },
];

Deno.test("openSource() rejects a CSV whose quote is never closed", async (t) => {
  for (const c of bad) {
    await t.step(c.name, async () => {
      await assert.rejects(readEvents(CSV, c.input), (error: unknown) => {
        assert.ok(error instanceof InputRecordError);
        assert.deepEqual([error.file, error.line, error.field, error.detail], [
          "test.csv",
          c.line,
          "",
          c.detail,
        ]);
        return true;
      });
    });
  }
});

const garbage = [
  {
    name: "NUL bytes on line 3",
    encoding: "utf-8",
    bytes: [...new TextEncoder().encode("a,b\n1,2\nxx"), 0, 1, 2, 0x0a],
    line: 3,
    what: "NUL byte",
  },
  {
    name: "invalid UTF-8 on line 2",
    encoding: "utf-8",
    bytes: [...new TextEncoder().encode("a,b\n1,"), 0xff, 0xfe, 0x0a, 0x31],
    line: 2,
    what: "invalid byte sequence",
  },
  {
    name: "NUL bytes under windows-1252",
    encoding: "windows-1252",
    bytes: [0x61, 0x0d, 0x0a, 0x62, 0x0d, 0x0a, 0x00],
    line: 3,
    what: "NUL byte",
  },
  {
    name: "a multi-byte sequence cut off at the end",
    encoding: "utf-8",
    bytes: [0x61, 0x0a, 0x62, 0xc3],
    line: 2,
    what: "incomplete byte sequence at the end",
  },
];

const utf16 = (text: string, bigEndian: boolean): Uint8Array => {
  const bytes = [bigEndian ? 0xfe : 0xff, bigEndian ? 0xff : 0xfe];
  for (const unit of text) {
    const code = unit.charCodeAt(0);
    bytes.push(...(bigEndian ? [code >> 8, code & 0xff] : [code & 0xff, code >> 8]));
  }
  return new Uint8Array(bytes);
};

Deno.test("openSource() reads UTF-16 exports with a byte-order mark", async (t) => {
  for (const [name, bigEndian] of [["utf-16le", false], ["utf-16be", true]] as const) {
    await t.step(name, async () => {
      for (const chunk of [0, 3]) {
        const events = await readEvents(
          { format: "csv", encoding: name },
          utf16("name\r\nM\u00fcller,1\r\n", bigEndian),
          chunk,
        );
        assert.deepEqual(events.map(show), [["header", 1, ["name"]], ["record", 2, ["M\u00fcller", "1"]]]);
      }
    });
  }
  await t.step("a UTF-16 file read as utf-8 names the likely encoding", async () => {
    await assert.rejects(readEvents(CSV, utf16("a,b\r\n", false)), (error: unknown) => {
      assert.ok(error instanceof InputRecordError);
      assert.deepEqual([error.line, error.detail], [
        1,
        'Cannot read input: input is not text in encoding "utf-8" (it starts with a UTF-16 byte-order mark, so ' +
        'it is probably "utf-16le" or "utf-16be"); set source.encoding to the encoding of the export, or check ' +
        "that the file is the export and not a binary file",
      ]);
      return true;
    });
  });
});

Deno.test("openSource() stops on binary input with the line where it starts", async (t) => {
  for (const c of garbage) {
    await t.step(c.name, async () => {
      for (const chunk of [0, 2]) {
        await assert.rejects(
          readEvents({ format: "csv", encoding: c.encoding }, new Uint8Array(c.bytes), chunk, "tape.bin"),
          (error: unknown) => {
            assert.ok(error instanceof InputRecordError);
            assert.deepEqual([error.file, error.line, error.field], ["tape.bin", c.line, ""]);
            assert.equal(
              error.detail,
              `Cannot read input: input is not text in encoding "${c.encoding}" (${c.what}); set ` +
                `source.encoding to the encoding of the export, or check that the file is the export and not a ` +
                `binary file`,
            );
            return true;
          },
        );
      }
    });
  }
});
