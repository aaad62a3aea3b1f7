/**
 * @module
 * Walks the cursor pages of an inventory listing (volumes, history) up to an optional limit, on an
 * inventory opened read-only and logged on for the purpose.
 */
import type { Inventory } from "../inventory/mod.ts";
import type { CliIo } from "./cli_io.ts";
import { type InventoryTarget, openInventory } from "./open_inventory.ts";

/** Rows per page asked of the inventory. */
const PAGE = 1000;

/**
 * Collect the items of every page, or the first `limit` items.
 * @param fetch one page: the items and the cursor of the next page (absent on the last)
 * @param limit at most this many items; undefined for all
 */
async function collectPages<T>(
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

/**
 * Open the inventory read-only, log on, collect a listing's pages, close.
 * @param target `--server`, `--db`, `--password-file` of the command
 * @param fetch one page of the listing from the inventory
 */
export async function collectListing<T>(
  target: InventoryTarget,
  io: CliIo,
  limit: number | undefined,
  fetch: (
    inventory: Inventory,
    limit: number,
    after: string | undefined,
  ) => Promise<{ items: T[]; next?: string }>,
): Promise<T[]> {
  const inventory = await openInventory({ ...target, readOnly: true }, io);
  try {
    await inventory.logon();
    return await collectPages((want, after) => fetch(inventory, want, after), limit);
  } finally {
    await inventory.close();
  }
}
