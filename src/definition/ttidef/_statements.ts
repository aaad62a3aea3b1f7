/**
 * @module
 * Reading a `.ttidef` file into statements (SPEC.md 3.1): one `Name(arg, ...);` per line, `#` comments,
 * curly quotes read as `"`, `%%` collapsed to `%`. Problems become diagnostics with their line; nothing is
 * dropped without one.
 */
import type { TtidefDiagnostic } from "./ttidef_diagnostic.ts";

/** One argument: a quoted string, a bare integer, or a bare word (a field or type name). */
export type TtidefArg =
  | { kind: "string"; text: string }
  | { kind: "int"; value: number }
  | { kind: "word"; text: string };

/** A statement with its 1-based line, the name in lower case, and any trailing `#` comment. */
export interface TtidefStatement {
  line: number;
  name: string;
  /** The name as written, for messages. */
  written: string;
  args: TtidefArg[];
  comment?: string;
  /** The source line, trimmed, for YAML comments. */
  raw: string;
}

/** A file read into its statements, its comment lines and the problems found on the way. */
export interface TtidefFile {
  statements: TtidefStatement[];
  /** Whole-line comments (without `#`), with their lines. */
  comments: { line: number; text: string }[];
  diagnostics: TtidefDiagnostic[];
}

const NAME = /^([A-Za-z_][A-Za-z0-9_]*)\s*\(/;
const TAIL = /^\s*;?\s*(?:#(.*))?$/;

/** Split `Name(args); # comment` at the `)` that closes it (outside quotes): [name, args, comment]. */
function splitStatement(raw: string): [string, string, string | undefined] | undefined {
  const name = NAME.exec(raw);
  if (!name) return undefined;
  let quoted = false;
  for (let i = name[0].length; i < raw.length; i++) {
    if (raw[i] === '"') quoted = !quoted;
    if (raw[i] !== ")" || quoted) continue;
    const tail = TAIL.exec(raw.slice(i + 1));
    if (tail) return [name[1], raw.slice(name[0].length, i), tail[1]];
  }
  return undefined;
}
const INT32 = { min: -2147483648, max: 2147483647 };

/**
 * Collapse `%%` to `%`; any other `%` sequence is a variable or escape of the original parse engine whose
 * meaning is not documented (SPEC.md 3.1), so it is an error.
 */
function collapsePercent(text: string): string | { bad: string } {
  let out = "";
  for (let i = 0; i < text.length; i++) {
    if (text[i] !== "%") {
      out += text[i];
    } else if (text[i + 1] === "%") {
      out += "%";
      i++;
    } else {
      return { bad: text.slice(i, i + 2) };
    }
  }
  return out;
}

/** Split the argument text; `;` between arguments is the documented typo (SPEC.md 3.6) and is noted. */
function readArgs(
  text: string,
  line: number,
  diagnostics: TtidefDiagnostic[],
): TtidefArg[] | string {
  const args: TtidefArg[] = [];
  let i = 0;
  const skipSpace = () => {
    while (i < text.length && /\s/.test(text[i])) i++;
  };
  skipSpace();
  if (i === text.length) return args;
  for (;;) {
    skipSpace();
    if (text[i] === '"') {
      const end = text.indexOf('"', i + 1);
      if (end < 0) return `the string starting at "${text.slice(i, i + 20)}" is not closed with a quote`;
      const collapsed = collapsePercent(text.slice(i + 1, end));
      if (typeof collapsed !== "string") {
        return `"${collapsed.bad}" is not supported yet: only "%%" (a literal "%") is known in ttidef strings`;
      }
      args.push({ kind: "string", text: collapsed });
      i = end + 1;
    } else {
      const match = /^(-?\d+|[A-Za-z_][A-Za-z0-9_]*(?: [A-Za-z_][A-Za-z0-9_]*)*)/.exec(text.slice(i));
      if (!match) return `cannot read the argument at "${text.slice(i, i + 20)}"`;
      if (/^-?\d/.test(match[1])) {
        const value = Number(match[1]);
        if (value < INT32.min || value > INT32.max) return `${match[1]} is not a 32-bit integer`;
        args.push({ kind: "int", value });
      } else {
        args.push({ kind: "word", text: match[1] });
      }
      i += match[1].length;
    }
    skipSpace();
    if (i === text.length) return args;
    if (text[i] === ";") {
      diagnostics.push({
        line,
        severity: "warning",
        message: `";" between arguments read as "," (a known typo of the original documentation)`,
      });
    } else if (text[i] !== ",") {
      return `expected "," between arguments, found "${text[i]}"`;
    }
    i++;
  }
}

/**
 * Read the statements of a `.ttidef` text.
 * @param text the file's text
 * @returns statements, comment lines and diagnostics (errors for unreadable lines, section headers and
 *   unknown `%` sequences)
 */
export function readTtidef(text: string): TtidefFile {
  const file: TtidefFile = { statements: [], comments: [], diagnostics: [] };
  const lines = text.replace(/^\uFEFF/, "").split(/\r\n|\r|\n/);
  lines.forEach((source, index) => {
    const line = index + 1;
    const raw = source.replace(/[\u201C\u201D\u201E\u201F]/g, '"').trim();
    if (raw === "") return;
    if (raw.startsWith("#")) {
      file.comments.push({ line, text: raw.slice(1).trim() });
      return;
    }
    const error = (message: string) => file.diagnostics.push({ line, severity: "error", message, raw });
    if (/^\[.*\]$/.test(raw)) {
      error(`section header ${raw} is not supported yet: its meaning is not documented (SPEC.md 3.1)`);
      return;
    }
    const match = splitStatement(raw);
    if (!match) {
      error(`cannot read the line as a statement: expected Name(arguments);`);
      return;
    }
    const args = readArgs(match[1], line, file.diagnostics);
    if (typeof args === "string") {
      error(`cannot read ${match[0]}: ${args}`);
      return;
    }
    file.statements.push({
      line,
      name: match[0].toLowerCase(),
      written: match[0],
      args,
      comment: match[2]?.trim() || undefined,
      raw,
    });
  });
  return file;
}
