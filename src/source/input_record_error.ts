/**
 * @module
 * The error for one bad input record (unparseable date, value too long, malformed line). Counted per
 * the definition's bad-record policy; fatal only when the policy says so.
 */

/** A record of the input cannot be used. Carries the input name, line and field for the message. */
export class InputRecordError extends Error {
  override name = "InputRecordError";
  /**
   * @param file input name (path, "stdin" or the command)
   * @param line 1-based input line
   * @param field the field or column concerned, or "" for the whole record
   * @param detail what is wrong, in the message style of STYLE.md
   */
  constructor(
    readonly file: string,
    readonly line: number,
    readonly field: string,
    readonly detail: string,
    options?: ErrorOptions,
  ) {
    super(`${file}:${line}${field ? ` ${field}` : ""}: ${detail}`, options);
  }
}
