/**
 * @module
 * The fixed-width format: columns at 1-based positions, or located from their titles in a header line.
 * A column runs from its start to the next column's start (or `width` characters); a line shorter than a
 * column gives an empty value. Header blocks after the first are skipped as "repeated header" and
 * re-locate title columns, so two reports with different widths can follow each other.
 */
import type { SourceSpec } from "../definition/mod.ts";
import { InputRecordError } from "./input_record_error.ts";
import { REPEATED_HEADER } from "./_line_rules.ts";
import type { Emitter, LineParser } from "./_line_source.ts";

type FixedSourceSpec = Extract<SourceSpec, { format: "fixed" }>;

/** Reason of lines before the first header when columns are located by title. */
export const BEFORE_HEADER = "before header";

const isSpace = (code: number): boolean => code === 32 || code === 9;

/** True when a cut at `at` falls between two words (or at an end of the line). */
function atGap(text: string, at: number): boolean {
  return at <= 0 || at >= text.length || isSpace(text.charCodeAt(at - 1)) || isSpace(text.charCodeAt(at));
}

/** Find a title as whole words at or after `from`, or -1. */
function findTitle(text: string, title: string, from: number): number {
  for (let at = text.indexOf(title, from); at !== -1; at = text.indexOf(title, at + 1)) {
    const end = at + title.length;
    if (
      (at === 0 || isSpace(text.charCodeAt(at - 1))) && (end >= text.length || isSpace(text.charCodeAt(end)))
    ) {
      return at;
    }
  }
  return -1;
}

/** Column ends from starts: the explicit width, else the next column's start, else the end of the line. */
function endsOf(starts: number[], widths: (number | undefined)[]): number[] {
  return starts.map((start, i) => {
    const width = widths[i];
    if (width !== undefined) return start + width;
    let next = Infinity;
    for (const other of starts) if (other > start && other < next) next = other;
    return next;
  });
}

/** Fixed-width parsing state: where the columns are, and the header block being read. */
class FixedParser implements LineParser {
  readonly #spec: FixedSourceSpec;
  readonly #inputName: string;
  readonly #names: string[];
  readonly #widths: (number | undefined)[];
  readonly #byTitle: boolean;
  readonly #headerMatch: RegExp | undefined;
  readonly #slack: number;
  #starts: number[];
  #ends: number[];
  /** Per column: its start is a title boundary that may move to a gap between words. */
  #movable: boolean[];
  #located: boolean;
  #headerSent = false;
  #blockLine = 0;
  #blockLeft = 0;

  constructor(spec: FixedSourceSpec, inputName: string) {
    this.#spec = spec;
    this.#inputName = inputName;
    this.#names = spec.columns.map((column) => column.name);
    this.#widths = spec.columns.map((column) => column.width);
    this.#byTitle = spec.columns[0].title !== undefined;
    this.#headerMatch = spec.header === undefined ? undefined : new RegExp(spec.header.match);
    this.#slack = this.#byTitle ? spec.slack : 0;
    this.#starts = spec.columns.map((column) => (column.start ?? 1) - 1);
    this.#ends = endsOf(this.#starts, this.#widths);
    this.#movable = this.#starts.map(() => false);
    this.#located = !this.#byTitle;
  }

  line(text: string, lineNo: number, out: Emitter): void {
    const blockSize = this.#spec.header?.lines ?? 1;
    if (this.#blockLeft > 0) {
      this.#blockLeft--;
      if (this.#byTitle && blockSize - this.#blockLeft === this.#spec.header?.titleLine) {
        this.#locate(text, lineNo);
      }
      if (this.#blockLeft === 0) this.#closeBlock(out, blockSize);
    } else if (this.#headerMatch !== undefined && this.#headerMatch.test(text)) {
      this.#blockLine = lineNo;
      this.#blockLeft = blockSize - 1;
      if (this.#byTitle && this.#spec.header?.titleLine === 1) this.#locate(text, lineNo);
      if (this.#blockLeft === 0) this.#closeBlock(out, blockSize);
    } else if (!this.#located) out.skip(BEFORE_HEADER, lineNo, 1);
    else {
      if (!this.#headerSent) {
        out.header(this.#names, lineNo, 0);
        this.#headerSent = true;
      }
      out.record(this.#cut(text), lineNo, 1);
    }
  }

  end(out: Emitter): void {
    if (this.#blockLeft > 0) this.#closeBlock(out, (this.#spec.header?.lines ?? 1) - this.#blockLeft);
    this.#blockLeft = 0;
  }

  #closeBlock(out: Emitter, lines: number): void {
    if (this.#headerSent) out.skip(REPEATED_HEADER, this.#blockLine, lines);
    else out.header(this.#names, this.#blockLine, lines);
    this.#headerSent = true;
  }

  /** Find each column's title, left to right, in the title line of a header block. */
  #locate(text: string, lineNo: number): void {
    const starts: number[] = [];
    let from = 0;
    for (const column of this.#spec.columns) {
      const title = column.title ?? "";
      const at = findTitle(text, title, from);
      if (at === -1) {
        throw new InputRecordError(
          this.#inputName,
          lineNo,
          column.name,
          `Cannot locate column "${column.name}": title "${title}" is not in the header line ` +
            `after position ${from + 1}; check the title and the order of the columns`,
        );
      }
      starts.push(Math.max(0, at + column.offset));
      from = at + title.length;
    }
    const ends = endsOf(starts, this.#widths);
    this.#starts = starts;
    this.#ends = ends;
    this.#movable = starts.map((start, i) =>
      i > 0 && this.#widths[i - 1] === undefined && ends[i - 1] === start
    );
    this.#located = true;
  }

  /** The values of one line; a boundary between title columns moves to the nearest gap (`slack`). */
  #cut(text: string): string[] {
    const starts = this.#starts;
    const values = new Array<string>(starts.length);
    const trim = this.#spec.trim;
    const slack = this.#slack;
    let start = starts[0];
    for (let i = 0; i < starts.length; i++) {
      let end = this.#ends[i];
      const next = i + 1 < starts.length && slack > 0 && this.#movable[i + 1] && end === starts[i + 1];
      if (next) end = snap(text, end, slack);
      const value = text.slice(start, end);
      values[i] = trim ? value.trim() : value;
      if (i + 1 < starts.length) start = next ? end : starts[i + 1];
    }
    return values;
  }
}

/**
 * Build the fixed-width parser.
 * @throws {InputRecordError} (while reading) a title that is not in the header line
 */
export function fixedParser(spec: FixedSourceSpec, inputName: string): LineParser {
  return new FixedParser(spec, inputName);
}

/** Move a cut that splits a word to the nearest gap within `slack` characters (a tie goes left). */
function snap(text: string, at: number, slack: number): number {
  if (atGap(text, at)) return at;
  for (let d = 1; d <= slack; d++) {
    if (atGap(text, at - d)) return at - d;
    if (atGap(text, at + d)) return at + d;
  }
  return at;
}
