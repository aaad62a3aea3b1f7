/**
 * @module
 * The SQL condition of a `--volume` filter, shared by the stores: an exact volume, or a prefix when the
 * value ends in `*`.
 */

/**
 * The condition for an exact volume, or a prefix when the value ends in `*`. A prefix becomes a range
 * `[prefix, prefix with its last character raised by one)`, which an index can walk: in UTF-8 byte order
 * (SQLite) and in code point order (PostgreSQL's "C" collation) that range holds exactly the strings that
 * start with the prefix.
 * @param column the column (or expression) compared
 * @returns the condition with a `?` per value, then the values; undefined for a bare `*` (every volume)
 */
export function volumeCondition(column: string, volume: string): [string, ...string[]] | undefined {
  if (!volume.endsWith("*")) return [`${column} = ?`, volume];
  const chars = Array.from(volume.slice(0, -1));
  if (chars.length === 0) return undefined;
  const prefix = chars.join("");
  while (chars.length > 0) {
    const code = chars[chars.length - 1].codePointAt(0) ?? 0;
    if (code < 0x10ffff) {
      // Skip the surrogate range, which is not a character of its own.
      chars[chars.length - 1] = String.fromCodePoint(code + 1 === 0xd800 ? 0xe000 : code + 1);
      return [`${column} >= ? AND ${column} < ?`, prefix, chars.join("")];
    }
    chars.pop();
  }
  return [`${column} >= ?`, prefix];
}
