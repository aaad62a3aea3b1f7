/**
 * @module
 * The fixed-width format: columns at 1-based positions, or located from their titles in a header line.
 * A column runs from its start to the next column's start (or `width` characters); a line shorter than a
 * column gives an empty value. Header blocks after the first are skipped as "repeated header" and
 * re-locate title columns, so two reports with different widths can follow each other.
 */
import type { FixedSourceSpec } from "../definition/source_schema.ts";
import { InputRecordError } from "./input_record_error.ts";
import { REPEATED_HEADER } from "./_line_rules.ts";
import type { Emitter, LineParser } from "./_line_source.ts";

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

/**
 * Build the fixed-width parser.
 * @throws {InputRecordError} (while reading) a title that is not in the header line
 */
export function fixedParser(spec: FixedSourceSpec, inputName: string): LineParser {
  const columns = spec.columns;
  const names = columns.map((column) => column.name);
  const widths = columns.map((column) => column.width);
  const byTitle = columns[0].title !== undefined;
  const header = spec.header;
  const headerMatch = header === undefined ? undefined : new RegExp(header.match);
  const blockSize = header?.lines ?? 1;
  const titleLine = header?.titleLine ?? 1;
  const trim = spec.trim;
  const slack = byTitle ? spec.slack : 0;
  let starts = columns.map((column) => (column.start ?? 1) - 1);
  let ends = endsOf(starts, widths);
  // Boundaries that may move to a gap between words: a title column's start when the previous one has no width.
  let movable = starts.map((_, i) => i > 0 && byTitle && widths[i - 1] === undefined);
  let located = !byTitle;
  let headerSent = false;
  let blockLine = 0;
  let blockLeft = 0;

  const locate = (text: string, lineNo: number): void => {
    const found: number[] = [];
    let from = 0;
    for (const column of columns) {
      const at = findTitle(text, column.title ?? "", from);
      if (at === -1) {
        throw new InputRecordError(
          inputName,
          lineNo,
          column.name,
          `Cannot locate column "${column.name}": title "${column.title}" is not in the header line ` +
            `after position ${from + 1}; check the title and the order of the columns`,
        );
      }
      found.push(Math.max(0, at + column.offset));
      from = at + (column.title ?? "").length;
    }
    starts = found;
    ends = endsOf(starts, widths);
    movable = starts.map((_, i) => i > 0 && widths[i - 1] === undefined && ends[i - 1] === starts[i]);
    located = true;
  };

  const closeBlock = (out: Emitter, lines: number): void => {
    if (headerSent) out.skip(REPEATED_HEADER, blockLine, lines);
    else out.header(names, blockLine, lines);
    headerSent = true;
  };

  const cut = (text: string): string[] => {
    const values = new Array<string>(starts.length);
    let carried = -1;
    for (let i = 0; i < starts.length; i++) {
      let start = carried === -1 ? starts[i] : carried;
      let end = ends[i];
      if (slack > 0) {
        if (movable[i] && start === starts[i]) start = snap(text, start, slack);
        if (i + 1 < starts.length && movable[i + 1] && end === starts[i + 1]) {
          end = snap(text, end, slack);
          carried = end;
        } else carried = -1;
      }
      const value = text.slice(start, end);
      values[i] = trim ? value.trim() : value;
    }
    return values;
  };

  return {
    line(text, lineNo, out) {
      if (blockLeft > 0) {
        blockLeft--;
        if (blockSize - blockLeft === titleLine && byTitle) locate(text, lineNo);
        if (blockLeft === 0) closeBlock(out, blockSize);
        return;
      }
      if (headerMatch !== undefined && headerMatch.test(text)) {
        blockLine = lineNo;
        blockLeft = blockSize - 1;
        if (titleLine === 1 && byTitle) locate(text, lineNo);
        if (blockLeft === 0) closeBlock(out, blockSize);
        return;
      }
      if (!located) {
        out.skip(BEFORE_HEADER, lineNo, 1);
        return;
      }
      if (!headerSent) {
        out.header(names, lineNo, 0);
        headerSent = true;
      }
      out.record(cut(text), lineNo, 1);
    },
    end(out) {
      if (blockLeft > 0) closeBlock(out, blockSize - blockLeft);
      blockLeft = 0;
    },
  };
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
