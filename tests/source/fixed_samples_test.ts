/**
 * @module
 * The fixed-width sample exports (NetBackup vmquery, Data Protector omnimm) read with the settings
 * docs/definitions-source.md gives: exact event kinds and lines, selected values, every line accounted for.
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

/** NetBackup `vmquery -a -w`: columns located by title on the second header line. */
const NETBACKUP = {
  format: "fixed",
  header: { match: "^media +optical", lines: 3, titleLine: 2 },
  columns: [
    { name: "mediaId", title: "ID" },
    { name: "partner", title: "partner" },
    { name: "mediaType", title: "type" },
    { name: "barcode", title: "barcode" },
    { name: "barcodePartner", title: "partner" },
    { name: "robotHost", title: "host" },
    { name: "robotType", title: "type" },
    { name: "robotNumber", title: "#" },
    { name: "slot", title: "slot" },
    { name: "side", title: "face" },
    { name: "volumeGroup", title: "group" },
    { name: "pool", title: "pool" },
    { name: "poolNumber", title: "pool" },
    { name: "previousPool", title: "pool" },
    { name: "mounts", title: "mounts" },
    { name: "maxMounts", title: "mounts" },
    { name: "cleanings", title: "cleanings" },
    { name: "created", title: "datetime", offset: -8 },
    { name: "assigned", title: "datetime", offset: -8 },
    { name: "firstMount", title: "datetime", offset: -8 },
    { name: "lastMount", title: "datetime", offset: -8 },
    { name: "expiration", title: "datetime", offset: -8 },
    { name: "status", title: "status" },
    { name: "offsiteLocation", title: "offsite" },
    { name: "offsiteSent", title: "datetime", offset: -8 },
    { name: "offsiteReturn", title: "datetime", offset: -8 },
    { name: "offsiteSlot", title: "slot", offset: -2 },
    { name: "offsiteSession", title: "ses" },
    { name: "version", title: "version" },
    { name: "description", title: "description" },
  ],
};

Deno.test("openSource() reads netbackup-vmquery.txt as fixed width by title", async () => {
  const raw = await readEvents(NETBACKUP, await sample("netbackup-vmquery.txt"), 1000);
  const events = raw.map(show);
  assert.deepEqual(outline(events), [
    "header@1+3",
    ...range("record", 4, 21),
    "skip@22:blank line",
    "skip@23+3:repeated header",
    ...range("record", 26, 30),
  ]);
  assert.equal(linesCovered(raw), 30);
  assert.equal((events[0][2] as string[]).length, 30);
  assert.deepEqual(valuesAt(events, 16), [
    "AC0031",
    "-",
    "HCART3",
    "AC0031L7",
    "-",
    "-",
    "NONE",
    "-",
    "-",
    "-",
    "IM_OFFSITE",
    "VP-MONTHLY-1Y",
    "6",
    "VP-SCRATCH",
    "41",
    "0",
    "-",
    "14/02/2022 09:12",
    "31/08/2025 23:00",
    "01/03/2022 23:07",
    "01/09/2025 07:10",
    "00/00/0000 00:00",
    "1",
    "IronMountain_V1",
    "02/09/2025 10:04",
    "01/09/2026 00:00",
    "118",
    "412",
    "50",
    "Vault sess 412 box IM093",
  ]);
  assert.deepEqual(valuesAt(events, 21).slice(0, 15), [
    "AC0109",
    "-",
    "HCART3",
    "AC0109L7",
    "-",
    "nbumaster01",
    "TLD",
    "0",
    "9",
    "-",
    "000_00000_TLD",
    "VP-SCRATCH",
    "4",
    "VP-DAILY-4W",
    "",
  ]);
  assert.deepEqual(valuesAt(events, 21).slice(15), Array(15).fill(""));
  assert.deepEqual(valuesAt(events, 26).slice(0, 9), [
    "000211",
    "-",
    "HCART2",
    "000211L6",
    "-",
    "nbmedia02",
    "TLD",
    "1",
    "11",
  ]);
});

Deno.test("openSource() reads netbackup-vmquery.txt by position the same as by title", async () => {
  const starts = [
    1,
    9,
    17,
    27,
    45,
    63,
    77,
    88,
    92,
    98,
    105,
    132,
    154,
    162,
    184,
    192,
    200,
    211,
    229,
    247,
    265,
    283,
    301,
  ];
  starts.push(309, 336, 354, 372, 380, 389, 398);
  const byPosition = {
    format: "fixed",
    header: { match: "^media +optical", lines: 3 },
    columns: NETBACKUP.columns.map((column, i) => ({ name: column.name, start: starts[i] })),
  };
  const bytes = await sample("netbackup-vmquery.txt");
  assert.deepEqual(
    (await readEvents(byPosition, bytes)).map(show),
    (await readEvents(NETBACKUP, bytes)).map(show),
  );
});

Deno.test("openSource() reads dataprotector-omnimm.txt as fixed width with the pool as context", async () => {
  const source = {
    format: "fixed",
    header: { match: "^Status +Medium +Label", lines: 2 },
    columns: [
      { name: "status", title: "Status" },
      { name: "medium", title: "Medium" },
      { name: "label", title: "Label", offset: 4 },
      { name: "location", title: "Location" },
      { name: "full", title: "Full" },
      { name: "protected", title: "Protected" },
    ],
    skip: [{ match: "^\\[\\d+:\\d+\\] ", reason: "error message" }],
    context: [{ name: "pool", match: '^omnimm -list_pool "(.*)"$', reason: "pool line" }],
  };
  const raw = await readEvents(source, await sample("dataprotector-omnimm.txt"));
  const events = raw.map(show);
  const block = (pool: number, header: string, from: number, to: number) => [
    `skip@${pool}:pool line`,
    `skip@${pool + 1}:blank line`,
    header,
    ...range("record", from, to),
    `skip@${to + 1}:blank line`,
  ];
  assert.deepEqual(outline(events), [
    ...block(1, "header@3+2", 5, 10),
    ...block(12, "skip@14+2:repeated header", 16, 21),
    ...block(23, "skip@25+2:repeated header", 27, 31),
    "skip@33:pool line",
    "skip@34:blank line",
    "skip@35:error message",
    "skip@36:blank line",
  ]);
  assert.equal(linesCovered(raw), 36);
  assert.deepEqual(valuesAt(events, 5), [
    "Good",
    "[DP0101L7]",
    "DP0101L7",
    "[HPE:MSL6480_DP:   101]",
    "Yes",
    "11/20/25 04:12:55",
    "LTO7_Daily",
  ]);
  assert.deepEqual(valuesAt(events, 17).slice(2), [
    "Monthly Oct 2025 #2",
    "Iron Mountain - Box 0451",
    "Yes",
    "10/31/26 23:58:40",
    "LTO7_Monthly_Vault",
  ]);
  assert.deepEqual(valuesAt(events, 19).slice(2, 4), ["Monthly Sep 2025 #2", ""]);
  assert.deepEqual(valuesAt(events, 21).slice(3), [
    "Iron Mountain, Bay C",
    "Yes",
    "Permanent",
    "LTO7_Monthly_Vault",
  ]);
  assert.deepEqual(valuesAt(events, 30).slice(4), ["No", "None", "Free LTO7"]);
});
