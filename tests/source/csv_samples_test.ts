/**
 * @module
 * The CSV sample exports read through `openSource` with the settings docs/definitions-source.md gives:
 * exact event kinds and lines, selected values, and every line of each sample accounted for.
 */
import assert from "node:assert/strict";
import { linesCovered, readEvents, sample, show } from "./_events.ts";
import type { Shown } from "./_events.ts";

const CSV = { format: "csv" };

/** Event kinds and lines as "kind@line" or "kind@line+lines", for whole-file expectations. */
const outline = (events: Shown[]) =>
  events.map(([kind, line, body, lines]) =>
    `${kind}@${line}${lines === undefined ? "" : `+${lines}`}${kind === "skip" ? `:${body}` : ""}`
  );

const range = (kind: string, from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => `${kind}@${from + i}`);

Deno.test("openSource() reads the real CSV sample exports with every line accounted for", async (t) => {
  await t.step(
    "tsm-drmedia.csv: no header, messages and blank lines skipped, truncated row kept",
    async () => {
      const bytes = await sample("tsm-drmedia.csv");
      const columns = ["volume", "state", "updated", "location", "pool", "library", "class"];
      const source = {
        format: "csv",
        header: false,
        columns,
        skip: [{ match: "^AN[RS]\\d{4}[A-Z] ", reason: "product message" }],
      };
      const events = (await readEvents(source, bytes)).map(show);
      assert.deepEqual(outline(events), [
        "header@1+0",
        ...range("record", 1, 23),
        "skip@24:blank line",
        "skip@25:product message",
        "skip@26:product message",
        "skip@27:blank line",
        "record@28",
      ]);
      assert.deepEqual(events[0], ["header", 1, columns, 0]);
      assert.deepEqual(events[13], ["record", 13, [
        "TA0005L7",
        "VAULT",
        "2025-10-20 09:29:12.000000",
        "Iron Mountain, Bay 4",
        "COPYPOOL_LTO7",
        "",
        "CopyStgPool",
      ]]);
      assert.deepEqual(events[23], ["record", 23, ["TB0105L8", "VAULT", "2025-10-27 09:40:03.0"]]);
      assert.deepEqual(events[28][2], [
        "TA0022L7",
        "MOUNTABLE",
        "2025-11-04 07:02:51.000000",
        "",
        "",
        "LIB_TS4300",
        "DBSnapshot   ",
      ]);
      assert.equal(linesCovered(await readEvents(source, bytes)), 28);
    },
  );

  await t.step("veeam-tapemedium.csv: #TYPE line, CRLF, quoted newline, trailing blank line", async () => {
    const bytes = await sample("veeam-tapemedium.csv");
    const source = { format: "csv", skip: [{ match: "^#TYPE ", reason: "type line" }] };
    const raw = await readEvents(source, bytes, 512);
    const events = raw.map(show);
    assert.deepEqual(outline(events), [
      "skip@1:type line",
      "header@2",
      ...range("record", 3, 10),
      "record@11+2",
      ...range("record", 13, 24),
      "skip@25:blank line",
    ]);
    assert.equal((events[1][2] as string[]).length, 17);
    const vb0950 = events[10][2] as string[];
    assert.deepEqual(
      [vb0950[0], vb0950[6], vb0950[16], vb0950.length],
      ["VB0950L7", 'Offsite "Cage 3", Building B', "YEARLY 2024 - legal hold\nticket CHG-88121", 17],
    );
    assert.equal(linesCovered(raw), 25);
  });

  await t.step("backupexec-bemedia.csv: BOM, repeated header, short last row", async () => {
    const bytes = await sample("backupexec-bemedia.csv");
    const raw = await readEvents(CSV, bytes, 100);
    const events = raw.map(show);
    assert.deepEqual(outline(events), [
      "header@1",
      ...range("record", 2, 10),
      "skip@11:repeated header",
      ...range("record", 12, 21),
    ]);
    assert.equal((events[0][2] as string[])[0], "Label");
    assert.equal((events[6][2] as string[])[11], 'pre-migration full, "do not recycle"');
    assert.deepEqual(events[20][2], [
      "BE0207L7",
      "LTO-7",
      "Scratch Media",
      "HPE MSL2024 1",
      "18",
      "Scratch",
      "",
      "",
      "",
    ]);
    assert.equal(linesCovered(raw), 21);
  });

  await t.step("commvault-media.csv: title line, blank line, footer", async () => {
    const bytes = await sample("commvault-media.csv");
    const source = { format: "csv", skipLines: 1, skip: [{ match: "^Total Media:", reason: "footer" }] };
    const raw = await readEvents(source, bytes);
    const events = raw.map(show);
    assert.deepEqual(outline(events), [
      "skip@1:leading lines skipped",
      "skip@2:blank line",
      "header@3",
      ...range("record", 4, 20),
      "skip@21:blank line",
      "skip@22:footer",
    ]);
    assert.equal((events[10][2] as string[])[14], 'legal hold "LH-2024-03"');
    assert.equal(linesCovered(raw), 22);
  });
});
