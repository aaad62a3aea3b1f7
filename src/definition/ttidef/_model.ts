/**
 * @module
 * The statements of a `.ttidef` file gathered per concept (source rules, fields, tables, filters, vetoes),
 * ready to be written as YAML. Each statement either lands in the model or is kept as a not-converted line
 * with a warning; SPEC.md 3.3 is the reference for every handler.
 */
import { fromStrftime } from "../date_format.ts";
import { tapesyncField } from "./_field_names.ts";
import type { TtidefArg, TtidefStatement } from "./_statements.ts";
import type { TtidefDiagnostic } from "./ttidef_diagnostic.ts";

/** A translation entry of AddTranslation / AddTranslation2. */
export interface TranslationEntry {
  filter: string;
  translation: string;
  line: number;
}

/** Where a field's value comes from and what happens to it. */
export interface FieldModel {
  name: string;
  line: number;
  raw: string;
  literal?: string;
  extract?: { offset: number; length: number; record: number };
  removeSpaces: TtidefStatement[];
  translations: TranslationEntry[];
  /** AddTranslation2 tables by the other field's name, in file order. */
  translations2: Map<string, TranslationEntry[]>;
}

/** AddString rules by type. */
export interface LineRule {
  type: "HEADER" | "EXCLUSION" | "START" | "END" | "TERMINATE";
  offset: number;
  filter: string;
  statement: TtidefStatement;
}

/** Everything gathered from a file. */
export interface ImportModel {
  file?: TtidefStatement & { path: string };
  delimiter?: string;
  lineRules: LineRule[];
  headerCount?: { count: number; statement: TtidefStatement };
  fields: Map<string, FieldModel>;
  dateFormats: Map<string, { format: string; statement: TtidefStatement }>;
  adjustments: { field: string; filter: string; add: [number, number, number]; statement: TtidefStatement }[];
  exclusions: { field: string; filter: string; statement: TtidefStatement }[];
  repositorySkips: { filters: [string, string, string]; statement: TtidefStatement }[];
  diagnostics: TtidefDiagnostic[];
}

type Kind = "text" | "int";
const LINE_TYPES = new Set(["HEADER", "EXCLUSION", "START", "END", "TERMINATE"]);

/** Check the argument kinds; a bare word is accepted where text is wanted (field and type names). */
function argsOf(statement: TtidefStatement, kinds: Kind[]): (string | number)[] | string {
  if (statement.args.length !== kinds.length) {
    return `${statement.written} takes ${kinds.length} argument${
      kinds.length === 1 ? "" : "s"
    }: found ${statement.args.length}`;
  }
  const values: (string | number)[] = [];
  for (const [i, kind] of kinds.entries()) {
    const arg: TtidefArg = statement.args[i];
    if (kind === "int" && arg.kind !== "int") {
      return `argument ${i + 1} of ${statement.written} must be an integer`;
    }
    if (kind === "text" && arg.kind === "int") {
      values.push(String(arg.value));
      continue;
    }
    values.push(arg.kind === "int" ? arg.value : arg.text);
  }
  return values;
}

/** A filter the importer cannot translate (SPEC.md 3.2 `*LIST:file`, [unconfirmed] in ttidef). */
const listProblem = (filter: string): string | undefined =>
  filter.startsWith("*LIST:")
    ? `pattern "${filter}" (*LIST:file) is not supported in ttidef [unconfirmed]`
    : undefined;

/** Look a field up or create it on first use by a statement that does not set its value. */
function fieldFor(model: ImportModel, name: string, statement: TtidefStatement): FieldModel {
  let field = model.fields.get(name);
  if (!field) {
    field = {
      name,
      line: statement.line,
      raw: statement.raw,
      removeSpaces: [],
      translations: [],
      translations2: new Map(),
    };
    model.fields.set(name, field);
  }
  return field;
}

/** Resolve a ttidef field argument, or a problem. */
function field(text: string): string | { problem: string } {
  const found = tapesyncField(text);
  return "name" in found ? found.name : found;
}

type Handler = (model: ImportModel, statement: TtidefStatement) => string | undefined;

const setSource = (model: ImportModel, st: TtidefStatement, name: string): FieldModel => {
  const existing = model.fields.get(name);
  if (existing && (existing.literal !== undefined || existing.extract !== undefined)) {
    model.diagnostics.push({
      line: st.line,
      severity: "warning",
      message:
        `${st.written} sets "${name}" again (first set on line ${existing.line}): the later statement is used`,
    });
  }
  const target = fieldFor(model, name, st);
  target.line = st.line;
  target.raw = st.raw;
  target.literal = undefined;
  target.extract = undefined;
  return target;
};

const HANDLERS: Record<string, Handler> = {
  setfile(model, st) {
    const args = argsOf(st, ["text"]);
    if (typeof args === "string") return args;
    model.file = { ...st, path: String(args[0]) };
  },
  setcsvdelimiter(model, st) {
    const args = argsOf(st, ["text"]);
    if (typeof args === "string") return args;
    if ([...String(args[0])].length !== 1) return `delimiter "${args[0]}" must be one character`;
    model.delimiter = String(args[0]);
  },
  addstring(model, st) {
    const args = argsOf(st, ["text", "int", "text"]);
    if (typeof args === "string") return args;
    const type = String(args[0]).toUpperCase();
    if (!LINE_TYPES.has(type)) {
      return `AddString type "${args[0]}" is not HEADER, EXCLUSION, START, END or TERMINATE`;
    }
    if (Number(args[1]) < 0) return `AddString offset ${args[1]} must be 0 or more`;
    const problem = listProblem(String(args[2]));
    if (problem) return problem;
    model.lineRules.push({
      type: type as LineRule["type"],
      offset: Number(args[1]),
      filter: String(args[2]),
      statement: st,
    });
  },
  setheadercount(model, st) {
    const args = argsOf(st, ["int"]);
    if (typeof args === "string") return args;
    if (Number(args[0]) < 1) return `SetHeaderCount(${args[0]}) must count at least the HEADER record`;
    model.headerCount = { count: Number(args[0]), statement: st };
  },
  setliteral(model, st) {
    const args = argsOf(st, ["text", "text"]);
    if (typeof args === "string") return args;
    const name = field(String(args[0]));
    if (typeof name !== "string") return name.problem;
    setSource(model, st, name).literal = String(args[1]);
  },
  extract(model, st) {
    const args = argsOf(st, ["text", "int", "int", "int"]);
    if (typeof args === "string") return args;
    const name = field(String(args[0]));
    if (typeof name !== "string") return name.problem;
    const [offset, length, record] = [Number(args[1]), Number(args[2]), Number(args[3])];
    if (offset < 0 || length < 1 || record < 0) {
      return `Extract needs an offset of 0 or more, a length of 1 or more and a record of 0 or more`;
    }
    setSource(model, st, name).extract = { offset, length, record };
  },
  removespaces(model, st) {
    const args = argsOf(st, ["text"]);
    if (typeof args === "string") return args;
    const name = field(String(args[0]));
    if (typeof name !== "string") return name.problem;
    fieldFor(model, name, st).removeSpaces.push(st);
  },
  addtranslation(model, st) {
    const args = argsOf(st, ["text", "text", "text"]);
    if (typeof args === "string") return args;
    const name = field(String(args[0]));
    if (typeof name !== "string") return name.problem;
    const problem = listProblem(String(args[1]));
    if (problem) return problem;
    fieldFor(model, name, st).translations.push({
      filter: String(args[1]),
      translation: String(args[2]),
      line: st.line,
    });
  },
  addtranslation2(model, st) {
    const args = argsOf(st, ["text", "text", "text", "text"]);
    if (typeof args === "string") return args;
    const name = field(String(args[0]));
    if (typeof name !== "string") return name.problem;
    const other = field(String(args[1]));
    if (typeof other !== "string") return other.problem;
    const problem = listProblem(String(args[2]));
    if (problem) return problem;
    const tables = fieldFor(model, name, st).translations2;
    if (!tables.has(other)) tables.set(other, []);
    tables.get(other)!.push({ filter: String(args[2]), translation: String(args[3]), line: st.line });
  },
  addexclusiononvalue(model, st) {
    const args = argsOf(st, ["text", "text"]);
    if (typeof args === "string") return args;
    const name = field(String(args[0]));
    if (typeof name !== "string") return name.problem;
    const problem = listProblem(String(args[1]));
    if (problem) return problem;
    model.exclusions.push({ field: name, filter: String(args[1]), statement: st });
  },
  setmovedateformat: (model, st) => dateFormat(model, st, "moveDate"),
  setwritetimeformat: (model, st) => dateFormat(model, st, "writeTime"),
  setwritedateformat: (model, st) => dateFormat(model, st, "writeTime"),
  addmovedateadjustment(model, st) {
    const args = argsOf(st, ["text", "text", "int", "int", "int"]);
    if (typeof args === "string") return args;
    const name = field(String(args[0]));
    if (typeof name !== "string") return name.problem;
    const problem = listProblem(String(args[1]));
    if (problem) return problem;
    const add: [number, number, number] = [Number(args[2]), Number(args[3]), Number(args[4])];
    model.adjustments.push({ field: name, filter: String(args[1]), add, statement: st });
  },
  addskiponrepositorychange(model, st) {
    const args = argsOf(st, ["text", "text", "text"]);
    if (typeof args === "string") return args;
    const filters = args.map(String) as [string, string, string];
    const problem = filters.map(listProblem).find((found) => found !== undefined);
    if (problem) return problem;
    model.repositorySkips.push({ filters, statement: st });
  },
};

/** Strftime format to the token format, or a problem. */
function dateFormat(model: ImportModel, st: TtidefStatement, name: string): string | undefined {
  const args = argsOf(st, ["text"]);
  if (typeof args === "string") return args;
  try {
    model.dateFormats.set(name, { format: fromStrftime(String(args[0])), statement: st });
  } catch (error) {
    if (error instanceof SyntaxError) return `date format: ${error.message}`;
    throw error;
  }
}

/** Why a known statement has no tapesync equivalent (kept as a comment with a warning). */
const UNSUPPORTED: Record<string, (st: TtidefStatement) => string> = {
  addrepositoryonwritetime: repositoryOnWriteTime,
  addrepositoryonmovedate: () =>
    `AddRepositoryOnMoveDate has no tapesync equivalent and its parameters are not documented [unconfirmed]`,
};

/** The documented span examples of AddRepositoryOnWriteTime (SPEC.md 3.6), read as stated. */
const SPANS: Record<string, string> = { "0:1": "1 day", "0:0:1": "1 year", "0:1:1": "1 year", "7": "7 days" };

function repositoryOnWriteTime(st: TtidefStatement): string {
  const spanText = (arg: TtidefArg | undefined) =>
    arg === undefined ? undefined : arg.kind === "int" ? String(arg.value) : arg.text;
  const read = [spanText(st.args[2]), spanText(st.args[4])].filter((span) => span !== undefined).map((span) =>
    `"${span}" = ${SPANS[span!] ?? "unknown (the documented examples contradict each other)"}`
  );
  return `AddRepositoryOnWriteTime has no tapesync equivalent (a target repository and move date set from the ` +
    `write time relative to the run time); review by hand${
      read.length ? `: spans as documented ${read.join(", ")}` : ""
    }`;
}

/**
 * Gather the statements into a model; a statement that cannot be converted is kept with a warning.
 * @param statements the statements of `readTtidef`
 * @param diagnostics the reader's diagnostics, extended here
 */
export function buildModel(statements: TtidefStatement[], diagnostics: TtidefDiagnostic[]): ImportModel {
  const model: ImportModel = {
    lineRules: [],
    fields: new Map(),
    dateFormats: new Map(),
    adjustments: [],
    exclusions: [],
    repositorySkips: [],
    diagnostics,
  };
  for (const statement of statements) {
    const handler = HANDLERS[statement.name];
    const problem = handler ? handler(model, statement) : UNSUPPORTED[statement.name]?.(statement) ??
      `statement ${statement.written} is not known: it is kept as a comment (SPEC.md 3.3 lists the known ones)`;
    if (problem !== undefined) {
      diagnostics.push({ line: statement.line, severity: "warning", message: problem, raw: statement.raw });
    }
  }
  return model;
}
