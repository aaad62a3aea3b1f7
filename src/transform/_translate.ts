/**
 * @module
 * Translation tables compiled for the hot loop: an all-exact table becomes one `Map`; a table with patterns
 * is an ordered list where the first matching entry wins. Results are literal values or ttidef templates.
 */
import { compileGlob, type TableEntry } from "../definition/mod.ts";

/**
 * Look a test value up; `current` is the value a template rewrites (the same as `test` for `translate`,
 * the translated field's own value for `translateOn`).
 * @returns the translation, or undefined when no entry matches
 */
export type Lookup = (test: string, current: string) => string | undefined;

/**
 * Apply a ttidef translation template: `*` is the value from the current position on, `~` keeps the
 * character at the current position, `^` drops it, any other character is literal.
 * @example applyTemplate("^^^~~~~~~L4", "ABC123456") === "123456L4"
 */
export function applyTemplate(template: string, value: string): string {
  let out = "";
  let at = 0;
  for (let i = 0; i < template.length; i++) {
    const c = template.charCodeAt(i);
    if (c === 42) { // *
      out += value.slice(at);
      at = value.length;
    } else if (c === 126) { // ~
      if (at < value.length) out += value[at];
      at++;
    } else if (c === 94) at++; // ^
    else out += template[i];
  }
  return out;
}

type Result = { value: string } | { template: string };

/** Compile a table's entries into a lookup. */
export function compileTable(entries: readonly TableEntry[]): Lookup {
  if (entries.every((entry) => entry.equals !== undefined && entry.value !== undefined)) {
    const map = new Map<string, string>();
    for (const entry of entries) if (!map.has(entry.equals!)) map.set(entry.equals!, entry.value!);
    return (test) => map.get(test);
  }
  const tests: ((value: string) => boolean)[] = [];
  const results: Result[] = [];
  for (const entry of entries) {
    if (entry.equals !== undefined) {
      const equals = entry.equals;
      tests.push((value) => value === equals);
    } else if (entry.match !== undefined) {
      const glob = compileGlob(entry.match);
      tests.push((value) => glob.test(value));
    } else {
      const regex = new RegExp(entry.regex!);
      tests.push((value) => regex.test(value));
    }
    results.push(entry.template !== undefined ? { template: entry.template } : { value: entry.value! });
  }
  const count = tests.length;
  return (test, current) => {
    for (let i = 0; i < count; i++) {
      if (tests[i](test)) {
        const result = results[i];
        return "value" in result ? result.value : applyTemplate(result.template, current);
      }
    }
    return undefined;
  };
}
