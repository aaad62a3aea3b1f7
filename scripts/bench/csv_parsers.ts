/**
 * @module
 * Chooses the CSV parser by measurement: tapesync's own streaming parser (what `openSource` uses) against
 * an adapter over npm `csv-parse` (src/deps/csv.ts), on a generated file of N rows x 8 columns written to
 * a temporary directory and deleted afterwards. Prints rows/s of each and the ratio.
 *
 * Run: `deno run -A scripts/bench/csv_parsers.ts [rows] [runs]` (defaults 1000000 and 2; best run kept).
 */
import { parseCsvRows } from "../../src/deps/csv.ts";
import { sourceSchema } from "../../src/definition/source_schema.ts";
import { openSource } from "../../src/source/mod.ts";
import type { RecordSource, SourceEvent } from "../../src/source/mod.ts";
import { writeText } from "./write_text.ts";

const HEADER = "volume,customer,media,repository,slot,description,moveDate,writeTime";

/** Write `rows` inventory-like rows; one in 20 carries a quoted description with a comma. */
export async function writeCsv(path: string, rows: number): Promise<number> {
  return await writeText(
    path,
    (function* () {
      yield HEADER + "\n";
      for (let i = 0; i < rows; i++) {
        const serial = String(i % 1_000_000).padStart(6, "0");
        const description = i % 20 === 0 ? `"box ${i % 97}, shelf ${i % 13}"` : `daily set ${i % 31}`;
        yield `V${serial.slice(1)}L${7 + (i % 3)},C${String(i % 1000).padStart(4, "0")},LTO${7 + (i % 3)},` +
          `${i % 4 === 0 ? "OFFS" : "LIBR"},${i % 500},${description},2026-${
            String(1 + (i % 12)).padStart(2, "0")
          }` +
          `-${String(1 + (i % 28)).padStart(2, "0")},2025-11-0${1 + (i % 9)} 0${i % 10}:1${i % 10}:00\n`;
      }
    })(),
  );
}

async function* decode(stream: ReadableStream<Uint8Array>): AsyncGenerator<string> {
  for await (const text of stream.pipeThrough(new TextDecoderStream("utf-8", { fatal: true }))) yield text;
}

/** The csv-parse adapter, shaped like a source: header, records, blank lines as skips. */
async function* csvParseSource(stream: ReadableStream<Uint8Array>): RecordSource {
  let header = true;
  for await (const rows of parseCsvRows(decode(stream), { delimiter: ",", quote: '"' })) {
    const events: SourceEvent[] = [];
    for (const row of rows) {
      if (row.values.length === 1 && row.values[0].trim() === "") {
        events.push({ kind: "skip", line: row.line, reason: "blank line", lines: row.lines });
      } else if (header) {
        header = false;
        events.push({ kind: "header", line: row.line, names: row.values, lines: row.lines });
      } else events.push({ kind: "record", line: row.line, values: row.values, lines: row.lines });
    }
    yield events;
  }
}

async function count(source: RecordSource): Promise<{ records: number; values: number }> {
  let records = 0;
  let values = 0;
  for await (const events of source) {
    for (const event of events) {
      if (event.kind === "record") {
        records++;
        values += event.values.length;
      }
    }
  }
  return { records, values };
}

async function timeIt(
  path: string,
  runs: number,
  open: (stream: ReadableStream<Uint8Array>) => RecordSource,
): Promise<{ ms: number; records: number; values: number }> {
  let best = Infinity;
  let result = { records: 0, values: 0 };
  for (let run = 0; run < runs; run++) {
    const file = await Deno.open(path);
    const started = performance.now();
    result = await count(open(file.readable));
    best = Math.min(best, performance.now() - started);
  }
  return { ms: best, ...result };
}

if (import.meta.main) {
  const rows = Number(Deno.args[0] ?? 1_000_000);
  const runs = Number(Deno.args[1] ?? 2);
  const dir = await Deno.makeTempDir({ prefix: "tapesync-bench-csv-" });
  try {
    const path = `${dir}/rows.csv`;
    const bytes = await writeCsv(path, rows);
    console.log(`input: ${rows} rows x 8 columns, ${(bytes / 1e6).toFixed(1)} MB, best of ${runs}`);
    const spec = sourceSchema.parse({ format: "csv" });
    const own = await timeIt(path, runs, (stream) => openSource(spec, stream, "bench"));
    const lib = await timeIt(path, runs, csvParseSource);
    for (const [name, r] of [["tapesync parser", own], ["csv-parse 7.0.3", lib]] as const) {
      console.log(
        `${name.padEnd(16)} ${(r.ms / 1000).toFixed(2)} s  ${
          (r.records / r.ms * 1000 / 1e6).toFixed(2)
        } M rows/s  ` +
          `(${r.records} records, ${r.values} values)`,
      );
    }
    if (own.records !== lib.records || own.values !== lib.values) {
      console.log("WARNING: the parsers disagree on the records read");
    }
    console.log(`ratio csv-parse / tapesync: ${(lib.ms / own.ms).toFixed(2)}x`);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}
