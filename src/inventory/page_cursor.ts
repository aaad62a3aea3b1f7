/**
 * @module
 * Paging of listings shared by the stores: the page-size rule and the opaque cursors (`next`/`after`),
 * which carry the key of the last row of a page as base64url JSON tagged with the listing kind.
 */

/** Rows per page when the query names no limit. */
export const DEFAULT_PAGE_LIMIT = 100;
/** The largest page a store returns; larger limits are lowered to it. */
export const MAX_PAGE_LIMIT = 10_000;

/**
 * Validate a page limit: default 100, at most 10,000.
 * @throws {RangeError} not a positive integer
 */
export function pageLimit(limit: number | undefined): number {
  if (limit === undefined) return DEFAULT_PAGE_LIMIT;
  if (!Number.isInteger(limit) || limit < 1) {
    throw new RangeError(
      `Cannot page the inventory: "limit" must be a positive integer: current value is ${limit}`,
    );
  }
  return Math.min(limit, MAX_PAGE_LIMIT);
}

/** Encode a cursor: the listing kind first, then the key parts of the page's last row. */
export function encodeCursor(key: (string | number)[]): string {
  const bytes = new TextEncoder().encode(JSON.stringify(key));
  return btoa(String.fromCharCode(...bytes)).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

/**
 * Decode a cursor of the given kind into its key parts.
 * @param kind "h" (history: numeric ids) or a volume listing kind (string keys)
 * @param parts how many key parts the kind has
 * @throws {RangeError} not a cursor this store issued for that kind
 */
export function decodeCursor(cursor: string, kind: string, parts: number): (string | number)[] {
  let key: unknown;
  try {
    const binary = atob(cursor.replaceAll("-", "+").replaceAll("_", "/"));
    key = JSON.parse(new TextDecoder().decode(Uint8Array.from(binary, (c) => c.charCodeAt(0))));
  } catch {
    key = undefined;
  }
  const valid = Array.isArray(key) && key.length === parts + 1 && key[0] === kind &&
    key.slice(1).every((part) => typeof part === (kind === "h" ? "number" : "string"));
  if (!valid) {
    throw new RangeError(
      `Cannot page the inventory: "after" must be the "next" cursor of a previous page: current value is "${cursor}"`,
    );
  }
  return (key as (string | number)[]).slice(1);
}
