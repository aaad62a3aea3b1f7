/**
 * @module
 * Definition files: YAML loading, the zod schema, line:column error mapping and the typed `Definition`.
 */
export { DefinitionError } from "./definition_error.ts";
