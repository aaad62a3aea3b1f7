/**
 * @module
 * The CSV/delimited source: tapesync's own streaming parser (RFC 4180 quoting, lenient like the products
 * that write these files). Lines without a quote character take a fast `split`; quoted fields may span
 * lines, and the record then says how many lines it covers.
 *
 * Chosen by measurement over an adapter on npm `csv-parse` 7.0.3 (src/deps/csv.ts): `deno run -A
 * scripts/bench/csv_parsers.ts` on 1,000,000 rows x 8 columns (72.7 MB, LF, one row in 20 with a quoted
 * comma), this 2-core machine shared with other jobs (load 3 to 5), best of 2 or 3, four sessions: this
 * parser 0.48 to 0.95 s (1.05 to 2.10 M rows/s), csv-parse 2.63 to 4.86 s (0.21 to 0.38 M rows/s);
 * csv-parse took 4.1x to 7.4x as long in every session. CRLF input costs this parser about 20% more. The
 * adapter stays reachable only from that benchmark (and its agreement test), so the comparison can be
 * repeated after an upgrade; `openSource` never uses it.
 */
import type { SourceSpec } from "../definition/mod.ts";
import { InputRecordError } from "./input_record_error.ts";
import { readLines } from "./_read_lines.ts";
import { LineRules, REPEATED_HEADER } from "./_line_rules.ts";
import { Emitter } from "./_line_source.ts";
import type { RecordSource } from "./source_event.ts";

type CsvSourceSpec = Extract<SourceSpec, { format: "csv" }>;

/** A record being read: values so far and the open quoted field, if a line break fell inside it. */
interface Pending {
  values: string[];
  field: string;
  /** 1-based line where the record starts. */
  line: number;
  /** 1-based line where the still open quote opened. */
  quoteLine: number;
}

/**
 * Read fields from `text` starting at `from`, continuing `pending` when a quoted field is open.
 * @returns true when the record is complete; false when a quoted field runs past the end of the line
 */
function readFields(
  text: string,
  from: number,
  delimiter: string,
  quote: string,
  pending: Pending,
  lineNo: number,
  inQuotes: boolean,
): boolean {
  const values = pending.values;
  let i = from;
  for (;;) {
    if (inQuotes) {
      const close = text.indexOf(quote, i);
      if (close === -1) {
        pending.field += text.slice(i);
        return false;
      }
      if (text.startsWith(quote, close + 1)) {
        pending.field += text.slice(i, close + 1);
        i = close + 2;
        continue;
      }
      // Text after the closing quote up to the delimiter is kept as it is (lenient: `"a"b` reads `ab`).
      const end = text.indexOf(delimiter, close + 1);
      const rest = end === -1 ? text.slice(close + 1) : text.slice(close + 1, end);
      values.push(pending.field + text.slice(i, close) + rest);
      pending.field = "";
      inQuotes = false;
      if (end === -1) return true;
      i = end + 1;
    }
    if (text.startsWith(quote, i)) {
      inQuotes = true;
      pending.quoteLine = lineNo;
      i += quote.length;
      continue;
    }
    const end = text.indexOf(delimiter, i);
    if (end === -1) {
      values.push(text.slice(i));
      return true;
    }
    values.push(text.slice(i, end));
    i = end + 1;
  }
}

/** Lines a quoted value may span: an unclosed quote fails here instead of buffering the whole input. */
const MAX_RECORD_LINES = 10_000;

function unclosedQuote(inputName: string, pending: Pending, where: string): InputRecordError {
  return new InputRecordError(
    inputName,
    pending.quoteLine,
    "",
    `Cannot read record starting on line ${pending.line}: the quote opened on line ${pending.quoteLine} ` +
      `is not closed ${where}`,
  );
}

function sameValues(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** What a parsed row becomes: the header, a repeated header (skipped), or a record after declared columns. */
class CsvRows {
  #wantHeader: boolean;
  #fileHeader: string[] | undefined;
  #rename: string[] | undefined;
  #columns: string[] | undefined;

  constructor(spec: CsvSourceSpec) {
    this.#wantHeader = spec.header;
    this.#rename = spec.header ? spec.columns : undefined;
    this.#columns = spec.header ? undefined : spec.columns;
  }

  row(out: Emitter, values: string[], line: number, lines: number): void {
    if (this.#wantHeader) {
      this.#wantHeader = false;
      this.#fileHeader = values;
      out.header(this.#rename ?? values.map((name) => name.trim()), line, lines);
    } else if (this.#fileHeader !== undefined && sameValues(values, this.#fileHeader)) {
      out.skip(REPEATED_HEADER, line, lines);
    } else {
      if (this.#columns !== undefined) {
        out.header(this.#columns, line, 0);
        this.#columns = undefined;
      }
      out.record(values, line, lines);
    }
  }
}

/**
 * Open a CSV/delimited source.
 *
 * Ragged rows are passed on with the number of values they have: the transform decides whether a
 * missing column is an error. With `header: true` the first record becomes the header (names trimmed;
 * `columns`, when given, rename it) and a later record equal to it is skipped as "repeated header". With
 * `header: false` and `columns`, a header event with those names (covering no line) comes before the
 * first record. A line break inside a quoted value is kept as "\n" whatever the file uses.
 *
 * @throws {InputRecordError} a quote still open at the end of the input or after 10,000 lines (names the
 * line it opened on); input that is not text in the encoding
 */
export async function* csvSource(
  spec: CsvSourceSpec,
  stream: ReadableStream<Uint8Array>,
  inputName: string,
): RecordSource {
  const rules = new LineRules(spec);
  const delimiter = spec.delimiter;
  const quote = spec.quote ?? "";
  const rows = new CsvRows(spec);
  const out = new Emitter([], []);
  let pending: Pending | undefined;

  for await (const batch of readLines(stream, spec.encoding, inputName)) {
    const lines = batch.lines;
    let lineNo = batch.first;
    for (let n = 0; n < lines.length; n++, lineNo++) {
      const text = lines[n];
      if (pending !== undefined) {
        if (lineNo - pending.line >= MAX_RECORD_LINES) {
          throw unclosedQuote(inputName, pending, "after 10000 lines");
        }
        pending.field += "\n";
        if (readFields(text, 0, delimiter, quote, pending, lineNo, true)) {
          rows.row(out, pending.values, pending.line, lineNo - pending.line + 1);
          pending = undefined;
        }
        continue;
      }
      const reason = rules.reasonFor(text, lineNo);
      if (reason !== undefined) out.skip(reason, lineNo, 1);
      else if (quote === "" || text.indexOf(quote) === -1) rows.row(out, text.split(delimiter), lineNo, 1);
      else {
        const record: Pending = { values: [], field: "", line: lineNo, quoteLine: lineNo };
        if (readFields(text, 0, delimiter, quote, record, lineNo, false)) {
          rows.row(out, record.values, lineNo, 1);
        } else pending = record;
      }
    }
    if (out.events.length > 0) {
      yield out.events;
      out.events = [];
    }
  }
  if (pending !== undefined) throw unclosedQuote(inputName, pending, "at the end of the input");
}
