/**
 * @module
 * Renders listing rows as an aligned table, CSV (RFC 4180 quoting) or JSON, for `volumes` and `history`.
 */
import { UsageError } from "./usage_error.ts";

export type RowFormat = "table" | "csv" | "json";

/**
 * Check a --format value.
 * @throws {UsageError} not one of table, csv, json
 */
export function rowFormat(value: string | undefined): RowFormat {
  const format = value ?? "table";
  if (format !== "table" && format !== "csv" && format !== "json") {
    throw new UsageError("--format", `Cannot use --format "${format}": expected "table", "csv" or "json"`);
  }
  return format;
}

function csvCell(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/**
 * Render rows with the given columns. JSON keeps the objects as given (`objects`), the others use `rows`.
 * @param rows cells by column name ("" for none)
 * @param columns column order
 * @param format table, csv or json
 * @param objects what JSON prints
 */
export function renderRows(
  rows: Record<string, string>[],
  columns: string[],
  format: RowFormat,
  objects: unknown[],
): string {
  if (format === "json") return `${JSON.stringify(objects, null, 2)}\n`;
  if (format === "csv") {
    const lines = [
      columns.join(","),
      ...rows.map((row) => columns.map((c) => csvCell(row[c] ?? "")).join(",")),
    ];
    return `${lines.join("\r\n")}\r\n`;
  }
  const widths = columns.map((c) => Math.max(c.length, ...rows.map((row) => (row[c] ?? "").length)));
  const line = (cells: string[]) => cells.map((cell, i) => cell.padEnd(widths[i])).join("  ").trimEnd();
  return `${
    [
      line(columns),
      line(widths.map((w) => "-".repeat(w))),
      ...rows.map((row) => line(columns.map((c) => row[c] ?? ""))),
    ].join("\n")
  }\n`;
}

/**
 * The line a table listing adds on stderr when nothing matched, so an empty table is not taken for a
 * failure to list (CSV and JSON stay silent: their readers are programs).
 * @param what what was listed, plural ("volumes", "audit rows")
 * @param filters the command's filters by flag name; those not given are left out
 */
export function noRowsNote(what: string, filters: Record<string, string | undefined>): string {
  const given = Object.entries(filters).filter(([, value]) => value !== undefined);
  const where = given.length === 0
    ? " in the inventory"
    : ` match ${given.map(([flag, value]) => `${flag} ${value}`).join(" ")}`;
  return `No ${what}${where}\n`;
}
