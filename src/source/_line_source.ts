/**
 * @module
 * The driver of the line-based formats (fixed, table, multiline, tokens, regex): applies the shared line
 * rules, heading blocks and context rules, hands every other line to the format's parser, and collects the
 * events of one chunk. Context and heading values (e.g. the pool of "Pool: Full", the library of a report
 * heading) are appended to every later record.
 */
import type { SourceSpec } from "../definition/mod.ts";
import { readLines } from "./_read_lines.ts";
import { LineRules } from "./_line_rules.ts";
import type { RecordSource, SourceEvent } from "./source_event.ts";

/** The `source:` section of a line-based format (all but csv). */
export type LineSourceSpec = Exclude<SourceSpec, { format: "csv" }>;

/** Collects the events of one chunk; appends the extra (context, heading) columns to headers and records. */
export class Emitter {
  events: SourceEvent[] = [];
  readonly #extraNames: string[];
  readonly #extraValues: string[];

  /**
   * @param extraNames names of the columns added after the format's own
   * @param extraValues their current values (the caller updates this array in place)
   */
  constructor(extraNames: string[], extraValues: string[]) {
    this.#extraNames = extraNames;
    this.#extraValues = extraValues;
  }

  /** A header event; `lines` 0 for a header that no input line carries. */
  header(names: string[], line: number, lines: number): void {
    const all = this.#extraNames.length === 0 ? names : names.concat(this.#extraNames);
    this.events.push(
      lines === 1 ? { kind: "header", line, names: all } : { kind: "header", line, names: all, lines },
    );
  }

  /** A record event over `lines` input lines. */
  record(values: string[], line: number, lines: number): void {
    if (this.#extraValues.length !== 0) values.push(...this.#extraValues);
    this.events.push(
      lines === 1 ? { kind: "record", line, values } : { kind: "record", line, values, lines },
    );
  }

  /** A skip event over `lines` input lines. */
  skip(reason: string, line: number, lines: number): void {
    this.events.push(lines === 1 ? { kind: "skip", line, reason } : { kind: "skip", line, reason, lines });
  }
}

/** What a line-based format does with the lines the rules leave to it. */
export interface LineParser {
  /** Read one line. */
  line(text: string, lineNo: number, out: Emitter): void;
  /** The input ended: emit what is still open (a multi-line record). */
  end(out: Emitter): void;
}

/** Heading blocks and context lines: skipped, and their values kept for the records after them. */
class LineExtras {
  /** Context columns, then heading columns. */
  readonly names: string[];
  readonly values: string[];
  readonly #spec: LineSourceSpec;
  readonly #contextPatterns: RegExp[];
  readonly #headingMatch: RegExp | undefined;
  readonly #headingLines: number;
  readonly #headingReason: string;
  /** Line within the heading block being read (1-based); 0 outside one. */
  #headingLine = 0;

  constructor(spec: LineSourceSpec) {
    this.#spec = spec;
    this.#contextPatterns = spec.context.map((rule) => new RegExp(rule.match));
    this.#headingMatch = spec.heading === undefined ? undefined : new RegExp(spec.heading.match);
    this.#headingLines = spec.heading?.lines ?? 0;
    this.#headingReason = spec.heading?.reason ?? "";
    const headingValues = spec.heading?.values ?? [];
    this.names = [...spec.context.map((rule) => rule.name), ...headingValues.map((value) => value.name)];
    this.values = this.names.map(() => "");
  }

  /** The reason for a line inside a heading block (before any line rule), else undefined. */
  inHeading(text: string): string | undefined {
    if (this.#headingLine === 0) return undefined;
    this.#headingLine++;
    this.#takeHeading(text);
    if (this.#headingLine === this.#headingLines) this.#headingLine = 0;
    return this.#headingReason;
  }

  /** The reason for a line that starts a heading block or is a context line, else undefined. */
  take(text: string): string | undefined {
    if (this.#headingMatch !== undefined && this.#headingMatch.test(text)) {
      this.values.fill("", this.#spec.context.length);
      this.#headingLine = 1;
      this.#takeHeading(text);
      if (this.#headingLines === 1) this.#headingLine = 0;
      return this.#headingReason;
    }
    const patterns = this.#contextPatterns;
    for (let i = 0; i < patterns.length; i++) {
      const match = patterns[i].exec(text);
      if (match !== null) {
        this.values[i] = match.slice(1).find((value) => value !== undefined) ?? "";
        return this.#spec.context[i].reason;
      }
    }
    return undefined;
  }

  #takeHeading(text: string): void {
    const headingValues = this.#spec.heading?.values ?? [];
    const first = this.#spec.context.length;
    for (let i = 0; i < headingValues.length; i++) {
      const value = headingValues[i];
      if (value.line !== this.#headingLine) continue;
      const start = value.start - 1;
      this.values[first + i] = text.slice(start, value.width === undefined ? undefined : start + value.width)
        .trim();
    }
  }
}

/**
 * Run a line parser over a byte stream.
 * @param spec the source section (line rules, heading and context rules, encoding)
 * @param stream the input bytes
 * @param inputName the input's name for messages
 * @param parser the format's parser, fresh for this input
 * @returns the events, one array per chunk of input
 */
export async function* lineSource(
  spec: LineSourceSpec,
  stream: ReadableStream<Uint8Array>,
  inputName: string,
  parser: LineParser,
): RecordSource {
  const rules = new LineRules(spec);
  const extras = new LineExtras(spec);
  const out = new Emitter(extras.names, extras.values);
  for await (const batch of readLines(stream, spec.encoding, inputName)) {
    const lines = batch.lines;
    let lineNo = batch.first;
    for (let n = 0; n < lines.length; n++, lineNo++) {
      const text = lines[n];
      const reason = extras.inHeading(text) ?? rules.reasonFor(text, lineNo) ?? extras.take(text);
      if (reason !== undefined) out.skip(reason, lineNo, 1);
      else parser.line(text, lineNo, out);
    }
    if (out.events.length > 0) {
      yield out.events;
      out.events = [];
    }
  }
  parser.end(out);
  if (out.events.length > 0) yield out.events;
}
