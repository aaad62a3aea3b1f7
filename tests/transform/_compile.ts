/**
 * @module
 * Test helpers: compile a definition written as YAML lines, and read an intent's fields by name.
 */
import { loadDefinition } from "../../src/definition/mod.ts";
import { activeIntentFields, compileDefinition, intentFields } from "../../src/transform/mod.ts";
import type { CompiledDefinition, RecordSkip, VolumeIntent } from "../../src/transform/mod.ts";

/** Compile `version: 1`, a headed CSV source and the given lines; then give it `header` (line 1) unless null. */
export function compile(
  lines: string[],
  header: string[] | null = ["a", "b", "c", "d"],
  params: Record<string, string> = {},
): CompiledDefinition {
  const text = ["version: 1", "source: { format: csv }", ...lines].join("\n") + "\n";
  const compiled = compileDefinition(loadDefinition(text, "test.yaml", params), "input.csv");
  if (header) compiled.header(header, 1);
  return compiled;
}

/** Literal key fields for tests about other fields. */
export const KEYS = [
  "  customer: { value: ACME }",
  "  media: { value: LTO7 }",
  "  volume: { value: A00001 }",
];

/** The intent's fields that have a value (or null), by name. */
export function fieldsOf(
  compiled: CompiledDefinition,
  result: VolumeIntent | RecordSkip,
): Record<string, string | null> {
  if (result.kind === "skip") throw new Error(`expected a volume, got a skip (${result.reason})`);
  return intentFields(compiled, result);
}

/** The value of one field of a record's intent (undefined when the record gives none). */
export function valueOf(
  compiled: CompiledDefinition,
  values: string[],
  field: string,
): string | null | undefined {
  const result = compiled.apply(values, 2);
  if (result.kind === "skip") throw new Error(`expected a volume, got a skip (${result.reason})`);
  return result.values[activeIntentFields(compiled).findIndex((candidate) => candidate.name === field)];
}
