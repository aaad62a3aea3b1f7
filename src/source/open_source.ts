/**
 * @module
 * The entry point of the source stage: turn a definition's `source:` section and a byte stream into a
 * stream of header, record and skip events, whatever the format.
 */
import type { SourceSpec } from "../definition/mod.ts";
import { csvSource } from "./_csv_source.ts";
import { fixedParser } from "./_fixed_source.ts";
import { lineSource } from "./_line_source.ts";
import { multilineParser } from "./_multiline_source.ts";
import { regexParser } from "./_regex_source.ts";
import { tableParser } from "./_table_source.ts";
import { tokensParser } from "./_tokens_source.ts";
import type { RecordSource } from "./source_event.ts";

/**
 * Open a source over a byte stream. Nothing is read until the result is iterated; every input line ends
 * up in exactly one event (`lines` says how many lines an event covers; a header that no line carries,
 * such as declared `columns`, covers 0).
 *
 * @param spec the validated `source:` section of a definition
 * @param stream the input bytes (a file, standard input or a command's stdout from `commandStream`)
 * @param inputName the input's name for messages (path, "stdin" or the command)
 * @returns the events, in arrays of one chunk of input each
 * @throws {InputRecordError} while iterating: input that is not text in the encoding, or that cannot be
 * read as the format (an unterminated quote, a column title missing from the header line), with the line
 * @throws {SourceCommandError} while iterating a `commandStream` whose command failed or timed out
 * @example
 * ```ts
 * const spec = sourceSchema.parse({ format: "csv", delimiter: ";" });
 * for await (const events of openSource(spec, file.readable, "export.csv")) {
 *   for (const event of events) if (event.kind === "record") console.log(event.line, event.values);
 * }
 * ```
 */
export function openSource(
  spec: SourceSpec,
  stream: ReadableStream<Uint8Array>,
  inputName: string,
): RecordSource {
  switch (spec.format) {
    case "csv":
      return csvSource(spec, stream, inputName);
    case "fixed":
      return lineSource(spec, stream, inputName, fixedParser(spec, inputName));
    case "table":
      return lineSource(spec, stream, inputName, tableParser(spec));
    case "multiline":
      return lineSource(spec, stream, inputName, multilineParser(spec, inputName));
    case "tokens":
      return lineSource(spec, stream, inputName, tokensParser(spec));
    case "regex":
      return lineSource(spec, stream, inputName, regexParser(spec));
  }
}
