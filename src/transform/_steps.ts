/**
 * @module
 * Field steps compiled once into plain functions. A step reads the field's current text and, for
 * `translateOn`, the pass-1 values of the other fields (`pass1`, indexed by field slot).
 */
import type { StepSpec, TableRef } from "../definition/mod.ts";
import type { Lookup } from "./_translate.ts";

/** A compiled step. */
export type Step = (value: string, pass1: readonly (string | undefined)[]) => string;

/** Resolves what steps refer to: named tables (compiled once) and field slots. */
export interface StepContext {
  table(ref: TableRef): Lookup;
  slotOf(field: string): number;
}

const WHITESPACE = /\s/g;

function translateStep(lookup: Lookup, fallback: string | undefined): Step {
  return fallback === undefined
    ? (value) => lookup(value, value) ?? value
    : (value) => lookup(value, value) ?? fallback;
}

function translateOnStep(lookup: Lookup, fallback: string | undefined, other: number): Step {
  return (value, pass1) => lookup(pass1[other] ?? "", value) ?? fallback ?? value;
}

function substringStep(start: number, length: number | undefined): Step {
  return (value) => {
    const from = start < 0 ? Math.max(0, value.length + start) : start;
    return length === undefined ? value.slice(from) : value.slice(from, from + length);
  };
}

function extractStep(pattern: string, group: number | string): Step {
  const regex = new RegExp(pattern);
  if (typeof group === "number") return (value) => regex.exec(value)?.[group] ?? "";
  return (value) => regex.exec(value)?.groups?.[group] ?? "";
}

/** Compile one step. */
export function compileStep(step: StepSpec, context: StepContext): Step {
  if (step.trim) return (value) => value.trim();
  if (step.upper) return (value) => value.toUpperCase();
  if (step.lower) return (value) => value.toLowerCase();
  if (step.removeSpaces) return (value) => value.replace(WHITESPACE, "");
  if (step.substring) return substringStep(step.substring.start, step.substring.length);
  if (step.padStart) {
    const { length, char } = step.padStart;
    return (value) => value.padStart(length, char);
  }
  if (step.padEnd) {
    const { length, char } = step.padEnd;
    return (value) => value.padEnd(length, char);
  }
  if (step.extract) return extractStep(step.extract.regex, step.extract.group);
  if (step.replace) {
    const regex = new RegExp(step.replace.regex, "g");
    const replacement = step.replace.with;
    return (value) => value.replace(regex, replacement);
  }
  if (step.default !== undefined) {
    const fallback = step.default;
    return (value) => (value === "" ? fallback : value);
  }
  if (step.translate) return translateStep(context.table(step.translate.table), step.translate.default);
  if (step.translateOn) {
    const spec = step.translateOn;
    return translateOnStep(context.table(spec.table), spec.default, context.slotOf(spec.field));
  }
  throw new TypeError(`Cannot compile step ${JSON.stringify(step)}: unknown kind`);
}

/** Run steps in order. */
export function runSteps(
  steps: readonly Step[],
  value: string,
  pass1: readonly (string | undefined)[],
): string {
  let result = value;
  for (let i = 0; i < steps.length; i++) result = steps[i](result, pass1);
  return result;
}
