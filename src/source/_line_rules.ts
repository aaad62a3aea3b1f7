/**
 * @module
 * The line rules every format shares, compiled once: leading lines to skip, a stop rule (this line and all
 * after it), sections (begin and end markers), blank lines, a comment prefix and the definition's skip
 * rules (regular expressions on the raw line), each with its statistics reason, checked in that order.
 */
import type { SourceSpec } from "../definition/mod.ts";

/** The line rules every format shares. */
export type LineRulesSpec = Pick<
  SourceSpec,
  "encoding" | "skipLines" | "comment" | "skip" | "stop" | "section"
>;

/** Reason of lines skipped by `skipLines`. */
export const LEADING_LINES = "leading lines skipped";
/** Reason of empty or whitespace-only lines. */
export const BLANK_LINE = "blank line";
/** Reason of lines starting with the comment prefix. */
export const COMMENT = "comment";
/** Reason of the begin and end lines of a section. */
export const SECTION_MARKER = "section marker";
/** Reason of a header row seen again after the first. */
export const REPEATED_HEADER = "repeated header";

/** True when the line is empty or holds only whitespace. */
export function isBlank(line: string): boolean {
  if (line.length === 0) return true;
  const first = line.charCodeAt(0);
  // Only lines that start with whitespace can be whitespace-only: keeps trim() off the hot path.
  return (first === 32 || first === 9 || first === 0xa0 || first === 0xfeff || first < 32) &&
    line.trim().length === 0;
}

/** Decides, per raw line, whether it is skipped before any format sees it. */
export class LineRules {
  readonly #skipLines: number;
  readonly #comment: string | undefined;
  readonly #patterns: RegExp[];
  readonly #reasons: string[];
  readonly #stop: RegExp | undefined;
  readonly #stopReason: string;
  #stopped = false;
  readonly #begin: RegExp | undefined;
  readonly #end: RegExp | undefined;
  readonly #outside: string;
  #inSection: boolean;

  constructor(spec: Pick<LineRulesSpec, "skipLines" | "comment" | "skip" | "stop" | "section">) {
    this.#skipLines = spec.skipLines;
    this.#comment = spec.comment;
    this.#patterns = spec.skip.map((rule) => new RegExp(rule.match));
    this.#reasons = spec.skip.map((rule) => rule.reason);
    this.#stop = spec.stop === undefined ? undefined : new RegExp(spec.stop.match);
    this.#stopReason = spec.stop?.reason ?? "";
    const section = spec.section;
    this.#begin = section?.begin === undefined ? undefined : new RegExp(section.begin);
    this.#end = section?.end === undefined ? undefined : new RegExp(section.end);
    this.#outside = section?.outside ?? "";
    this.#inSection = this.#begin === undefined;
  }

  /**
   * The skip reason for a raw line at the start of a record, or `undefined` when the format reads it.
   * @param line the physical line without its terminator
   * @param lineNo its 1-based number
   */
  reasonFor(line: string, lineNo: number): string | undefined {
    if (lineNo <= this.#skipLines) return LEADING_LINES;
    if (this.#stop !== undefined && (this.#stopped || this.#stop.test(line))) {
      this.#stopped = true;
      return this.#stopReason;
    }
    if (this.#begin !== undefined || this.#end !== undefined) {
      const section = this.#sectionReason(line);
      if (section !== undefined) return section;
    }
    if (isBlank(line)) return BLANK_LINE;
    if (this.#comment !== undefined && line.startsWith(this.#comment)) return COMMENT;
    const patterns = this.#patterns;
    for (let i = 0; i < patterns.length; i++) {
      if (patterns[i].test(line)) return this.#reasons[i];
    }
    return undefined;
  }

  #sectionReason(line: string): string | undefined {
    if (!this.#inSection) {
      if (this.#begin === undefined || !this.#begin.test(line)) return this.#outside;
      this.#inSection = true;
      return SECTION_MARKER;
    }
    if (this.#end !== undefined && this.#end.test(line)) {
      this.#inSection = false;
      return SECTION_MARKER;
    }
    return undefined;
  }
}
