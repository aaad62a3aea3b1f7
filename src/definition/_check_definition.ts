/**
 * @module
 * The checks zod cannot do alone: field names against the catalog, the key fields, tables that exist,
 * regular expressions, patterns, date formats and templates that compile, `date`/`bool` on fields of the
 * right type, fields a condition names, and literal values within their limits.
 */
import { compileGlob } from "./compile_glob.ts";
import { parseColumnTemplate } from "./column_template.ts";
import { compileDateFormat } from "./date_format.ts";
import {
  checkFieldValue,
  DEFAULT_FALSE_WORDS,
  DEFAULT_TRUE_WORDS,
  fieldInfo,
  fieldNames,
  KEY_FIELDS,
} from "./fields.ts";
import type { ConditionSpec, Definition, FieldSpec, TableRef } from "./schema.ts";
import type { DataPath } from "./_yaml_positions.ts";

/** A problem at a path; `key` points at the key itself; `at` is a deeper path for the position only. */
export interface CheckIssue {
  path: DataPath;
  message: string;
  key?: boolean;
  at?: DataPath;
}

const problem = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** Collects issues while walking one definition. */
class Checker {
  readonly issues: CheckIssue[] = [];
  constructor(readonly def: Definition) {}

  add(path: DataPath, message: string, extra: Partial<CheckIssue> = {}): void {
    this.issues.push({ path, message, ...extra });
  }

  regex(path: DataPath, pattern: string): RegExp | undefined {
    try {
      return new RegExp(pattern);
    } catch (error) {
      this.add(
        path,
        `invalid regular expression "${pattern}": ${
          problem(error).replace(/^Invalid regular expression: /, "")
        }`,
      );
      return undefined;
    }
  }

  glob(path: DataPath, pattern: string): void {
    try {
      compileGlob(pattern);
    } catch (error) {
      this.add(path, `invalid pattern "${pattern}": ${problem(error)}`);
    }
  }

  fieldRef(path: DataPath, name: string): void {
    if (!Object.hasOwn(this.def.fields, name)) {
      const known = fieldInfo(name) ? "the definition does not set it" : "no such field";
      this.add(path, `field "${name}" cannot be tested: ${known}`);
    }
  }

  condition(path: DataPath, condition: ConditionSpec): void {
    if (condition.field !== undefined) this.fieldRef([...path, "field"], condition.field);
    if (condition.regex !== undefined) this.regex([...path, "regex"], condition.regex);
    condition.glob?.forEach((glob, i) => this.glob([...path, "glob", i], glob));
  }

  table(path: DataPath, ref: TableRef): void {
    if (typeof ref === "string") {
      if (!Object.hasOwn(this.def.tables, ref)) {
        const known = Object.keys(this.def.tables).map((name) => `"${name}"`).join(", ");
        this.add(path, `unknown table "${ref}": the definition has ${known || "no tables"}`);
      }
      return;
    }
    ref.forEach((entry, i) => {
      if (entry.match !== undefined) this.glob([...path, i, "match"], entry.match);
      if (entry.regex !== undefined) this.regex([...path, i, "regex"], entry.regex);
    });
  }
}

function checkSteps(checker: Checker, name: string, field: FieldSpec): void {
  field.steps.forEach((step, i) => {
    const path = ["fields", name, "steps", i];
    if (step.extract !== undefined) {
      const regex = checker.regex([...path, "extract"], step.extract.regex);
      const group = step.extract.group;
      if (regex !== undefined) {
        const groups = new RegExp(`${step.extract.regex}|`).exec("")!;
        const ok = typeof group === "number"
          ? group < groups.length
          : Object.hasOwn(groups.groups ?? {}, group);
        if (!ok) {
          checker.add(
            [...path, "extract"],
            `regular expression "${step.extract.regex}" has no group ${JSON.stringify(group)}`,
          );
        }
      }
    }
    if (step.replace !== undefined) checker.regex([...path, "replace", "regex"], step.replace.regex);
    if (step.translate !== undefined) checker.table([...path, "translate", "table"], step.translate.table);
    if (step.translateOn !== undefined) {
      checker.table([...path, "translateOn", "table"], step.translateOn.table);
      if (step.translateOn.field === name) {
        checker.add(
          [...path, "translateOn", "field"],
          `"translateOn" must name another field: use "translate" for "${name}"`,
        );
      } else checker.fieldRef([...path, "translateOn", "field"], step.translateOn.field);
    }
  });
}

function checkTyped(checker: Checker, name: string, field: FieldSpec): void {
  const info = fieldInfo(name)!;
  const path = ["fields", name];
  const dated = info.type === "date" || info.type === "datetime";
  if (field.date !== undefined && !dated) {
    checker.add([...path, "date"], `"date" applies to date fields only: "${name}" is ${info.type}`, {
      key: true,
    });
  }
  if (field.date === undefined && dated) {
    checker.add(
      path,
      `date field "${name}" needs an explicit input format: add date: { format: "DD/MM/YYYY" }`,
    );
  }
  if (field.bool !== undefined && info.type !== "boolean") {
    checker.add([...path, "bool"], `"bool" applies to boolean fields only: "${name}" is ${info.type}`, {
      key: true,
    });
  }
  if (info.key && field.empty === "clear") {
    checker.add([...path, "empty"], `key field "${name}" cannot be cleared: remove "empty: clear"`);
  }
  if (field.date !== undefined && dated) {
    try {
      compileDateFormat(field.date.format);
    } catch (error) {
      checker.add([...path, "date"], problem(error), { at: [...path, "date", "format"] });
    }
    field.date.adjust.forEach((rule, i) =>
      checker.condition([...path, "date", "adjust", i, "when"], rule.when)
    );
  }
  if (field.template !== undefined) {
    try {
      parseColumnTemplate(field.template);
    } catch (error) {
      checker.add([...path, "template"], `invalid template "${field.template}": ${problem(error)}`);
    }
  }
  if (field.value !== undefined && field.steps.length === 0) checkLiteral(checker, name, field, field.value);
}

function checkLiteral(checker: Checker, name: string, field: FieldSpec, value: string): void {
  const info = fieldInfo(name)!;
  const path = ["fields", name, "value"];
  if (value === "") return;
  if (info.type === "boolean") {
    const words = field.bool
      ? [...field.bool.true, ...field.bool.false]
      : [...DEFAULT_TRUE_WORDS, ...DEFAULT_FALSE_WORDS];
    if (!words.some((word) => word.toUpperCase() === value.trim().toUpperCase())) {
      checker.add(
        path,
        `"${value}" is not a boolean word: expected one of ${words.map((w) => `"${w}"`).join(", ")}`,
      );
    }
  } else if (field.date !== undefined && !field.date.null.includes(value)) {
    const wrong = tryParse(field.date.format, value);
    if (wrong !== undefined) {
      checker.add(path, `cannot parse "${value}" with date format "${field.date.format}": ${wrong}`);
    }
  } else if (info.type !== "date" && info.type !== "datetime") {
    const wrong = checkFieldValue(info, value);
    if (wrong !== undefined) checker.add(path, wrong);
  }
}

/** Parse a literal date; undefined when it parses or when the format itself is wrong (reported apart). */
function tryParse(format: string, value: string): string | undefined {
  try {
    return compileDateFormat(format).parse(value.trim(), new Int32Array(5));
  } catch {
    return undefined;
  }
}

function suggestion(name: string): string {
  const lower = name.toLowerCase().replace(/[_ -]/g, "");
  const match = fieldNames().find((known) => known.toLowerCase() === lower);
  if (match) return `: did you mean "${match}"?`;
  return `: fields are ${fieldNames().join(", ")}, attr1..attr200, user1..user9`;
}

/**
 * Check a definition that passed the schema.
 * @returns the problems found, in file order of the fields
 */
export function checkDefinition(def: Definition): CheckIssue[] {
  const checker = new Checker(def);
  for (const key of KEY_FIELDS) {
    if (!Object.hasOwn(def.fields, key)) {
      checker.add(["fields"], `field "${key}" is required: give it a column, a value or a template`, {
        key: true,
      });
    }
  }
  for (const [name, field] of Object.entries(def.fields)) {
    if (fieldInfo(name) === undefined) {
      checker.add(["fields", name], `unknown field "${name}"${suggestion(name)}`, { key: true });
      continue;
    }
    checkTyped(checker, name, field);
    checkSteps(checker, name, field);
  }
  def.filters.forEach((filter, i) => {
    const kind = filter.include ? "include" : "exclude";
    checker.condition(["filters", i, kind], (filter.include ?? filter.exclude)!);
  });
  def.skipRepositoryChanges.forEach((rule, i) => {
    for (const key of ["proposed", "target", "current"] as const) {
      checker.glob(["skipRepositoryChanges", i, key], rule[key]);
    }
  });
  for (const [name, table] of Object.entries(def.tables)) checker.table(["tables", name], table);
  checkColumnsNamed(checker, def);
  return checker.issues;
}

/** A CSV without a header row and without `columns` has no names: named columns cannot resolve. */
function checkColumnsNamed(checker: Checker, def: Definition): void {
  const source = def.source;
  if (source.format !== "csv" || source.header || source.columns !== undefined) return;
  for (const [name, field] of Object.entries(def.fields)) {
    if (field.column?.name !== undefined) {
      checker.add(
        ["fields", name, "column"],
        `column "${field.column.name}" is named but the source has no header row: use a 1-based index or source.columns`,
      );
    }
  }
}
