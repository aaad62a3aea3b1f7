/**
 * @module
 * Column references of a compiled definition: 1-based indexes are fixed at compile time, header names are
 * resolved when the source yields its header row. An optional column the header lacks leaves its field unset.
 */
import { type Definition, DefinitionError } from "../definition/mod.ts";
import { InputRecordError } from "../source/mod.ts";

/** One referenced column. `index` is 0-based, -1 until a named column is resolved. */
export interface ColumnSlot {
  readonly name: string | undefined;
  index: number;
  readonly optional: boolean;
  /** An optional column the header does not have. */
  missing: boolean;
  /** YAML path of the reference, for messages (`fields.slot.column`). */
  readonly path: string;
}

const label = (slot: ColumnSlot): string =>
  slot.name === undefined ? `${slot.index + 1}` : `${slot.index + 1} ("${slot.name}")`;

/** The column references of one definition. */
export class Columns {
  readonly #slots: ColumnSlot[] = [];
  #named = 0;
  #resolved = false;

  constructor(readonly def: Definition, readonly inputName: string) {}

  /** Register a reference. */
  add(ref: { name?: string; index?: number; optional?: boolean }, path: string): ColumnSlot {
    const name = ref.name;
    const index = ref.index !== undefined ? ref.index - 1 : -1;
    const optional = ref.optional ?? false;
    const slot: ColumnSlot = { name, index, optional, missing: false, path };
    if (name !== undefined) this.#named++;
    this.#slots.push(slot);
    return slot;
  }

  /** True when every named column has a place (call before reading values). */
  get ready(): boolean {
    return this.#resolved || this.#named === 0;
  }

  #error(slot: ColumnSlot, problem: string): DefinitionError {
    const origin = this.def.origin;
    const at = origin?.at(slot.path) ?? { line: 0, column: 0 };
    return new DefinitionError(origin?.file ?? "definition", at.line, at.column, slot.path, problem);
  }

  /**
   * Resolve named columns against a header row: exact name first, then ignoring case and surrounding spaces.
   * @throws {DefinitionError} a required column is not in the header
   */
  header(names: readonly string[], line: number): void {
    const folded = names.map((name) => name.trim().toLowerCase());
    for (const slot of this.#slots) {
      if (slot.name === undefined) continue;
      let index = names.indexOf(slot.name);
      if (index < 0) index = folded.indexOf(slot.name.trim().toLowerCase());
      slot.index = index;
      slot.missing = index < 0;
      if (index < 0 && !slot.optional) {
        const header = names.map((name) => `"${name}"`).join(", ");
        throw this.#error(
          slot,
          `column "${slot.name}" is not in the header of "${this.inputName}" line ${line}: the header has ${header}`,
        );
      }
    }
    this.#resolved = true;
  }

  /** @throws {DefinitionError} named columns but the input gave no header row */
  unresolved(): DefinitionError {
    const slot = this.#slots.find((candidate) => candidate.name !== undefined)!;
    return this.#error(
      slot,
      `column "${slot.name}" cannot be found: "${this.inputName}" has no header row; use a 1-based index or source.columns`,
    );
  }

  /**
   * A column's value, or undefined when it is an optional column the header lacks.
   * @throws {InputRecordError} the record is too short
   */
  read(slot: ColumnSlot, values: readonly string[], line: number, field: string): string | undefined {
    if (slot.missing) return undefined;
    if (slot.index < values.length) return values[slot.index];
    throw new InputRecordError(
      this.inputName,
      line,
      field,
      `the record has ${values.length} values: column ${label(slot)} is missing`,
    );
  }
}
