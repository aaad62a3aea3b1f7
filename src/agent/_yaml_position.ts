/**
 * @module
 * Maps a path inside a parsed YAML document (as zod reports it) back to line and column, so config errors
 * read `agent.yaml:7:15 jobs.0.schedule: ...`.
 */
import { type Document, isMap, isScalar, isSeq, type LineCounter, type YamlNode } from "../deps/yaml.ts";

/** A 1-based position; 0 when unknown. */
export interface YamlPosition {
  line: number;
  column: number;
}

function childOf(node: unknown, key: PropertyKey, wantKey: boolean): YamlNode | undefined {
  if (isMap(node)) {
    for (const pair of node.items) {
      const name = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
      if (name === String(key)) return (wantKey ? pair.key : pair.value ?? pair.key) as YamlNode | undefined;
    }
  } else if (isSeq(node) && typeof key !== "symbol") {
    const item = node.items[Number(key)];
    return item as YamlNode | undefined;
  }
  return undefined;
}

/**
 * The position of the node at `path`, or of its nearest existing ancestor.
 * @param document the parsed document
 * @param lines the LineCounter used while parsing
 * @param path keys and indexes from the root
 * @param keyName an object key under `path` to point at (an unknown key), when there is one
 */
export function yamlPosition(
  document: Document,
  lines: LineCounter,
  path: readonly PropertyKey[],
  keyName?: string,
): YamlPosition {
  let node: unknown = document.contents;
  let found: unknown = node;
  for (const key of path) {
    node = childOf(node, key, false);
    if (node === undefined) break;
    found = node;
  }
  if (keyName !== undefined && node !== undefined) found = childOf(node, keyName, true) ?? found;
  const range = (found as { range?: [number, number, number] } | null)?.range;
  if (!range) return { line: 0, column: 0 };
  const { line, col } = lines.linePos(range[0]);
  return { line, column: col };
}
