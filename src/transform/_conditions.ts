/**
 * @module
 * Conditions (filters, date adjustments) compiled into predicates over a record: a field's value after its
 * steps (before date or boolean formatting), or a raw column (a column the record lacks reads as "").
 */
import { compileGlob, type ConditionSpec } from "../definition/mod.ts";
import type { ColumnSlot } from "./_columns.ts";

/** A compiled condition; `fields` holds the field texts by slot, `values` the raw record. */
export type Condition = (fields: readonly (string | undefined)[], values: readonly string[]) => boolean;

/** Compile the test part of a condition (equals, in, glob, regex). */
function compileTest(spec: ConditionSpec): (value: string) => boolean {
  if (spec.equals !== undefined) {
    const equals = spec.equals;
    return (value) => value === equals;
  }
  if (spec.in !== undefined) {
    const set = new Set(spec.in);
    return (value) => set.has(value);
  }
  if (spec.glob !== undefined) {
    const globs = spec.glob.map(compileGlob);
    if (globs.length === 1) return globs[0].test;
    return (value) => globs.some((glob) => glob.test(value));
  }
  const regex = new RegExp(spec.regex!);
  return (value) => regex.test(value);
}

/**
 * Compile a condition.
 * @param slotOf field name to its slot
 * @param column registers the condition's column and returns its slot
 */
export function compileCondition(
  spec: ConditionSpec,
  slotOf: (field: string) => number,
  column: () => ColumnSlot,
): Condition {
  const test = compileTest(spec);
  if (spec.field !== undefined) {
    const slot = slotOf(spec.field);
    return (fields) => test(fields[slot] ?? "");
  }
  const ref = column();
  return (_fields, values) => test(ref.missing ? "" : values[ref.index] ?? "");
}
