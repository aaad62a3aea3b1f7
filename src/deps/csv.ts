/**
 * @module
 * CSV parsing with npm `csv-parse`, behind a small local signature (`parseCsvRows`) so another parser can
 * replace this one file. tapesync's own parser (src/source/_csv_source.ts) measured faster and is what
 * `openSource` uses; this adapter is kept for the comparison in scripts/bench/csv_parsers.ts.
 */
import { parse } from "csv-parse";
import { Readable } from "node:stream";

/** One parsed row: its values and the input lines it spans. */
export interface CsvRow {
  values: string[];
  /** 1-based line where the row starts. */
  line: number;
  /** Lines the row covers. */
  lines: number;
}

/** Options of `parseCsvRows`. */
export interface CsvRowsOptions {
  delimiter: string;
  /** The quote character, or "" for none. */
  quote: string;
}

interface InfoRow {
  record: string[];
  info: { lines: number };
}

/**
 * Parse decoded CSV text into rows, batched for the caller's hot loop. Ragged rows and stray quotes are
 * tolerated; a UTF-8 byte-order mark is removed.
 * @param text the input as decoded text chunks
 * @param options delimiter and quote
 * @returns arrays of rows in input order
 */
export async function* parseCsvRows(
  text: AsyncIterable<string>,
  options: CsvRowsOptions,
): AsyncGenerator<CsvRow[]> {
  const parser = parse({
    delimiter: options.delimiter,
    quote: options.quote === "" ? false : options.quote,
    info: true,
    bom: true,
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: false,
  });
  let previousEnd = 0;
  let batch: CsvRow[] = [];
  for await (const row of Readable.from(text).pipe(parser) as AsyncIterable<InfoRow>) {
    const end = row.info.lines;
    batch.push({ values: row.record, line: previousEnd + 1, lines: end - previousEnd });
    previousEnd = end;
    if (batch.length === 1024) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}
