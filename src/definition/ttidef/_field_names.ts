/**
 * @module
 * ttidef field names (SPEC.md 2.4, 2.5) to the canonical tapesync names of `src/definition/fields.ts`,
 * including the documented misspellings (WRITEDATE, MOUNTTIME, SPEC.md 3.6).
 */

const NAMES: Readonly<Record<string, string>> = {
  CONTAINER: "container",
  CUSTOMER: "customer",
  DATACLUSTER: "dataCluster",
  DESCRIPTION: "description",
  ENCRYPTED: "encrypted",
  EXPIRYDATE: "expiryDate",
  GENERATION: "generation",
  HIDDEN: "hidden",
  HOMEREPOSITORY: "homeRepository",
  HOMESLOT: "homeSlot",
  "INITIAL REPOSITORY": "initialRepository",
  INITIALREPOSITORY: "initialRepository",
  MEDIA: "media",
  MOUNTIME: "mountTime",
  MOUNTTIME: "mountTime",
  MOVEDATE: "moveDate",
  MOVELOCK: "moveLock",
  QUALITYCHECK: "qualityCheck",
  READTIME: "readTime",
  REPOSITORY: "repository",
  SCRATCH: "scratch",
  SLOT: "slot",
  STAGE: "stage",
  STOCKID: "stockId",
  SYSTEM: "system",
  USAGE: "usage",
  USAGECOUNT: "usageCount",
  VOLUME: "volume",
  WRITEDATE: "writeTime",
  WRITETIME: "writeTime",
};

/**
 * The tapesync field of a ttidef field name (any case), or why there is none.
 * @returns `{ name }` or `{ problem }` in the message style of STYLE.md
 */
export function tapesyncField(ttidef: string): { name: string } | { problem: string } {
  const upper = ttidef.toUpperCase().replace(/\s+/g, " ");
  if (Object.hasOwn(NAMES, upper)) return { name: NAMES[upper] };
  const user = /^USER([1-9]\d*)$/.exec(upper);
  if (user) {
    return Number(user[1]) <= 9
      ? { name: `user${user[1]}` }
      : { problem: `field "${ttidef}" has no equivalent: tapesync has comparison fields USER1 to USER9` };
  }
  if (upper === "REPOSITORY_DESC") {
    return {
      problem:
        `field "REPOSITORY_DESC" has no equivalent: translate the description to the repository ID with a table instead`,
    };
  }
  return { problem: `field "${ttidef}" is not a known field (SPEC.md 2.4)` };
}

/** Date and date-time fields, which need a format before they can be synced. */
export const DATE_FIELDS: ReadonlySet<string> = new Set([
  "moveDate",
  "expiryDate",
  "writeTime",
  "readTime",
  "mountTime",
]);
