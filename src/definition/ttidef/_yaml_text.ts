/**
 * @module
 * Small pieces of YAML text for the importer's output: scalars quoted only when needed, flow maps, and
 * end-of-line comments that never break the document.
 */

const PLAIN = /^[A-Za-z_][A-Za-z0-9_ ./-]*$/;
const RESERVED = /^(?:true|false|yes|no|on|off|null|y|n)$/i;

/**
 * A string as a YAML scalar: plain when safe, else double-quoted (JSON strings are valid YAML). `${` is
 * written `$${` so that a ttidef literal is never read as a definition parameter.
 */
export function scalar(value: string | number): string {
  if (typeof value === "number") return String(value);
  const text = value.replaceAll("${", () => "$${");
  return PLAIN.test(text) && !RESERVED.test(text) && !text.endsWith(" ") ? text : JSON.stringify(text);
}

/** A flow map `{ a: 1, b: x }` of already-rendered values; undefined entries are left out. */
export function flow(entries: Record<string, string | undefined>): string {
  const parts = Object.entries(entries).filter(([, value]) => value !== undefined).map(([key, value]) =>
    `${key}: ${value}`
  );
  return `{ ${parts.join(", ")} }`;
}

/** ` # text` for the end of a line, on one line. */
export function comment(text: string | undefined): string {
  return text ? ` # ${text.replace(/[\r\n]+/g, " ")}` : "";
}

/** `line N: raw` for a comment that quotes the original statement. */
export function origin(line: number, raw: string): string {
  return `line ${line}: ${raw}`;
}
