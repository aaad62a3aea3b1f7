/**
 * @module
 * The catalog of inventory fields a definition can set (SPEC.md 2.4), in camelCase, with the type that fixes
 * their output format and the length limit checked after all steps. Also the comparison-only fields
 * `user1`..`user9` (SPEC.md 2.5): usable in filters, conditions and `translateOn`, never synced.
 */

/**
 * How a field's value is checked and written:
 * - `volume`: 1..10 of `A-Z`, `0-9`, `-`, not starting with `-` (SPEC.md 2.2);
 * - `id`: 1..`max` letters and digits (customer, media, repository IDs);
 * - `text`: any text up to `max` characters;
 * - `boolean`: `YES` or `NO`;
 * - `integer`: a whole number 0..2147483647, written without leading zeros;
 * - `date`: `YYYY-MM-DD`; `datetime`: `YYYY-MM-DD HH:MM` (minute precision).
 */
export type FieldType = "volume" | "id" | "text" | "boolean" | "integer" | "date" | "datetime";

/** What the catalog knows about one field. */
export interface FieldInfo {
  name: string;
  type: FieldType;
  /** Maximum length in characters of the written value (text, id, volume). */
  max: number;
  /** Part of the scope key or the volume key: required, never `empty: clear`. */
  key: boolean;
  /** Comparison-only (user1..user9): computed, never synced. */
  comparisonOnly: boolean;
}

const info = (
  name: string,
  type: FieldType,
  max: number,
  key = false,
  comparisonOnly = false,
): FieldInfo => ({
  name,
  type,
  max,
  key,
  comparisonOnly,
});

/**
 * Limits for the fields SPEC.md 2.4 leaves blank are our decisions (documented in docs/definitions.md):
 * repository IDs take the 4 of REPOSITORY, free text takes 64 like MOVEDATE/WRITETIME.
 */
const CATALOG: readonly FieldInfo[] = [
  info("volume", "volume", 10, true),
  info("customer", "id", 4, true),
  info("media", "id", 4, true),
  info("repository", "id", 4),
  info("slot", "text", 10),
  info("container", "text", 20),
  info("description", "text", 256),
  info("scratch", "boolean", 3),
  info("encrypted", "boolean", 3),
  info("moveDate", "date", 10),
  info("expiryDate", "date", 10),
  info("writeTime", "datetime", 16),
  info("readTime", "datetime", 16),
  info("mountTime", "datetime", 16),
  info("system", "text", 10),
  info("dataCluster", "text", 256),
  info("homeRepository", "id", 4),
  info("homeSlot", "integer", 10),
  info("initialRepository", "id", 4),
  info("generation", "text", 64),
  info("hidden", "boolean", 3),
  info("moveLock", "boolean", 3),
  info("qualityCheck", "text", 64),
  info("stage", "text", 64),
  info("stockId", "text", 64),
  info("usage", "text", 64),
  info("usageCount", "integer", 10),
  ...Array.from({ length: 200 }, (_, i) => info(`attr${i + 1}`, "text", 256)),
  ...Array.from({ length: 9 }, (_, i) => info(`user${i + 1}`, "text", 256, false, true)),
];

const BY_NAME: ReadonlyMap<string, FieldInfo> = new Map(CATALOG.map((field) => [field.name, field]));

/** The key fields every definition must set. */
export const KEY_FIELDS: readonly string[] = ["customer", "media", "volume"];

/**
 * Look a field up by its canonical name.
 * @returns the field, or undefined for a name that is not in the catalog
 */
export function fieldInfo(name: string): FieldInfo | undefined {
  return BY_NAME.get(name);
}

/** Canonical names of the non-numbered fields (for messages: the numbered ones are summarized). */
export function fieldNames(): string[] {
  return CATALOG.filter((field) => !/\d$/.test(field.name)).map((field) => field.name);
}

/** Words a boolean field accepts unless it lists its own (`bool:`); compared without regard to case. */
export const DEFAULT_TRUE_WORDS: readonly string[] = ["YES", "TRUE"];
export const DEFAULT_FALSE_WORDS: readonly string[] = ["NO", "FALSE"];

const VOLUME_ID = /^[A-Z0-9][A-Z0-9-]*$/;
const ALNUM = /^[A-Za-z0-9]+$/;
const DIGITS = /^\d+$/;

/**
 * Check a value of a volume, id, text or integer field against its rules and limit (booleans and dates are
 * checked by parsing them).
 * @returns undefined when the value is good, else what is wrong (message style of STYLE.md)
 */
export function checkFieldValue(field: FieldInfo, value: string): string | undefined {
  const length = value.length;
  switch (field.type) {
    case "volume":
      if (length > field.max) {
        return `"${value}" is ${length} characters: a volume ID has at most ${field.max}`;
      }
      if (!VOLUME_ID.test(value)) {
        return `"${value}" is not a volume ID: use A-Z, 0-9 and "-" (not first), upper case only`;
      }
      return undefined;
    case "id":
      if (length > field.max) return `"${value}" is ${length} characters: the limit is ${field.max}`;
      if (!ALNUM.test(value)) return `"${value}" must be letters and digits only`;
      return undefined;
    case "integer":
      if (!DIGITS.test(value) || value.length > 10 || Number(value) > 2147483647) {
        return `"${value}" is not a whole number from 0 to 2147483647`;
      }
      return undefined;
    default:
      if (length > field.max) {
        return `"${
          value.length > 40 ? `${value.slice(0, 40)}...` : value
        }" is ${length} characters: the limit is ${field.max}`;
      }
      return undefined;
  }
}
