/**
 * @module
 * Maps a path inside the parsed YAML (`["fields", "moveDate", "date"]`) back to the node's line and column,
 * and prints paths the way messages show them (`fields.moveDate.date`, `filters[0].exclude`).
 */
import { type Document, isMap, isSeq, type LineCounter, type YamlNode } from "../deps/yaml.ts";

/** A path into the definition data. */
export type DataPath = readonly (string | number)[];

/** Print a path: keys joined with dots, list indexes in brackets. */
export function formatPath(path: DataPath): string {
  let text = "";
  for (const part of path) {
    if (typeof part === "number") text += `[${part}]`;
    else text += text === "" ? part : `.${part}`;
  }
  return text;
}

/**
 * Line and column (1-based) of the deepest node along `path`; with `key`, of the last key itself rather
 * than its value, and of a key whose value is empty. A path that leaves the document stops at the last node
 * found. Definitions and agent configs (src/agent/agent_config.ts) point at their problems with it.
 */
export function positionOf(
  doc: Document,
  counter: LineCounter,
  path: DataPath,
  key = false,
): { line: number; column: number } {
  let node: unknown = doc.contents;
  let range: [number, number, number] | undefined | null = (node as YamlNode | null)?.range;
  for (let i = 0; i < path.length; i++) {
    const part = path[i];
    let next: unknown;
    if (isMap(node)) {
      const pair = node.items.find((item) =>
        String((item.key as { value?: unknown })?.value ?? item.key) === part
      );
      if (pair === undefined) break;
      // The key itself when asked for, or when its value is empty (`moveDate:` with nothing after it: no
      // node, or an empty one of no length).
      const valueRange = (pair.value as YamlNode | null)?.range;
      if ((key && i === path.length - 1) || !valueRange || valueRange[0] === valueRange[1]) {
        range = (pair.key as YamlNode | null)?.range ?? range;
        break;
      }
      next = pair.value;
    } else if (isSeq(node) && typeof part === "number") {
      next = node.items[part];
    }
    const nextRange = (next as YamlNode | null | undefined)?.range;
    if (!nextRange) break;
    node = next;
    range = nextRange;
  }
  if (!range) return { line: 0, column: 0 };
  const pos = counter.linePos(range[0]);
  return { line: pos.line, column: pos.col };
}
