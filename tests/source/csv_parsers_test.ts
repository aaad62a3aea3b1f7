/**
 * @module
 * The csv-parse adapter (src/deps/csv.ts, kept for the parser benchmark) and tapesync's own CSV parser
 * read the same rows with the same lines, so the benchmark compares like with like.
 */
import assert from "node:assert/strict";
import { parseCsvRows } from "../../src/deps/csv.ts";
import { readEvents, sample } from "./_events.ts";

async function* once(text: string): AsyncGenerator<string> {
  yield text;
}

const inputs = [
  { name: "plain rows", text: "a,b,c\n1,2,3\n4,5,6\n" },
  {
    name: "quoted comma, doubled quote and quoted newline",
    text: 'a,b\n"x,y","say ""hi"""\n"l1\nl2",z\n9,9\n',
  },
  { name: "ragged rows", text: "a,b,c\n1\n1,2,3,4\n" },
];

Deno.test("parseCsvRows() reads the same rows and lines as openSource()", async (t) => {
  for (const c of inputs) {
    await t.step(c.name, async () => {
      const rows = [];
      for await (const batch of parseCsvRows(once(c.text), { delimiter: ",", quote: '"' })) {
        rows.push(...batch);
      }
      const events = await readEvents({ format: "csv", header: false }, c.text);
      assert.deepEqual(
        rows.map((row) => [row.line, row.lines, row.values]),
        events.map((event) => [event.line, event.lines ?? 1, event.kind === "record" ? event.values : []]),
      );
    });
  }
  await t.step("backupexec-bemedia.csv sample (BOM, CRLF)", async () => {
    const text = new TextDecoder().decode(await sample("backupexec-bemedia.csv"));
    const rows = [];
    for await (const batch of parseCsvRows(once(text), { delimiter: ",", quote: '"' })) rows.push(...batch);
    const events = await readEvents({ format: "csv", header: false }, text);
    assert.equal(rows.length, 21);
    assert.deepEqual(rows.map((row) => row.values), events.map((e) => e.kind === "record" ? e.values : []));
  });
});
