/**
 * @module
 * The bconsole table, mminfo and tapelist sample exports read with the formats docs/definitions-source.md
 * recommends for them: exact event kinds and lines, selected values, every line accounted for.
 */
import assert from "node:assert/strict";
import { linesCovered, readEvents, sample, show } from "./_events.ts";
import type { Shown } from "./_events.ts";

/** "kind@line", "+lines" when not 1, ":reason" for skips. */
const outline = (events: Shown[]) =>
  events.map(([kind, line, body, lines]) =>
    `${kind}@${line}${lines === undefined ? "" : `+${lines}`}${kind === "skip" ? `:${body}` : ""}`
  );
const range = (kind: string, from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => `${kind}@${from + i}`);
const valuesAt = (events: Shown[], line: number) =>
  events.find(([kind, at]) => kind === "record" && at === line)?.[2] as string[];

Deno.test("openSource() reads bacula-list-volumes.txt as a table with the pool as context", async () => {
  const source = {
    format: "table",
    skip: [
      {
        match:
          "^(Connecting to Director |1000 OK: |Enter a period |list volumes$|Automatically selected |Using Catalog )",
        reason: "banner",
      },
      { match: "^No results to list\\.$", reason: "no results" },
      { match: "^You have messages\\.$", reason: "messages notice" },
    ],
    context: [{ name: "pool", match: "^Pool: (.*)$", reason: "pool line" }],
  };
  const raw = await readEvents(source, await sample("bacula-list-volumes.txt"));
  const events = raw.map(show);
  assert.deepEqual(outline(events), [
    ...Array.from({ length: 6 }, (_, i) => `skip@${i + 1}:banner`),
    "skip@7:pool line",
    "skip@8:no results",
    "skip@9:pool line",
    "skip@10:table rule",
    "header@11",
    "skip@12:table rule",
    ...range("record", 13, 18),
    "skip@19:table rule",
    "skip@20:pool line",
    "skip@21:table rule",
    "skip@22:repeated header",
    "skip@23:table rule",
    ...range("record", 24, 28),
    "skip@29:table rule",
    "skip@30:pool line",
    "skip@31:table rule",
    "skip@32:repeated header",
    "skip@33:table rule",
    ...range("record", 34, 38),
    "skip@39:table rule",
    "skip@40:messages notice",
  ]);
  assert.equal(linesCovered(raw), 40);
  assert.deepEqual((events[10][2] as string[]).slice(-3), ["lastwritten", "expiresin", "pool"]);
  assert.deepEqual(valuesAt(events, 13), [
    "11",
    "BA0011L7",
    "Full",
    "1",
    "5,997,310,126,080",
    "612",
    "31,536,000",
    "1",
    "1",
    "1",
    "LTO-7",
    "2",
    "0",
    "2025-10-04 05:41:09",
    "28,771,202",
    "Full",
  ]);
  assert.deepEqual([valuesAt(events, 28)[2], valuesAt(events, 28)[15]], ["Read-Only", "Incremental"]);
  assert.deepEqual([valuesAt(events, 34)[13], valuesAt(events, 34)[15]], ["", "Scratch"]);
});

Deno.test("openSource() reads networker-mminfo.txt with a regex that keeps commas in the location", async () => {
  const source = {
    format: "regex",
    pattern: "^(?<volume>[^,]*),(?<barcode>[^,]*),(?<pool>[^,]*),(?<location>.*),(?<type>LTO [^,]*)," +
      "(?<written>[^,]*),(?<used>[^,]*),(?<volretent>[^,]*),(?<volaccess>[^,]*),(?<mounts>[^,]*)(?:,(?<state>[^,]*))?$",
    skip: [
      { match: "^volume,barcode,", reason: "header line" },
      { match: "^\\d+:mminfo: ", reason: "error message" },
    ],
  };
  const raw = await readEvents(source, await sample("networker-mminfo.txt"));
  const events = raw.map(show);
  assert.deepEqual(outline(events), [
    "skip@1:header line",
    "header@2+0",
    ...range("record", 2, 21),
    "skip@22:blank line",
    "skip@23:error message",
    "skip@24:blank line",
    "record@25",
  ]);
  assert.equal(linesCovered(raw), 25);
  assert.deepEqual(valuesAt(events, 8), [
    "NW0107L6",
    "NW0107L6",
    "Monthly Offsite",
    "Iron Mountain, Shelf 12",
    "LTO Ultrium-6",
    "2479 GB",
    "full",
    "09/01/26",
    "09/01/25",
    "13",
    "",
  ]);
  assert.deepEqual(valuesAt(events, 25).slice(8), ["10/21/25", "20", ""]);
});

Deno.test("openSource() reads amanda-tapelist as tokens", async () => {
  const source = {
    format: "tokens",
    positional: ["datestamp", "label", "reuse"],
    keys: ["BARCODE", "BLOCKSIZE", "POOL", "STORAGE", "CONFIG", "META"],
    trailingComment: "#",
    commentColumn: "remark",
    rest: "extra",
  };
  const raw = await readEvents(source, await sample("amanda-tapelist"));
  const events = raw.map(show);
  assert.deepEqual(outline(events), [
    "header@1+0",
    ...range("record", 1, 14),
    "skip@15:blank line",
    ...range("record", 16, 25),
  ]);
  assert.equal(linesCovered(raw), 25);
  assert.deepEqual(events[0][2], [
    "datestamp",
    "label",
    "reuse",
    "BARCODE",
    "BLOCKSIZE",
    "POOL",
    "STORAGE",
    "CONFIG",
    "META",
    "remark",
    "extra",
  ]);
  assert.deepEqual(valuesAt(events, 3), [
    "20251102021007",
    "ACME-0110",
    "reuse",
    "AM0110L7",
    "256",
    "ACME",
    "lto7lib",
    "ACME",
    "",
    "sent offsite 2025-11-03 box 17",
    "",
  ]);
  assert.deepEqual(valuesAt(events, 17).slice(3, 9), ["", "256", "archive", "lto7lib", "ACME", "ARCH01"]);
  assert.deepEqual(valuesAt(events, 19), ["20221231", "ACME-0001", "", "", "", "", "", "", "", "", ""]);
  assert.deepEqual(valuesAt(events, 24).slice(0, 4), ["ACME-0099", "reuse", "", "AM0099L7"]);
  assert.deepEqual(valuesAt(events, 25).slice(0, 4), ["20251001015601", "ACME-0091", "maybe", "AM0091L7"]);
});
