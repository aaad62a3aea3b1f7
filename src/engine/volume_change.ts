/**
 * @module
 * Works out a volume's change from two cached entries (before the run changed it, and now), over the
 * compared fields: the form in which pending changes are kept until their batch is built.
 */
import type { FieldChange, VolumeChange } from "../inventory/mod.ts";
import { ABSENT, FIELD_SEPARATOR } from "./scope_cache.ts";

/**
 * The change from one cached entry to another.
 * @param names the compared fields, in the order of the entry strings
 * @param before the entry before the change; `null` for a volume to add
 * @param after the entry now
 */
export function volumeChange(
  names: readonly string[],
  volume: string,
  before: string | null,
  after: string,
): VolumeChange {
  const next = after.split(FIELD_SEPARATOR);
  const changes: Record<string, FieldChange> = {};
  if (before === null) {
    for (let i = 0; i < names.length; i++) {
      if (next[i] !== ABSENT) changes[names[i]] = { old: null, new: next[i] };
    }
    return { volume, op: "add", changes };
  }
  const previous = before.split(FIELD_SEPARATOR);
  for (let i = 0; i < names.length; i++) {
    if (previous[i] === next[i]) continue;
    changes[names[i]] = {
      old: previous[i] === ABSENT ? null : previous[i],
      new: next[i] === ABSENT ? null : next[i],
    };
  }
  return { volume, op: "update", changes };
}
