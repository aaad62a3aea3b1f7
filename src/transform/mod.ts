/**
 * @module
 * Transforms compile a definition into plain functions from a raw record to a volume intent.
 */
export type * from "./volume_intent.ts";
export { activeIntentFields, intentFields } from "./volume_intent.ts";
export { compileDefinition } from "./compile_definition.ts";
