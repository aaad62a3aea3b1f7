/**
 * @module
 * Which fields the engine compares and caches for one run: the definition's synced fields that can have a
 * value for this input (an optional column the header lacks drops its field), plus the stored current
 * repository when repository skip rules need it. Fixed at the first record, after the header.
 */
import { activeIntentFields, type CompiledDefinition } from "../transform/mod.ts";

/**
 * The inventory field holding where a volume is now (its confirmed location, kept by the inventory, never
 * written by a sync); `repository` is the target a sync sets (SPEC.md 2.3).
 */
export const CURRENT_REPOSITORY = "currentRepository";

/** The cached fields of a run, in the order of the cached entry strings. */
export class FieldLayout {
  /** Names of the compared fields, in the order of `VolumeIntent.values` (the active fields). */
  readonly names: readonly string[];
  /** For each compared field, whether it is in alert mode. */
  readonly alert: readonly boolean[];
  /** Position of `repository` among the compared fields, -1 when not compared. */
  readonly repository: number;
  /** Position of the cached current repository, -1 when not cached. */
  readonly current: number;
  /** Names of every cached field (compared fields, then the current repository if cached). */
  readonly cached: readonly string[];

  /**
   * @param compiled the compiled definition, after its header
   * @param withCurrent cache the current repository (repository skip rules are present)
   */
  constructor(compiled: CompiledDefinition, withCurrent: boolean) {
    const fields = activeIntentFields(compiled);
    this.names = fields.map((field) => field.name);
    this.alert = fields.map((field) => field.mode === "alert");
    this.repository = this.names.indexOf("repository");
    const cached = [...this.names];
    if (withCurrent && this.repository >= 0) cached.push(CURRENT_REPOSITORY);
    this.current = cached.length > this.names.length ? this.names.length : -1;
    this.cached = cached;
  }
}
