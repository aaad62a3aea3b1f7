/**
 * @module
 * The tokens format: lines of words, where `KEY:value` words fill the column of their key and the
 * leading words without a key fill the `positional` columns (Amanda's tapelist:
 * `20251104021503 ACME-0112 reuse BARCODE:AM0112L7 POOL:ACME`). A key that does not occur gives "". A line
 * that is only a trailing comment (the marker indented) is skipped as "comment".
 */
import type { SourceSpec } from "../definition/mod.ts";
import { COMMENT } from "./_line_rules.ts";
import type { LineParser } from "./_line_source.ts";

type TokensSourceSpec = Extract<SourceSpec, { format: "tokens" }>;

const WORDS = /\s+/;

/** Build the tokens parser. */
export function tokensParser(spec: TokensSourceSpec): LineParser {
  const names = [...spec.positional, ...spec.keys];
  const keyColumn = new Map(spec.keys.map((key, i) => [key, spec.positional.length + i]));
  const commentAt = spec.commentColumn === undefined ? -1 : names.push(spec.commentColumn) - 1;
  const restAt = spec.rest === undefined ? -1 : names.push(spec.rest) - 1;
  const separator = spec.separator;
  const marker = spec.trailingComment;
  let headerSent = false;
  return {
    line(text, lineNo, out) {
      let body = text;
      let comment = "";
      if (marker !== undefined) {
        const inside = text.indexOf(` ${marker}`);
        const at = text.startsWith(marker) ? 0 : inside === -1 ? -1 : inside + 1;
        if (at !== -1) {
          body = text.slice(0, at);
          comment = text.slice(at + marker.length).trim();
        }
      }
      const trimmed = body.trim();
      if (trimmed === "") return out.skip(COMMENT, lineNo, 1);
      const values = new Array<string>(names.length).fill("");
      const rest: string[] = [];
      let positional = 0;
      let keySeen = false;
      for (const word of trimmed.split(WORDS)) {
        const cut = word.indexOf(separator);
        const column = cut > 0 ? keyColumn.get(word.slice(0, cut)) : undefined;
        if (column !== undefined) {
          values[column] = word.slice(cut + separator.length);
          keySeen = true;
        } else if (!keySeen && positional < spec.positional.length) values[positional++] = word;
        else rest.push(word);
      }
      if (commentAt !== -1) values[commentAt] = comment;
      if (restAt !== -1) values[restAt] = rest.join(" ");
      if (!headerSent) {
        out.header(names, lineNo, 0);
        headerSent = true;
      }
      out.record(values, lineNo, 1);
    },
    end() {},
  };
}
