/**
 * @module
 * Filter patterns of SPEC.md 3.2 (`*`, `?`, `[12]`, `[4-7]`, `[4|5]`, `[!...]`, `(A|B)` groups and a leading
 * `!(...)` negation), compiled once into a matcher. The definition loader uses it to reject a malformed
 * pattern before any input is read; the transform uses the matcher in the hot loop.
 */

/** A compiled pattern. Matching is case-sensitive and covers the whole value. */
export interface GlobMatcher {
  readonly pattern: string;
  test(value: string): boolean;
}

const SPECIAL = /[\\^$.*+?()[\]{}|/]/g;
const escape = (text: string): string => text.replace(SPECIAL, "\\$&");

/** Translate a `[...]` class starting at `start` (the `[`); returns the regex class and the next index. */
function charClass(pattern: string, start: number): [string, number] {
  let i = start + 1;
  let negate = false;
  if (pattern[i] === "!") {
    negate = true;
    i++;
  }
  let body = "";
  let first = true;
  for (; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === "]" && !first) break;
    first = false;
    if (c === "|") continue;
    if (pattern[i + 1] === "-" && i + 2 < pattern.length && pattern[i + 2] !== "]") {
      const end = pattern[i + 2];
      if (end < c) throw new SyntaxError(`range "${c}-${end}" at position ${i + 1} runs backwards`);
      body += `${escapeClass(c)}-${escapeClass(end)}`;
      i += 2;
      continue;
    }
    body += escapeClass(c);
  }
  if (i >= pattern.length) throw new SyntaxError(`"[" at position ${start + 1} is not closed with "]"`);
  return [`[${negate ? "^" : ""}${body}]`, i + 1];
}

const escapeClass = (c: string): string => (/[\\\]^-]/.test(c) ? `\\${c}` : c);

/** Translate the pattern into a regular expression source (without anchors). */
function translate(pattern: string, from: number): string {
  let source = "";
  let depth = 0;
  const opened: number[] = [];
  for (let i = from; i < pattern.length;) {
    const c = pattern[i];
    if (c === "*") {
      source += "[\\s\\S]*";
      i++;
    } else if (c === "?") {
      source += "[\\s\\S]";
      i++;
    } else if (c === "[") {
      const [cls, next] = charClass(pattern, i);
      source += cls;
      i = next;
    } else if (c === "(") {
      source += "(?:";
      depth++;
      opened.push(i + 1);
      i++;
    } else if (c === ")") {
      if (depth === 0) throw new SyntaxError(`")" at position ${i + 1} has no matching "("`);
      source += ")";
      depth--;
      opened.pop();
      i++;
    } else if (c === "|" && depth > 0) {
      source += "|";
      i++;
    } else {
      source += escape(c);
      i++;
    }
  }
  if (depth > 0) throw new SyntaxError(`"(" at position ${opened[opened.length - 1]} is not closed with ")"`);
  return source;
}

/**
 * Compile a filter pattern. A pattern without wildcards is an exact comparison.
 * @param pattern the pattern, e.g. `Vault*`, `??????L4`, `*(OFFS|LEGL)`, `!([0-9]*)`
 * @returns a matcher for whole values
 * @throws {SyntaxError} an unclosed `[` or `(`, a stray `)`, or a backwards range
 * @example
 * ```ts
 * compileGlob("Vault*").test("Vault-2"); // true
 * compileGlob("[!0-9]*").test("A1"); // true
 * ```
 */
export function compileGlob(pattern: string): GlobMatcher {
  const negate = pattern.startsWith("!(");
  const body = negate ? 1 : 0;
  if (!negate && !/[*?[(]/.test(pattern)) {
    return { pattern, test: (value) => value === pattern };
  }
  const regex = new RegExp(`^(?:${translate(pattern, body)})$`);
  return negate
    ? { pattern, test: (value) => !regex.test(value) }
    : { pattern, test: (value) => regex.test(value) };
}
