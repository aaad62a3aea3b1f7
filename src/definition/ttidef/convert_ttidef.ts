/**
 * @module
 * Convert a `.ttidef` definition of the original program (SPEC.md 3) to the text of a tapesync YAML
 * definition, with a warning for every line that is not converted or converted with a caveat. Pure: text in,
 * text and diagnostics out. See docs/import-ttidef.md for the statement-by-statement mapping.
 */
import { KEY_FIELDS } from "../fields.ts";
import { emitFields, emitRules, settableFields } from "./_emit_fields.ts";
import { emitSource } from "./_emit_source.ts";
import { buildModel } from "./_model.ts";
import { readTtidef } from "./_statements.ts";
import { scalar } from "./_yaml_text.ts";
import type { TtidefDiagnostic } from "./ttidef_diagnostic.ts";

/** The result of an import. */
export interface TtidefImport {
  /** The YAML definition (with the original lines as comments). Not usable when `errors` is not empty. */
  yaml: string;
  /** Lines kept as comments or converted with a caveat, in line order; the definition is usable. */
  warnings: TtidefDiagnostic[];
  /** Constructs that must not be guessed at (section headers, `%` sequences, unreadable lines). */
  errors: TtidefDiagnostic[];
}

/**
 * Convert a `.ttidef` text to a tapesync definition.
 * @param text the `.ttidef` file's content
 * @param file its name, for the header comment
 * @returns the YAML text, warnings and errors, each with its 1-based line
 * @example
 * ```ts
 * const { yaml, warnings } = convertTtidef('SetLiteral(CUSTOMER, "ACME");\n', "acme.ttidef");
 * ```
 */
export function convertTtidef(text: string, file = "definition.ttidef"): TtidefImport {
  const read = readTtidef(text);
  const model = buildModel(read.statements, read.diagnostics);
  const source = emitSource(model);
  const fields = emitFields(model, source.columns);
  const settable = settableFields(model, source.columns);
  const rules = emitRules(model, settable);
  for (const key of KEY_FIELDS) {
    if (!settable.has(key)) {
      model.diagnostics.push({
        line: 0,
        severity: "warning",
        message:
          `the definition sets no "${key}": tapesync needs customer, media and volume (add them by hand)`,
      });
    }
  }
  const diagnostics = model.diagnostics.toSorted((a, b) => a.line - b.line);
  const header = [`# Imported from ${file} by tapesync import-ttidef: read the import notes at the end.`];
  if (read.comments.length > 0) {
    header.push("# Comments of the original:", ...read.comments.map((c) => `#   ${c.text}`));
  }
  const description = read.comments[0]?.text;
  const top = ["version: 1", ...(description ? [`description: ${scalar(description)}`] : [])];
  if (model.file) {
    top.push(
      `# Input file: ${model.file.path} (line ${model.file.line}: ${model.file.raw}): give it with --input`,
    );
  }
  const lines = text.replace(/^\uFEFF/, "").split(/\r\n|\r|\n/);
  const notes = diagnostics.length === 0 ? [] : [
    "# Import notes (also printed as warnings by import-ttidef):",
    ...diagnostics.flatMap((d) => [
      `# ${d.line > 0 ? `line ${d.line}` : file}: ${d.severity}: ${d.message}`,
      ...(d.line > 0 ? [`#     ${lines[d.line - 1].trim()}`] : []),
    ]),
  ];
  const yaml = [...header, ...top, ...source.lines, ...fields, ...rules, ...notes].join("\n") + "\n";
  return {
    yaml,
    warnings: diagnostics.filter((d) => d.severity === "warning"),
    errors: diagnostics.filter((d) => d.severity === "error"),
  };
}
