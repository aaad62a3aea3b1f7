/**
 * @module
 * A ttidef filter pattern (SPEC.md 3.2) as the source of a JavaScript regular expression for the line rules
 * of a `source:` section (skip, stop, section, heading), which take regexes, not patterns.
 */

const escapeChar = (c: string): string => (/[\\^$.*+?()[\]{}|/]/.test(c) ? `\\${c}` : c);
const escapeClass = (c: string): string => (/[\\\]^-]/.test(c) ? `\\${c}` : c);

/** Translate a `[...]` class at `start`; returns the regex class and the index after `]`. */
function charClass(pattern: string, start: number): [string, number] {
  let i = start + 1;
  const negate = pattern[i] === "!";
  if (negate) i++;
  let body = "";
  for (let first = true; i < pattern.length; i++, first = false) {
    const c = pattern[i];
    if (c === "]" && !first) break;
    if (c === "|") continue;
    if (pattern[i + 1] === "-" && i + 2 < pattern.length && pattern[i + 2] !== "]") {
      body += `${escapeClass(c)}-${escapeClass(pattern[i + 2])}`;
      i += 2;
    } else {
      body += escapeClass(c);
    }
  }
  if (i >= pattern.length) throw new SyntaxError(`"[" at position ${start + 1} is not closed with "]"`);
  return [`[${negate ? "^" : ""}${body}]`, i + 1];
}

/** The regex of a pattern without its anchors; `closeGroups` closes groups left open. */
function body(pattern: string): { source: string; unclosed: number } {
  let source = "";
  let depth = 0;
  for (let i = 0; i < pattern.length;) {
    const c = pattern[i];
    if (c === "[") {
      const [cls, next] = charClass(pattern, i);
      source += cls;
      i = next;
      continue;
    }
    if (c === "*") source += ".*";
    else if (c === "?") source += ".";
    else if (c === "(") {
      source += "(?:";
      depth++;
    } else if (c === ")") {
      if (depth === 0) throw new SyntaxError(`")" at position ${i + 1} has no matching "("`);
      source += ")";
      depth--;
    } else if (c === "|" && depth > 0) source += "|";
    else source += escapeChar(c);
    i++;
  }
  return { source: source + ")".repeat(depth), unclosed: depth };
}

/** A line-rule regex and whether a group had to be closed (the documented `!([0-9]*` typo). */
export interface LineRegex {
  regex: string;
  closedGroups: number;
}

/**
 * Translate `AddString(type, offset, filter)`: the filter matched against the line from 0-based `offset`.
 * A trailing `*` leaves the end open, so `"LIBRARY REPORT*"` reads `^LIBRARY REPORT`.
 * @throws {SyntaxError} an unclosed `[` or a stray `)`
 */
export function lineRegex(filter: string, offset: number): LineRegex {
  const prefix = offset > 0 ? `^.{${offset}}` : "^";
  if (filter.startsWith("!(")) {
    const inner = body(filter.slice(1));
    return { regex: `${prefix}(?!${inner.source}$)`, closedGroups: inner.unclosed };
  }
  const open = filter.endsWith("*") && !filter.includes("(");
  const inner = body(open ? filter.replace(/\*+$/, "") : filter);
  return { regex: `${prefix}${inner.source}${open ? "" : "$"}`, closedGroups: inner.unclosed };
}
