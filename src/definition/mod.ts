/**
 * @module
 * Definition files: YAML loading, the zod schema, line:column error mapping and the typed `Definition`, plus
 * the concepts the transform shares with the loader (field catalog, date formats, patterns, templates).
 */
export { DefinitionError, type DefinitionFile } from "./definition_error.ts";
export { loadDefinition } from "./load_definition.ts";
export { readYamlText } from "./yaml_text.ts";
export type { YamlText, YamlTree } from "./yaml_text.ts";
export { positionOf } from "./_yaml_positions.ts";
export type { DataPath } from "./_yaml_positions.ts";
export { sourceSchema } from "./source_schema.ts";
export type { SourceSpec } from "./source_schema.ts";
export { definitionSchema, STEP_NAMES } from "./schema.ts";
export type {
  ColumnRef,
  ConditionSpec,
  DateSpec,
  Definition,
  DefinitionOrigin,
  FieldSpec,
  FilterSpec,
  RepositorySkipSpec,
  StepSpec,
  TableEntry,
  TableRef,
} from "./schema.ts";
export {
  checkFieldValue,
  DEFAULT_FALSE_WORDS,
  DEFAULT_TRUE_WORDS,
  fieldInfo,
  fieldNames,
  KEY_FIELDS,
} from "./fields.ts";
export type { FieldInfo, FieldType } from "./fields.ts";
export {
  compileDateFormat,
  DATE_TOKENS,
  DAY,
  daysInMonth,
  fromStrftime,
  HOUR,
  MINUTE,
  MONTH,
  YEAR,
} from "./date_format.ts";
export type { DateFormat } from "./date_format.ts";
export { compileGlob } from "./compile_glob.ts";
export type { GlobMatcher } from "./compile_glob.ts";
export { parseColumnTemplate } from "./column_template.ts";
export type { TemplatePart } from "./column_template.ts";
