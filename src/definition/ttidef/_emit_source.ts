/**
 * @module
 * The `source:` section of an imported definition: csv when `SetCSVDelimiter` is given, else fixed-width
 * text by position; `AddString` rules become skip, stop, section and heading rules; header-record
 * `Extract`s become heading values (docs/definitions-source.md).
 */
import { lineRegex } from "./_glob_regex.ts";
import type { FieldModel, ImportModel, LineRule } from "./_model.ts";
import { comment, flow, origin, scalar } from "./_yaml_text.ts";

/** Lines of the source section, and the column each extracted field reads (by field name). */
export interface SourceText {
  lines: string[];
  /** Rendered `column:` value for each field whose Extract is usable. */
  columns: Map<string, string>;
}

/** The regex of one or more AddString rules of a type (alternatives when several), or undefined. */
function rulesRegex(model: ImportModel, rules: LineRule[]): string | undefined {
  const sources: string[] = [];
  for (const rule of rules) {
    try {
      const { regex, closedGroups } = lineRegex(rule.filter, rule.offset);
      if (closedGroups > 0) {
        warn(
          model,
          rule.statement.line,
          `pattern "${rule.filter}" has an unclosed "(": read as closed at its end`,
        );
      }
      sources.push(regex);
    } catch (error) {
      if (!(error instanceof SyntaxError)) throw error;
      warn(model, rule.statement.line, `invalid pattern "${rule.filter}": ${error.message}`);
    }
  }
  if (sources.length === 0) return undefined;
  return sources.length === 1 ? sources[0] : sources.map((source) => `(?:${source})`).join("|");
}

const warn = (model: ImportModel, line: number, message: string) =>
  model.diagnostics.push({ line, severity: "warning", message });

const ofType = (model: ImportModel, type: LineRule["type"]) =>
  model.lineRules.filter((rule) => rule.type === type);
const linesOf = (rules: LineRule[]) =>
  rules.map((rule) => origin(rule.statement.line, rule.statement.raw)).join(" | ");

/** Skip, stop and section rules, shared by csv and fixed. */
function lineRules(model: ImportModel, out: string[]): void {
  const exclusions = ofType(model, "EXCLUSION");
  const regexes = exclusions.map((rule) => rulesRegex(model, [rule]));
  if (regexes.some((regex) => regex !== undefined)) out.push("  skip:");
  exclusions.forEach((rule, i) => {
    if (regexes[i] === undefined) return;
    const entry = flow({ match: scalar(regexes[i]!), reason: scalar(`exclusion "${rule.filter}"`) });
    out.push(`    - ${entry}${comment(origin(rule.statement.line, rule.statement.raw))}`);
  });
  const terminate = ofType(model, "TERMINATE");
  const stop = rulesRegex(model, terminate);
  if (stop !== undefined) {
    out.push(`  stop: ${flow({ match: scalar(stop), reason: "terminated" })}${comment(linesOf(terminate))}`);
  }
  const [start, end] = [ofType(model, "START"), ofType(model, "END")];
  const [begin, until] = [rulesRegex(model, start), rulesRegex(model, end)];
  if (begin !== undefined || until !== undefined) {
    const section = flow({ begin: begin && scalar(begin), end: until && scalar(until) });
    out.push(`  section: ${section}${comment(linesOf([...start, ...end]))}`);
    for (const rule of [...start, ...end]) {
      warn(
        model,
        rule.statement.line,
        `the ${rule.type} line itself is skipped as "section marker" (whether the original reads it as a record is [unconfirmed])`,
      );
    }
  }
}

/** Fields whose value comes from an Extract, in file order. */
const extracted = (model: ImportModel): FieldModel[] =>
  [...model.fields.values()].filter((field) => field.extract !== undefined).sort((a, b) => a.line - b.line);

function csvSource(model: ImportModel, out: string[], columns: Map<string, string>): void {
  out.push(`  format: csv`);
  out.push(`  delimiter: ${scalar(model.delimiter!)}`);
  out.push(`  header: false # ttidef has no header row: Extract numbers the columns from 1`);
  for (const field of extracted(model)) {
    const { offset, record } = field.extract!;
    if (offset === 0) {
      warn(
        model,
        field.line,
        `Extract of the whole line (offset 0) into "${field.name}" has no equivalent: a field reads one column`,
      );
      continue;
    }
    if (record > 0) {
      warn(model, field.line, `Extract record ${record} is ignored: header records apply to text data only`);
    }
    columns.set(field.name, String(offset));
  }
  const headers = ofType(model, "HEADER");
  for (const rule of headers) {
    warn(
      model,
      rule.statement.line,
      `AddString(HEADER) has no equivalent for CSV input: heading blocks need text data`,
    );
  }
  lineRules(model, out);
}

function fixedSource(model: ImportModel, out: string[], columns: Map<string, string>): void {
  const body = extracted(model).filter((field) => field.extract!.record === 0);
  out.push(`  format: fixed`);
  out.push(`  trim: false # ttidef keeps the padding of a value; RemoveSpaces removes it`);
  out.push(`  columns:`);
  if (body.length === 0) {
    warn(
      model,
      0,
      `text data needs at least one Extract from the body record (record 0): add a column by hand`,
    );
  }
  for (const field of body) {
    const { offset, length } = field.extract!;
    out.push(
      `    - ${flow({ name: field.name, start: String(offset + 1), width: String(length) })}${
        comment(origin(field.line, field.raw))
      }`,
    );
    columns.set(field.name, scalar(field.name));
  }
  heading(model, out, columns);
  lineRules(model, out);
}

function heading(model: ImportModel, out: string[], columns: Map<string, string>): void {
  const headers = ofType(model, "HEADER");
  const values = extracted(model).filter((field) => field.extract!.record > 0);
  const match = rulesRegex(model, headers);
  const count = model.headerCount?.count ?? 1;
  if (match === undefined) {
    if (model.headerCount) {
      warn(model, model.headerCount.statement.line, `SetHeaderCount has no AddString(HEADER) to apply to`);
    }
    for (const field of values) {
      warn(
        model,
        field.line,
        `Extract from header record ${field.extract!.record} needs an AddString(HEADER) rule`,
      );
    }
    return;
  }
  const why = [
    linesOf(headers),
    model.headerCount && origin(model.headerCount.statement.line, model.headerCount.statement.raw),
  ];
  out.push(`  heading:${comment(why.filter(Boolean).join(" | "))}`);
  out.push(`    match: ${scalar(match)}`);
  out.push(`    lines: ${count}`);
  const usable = values.filter((field) => {
    if (field.extract!.record <= count) return true;
    warn(
      model,
      field.line,
      `Extract from header record ${field.extract!.record} is outside the ${count}-record heading block`,
    );
    return false;
  });
  if (usable.length > 0) out.push(`    values:`);
  for (const field of usable) {
    const { offset, length, record } = field.extract!;
    const value = flow({
      name: field.name,
      line: String(record),
      start: String(offset + 1),
      width: String(length),
    });
    out.push(`      - ${value}${comment(origin(field.line, field.raw))}`);
    columns.set(field.name, scalar(field.name));
  }
}

/**
 * Write the `source:` section.
 * @param model the gathered statements (diagnostics and not-converted lines are added to it)
 */
export function emitSource(model: ImportModel): SourceText {
  const lines = ["source:"];
  const columns = new Map<string, string>();
  if (model.delimiter !== undefined) csvSource(model, lines, columns);
  else fixedSource(model, lines, columns);
  return { lines, columns };
}
