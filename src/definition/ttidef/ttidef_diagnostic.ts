/**
 * @module
 * What the `.ttidef` importer says about one line: a warning (the line was kept as a comment or converted
 * with a caveat) or an error (the construct must not be guessed at; no definition is produced).
 */

/** One finding of the importer, tied to its 1-based line in the `.ttidef` file. */
export interface TtidefDiagnostic {
  line: number;
  severity: "warning" | "error";
  message: string;
  /** The original line, when the diagnostic is about a line that was not converted. */
  raw?: string;
}
