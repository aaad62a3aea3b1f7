/**
 * @module
 * YAML stand-in for `@std/yaml`: the `yaml` npm package, which also gives node positions so
 * definition errors can name line and column. The code is the package's ES module build vendored into
 * one file by scripts/vendor.ts (Deno would load its CommonJS build, ~55 ms of every cold start); the
 * types are the package's own.
 */
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
