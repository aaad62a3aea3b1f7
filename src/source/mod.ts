/**
 * @module
 * Sources turn bytes into records: CSV and delimited text (more kinds in later modules). Each event keeps
 * its input line. `openSource` is the entry point; see docs/definitions-source.md for the `source:`
 * section it reads.
 */
export type * from "./source_event.ts";
export { InputRecordError } from "./input_record_error.ts";
export { openSource } from "./open_source.ts";
