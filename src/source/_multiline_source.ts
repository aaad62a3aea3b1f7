/**
 * @module
 * The multiline format: a record made of several lines, either a fixed count (`lines`) or a block that a
 * line matching `start` opens (with `lines` too: at most that many). Values are the block's lines, or with
 * `values: fields` the values of its `key: value` lines in the order of `columns`. A block cut short (a
 * missing line, the end of the input) is passed on with the values it has; the transform decides.
 */
import type { SourceSpec } from "../definition/mod.ts";
import { InputRecordError } from "./input_record_error.ts";
import type { Emitter, LineParser } from "./_line_source.ts";

type MultilineSourceSpec = Extract<SourceSpec, { format: "multiline" }>;

/** Lines a record may have: a `start` pattern that never matches again fails here, not at the end. */
const MAX_BLOCK_LINES = 10_000;

/**
 * Build the multiline parser.
 * @throws {InputRecordError} (while reading) a record of more than 10,000 lines
 */
export function multilineParser(spec: MultilineSourceSpec, inputName: string): LineParser {
  const start = spec.start === undefined ? undefined : new RegExp(spec.start);
  const size = spec.lines ?? Infinity;
  const columns = spec.columns;
  const keyColumn = new Map((columns ?? []).map((key, i) => [key, i]));
  const fields = spec.values === "fields";
  const separator = spec.keySeparator;
  let headerSent = columns === undefined;
  let block: string[] | undefined;
  let blockLine = 0;

  const flush = (out: Emitter): void => {
    if (block === undefined) return;
    if (!headerSent) {
      out.header(columns ?? [], blockLine, 0);
      headerSent = true;
    }
    let values: string[];
    if (fields) {
      values = new Array<string>(columns?.length ?? 0).fill("");
      for (const text of block) {
        const cut = text.indexOf(separator);
        const column = cut === -1 ? undefined : keyColumn.get(text.slice(0, cut).trim());
        if (column !== undefined) {
          const value = text.slice(cut + separator.length);
          values[column] = spec.trim ? value.trim() : value;
        }
      }
    } else values = spec.trim ? block.map((text) => text.trim()) : block;
    out.record(values, blockLine, block.length);
    block = undefined;
  };

  return {
    line(text, lineNo, out) {
      if (start !== undefined && start.test(text)) {
        flush(out);
        block = [text];
        blockLine = lineNo;
      } else if (block !== undefined) {
        if (block.length >= MAX_BLOCK_LINES) {
          throw new InputRecordError(
            inputName,
            blockLine,
            "",
            `Cannot read record starting on line ${blockLine}: it has more than ${MAX_BLOCK_LINES} lines; ` +
              `check "start" or set "lines"`,
          );
        }
        block.push(text);
      } else if (start === undefined) {
        block = [text];
        blockLine = lineNo;
      } else return out.skip(spec.outside, lineNo, 1);
      if (block.length >= size) flush(out);
    },
    end(out) {
      flush(out);
    },
  };
}
