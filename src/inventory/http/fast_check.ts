/**
 * @module
 * Fast checks for the two bodies that carry bulk data (a batch and a line of a scope stream). They accept
 * exactly what the zod schemas accept, or less: when a check says no, the caller runs the zod schema, which
 * either accepts after all or explains the fault with its field path. On loopback, zod on every row cost
 * about a fifth of the HTTP path's time.
 */
import type { BatchBody, ScopeLine } from "./wire_schemas.ts";
import { MAX_BATCH_CHANGES } from "./wire_schemas.ts";

const SCOPE_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;
const OPAQUE_ID = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$/;
const FIELD_NAME = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;
const PRINTABLE_ID = /^[^\p{Cc}/\\]+$/u;
const MAX_VALUE = 4096;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isVolumeId(value: unknown): value is string {
  return typeof value === "string" && value.length >= 1 && value.length <= 64 && PRINTABLE_ID.test(value);
}

function isValue(value: unknown): value is string {
  return typeof value === "string" && value.length <= MAX_VALUE;
}

/** Field names seen valid in this call, so a name repeated on every row is tested once. */
function fieldNameChecker(): (name: string) => boolean {
  const known = new Set<string>();
  return (name) => {
    if (known.has(name)) return true;
    if (!FIELD_NAME.test(name)) return false;
    known.add(name);
    return true;
  };
}

function hasKeys(value: Record<string, unknown>, count: number): boolean {
  let n = 0;
  for (const _ in value) n++;
  return n === count;
}

/**
 * The body of `PUT /api/v1/batches/:batchId`, if it passes without question.
 * @returns the body typed, or undefined when `batchBodySchema` must decide
 */
export function checkBatchBody(value: unknown): BatchBody | undefined {
  if (!isPlainObject(value) || !hasKeys(value, 4)) return undefined;
  const { runId, customer, media, changes } = value;
  if (typeof runId !== "string" || !OPAQUE_ID.test(runId)) return undefined;
  if (typeof customer !== "string" || !SCOPE_ID.test(customer)) return undefined;
  if (typeof media !== "string" || !SCOPE_ID.test(media)) return undefined;
  if (!Array.isArray(changes) || changes.length > MAX_BATCH_CHANGES) return undefined;
  const fieldName = fieldNameChecker();
  for (const change of changes) {
    if (!isPlainObject(change) || !hasKeys(change, 3) || !isVolumeId(change.volume)) return undefined;
    if (change.op !== "add" && change.op !== "update") return undefined;
    const fields = change.changes;
    if (!isPlainObject(fields)) return undefined;
    for (const name in fields) {
      if (!fieldName(name)) return undefined;
      const field = fields[name];
      if (!isPlainObject(field) || !hasKeys(field, 2)) return undefined;
      if (!(field.old === null || isValue(field.old)) || !(field.new === null || isValue(field.new))) {
        return undefined;
      }
      if (!("old" in field) || !("new" in field)) return undefined;
    }
  }
  return value as unknown as BatchBody;
}

/**
 * One parsed line of the scope stream, if it passes without question.
 * @returns the line typed, or undefined when `scopeLineSchema` must decide
 */
export function checkScopeLine(value: unknown): ScopeLine | undefined {
  if (!isPlainObject(value)) return undefined;
  if ("end" in value) {
    const volumes = value.volumes;
    const ok = hasKeys(value, 2) && value.end === true && typeof volumes === "number" &&
      Number.isSafeInteger(volumes) && volumes >= 0;
    return ok ? value as unknown as ScopeLine : undefined;
  }
  const rows = value.rows;
  if (!hasKeys(value, 1) || !Array.isArray(rows)) return undefined;
  const fieldName = fieldNameChecker();
  for (const row of rows) {
    if (!isPlainObject(row) || !hasKeys(row, 2) || !isVolumeId(row.volume)) return undefined;
    const fields = row.fields;
    if (!isPlainObject(fields)) return undefined;
    for (const name in fields) {
      if (!fieldName(name) || !isValue(fields[name])) return undefined;
    }
  }
  return value as unknown as ScopeLine;
}
