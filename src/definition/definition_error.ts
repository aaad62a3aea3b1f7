/**
 * @module
 * The error for a wrong definition (or agent config): file, line, column and YAML path with the problem.
 * Exit code 2; nothing is read or written.
 */

/** What kind of file a DefinitionError is about, for the advice printed under it. */
export type DefinitionFile = "definition" | "agent config" | "site file";

/** A definition cannot be used. The message reads `file:line:col path: problem`. */
export class DefinitionError extends Error {
  override name = "DefinitionError";
  /** The kind of file that is wrong (default "definition"). */
  readonly subject: DefinitionFile;
  /**
   * @param file the definition's path or name (`builtin:NAME`)
   * @param line 1-based line, 0 when unknown
   * @param column 1-based column, 0 when unknown
   * @param path YAML path such as `fields.moveDate.date`, "" for the whole file
   * @param problem what is wrong, in the message style of STYLE.md
   * @param options `subject`: the kind of file (default "definition"), and the cause
   */
  constructor(
    readonly file: string,
    readonly line: number,
    readonly column: number,
    readonly path: string,
    readonly problem: string,
    options?: ErrorOptions & { subject?: DefinitionFile },
  ) {
    const where = line > 0 ? `${file}:${line}:${column}` : file;
    super(`${where}${path ? ` ${path}` : ""}: ${problem}`, options);
    this.subject = options?.subject ?? "definition";
  }
}
