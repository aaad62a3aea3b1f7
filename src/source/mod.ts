/**
 * @module
 * Sources turn bytes into records: CSV/delimited, fixed-width, tables, multi-line blocks, key:value
 * tokens and regex lines, from a file, stdin or a command. Each event keeps its input line. `openSource`
 * is the entry point, `commandStream` runs a command as the input; see docs/definitions-source.md.
 */
export type * from "./source_event.ts";
export { InputRecordError } from "./input_record_error.ts";
export { openSource } from "./open_source.ts";
export { commandStream } from "./command_stream.ts";
export type { CommandSpec, CommandStream } from "./command_stream.ts";
export { SourceCommandError } from "./source_command_error.ts";
export type { CommandFailure } from "./source_command_error.ts";
