/**
 * @module
 * The `fields:`, `tables:`, `filters:` and `skipRepositoryChanges:` sections of an imported definition.
 * Each field keeps the ttidef order of SPEC.md 3.4: its value (literal or column, cut to the Extract
 * length), RemoveSpaces, its AddTranslation table (first match wins), then AddTranslation2 as `translateOn`
 * (the second pass), then its date format and move-date adjustments.
 */
import { compileGlob } from "../compile_glob.ts";
import { DATE_FIELDS } from "./_field_names.ts";
import type { FieldModel, ImportModel, TranslationEntry } from "./_model.ts";
import { comment, flow, origin, scalar } from "./_yaml_text.ts";

const warn = (model: ImportModel, line: number, message: string) =>
  model.diagnostics.push({ line, severity: "warning", message });

/** A pattern tapesync accepts: the documented unclosed `(` is closed with a warning; else undefined. */
function pattern(model: ImportModel, filter: string, line: number): string | undefined {
  for (const candidate of [filter, `${filter})`]) {
    try {
      compileGlob(candidate);
      if (candidate !== filter) {
        warn(model, line, `pattern "${filter}" has an unclosed "(": read as "${candidate}"`);
      }
      return candidate;
    } catch (error) {
      if (!(error instanceof SyntaxError)) throw error;
    }
  }
  warn(model, line, `pattern "${filter}" is not valid (SPEC.md 3.2): the statement is kept as a comment`);
  return undefined;
}

/** `tables:` entries for one translation list; `*`, `~` or `^` make the result a template. */
function tableLines(model: ImportModel, entries: TranslationEntry[]): string[] {
  return entries.flatMap((entry) => {
    const match = pattern(model, entry.filter, entry.line);
    if (match === undefined) return [];
    const result = /[*~^]/.test(entry.translation)
      ? { template: scalar(entry.translation) }
      : { value: scalar(entry.translation) };
    return [`    - ${flow({ match: scalar(match), ...result })}${comment(`line ${entry.line}`)}`];
  });
}

const capitalized = (name: string) => name[0].toUpperCase() + name.slice(1);

/** The field names the definition will set (used to check what conditions may refer to). */
export function settableFields(model: ImportModel, columns: Map<string, string>): Set<string> {
  const set = new Set<string>();
  for (const field of model.fields.values()) {
    const valued = field.literal !== undefined || columns.has(field.name);
    if (!valued) continue;
    if (DATE_FIELDS.has(field.name) && !model.dateFormats.has(field.name)) continue;
    set.add(field.name);
  }
  return set;
}

/** Why a field is not written, or undefined when it is. */
function missing(model: ImportModel, field: FieldModel, columns: Map<string, string>): string | undefined {
  if (field.literal === undefined && field.extract === undefined) {
    return `field "${field.name}" gets no value: it has no SetLiteral or Extract`;
  }
  if (field.literal === undefined && !columns.has(field.name)) return "";
  if (DATE_FIELDS.has(field.name) && !model.dateFormats.has(field.name)) {
    return field.name === "moveDate" || field.name === "writeTime"
      ? `field "${field.name}" is not synced without its date format (SetMoveDateFormat / SetWriteTimeFormat)`
      : `field "${field.name}" needs a date format and ttidef has no statement that sets one [unconfirmed]`;
  }
  return undefined;
}

function dateLines(model: ImportModel, field: FieldModel, settable: Set<string>, out: string[]): void {
  const format = model.dateFormats.get(field.name);
  if (!format) return;
  out.push(`    date:${comment(origin(format.statement.line, format.statement.raw))}`);
  out.push(`      format: ${scalar(format.format)}`);
  if (field.name !== "moveDate") return;
  const rules = model.adjustments.filter((rule) => {
    if (settable.has(rule.field)) return true;
    warn(
      model,
      rule.statement.line,
      `AddMoveDateAdjustment tests "${rule.field}", which the definition does not set`,
    );
    return false;
  });
  const adjust = rules.flatMap((rule) => {
    const glob = pattern(model, rule.filter, rule.statement.line);
    if (glob === undefined) return [];
    const [years, months, days] = rule.add.map(String);
    const when = flow({ field: rule.field, glob: scalar(glob) });
    return [
      `        - ${flow({ when, add: flow({ years, months, days }) })}${
        comment(origin(rule.statement.line, rule.statement.raw))
      }`,
    ];
  });
  if (adjust.length > 0) out.push(`      adjust:`, ...adjust);
}

/**
 * Write `fields:` and `tables:`.
 * @param model the gathered statements
 * @param columns the `column:` of each extracted field (from the source section)
 */
export function emitFields(model: ImportModel, columns: Map<string, string>): string[] {
  const settable = settableFields(model, columns);
  const out = ["fields:"];
  const tables: string[] = [];
  for (const field of model.fields.values()) {
    const why = missing(model, field, columns);
    if (why !== undefined) {
      if (why) warn(model, field.line, why);
      continue;
    }
    out.push(`  ${field.name}:${comment(origin(field.line, field.raw))}`);
    out.push(
      field.literal !== undefined
        ? `    value: ${scalar(field.literal)}`
        : `    column: ${columns.get(field.name)}`,
    );
    const steps: string[] = [];
    if (field.extract && model.delimiter !== undefined) {
      steps.push(
        `      - ${flow({ substring: flow({ start: "0", length: String(field.extract.length) }) })}`,
      );
    }
    if (field.removeSpaces.length > 0) {
      steps.push(
        `      - removeSpaces${comment(origin(field.removeSpaces[0].line, field.removeSpaces[0].raw))}`,
      );
    }
    if (field.translations.length > 0) {
      steps.push(
        `      - ${flow({ translate: field.name })}${comment("AddTranslation: the first match wins")}`,
      );
      tables.push(`  ${field.name}:`, ...tableLines(model, field.translations));
    }
    translateOn(model, field, settable, steps, tables);
    if (steps.length > 0) out.push(`    steps:`, ...steps);
    dateLines(model, field, settable, out);
  }
  if (model.adjustments.length > 0 && !settable.has("moveDate")) {
    for (const rule of model.adjustments) {
      warn(
        model,
        rule.statement.line,
        `AddMoveDateAdjustment has no move date to adjust: MOVEDATE is not synced`,
      );
    }
  }
  for (const [name, format] of model.dateFormats) {
    if (!settable.has(name)) {
      warn(model, format.statement.line, `${format.statement.written} has no ${name} field to apply to`);
    }
  }
  return tables.length > 0 ? [...out, "tables:", ...tables] : out;
}

function translateOn(
  model: ImportModel,
  field: FieldModel,
  settable: Set<string>,
  steps: string[],
  tables: string[],
) {
  const others = [...field.translations2.keys()];
  if (others.length > 1) {
    warn(
      model,
      field.translations2.get(others[1])![0].line,
      `AddTranslation2 on "${field.name}" tests several fields: each becomes its own translateOn step, applied in turn`,
    );
  }
  for (const [other, entries] of field.translations2) {
    if (!settable.has(other)) {
      warn(model, entries[0].line, `AddTranslation2 tests "${other}", which the definition does not set`);
      continue;
    }
    const table = `${field.name}By${capitalized(other)}`;
    steps.push(
      `      - ${flow({ translateOn: flow({ field: other, table }) })}${
        comment("AddTranslation2: second pass")
      }`,
    );
    tables.push(`  ${table}:`, ...tableLines(model, entries));
  }
}

/** Write `filters:` (AddExclusionOnValue) and `skipRepositoryChanges:` (AddSkipOnRepositoryChange). */
export function emitRules(model: ImportModel, settable: Set<string>): string[] {
  const out: string[] = [];
  const filters = model.exclusions.flatMap((rule) => {
    const { line, raw } = rule.statement;
    if (!settable.has(rule.field)) {
      warn(model, line, `AddExclusionOnValue tests "${rule.field}", which the definition does not set`);
      return [];
    }
    const glob = pattern(model, rule.filter, line);
    if (glob === undefined) {
      return [];
    }
    const field = model.fields.get(rule.field);
    if (field && (field.translations.length > 0 || field.translations2.size > 0)) {
      warn(
        model,
        line,
        `AddExclusionOnValue tests "${rule.field}" after its translations (the original order is [unconfirmed])`,
      );
    }
    return [
      `  - exclude: ${flow({ field: rule.field, glob: scalar(glob) })}${comment(origin(line, raw))}`,
      `    reason: ${scalar(`excluded ${rule.field} "${rule.filter}"`)}`,
    ];
  });
  if (filters.length > 0) out.push("filters:", ...filters);
  const skips = model.repositorySkips.map(({ filters: [proposed, target, current], statement }) =>
    `  - ${flow({ proposed: scalar(proposed), target: scalar(target), current: scalar(current) })}${
      comment(origin(statement.line, statement.raw))
    }`
  );
  if (skips.length > 0) out.push("skipRepositoryChanges:", ...skips);
  return out;
}
