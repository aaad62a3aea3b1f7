/**
 * @module
 * Import of `.ttidef` definition files of the original program (SPEC.md 3) into tapesync YAML definitions.
 *
 * @example
 * ```ts
 * import { convertTtidef } from "./mod.ts";
 * const { yaml, warnings, errors } = convertTtidef(await Deno.readTextFile("acme.ttidef"), "acme.ttidef");
 * ```
 */
export { convertTtidef } from "./convert_ttidef.ts";
export type { TtidefImport } from "./convert_ttidef.ts";
export type { TtidefDiagnostic } from "./ttidef_diagnostic.ts";
