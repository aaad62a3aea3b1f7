/**
 * @module
 * Compiles a definition once into the functions the hot loop calls per record: column reads, step lists,
 * translation lookups, filters and typed outputs, all in arrays indexed by field slot. Order per record:
 * column filters, pass 1 (each field's value and steps up to its first `translateOn`), pass 2 (the
 * `translateOn` steps, which see the other fields' pass-1 values), field filters, then output formats and
 * limits (so an excluded record never fails on a date or a length).
 */
import {
  compileGlob,
  type ConditionSpec,
  type Definition,
  type FieldInfo,
  fieldInfo,
  type FieldSpec,
  parseColumnTemplate,
  type TableRef,
} from "../definition/mod.ts";
import { InputRecordError } from "../source/mod.ts";
import { Columns, type ColumnSlot } from "./_columns.ts";
import { compileCondition, type Condition } from "./_conditions.ts";
import { compileOutput, type Output } from "./_field_output.ts";
import { compileStep, runSteps, type Step } from "./_steps.ts";
import { compileTable, type Lookup } from "./_translate.ts";
import type {
  CompiledDefinition,
  IntentField,
  RecordSkip,
  RepositorySkip,
  VolumeIntent,
} from "./volume_intent.ts";

/** Reads a field's starting value from a record; undefined when its optional column is absent. */
type Raw = (values: readonly string[], line: number) => string | undefined;

/** Everything compiled for one field. */
interface FieldPlan {
  name: string;
  slot: number;
  info: FieldInfo;
  raw: Raw;
  /** The field's own column, when it reads one (an optional column may turn out missing). */
  column: ColumnSlot | undefined;
  pass1: Step[];
  pass2: Step[];
  output: Output;
  /** What an empty value yields: undefined (`skip`) or null (`clear`). */
  empty: null | undefined;
}

interface Filter {
  condition: Condition;
  exclude: boolean;
  reason: string;
}

/** Compiles one definition; the instance state is only what the closures share. */
class Compiler {
  readonly columns: Columns;
  readonly slots = new Map<string, number>();
  readonly #tables = new Map<string, Lookup>();

  constructor(readonly def: Definition, readonly inputName: string) {
    this.columns = new Columns(def, inputName);
    Object.keys(def.fields).forEach((name, i) => this.slots.set(name, i));
  }

  slotOf = (field: string): number => this.slots.get(field)!;

  table = (ref: TableRef): Lookup => {
    if (typeof ref !== "string") return compileTable(ref);
    let lookup = this.#tables.get(ref);
    if (lookup === undefined) {
      lookup = compileTable(this.def.tables[ref]);
      this.#tables.set(ref, lookup);
    }
    return lookup;
  };

  raw(name: string, spec: FieldSpec): [Raw, ColumnSlot | undefined] {
    if (spec.value !== undefined) {
      const value = spec.value;
      return [() => value, undefined];
    }
    if (spec.column !== undefined) {
      const slot = this.columns.add(spec.column, `fields.${name}.column`);
      const columns = this.columns;
      return [(values, line) => columns.read(slot, values, line, name), slot];
    }
    const parts = parseColumnTemplate(spec.template!);
    const texts: string[] = [];
    const slots: (ColumnSlot | undefined)[] = [];
    for (const part of parts) {
      texts.push("text" in part ? part.text : "");
      slots.push("text" in part ? undefined : this.columns.add(part, `fields.${name}.template`));
    }
    const columns = this.columns;
    return [(values, line) => {
      let result = "";
      for (let i = 0; i < texts.length; i++) {
        const slot = slots[i];
        result += slot === undefined ? texts[i] : columns.read(slot, values, line, name) ?? "";
      }
      return result;
    }, undefined];
  }

  condition(spec: ConditionSpec, path: string): Condition {
    return compileCondition(spec, this.slotOf, () => this.columns.add(spec.column!, path));
  }

  field(name: string, spec: FieldSpec): FieldPlan {
    const info = fieldInfo(name)!;
    const split = spec.steps.findIndex((step) => step.translateOn !== undefined);
    const steps = spec.steps.map((step) => compileStep(step, this));
    const adjusts = (spec.date?.adjust ?? []).map((rule, i) =>
      [this.condition(rule.when, `fields.${name}.date.adjust[${i}].when.column`), {
        years: rule.add.years,
        months: rule.add.months,
        days: rule.add.days,
      }] as [Condition, { years: number; months: number; days: number }]
    );
    const [raw, column] = this.raw(name, spec);
    return {
      name,
      slot: this.slotOf(name),
      info,
      raw,
      column,
      pass1: split < 0 ? steps : steps.slice(0, split),
      pass2: split < 0 ? [] : steps.slice(split),
      output: compileOutput(info, spec, this.inputName, adjusts),
      empty: spec.empty === "clear" ? null : undefined,
    };
  }

  filters(): { early: Filter[]; late: Filter[] } {
    const early: Filter[] = [];
    const late: Filter[] = [];
    this.def.filters.forEach((spec, i) => {
      const exclude = spec.exclude !== undefined;
      const condition = (spec.exclude ?? spec.include)!;
      const path = `filters[${i}].${exclude ? "exclude" : "include"}.column`;
      const filter = { condition: this.condition(condition, path), exclude, reason: spec.reason };
      (condition.field === undefined ? early : late).push(filter);
    });
    return { early, late };
  }
}

function repositorySkips(def: Definition): RepositorySkip[] {
  return def.skipRepositoryChanges.map((rule) => {
    const proposed = compileGlob(rule.proposed);
    const target = compileGlob(rule.target);
    const current = compileGlob(rule.current);
    return {
      reason: rule.reason,
      matches: (p: string, t: string | null, c: string | null) =>
        proposed.test(p) && target.test(t ?? "") && current.test(c ?? ""),
    };
  });
}

/** The first filter that skips the record, or undefined. */
function filtered(
  filters: readonly Filter[],
  fields: readonly (string | undefined)[],
  values: readonly string[],
): Filter | undefined {
  for (let i = 0; i < filters.length; i++) {
    const filter = filters[i];
    if (filter.condition(fields, values) === filter.exclude) return filter;
  }
  return undefined;
}

/** What `apply` needs, compiled. */
interface Plan {
  plans: FieldPlan[];
  early: Filter[];
  late: Filter[];
  columns: Columns;
  inputName: string;
}

/** A field can have a value for this input: it reads no column, or its optional column is in the header. */
const present = (plan: FieldPlan): boolean => plan.column === undefined || !plan.column.missing;

/**
 * Works out records over reused arrays (apply is synchronous, so they are never shared). `refresh()` runs
 * after the header: fields whose optional column is absent drop out of the loop and stay undefined.
 */
class RecordWorker {
  readonly #plans: FieldPlan[];
  readonly #early: Filter[];
  readonly #late: Filter[];
  readonly #columns: Columns;
  readonly #inputName: string;
  readonly #keys: [FieldPlan, FieldPlan, FieldPlan];
  readonly #allSynced: FieldPlan[];
  #active: FieldPlan[];
  #synced: FieldPlan[];
  #second: FieldPlan[];
  readonly #text: (string | undefined)[];
  readonly #pass2: (string | undefined)[];

  constructor({ plans, early, late, columns, inputName }: Plan) {
    this.#plans = plans;
    this.#early = early;
    this.#late = late;
    this.#columns = columns;
    this.#inputName = inputName;
    const byName = new Map(plans.map((plan) => [plan.name, plan]));
    this.#keys = [byName.get("customer")!, byName.get("media")!, byName.get("volume")!];
    this.#allSynced = plans.filter((plan) => !plan.info.key && !plan.info.comparisonOnly);
    this.#active = plans;
    this.#synced = this.#allSynced;
    this.#second = plans.filter((plan) => plan.pass2.length > 0);
    this.#text = new Array(plans.length).fill(undefined);
    this.#pass2 = new Array(this.#second.length).fill(undefined);
  }

  refresh(): void {
    this.#active = this.#plans.filter(present);
    this.#synced = this.#allSynced.filter(present);
    this.#second = this.#active.filter((plan) => plan.pass2.length > 0);
    this.#text.fill(undefined);
  }

  /** Pass 1 and pass 2 into `#text`. */
  #work(values: readonly string[], line: number): void {
    const text = this.#text;
    const active = this.#active;
    for (let i = 0; i < active.length; i++) {
      const plan = active[i];
      const raw = plan.raw(values, line);
      text[plan.slot] = raw === undefined ? undefined : runSteps(plan.pass1, raw, text);
    }
    const second = this.#second;
    for (let i = 0; i < second.length; i++) {
      const value = text[second[i].slot];
      this.#pass2[i] = value === undefined ? undefined : runSteps(second[i].pass2, value, text);
    }
    for (let i = 0; i < second.length; i++) text[second[i].slot] = this.#pass2[i];
  }

  #key(plan: FieldPlan, values: readonly string[], line: number): string {
    const value = this.#text[plan.slot];
    if (value === undefined || value === "") {
      throw new InputRecordError(
        this.#inputName,
        line,
        plan.name,
        `the value is empty: every record needs a ${plan.name}`,
      );
    }
    return plan.output(value, line, this.#text, values);
  }

  /** The active synced fields' canonical values (`VolumeIntent.values`). */
  #outputs(values: readonly string[], line: number): (string | null | undefined)[] {
    const synced = this.#synced;
    const out: (string | null | undefined)[] = new Array(synced.length);
    for (let i = 0; i < synced.length; i++) {
      const plan = synced[i];
      const value = this.#text[plan.slot];
      if (value === undefined) out[i] = undefined;
      else if (value === "") out[i] = plan.empty;
      else {
        const result = plan.output(value, line, this.#text, values);
        out[i] = result === "" ? plan.empty : result;
      }
    }
    return out;
  }

  apply(values: readonly string[], line: number): VolumeIntent | RecordSkip {
    if (!this.#columns.ready) throw this.#columns.unresolved();
    const skip = this.#early.length > 0 ? filtered(this.#early, NO_FIELDS, values) : undefined;
    if (skip !== undefined) return { kind: "skip", line, reason: skip.reason };
    this.#work(values, line);
    const lateSkip = this.#late.length > 0 ? filtered(this.#late, this.#text, values) : undefined;
    if (lateSkip !== undefined) return { kind: "skip", line, reason: lateSkip.reason };
    const [customer, media, volume] = this.#keys;
    const customerId = this.#key(customer, values, line);
    const mediaId = this.#key(media, values, line);
    const volumeId = this.#key(volume, values, line);
    const out = this.#outputs(values, line);
    return { kind: "volume", line, customer: customerId, media: mediaId, volume: volumeId, values: out };
  }
}

const NO_FIELDS: readonly (string | undefined)[] = [];

/**
 * Compile a validated definition for one input.
 * @param def the definition from `loadDefinition`
 * @param inputName the input's name for record errors (path, "stdin", the command)
 * @returns the compiled definition: `header()` resolves named columns, `apply()` works out one record
 * @throws {DefinitionError} (later, from `header()` or the first `apply()`) a named column the input lacks
 * @example
 * ```ts
 * const compiled = compileDefinition(loadDefinition(text, "acme.yaml", { customer: "ACME" }), "export.csv");
 * compiled.header(["label", "site"], 1);
 * compiled.apply(["A00417", "Vault-2"], 2); // { kind: "volume", customer: "ACME", ... }
 * ```
 */
export function compileDefinition(def: Definition, inputName: string): CompiledDefinition {
  const compiler = new Compiler(def, inputName);
  const plans = Object.entries(def.fields).map(([name, spec]) => compiler.field(name, spec));
  const { early, late } = compiler.filters();
  const columns = compiler.columns;
  const synced = plans.filter((plan) => !plan.info.key && !plan.info.comparisonOnly);
  const fields: IntentField[] = synced.map((plan) => ({ name: plan.name, mode: def.fields[plan.name].mode }));
  const record = new RecordWorker({ plans, early, late, columns, inputName });
  return {
    fields,
    header: (names, line) => {
      columns.header(names, line);
      record.refresh();
    },
    apply: (values, line) => record.apply(values, line),
    activeFields: () => synced.map(present),
    repositorySkips: repositorySkips(def),
  };
}
