/**
 * @module
 * Explicit date formats: `YYYY YY MMM MM M DD D HH H hh h mm ss A` and `S`..`SSSSSSSSS` (fraction digits,
 * read and dropped), with any other non-letter text and `[...]` taken literally. A format is checked when the
 * definition loads (an unknown token is an error, never guessed) and compiled once into a parser the
 * transform calls per record without building a `Date` or a regular expression.
 */

/** Indexes of the parts a parser writes: year, month (1-12), day, hour (0-23), minute. */
export const YEAR = 0, MONTH = 1, DAY = 2, HOUR = 3, MINUTE = 4;

/** A compiled format. */
export interface DateFormat {
  readonly format: string;
  /** The format reads a time of day (hours). */
  readonly hasTime: boolean;
  /**
   * Parse a value into `out` (`[year, month, day, hour, minute]`; hour and minute 0 without a time).
   * @returns undefined on success, else what is wrong (for an InputRecordError)
   */
  parse(text: string, out: Int32Array): string | undefined;
}

type Part =
  | "year"
  | "year2"
  | "month"
  | "monthName"
  | "day"
  | "hour"
  | "hour12"
  | "minute"
  | "second"
  | "ampm";

type Op =
  | { kind: "number"; part: Part; target: number; token: string; min: number; max: number }
  | { kind: "monthName"; token: string }
  | { kind: "ampm"; token: string }
  | { kind: "fraction"; token: string; digits: number }
  | { kind: "literal"; text: string };

const NUMBER_TOKENS: Record<string, [Part, number, number]> = {
  YYYY: ["year", 4, 4],
  YY: ["year2", 2, 2],
  MM: ["month", 2, 2],
  M: ["month", 1, 2],
  DD: ["day", 2, 2],
  D: ["day", 1, 2],
  HH: ["hour", 2, 2],
  H: ["hour", 1, 2],
  hh: ["hour12", 2, 2],
  h: ["hour12", 1, 2],
  mm: ["minute", 2, 2],
  ss: ["second", 2, 2],
};

/** Where a number goes: an index of the parts, or the 12-hour clock or seconds (read, not kept). */
const HOUR12 = 5, SECOND = 6;
const TARGETS: Record<Part, number> = {
  year: YEAR,
  year2: YEAR,
  month: MONTH,
  monthName: MONTH,
  day: DAY,
  hour: HOUR,
  hour12: HOUR12,
  minute: MINUTE,
  second: SECOND,
  ampm: -1,
};

/** Every token, for messages. */
export const DATE_TOKENS = "YYYY YY MMM MM M DD D HH H hh h mm ss A S";

const MONTHS = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];
const MONTH_NAMES = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
];

const isLetter = (c: string): boolean => (c >= "A" && c <= "Z") || (c >= "a" && c <= "z");

/** Split a format into operations; throws SyntaxError for an unknown token or an unclosed `[`. */
function tokenize(format: string): Op[] {
  const ops: Op[] = [];
  const literal = (text: string) => {
    const last = ops[ops.length - 1];
    if (last?.kind === "literal") last.text += text;
    else ops.push({ kind: "literal", text });
  };
  for (let i = 0; i < format.length;) {
    const c = format[i];
    if (c === "[") {
      const end = format.indexOf("]", i + 1);
      if (end < 0) throw new SyntaxError(`"[" at position ${i + 1} is not closed with "]"`);
      literal(format.slice(i + 1, end));
      i = end + 1;
      continue;
    }
    if (!isLetter(c)) {
      literal(c);
      i++;
      continue;
    }
    let end = i;
    while (format[end] === c) end++;
    const token = format.slice(i, end);
    i = end;
    if (Object.hasOwn(NUMBER_TOKENS, token)) {
      const [part, min, max] = NUMBER_TOKENS[token];
      ops.push({ kind: "number", part, target: TARGETS[part], token, min, max });
    } else if (token === "MMM") ops.push({ kind: "monthName", token });
    else if (token === "A") ops.push({ kind: "ampm", token });
    else if (c === "S" && token.length <= 9) ops.push({ kind: "fraction", token, digits: token.length });
    else {
      throw new SyntaxError(
        `unknown format token "${token}": tokens are ${DATE_TOKENS}; put other letters in [brackets]`,
      );
    }
  }
  return ops;
}

const partOf = (op: Op): Part | undefined =>
  op.kind === "number"
    ? op.part
    : op.kind === "monthName"
    ? "month"
    : op.kind === "ampm"
    ? "ampm"
    : undefined;

/** Check the parts a format reads: each once, a whole date, and 12-hour tokens with `A` only. */
function checkParts(ops: Op[]): Set<Part> {
  const seen = new Set<Part>();
  for (const op of ops) {
    const raw = partOf(op);
    if (raw === undefined) continue;
    const part = raw === "year2" ? "year" : raw === "hour12" ? "hour" : raw;
    if (seen.has(part)) throw new SyntaxError(`the ${part === "ampm" ? "AM/PM marker" : part} appears twice`);
    seen.add(part);
  }
  for (const [part, tokens] of [["year", "YYYY or YY"], ["month", "MM, M or MMM"], ["day", "DD or D"]]) {
    if (!seen.has(part as Part)) throw new SyntaxError(`the format has no ${part} (${tokens})`);
  }
  const twelve = ops.some((op) => op.kind === "number" && op.part === "hour12");
  const ampm = seen.has("ampm");
  if (twelve && !ampm) throw new SyntaxError(`12-hour "hh" or "h" needs the AM/PM marker "A"`);
  if (ampm && !twelve) throw new SyntaxError(`the AM/PM marker "A" needs 12-hour "hh" or "h", not "HH"`);
  if (seen.has("minute") && !seen.has("hour")) {
    throw new SyntaxError(`minutes "mm" need an hour (HH, H, hh or h)`);
  }
  return seen;
}

const daysIn = (year: number, month: number): number =>
  month === 2
    ? ((year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28)
    : [4, 6, 9, 11].includes(month)
    ? 30
    : 31;

/** Read `min`..`max` digits at `at`; returns the value and the new position, or -1 when too few digits. */
function digitsAt(text: string, at: number, min: number, max: number): [number, number] {
  let value = 0;
  let i = at;
  while (i < text.length && i - at < max) {
    const code = text.charCodeAt(i);
    if (code < 48 || code > 57) break;
    value = value * 10 + code - 48;
    i++;
  }
  return i - at < min ? [-1, at] : [value, i];
}

/** Parse with compiled operations; fills `out` or returns what is wrong. */
function run(ops: Op[], text: string, out: Int32Array): string | undefined {
  let at = 0;
  let pm = -1;
  let hour12 = -1;
  out[HOUR] = 0;
  out[MINUTE] = 0;
  for (const op of ops) {
    if (op.kind === "literal") {
      if (!text.startsWith(op.text, at)) return `expected "${op.text}" at position ${at + 1}`;
      at += op.text.length;
    } else if (op.kind === "monthName") {
      const index = MONTHS.indexOf(text.slice(at, at + 3).toUpperCase());
      if (index < 0) return `expected a month name such as "Jan" at position ${at + 1}`;
      out[MONTH] = index + 1;
      at += 3;
    } else if (op.kind === "ampm") {
      const marker = text.slice(at, at + 2).toUpperCase();
      if (marker !== "AM" && marker !== "PM") return `expected "AM" or "PM" at position ${at + 1}`;
      pm = marker === "PM" ? 1 : 0;
      at += 2;
    } else {
      const digits = op.kind === "fraction" ? op.digits : op.max;
      const [value, next] = digitsAt(text, at, op.kind === "fraction" ? digits : op.min, digits);
      if (value < 0) {
        return `expected ${op.kind === "fraction" ? digits : op.min} digits for "${op.token}" at position ${
          at + 1
        }`;
      }
      at = next;
      if (op.kind === "number") {
        const v = op.part === "year2" ? (value < 69 ? 2000 + value : 1900 + value) : value;
        if (op.target < 5) out[op.target] = v;
        else if (op.target === HOUR12) hour12 = v;
        else if (v > 59) return `second ${v} is out of range 0-59`;
      }
    }
  }
  if (at < text.length) return `unexpected text "${text.slice(at)}" after the date`;
  return check(out, hour12, pm);
}

function check(out: Int32Array, hour12: number, pm: number): string | undefined {
  if (pm >= 0) {
    if (hour12 < 1 || hour12 > 12) return `hour ${hour12} is out of range 1-12 for AM/PM`;
    out[HOUR] = (hour12 % 12) + (pm === 1 ? 12 : 0);
  }
  const month = out[MONTH];
  if (month < 1 || month > 12) return `month ${month} is out of range 1-12`;
  const day = out[DAY];
  if (day < 1 || day > daysIn(out[YEAR], month)) {
    return `day ${day} does not exist in ${MONTH_NAMES[month - 1]} ${out[YEAR]}`;
  }
  if (out[HOUR] > 23) return `hour ${out[HOUR]} is out of range 0-23`;
  if (out[MINUTE] > 59) return `minute ${out[MINUTE]} is out of range 0-59`;
  return undefined;
}

/**
 * Check and compile a date format.
 * @param format e.g. `DD/MM/YYYY HH:mm`, `MMM D, YYYY h:mm A`, `YYYY-MM-DD[T]HH:mm:ss`
 * @returns the compiled parser
 * @throws {SyntaxError} an unknown token (the message names it), a part missing or repeated, `hh` without `A`
 * @example
 * ```ts
 * const parts = new Int32Array(5);
 * compileDateFormat("DD/MM/YYYY").parse("14/03/2025", parts); // undefined; parts = [2025, 3, 14, 0, 0]
 * ```
 */
export function compileDateFormat(format: string): DateFormat {
  if (format.length === 0) throw new SyntaxError("the format is empty");
  const ops = tokenize(format);
  const parts = checkParts(ops);
  return { format, hasTime: parts.has("hour"), parse: (text, out) => run(ops, text, out) };
}

/** Days in a month of a year (for date arithmetic). */
export function daysInMonth(year: number, month: number): number {
  return daysIn(year, month);
}

const STRFTIME: Record<string, string> = {
  Y: "YYYY",
  y: "YY",
  m: "M",
  d: "D",
  e: "D",
  H: "H",
  I: "h",
  M: "mm",
  S: "ss",
  p: "A",
  b: "MMM",
  h: "MMM",
  "%": "%",
};

/**
 * Convert a strftime/strptime format (as in ttidef `SetMoveDateFormat`, with `%%` already collapsed to `%`)
 * to a tapesync format. Numeric fields read one or two digits, as strptime does.
 * @throws {SyntaxError} a specifier with no equivalent (e.g. `%j`, `%B`, `%Z`), or a lone `%` at the end
 * @example
 * ```ts
 * fromStrftime("%d/%m/%Y %H:%M"); // "D/M/YYYY H:mm"
 * ```
 */
export function fromStrftime(format: string): string {
  let result = "";
  let literal = "";
  const flush = () => {
    if (literal) result += /[A-Za-z[\]]/.test(literal) ? `[${literal}]` : literal;
    literal = "";
  };
  for (let i = 0; i < format.length; i++) {
    const c = format[i];
    if (c !== "%") {
      literal += c;
      continue;
    }
    const spec = format[++i];
    if (spec === undefined) throw new SyntaxError(`"%" at the end of "${format}" has no specifier`);
    if (spec === "%") {
      literal += "%";
      continue;
    }
    if (!Object.hasOwn(STRFTIME, spec)) {
      throw new SyntaxError(
        `"%${spec}" in "${format}" has no tapesync equivalent: tokens are ${DATE_TOKENS}`,
      );
    }
    flush();
    result += STRFTIME[spec];
  }
  flush();
  return result;
}
