/**
 * @module
 * The ready definitions shipped inside the program, by name (`--definition builtin:NAME`).
 */
import { BUILTIN_DEFINITIONS } from "./builtin_definitions.ts";

/** The YAML text of a ready definition, or undefined when there is none by that name. */
export function builtinDefinition(name: string): string | undefined {
  return Object.hasOwn(BUILTIN_DEFINITIONS, name) ? BUILTIN_DEFINITIONS[name] : undefined;
}

/** Names of the ready definitions, sorted. */
export function builtinNames(): string[] {
  return Object.keys(BUILTIN_DEFINITIONS).sort();
}
