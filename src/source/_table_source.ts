/**
 * @module
 * The table format: rows of cells between a separator, as bconsole or psql print them (`| a | b |`).
 * Rule lines (`+----+----+`) are skipped as "table rule", the header row repeated per block as "repeated
 * header", and lines without a separator (banners, "Pool: Full") as "outside table". Cells are trimmed;
 * thousands separators are left to the transform.
 */
import type { SourceSpec } from "../definition/mod.ts";
import { REPEATED_HEADER } from "./_line_rules.ts";
import type { LineParser } from "./_line_source.ts";

type TableSourceSpec = Extract<SourceSpec, { format: "table" }>;

/** Reason of rule lines. */
export const TABLE_RULE = "table rule";

/** Lines of dashes or equals signs, with + | : and spaces: `+----+----+`, `-----+-----`, `====`. */
const DEFAULT_RULE = /^\s*[+|]?[-=]{2,}[-=+|: ]*$/;

function cellsOf(text: string, separator: string): string[] {
  const cells = text.split(separator);
  const trimmed = text.trim();
  if (trimmed.startsWith(separator)) cells.shift();
  if (trimmed.endsWith(separator) && cells.length > 0) cells.pop();
  for (let i = 0; i < cells.length; i++) cells[i] = cells[i].trim();
  return cells;
}

function sameCells(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Build the table parser. */
export function tableParser(spec: TableSourceSpec): LineParser {
  const separator = spec.separator;
  const rule = spec.rule === undefined ? DEFAULT_RULE : new RegExp(spec.rule);
  let wantHeader = spec.header;
  let headerCells: string[] | undefined;
  let columns = spec.header ? undefined : spec.columns;
  return {
    line(text, lineNo, out) {
      if (rule.test(text)) return out.skip(TABLE_RULE, lineNo, 1);
      if (text.indexOf(separator) === -1) return out.skip(spec.outside, lineNo, 1);
      const cells = cellsOf(text, separator);
      if (wantHeader) {
        wantHeader = false;
        headerCells = cells;
        return out.header(spec.columns ?? cells, lineNo, 1);
      }
      if (headerCells !== undefined && sameCells(cells, headerCells)) {
        return out.skip(REPEATED_HEADER, lineNo, 1);
      }
      if (columns !== undefined) {
        out.header(columns, lineNo, 0);
        columns = undefined;
      }
      out.record(cells, lineNo, 1);
    },
    end() {},
  };
}
