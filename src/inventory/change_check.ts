/**
 * @module
 * The conflict rule every store applies to a batch, in one place: a change is written only when the
 * stored volume is what the batch expected (its old values), and changes are written in volume order.
 * `planBatch` applies it to a whole batch, so a store only reads the stored fields and writes the plan.
 */
import type { BatchResult, ChangeBatch, Conflict, FieldValues, VolumeChange } from "./model.ts";
import { type AuditChange, encodeAuditChanges } from "./audit_rows.ts";

/**
 * The conflicts of one change against the stored fields (null = no such volume): `missing` for an update
 * of an absent volume, `exists` for an add of a present one, else one `changed` per field whose stored
 * value is not the old value the batch expects. No conflict means the change may be written.
 */
export function checkChange(change: VolumeChange, fields: FieldValues | null): Conflict[] {
  if (fields === null && change.op === "update") {
    return [{ volume: change.volume, field: "", expected: null, actual: null, reason: "missing" }];
  }
  if (fields !== null && change.op === "add") {
    return [{ volume: change.volume, field: "", expected: null, actual: null, reason: "exists" }];
  }
  const conflicts: Conflict[] = [];
  for (const field in change.changes) {
    const expected = change.changes[field].old;
    const actual = fields?.[field] ?? null;
    if (expected !== actual) {
      conflicts.push({ volume: change.volume, field, expected, actual, reason: "changed" });
    }
  }
  return conflicts;
}

/** The changes sorted by volume (stable), without copying when they already are, as the engine sends them. */
export function inVolumeOrder(changes: VolumeChange[]): VolumeChange[] {
  for (let i = 1; i < changes.length; i++) {
    if (changes[i - 1].volume > changes[i].volume) {
      return [...changes].sort((a, b) => (a.volume < b.volume ? -1 : a.volume > b.volume ? 1 : 0));
    }
  }
  return changes;
}

/**
 * Apply a change that passed `checkChange` to the stored fields: the new fields of the volume, with
 * `audit` called once per field whose value really changes (a new value equal to the stored one is not a
 * change and is not audited; `null` removes the field).
 * @returns the volume's fields after the change, and how many fields changed
 */
export function applyChange(
  change: VolumeChange,
  fields: FieldValues | null,
  audit: (field: string, old: string | null, value: string | null) => void,
): { next: FieldValues; changed: number } {
  const next: FieldValues = { ...fields };
  let changed = 0;
  for (const field in change.changes) {
    const wanted = change.changes[field].new;
    const old = fields?.[field] ?? null;
    if (wanted === old) continue;
    if (wanted === null) delete next[field];
    else next[field] = wanted;
    audit(field, old, wanted);
    changed++;
  }
  return { next, changed };
}

/** A volume a batch writes, with its fields after all of the batch's changes to it. */
export interface PlannedVolume {
  volume: string;
  fields: FieldValues;
  /** Whether the store held the volume before the batch (false: the batch adds it). */
  existed: boolean;
  /** Index in `BatchPlan.audit` of the row of the volume's add; -1 when it existed or its add set no field. */
  addRow: number;
}

/** What a batch writes, worked out before any write by {@link planBatch}. */
export interface BatchPlan {
  /** The batch's answer: counts and conflicts (`replayed` false). */
  result: BatchResult;
  /** Every volume written, once each, in volume order. */
  volumes: PlannedVolume[];
  /**
   * One audit row per changed volume, in volume order: the volume, its changes as stored (JSON), and
   * whether the row is the volume's add (the stores keep that row with the volume, not in `volume_changes`
   * or the index of audit rows by volume).
   */
  audit: { volume: string; changes: string; added: boolean }[];
}

/**
 * Check every change of a batch, in volume order, against the stored fields (or what an earlier change of
 * the same volume in this batch made of them), count it, and collect what to write.
 *
 * No volume string becomes a map key here unless the store found some of the batch's volumes: V8 hashes a
 * string the first time through a call into its runtime (about 400 ns), and a batch of adds brings only
 * new strings. Changes of one volume are next to each other in volume order, so the volume planned last
 * is the only one an earlier change can have made.
 * @param stored the stored fields (JSON text) of the batch's volumes that exist
 */
export function planBatch(batch: ChangeBatch, stored: Map<string, string>): BatchPlan {
  const result: BatchResult = {
    batchId: batch.id,
    added: 0,
    updated: 0,
    fieldsChanged: 0,
    conflicts: [],
    replayed: false,
  };
  const plan: BatchPlan = { result, volumes: [], audit: [] };
  const lookUp = stored.size > 0;
  let last: PlannedVolume | undefined;
  for (const change of inVolumeOrder(batch.changes)) {
    const planned = last !== undefined && last.volume === change.volume ? last : undefined;
    let fields: FieldValues | null;
    if (planned !== undefined) fields = planned.fields;
    else {
      const text = lookUp ? stored.get(change.volume) : undefined;
      fields = text === undefined ? null : JSON.parse(text) as FieldValues;
    }
    const conflicts = checkChange(change, fields);
    if (conflicts.length > 0) {
      result.conflicts.push(...conflicts);
      continue;
    }
    const audit: AuditChange[] = [];
    const { next, changed } = applyChange(change, fields, (field, old, wanted) => {
      audit.push([field, old, wanted]);
    });
    const added = fields === null;
    if (added) result.added++;
    else if (changed === 0) continue;
    else result.updated++;
    if (changed > 0) {
      plan.audit.push({ volume: change.volume, changes: encodeAuditChanges(audit), added });
    }
    result.fieldsChanged += changed;
    if (planned !== undefined) planned.fields = next;
    else {
      last = {
        volume: change.volume,
        fields: next,
        existed: !added,
        addRow: added && changed > 0 ? plan.audit.length - 1 : -1,
      };
      plan.volumes.push(last);
    }
  }
  return plan;
}
