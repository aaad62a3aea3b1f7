/**
 * @module
 * The regex format: one regular expression per line; its named groups are the columns, in the order they
 * appear in the pattern. Lines it does not match are skipped with the `unmatched` reason.
 */
import type { SourceSpec } from "../definition/mod.ts";
import type { LineParser } from "./_line_source.ts";

type RegexSourceSpec = Extract<SourceSpec, { format: "regex" }>;

/** Build the regex parser. */
export function regexParser(spec: RegexSourceSpec): LineParser {
  const pattern = new RegExp(spec.pattern, spec.ignoreCase ? "i" : "");
  // A pattern that also matches "" lists every named group, in pattern order.
  const names = Object.keys(new RegExp(`${spec.pattern}|`).exec("")?.groups ?? {});
  let headerSent = false;
  return {
    line(text, lineNo, out) {
      const groups = pattern.exec(text)?.groups;
      if (groups === undefined) return out.skip(spec.unmatched, lineNo, 1);
      if (!headerSent) {
        out.header(names, lineNo, 0);
        headerSent = true;
      }
      const values = new Array<string>(names.length);
      for (let i = 0; i < names.length; i++) values[i] = groups[names[i]] ?? "";
      out.record(values, lineNo, 1);
    },
    end() {},
  };
}
