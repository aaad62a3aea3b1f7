/**
 * @module
 * Field templates that join columns and text (`"{site}-{slot}"`, `"{1}{3}"`): parsed when the definition
 * loads, so a malformed template is a definition error, and compiled by the transform into a join of
 * resolved column indexes.
 */

/** A piece of a template: literal text, or a column by header name or 1-based index. */
export type TemplatePart = { text: string } | { name: string } | { index: number };

/**
 * Parse a template. `{name}` names a column, `{3}` is the 3rd column, `{{` and `}}` are literal braces.
 * @throws {SyntaxError} an unclosed or empty `{}`, or a stray `}`
 * @example
 * ```ts
 * parseColumnTemplate("{site}-{2}"); // [{ name: "site" }, { text: "-" }, { index: 2 }]
 * ```
 */
export function parseColumnTemplate(template: string): TemplatePart[] {
  const parts: TemplatePart[] = [];
  let text = "";
  for (let i = 0; i < template.length; i++) {
    const c = template[i];
    if ((c === "{" || c === "}") && template[i + 1] === c) {
      text += c;
      i++;
    } else if (c === "}") {
      throw new SyntaxError(`"}" at position ${i + 1} has no "{": write "}}" for a brace`);
    } else if (c === "{") {
      const end = template.indexOf("}", i + 1);
      if (end < 0) throw new SyntaxError(`"{" at position ${i + 1} is not closed with "}"`);
      const ref = template.slice(i + 1, end).trim();
      if (ref === "") throw new SyntaxError(`"{}" at position ${i + 1} names no column`);
      if (text) parts.push({ text });
      text = "";
      parts.push(/^\d+$/.test(ref) ? { index: Number(ref) } : { name: ref });
      i = end;
    } else text += c;
  }
  if (text) parts.push({ text });
  return parts;
}
