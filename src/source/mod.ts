/**
 * @module
 * Sources turn bytes into records: CSV and delimited text (more kinds in later modules). Each event keeps
 * its input line.
 */
export type * from "./source_event.ts";
export { InputRecordError } from "./input_record_error.ts";
