/**
 * @module
 * YAML stand-in for `@std/yaml`: the `yaml` npm package, which also gives node positions so
 * definition errors can name line and column.
 */
export { isMap, isScalar, isSeq, LineCounter, parseDocument, stringify as stringifyYaml } from "yaml";
export type { Document, Node as YamlNode } from "yaml";
