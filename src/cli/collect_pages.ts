/**
 * @module
 * Walks the cursor pages of an inventory listing (volumes, history) up to an optional limit.
 */

/** Rows per page asked of the inventory. */
const PAGE = 1000;

/**
 * Collect the items of every page, or the first `limit` items.
 * @param fetch one page: the items and the cursor of the next page (absent on the last)
 * @param limit at most this many items; undefined for all
 */
export async function collectPages<T>(
  fetch: (limit: number, after: string | undefined) => Promise<{ items: T[]; next?: string }>,
  limit: number | undefined,
): Promise<T[]> {
  const items: T[] = [];
  let after: string | undefined;
  do {
    const page = await fetch(limit === undefined ? PAGE : Math.min(PAGE, limit - items.length), after);
    items.push(...page.items);
    after = page.next;
  } while (after !== undefined && (limit === undefined || items.length < limit));
  return items;
}
