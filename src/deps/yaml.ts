/**
 * @module
 * YAML. Values are read by `@std/yaml` (the design card's library, vendored from denoland/std because JSR
 * cannot be reached here, see vendor/std_yaml/README.md; its 19 modules are loaded as the one file
 * scripts/vendor.ts builds from them, vendor/std_yaml.js) with the YAML 1.2 core schema: it reads a
 * definition about 3x faster than `yaml` on the first parse of a process, the one that counts in a cold
 * start. The `yaml` npm package (its ES module build vendored by scripts/vendor.ts) gives the node tree with
 * positions, built only when a message needs a line and column, and writes YAML.
 */
// @ts-types="./vendor/std_yaml.d.ts"
import { parse } from "./vendor/std_yaml.js";

// @ts-types="./vendor/std_yaml.d.ts"
export { YamlSyntaxError } from "./vendor/std_yaml.js";

/**
 * Parse one YAML document with the YAML 1.2 core schema (no timestamps, no `<<` merges).
 * @param text the YAML text
 * @returns the value; `null` for an empty document
 * @throws {YamlSyntaxError} the text is not YAML, holds more than one document, or repeats a key in a map
 */
export function parseYaml(text: string): unknown {
  return parse(text, { schema: "core" });
}

// @ts-types="yaml"
export {
  isMap,
  isScalar,
  isSeq,
  LineCounter,
  parseDocument,
  stringify as stringifyYaml,
} from "./vendor/yaml.js";
export type { Document, Node as YamlNode } from "yaml";
