/**
 * @module
 * What a compiled definition turns a record into: a volume intent (scope, volume ID and the values of the
 * fields the definition sets) or a skip with its reason. The engine consumes only these types.
 */

/** How a field difference is handled: written (`update`) or only reported (`alert`). */
export type FieldMode = "update" | "alert";

/** A syncable field the definition sets, other than the key fields customer, media and volume. */
export interface IntentField {
  /** Canonical field name, e.g. `repository`, `moveDate`, `attr12`. */
  name: string;
  mode: FieldMode;
}

/** One record worked out into a volume and its fields. */
export interface VolumeIntent {
  kind: "volume";
  line: number;
  customer: string;
  media: string;
  volume: string;
  /**
   * Canonical values of the active fields: those of `CompiledDefinition.fields` that `activeFields()` marks
   * true, in that order (all of them before the header, or without `activeFields`). A field whose optional
   * column the input lacks takes no place, so a record of a 4-column export does not carry 24 empty slots
   * (measured: 1,000,000 records, steady state, 0.86x the time). `undefined` means the record gives no
   * value for that field, so it is neither compared nor written; `""` is never used (an empty value is
   * undefined unless the field says `empty: clear`, which yields `null`, meaning "remove the value").
   * `intentFields()` gives them by name.
   */
  values: (string | null | undefined)[];
}

/** A record deliberately not synced (filter, exclusion), with a stable reason for the statistics. */
export interface RecordSkip {
  kind: "skip";
  line: number;
  reason: string;
}

/**
 * A veto on a repository change (SPEC.md AddSkipOnRepositoryChange): the update of a volume is skipped when
 * the proposed target, the existing target and the existing current repository all match.
 */
export interface RepositorySkip {
  /** Statistics key of the skip. */
  reason: string;
  /** `null` reads as "" (no value). */
  matches(proposed: string, target: string | null, current: string | null): boolean;
}

/** A definition compiled once into plain functions for the hot loop. */
export interface CompiledDefinition {
  /** Fields other than customer/media/volume; the active ones are those of `VolumeIntent.values`. */
  readonly fields: readonly IntentField[];
  /**
   * Called when the source yields a header row: resolves named columns to indexes.
   * @throws {DefinitionError} a column the definition names is not in the header (nothing has been written yet)
   */
  header(names: readonly string[], line: number): void;
  /**
   * Work out one record.
   * @throws {InputRecordError} the record cannot be used (bad date, value too long, missing column ...)
   */
  apply(values: readonly string[], line: number): VolumeIntent | RecordSkip;
  /**
   * Which of `fields` can have a value for this input, once `header()` has run: false for a field read from
   * an optional column the header lacks. The engine compares and caches only the active fields.
   */
  activeFields?(): readonly boolean[];
  /** Repository-change vetoes in definition order (absent or empty: none); applied by the engine. */
  readonly repositorySkips?: readonly RepositorySkip[];
}

/** The fields of `compiled` that intents carry values for, in the order of `VolumeIntent.values`. */
export function activeIntentFields(compiled: CompiledDefinition): IntentField[] {
  const active = compiled.activeFields?.();
  return active === undefined ? [...compiled.fields] : compiled.fields.filter((_, i) => active[i]);
}

/** The values an intent gives (a value or null for "clear"), by field name. */
export function intentFields(
  compiled: CompiledDefinition,
  intent: VolumeIntent,
): Record<string, string | null> {
  const fields: Record<string, string | null> = {};
  activeIntentFields(compiled).forEach((field, i) => {
    const value = intent.values[i];
    if (value !== undefined) fields[field.name] = value;
  });
  return fields;
}
