/**
 * @module
 * The driver of the line-based formats (fixed, table, multiline, tokens, regex): applies the shared line
 * rules and context rules, hands every other line to the format's parser, and collects the events of one
 * chunk. Context values (e.g. the pool of "Pool: Full") are appended to every later record.
 */
import type { LineSourceSpec } from "../definition/source_schema.ts";
import { readLines } from "./_read_lines.ts";
import { LineRules } from "./_line_rules.ts";
import type { RecordSource, SourceEvent } from "./source_event.ts";

/** Collects the events of one chunk; appends context columns to headers and records. */
export class Emitter {
  events: SourceEvent[] = [];
  readonly #contextNames: string[];
  readonly #contextValues: string[];

  constructor(contextNames: string[], contextValues: string[]) {
    this.#contextNames = contextNames;
    this.#contextValues = contextValues;
  }

  /** A header event; `lines` 0 for a header that no input line carries. */
  header(names: string[], line: number, lines: number): void {
    const all = this.#contextNames.length === 0 ? names : names.concat(this.#contextNames);
    this.events.push(
      lines === 1 ? { kind: "header", line, names: all } : { kind: "header", line, names: all, lines },
    );
  }

  /** A record event over `lines` input lines. */
  record(values: string[], line: number, lines: number): void {
    if (this.#contextValues.length !== 0) values.push(...this.#contextValues);
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

/**
 * Run a line parser over a byte stream.
 * @param spec the source section (line rules, context rules, encoding)
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
  const contextPatterns = spec.context.map((rule) => new RegExp(rule.match));
  const contextValues = spec.context.map(() => "");
  const out = new Emitter(spec.context.map((rule) => rule.name), contextValues);
  for await (const batch of readLines(stream, spec.encoding, inputName)) {
    const lines = batch.lines;
    let lineNo = batch.first;
    for (let n = 0; n < lines.length; n++, lineNo++) {
      const text = lines[n];
      const reason = rules.reasonFor(text, lineNo);
      if (reason !== undefined) {
        out.skip(reason, lineNo, 1);
        continue;
      }
      let context = -1;
      for (let i = 0; i < contextPatterns.length && context === -1; i++) {
        const match = contextPatterns[i].exec(text);
        if (match !== null) {
          context = i;
          contextValues[i] = match.slice(1).find((value) => value !== undefined) ?? "";
        }
      }
      if (context !== -1) out.skip(spec.context[context].reason, lineNo, 1);
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
