/**
 * @module
 * What a source yields: header rows, records and counted skips, each with the input line it came from.
 * Sources yield events in arrays (one array per chunk of input) so the hot loop pays one await per chunk,
 * not per record. Every input line ends up in exactly one event (`lines` says how many it covers).
 */

/** A header row: column names for named column references. */
export interface HeaderEvent {
  kind: "header";
  /** 1-based input line of the header. */
  line: number;
  names: string[];
  /** Input lines the header covers (default 1). */
  lines?: number;
}

/** A record: its values in column order. Values are raw strings (not trimmed). */
export interface RecordEvent {
  kind: "record";
  /** 1-based input line where the record starts. */
  line: number;
  values: string[];
  /** Input lines the record covers (default 1; more for quoted newlines or multi-line records). */
  lines?: number;
}

/** Lines that are not records (blank, comment, product message, repeated header ...), with the reason. */
export interface SkipEvent {
  kind: "skip";
  line: number;
  /** Short, stable reason used as the statistics key, e.g. "blank line", "repeated header". */
  reason: string;
  lines?: number;
}

export type SourceEvent = HeaderEvent | RecordEvent | SkipEvent;

/** A stream of source events, in chunks. */
export type RecordSource = AsyncIterable<SourceEvent[]>;
