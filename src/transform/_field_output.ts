/**
 * @module
 * The last stage of a field: its text turned into the canonical form of its type (ISO dates, `YES`/`NO`,
 * whole numbers) and checked against its limit. Dates are read with their compiled format into a reused
 * buffer, shifted, and printed without building a `Date` unless days are added.
 */
import {
  checkFieldValue,
  compileDateFormat,
  DAY,
  daysInMonth,
  DEFAULT_FALSE_WORDS,
  DEFAULT_TRUE_WORDS,
  type FieldInfo,
  type FieldSpec,
  HOUR,
  MINUTE,
  MONTH,
  YEAR,
} from "../definition/mod.ts";
import { InputRecordError } from "../source/mod.ts";
import type { Condition } from "./_conditions.ts";

/**
 * Turn a non-empty text into the field's canonical value.
 * @returns the value, or "" when the text is a date's null value
 * @throws {InputRecordError} the text cannot be read as the type, or breaks the limit
 */
export type Output = (
  text: string,
  line: number,
  fields: readonly (string | undefined)[],
  values: readonly string[],
) => string;

/** A shift of a date by years, months and days. */
interface Shift {
  years: number;
  months: number;
  days: number;
}

const pad2 = (n: number): string => (n < 10 ? `0${n}` : `${n}`);

/** Add years, months (clamping the day to the month's end) and days to `parts`. */
export function shiftDate(parts: Int32Array, shift: Shift): void {
  if (shift.years !== 0 || shift.months !== 0) {
    const months = parts[YEAR] * 12 + (parts[MONTH] - 1) + shift.years * 12 + shift.months;
    parts[YEAR] = Math.floor(months / 12);
    parts[MONTH] = months - parts[YEAR] * 12 + 1;
    parts[DAY] = Math.min(parts[DAY], daysInMonth(parts[YEAR], parts[MONTH]));
  }
  if (shift.days !== 0) {
    const date = new Date(Date.UTC(parts[YEAR], parts[MONTH] - 1, parts[DAY] + shift.days));
    parts[YEAR] = date.getUTCFullYear();
    parts[MONTH] = date.getUTCMonth() + 1;
    parts[DAY] = date.getUTCDate();
  }
}

function dateOutput(
  info: FieldInfo,
  spec: FieldSpec,
  inputName: string,
  adjusts: [Condition, Shift][],
): Output {
  const date = spec.date!;
  const format = compileDateFormat(date.format);
  const nulls = new Set(date.null);
  const add: Shift = {
    years: date.add?.years ?? 0,
    months: date.add?.months ?? 0,
    days: (date.add?.days ?? 0) + (date.addDays ?? 0),
  };
  const shifts = add.years !== 0 || add.months !== 0 || add.days !== 0;
  const withTime = info.type === "datetime";
  const parts = new Int32Array(5);
  return (text, line, fields, values) => {
    const trimmed = text.trim();
    if (nulls.has(trimmed) || nulls.has(text)) return "";
    const wrong = format.parse(trimmed, parts);
    if (wrong !== undefined) {
      throw new InputRecordError(
        inputName,
        line,
        info.name,
        `cannot parse "${text}" with date format "${date.format}": ${wrong}`,
      );
    }
    if (shifts) shiftDate(parts, add);
    for (let i = 0; i < adjusts.length; i++) {
      if (adjusts[i][0](fields, values)) shiftDate(parts, adjusts[i][1]);
    }
    const year = parts[YEAR];
    const day = `${year < 1000 ? String(year).padStart(4, "0") : year}-${pad2(parts[MONTH])}-${
      pad2(parts[DAY])
    }`;
    return withTime ? `${day} ${pad2(parts[HOUR])}:${pad2(parts[MINUTE])}` : day;
  };
}

function boolOutput(info: FieldInfo, spec: FieldSpec, inputName: string): Output {
  const words = new Map<string, string>();
  for (const word of spec.bool?.true ?? DEFAULT_TRUE_WORDS) words.set(word.trim().toUpperCase(), "YES");
  for (const word of spec.bool?.false ?? DEFAULT_FALSE_WORDS) words.set(word.trim().toUpperCase(), "NO");
  const expected = [...words.keys()].map((word) => `"${word}"`).join(", ");
  return (text, line) => {
    const value = words.get(text.trim().toUpperCase());
    if (value !== undefined) return value;
    throw new InputRecordError(
      inputName,
      line,
      info.name,
      `"${text}" is not a boolean word: expected one of ${expected}`,
    );
  };
}

function checkedOutput(info: FieldInfo, inputName: string): Output {
  const integer = info.type === "integer";
  return (text, line) => {
    const wrong = checkFieldValue(info, text);
    if (wrong !== undefined) throw new InputRecordError(inputName, line, info.name, wrong);
    return integer ? String(Number(text)) : text;
  };
}

/**
 * Compile a field's output.
 * @param adjusts the compiled conditional shifts of a date field (`date.adjust`)
 */
export function compileOutput(
  info: FieldInfo,
  spec: FieldSpec,
  inputName: string,
  adjusts: [Condition, Shift][],
): Output {
  switch (info.type) {
    case "date":
    case "datetime":
      return dateOutput(info, spec, inputName, adjusts);
    case "boolean":
      return boolOutput(info, spec, inputName);
    default:
      return checkedOutput(info, inputName);
  }
}
