/**
 * @module
 * Test fixtures for the engine: a hand-compiled definition (values are [customer, media, volume, ...fields])
 * and sources built from arrays, so engine tests do not depend on the transform or source stages.
 */
import { InputRecordError, type RecordSource, type SourceEvent } from "../../src/source/mod.ts";
import type { CompiledDefinition, FieldMode, IntentField } from "../../src/transform/mod.ts";
import type { EngineOptions } from "../../src/engine/mod.ts";

/**
 * A compiled definition whose records are `[customer, media, volume, ...values]`. A value "" means "not given"
 * (undefined), "-" means clear (null), "!bad" throws an InputRecordError, a customer "#" skips the record.
 */
export function directDefinition(
  fields: string[],
  modes: Record<string, FieldMode> = {},
): CompiledDefinition {
  const intentFields: IntentField[] = fields.map((name) => ({ name, mode: modes[name] ?? "update" }));
  return {
    fields: intentFields,
    header() {},
    apply(values, line) {
      if (values[0] === "#") return { kind: "skip", line, reason: "comment record" };
      const rest = values.slice(3).map((value) => (value === "" ? undefined : value === "-" ? null : value));
      const bad = rest.findIndex((value) => value === "!bad");
      if (bad >= 0) throw new InputRecordError("test", line, fields[bad], 'cannot parse "!bad"');
      return { kind: "volume", line, customer: values[0], media: values[1], volume: values[2], values: rest };
    },
  };
}

/** A source yielding the given records (one chunk of `chunk` records at a time). */
export async function* arraySource(records: string[][], chunk = 1000): RecordSource {
  for (let start = 0; start < records.length; start += chunk) {
    const events: SourceEvent[] = records.slice(start, start + chunk).map((values, i) => ({
      kind: "record",
      line: start + i + 1,
      values,
    }));
    yield await Promise.resolve(events);
  }
}

let runs = 0;

/** Engine options with test defaults; each call gets its own run id (batch ids are idempotency keys). */
export function engineOptions(overrides: Partial<EngineOptions> = {}): EngineOptions {
  let time = 1_700_000_000_000;
  return {
    runId: `test-run-${++runs}`,
    dryRun: false,
    addVolumes: true,
    onBadRecord: "skip",
    batchSize: 1000,
    cacheVolumes: 1_000_000,
    now: () => (time += 1),
    ...overrides,
  };
}

/** A deterministic shuffle (so a failing test fails the same way every time). */
export function shuffled<T>(items: T[], seed = 7): T[] {
  const result = [...items];
  let state = seed;
  for (let i = result.length - 1; i > 0; i--) {
    state = (state * 1103515245 + 12345) % 2147483648;
    const j = state % (i + 1);
    [result[i], result[j]] = [result[j], result[i]];
  }
  return result;
}
