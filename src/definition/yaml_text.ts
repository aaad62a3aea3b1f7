/**
 * @module
 * A YAML file read for its value, with the node tree that knows positions built only when a message needs
 * a line and column (src/deps/yaml.ts: the fast parser gives the value, `yaml` the positions). Definitions
 * and agent configs are read this way; a file that is not YAML becomes a `DefinitionError` with the line and
 * column of the problem.
 */
import { type Document, LineCounter, parseDocument, parseYaml, YamlSyntaxError } from "../deps/yaml.ts";
import { DefinitionError, type DefinitionFile } from "./definition_error.ts";

/** The node tree of a YAML text and the line index its positions are looked up in. */
export interface YamlTree {
  document: Document;
  counter: LineCounter;
}

/** A YAML text: its value, and its tree on demand. */
export interface YamlText {
  /** The document's value (`null` for an empty document). */
  value: unknown;
  /** The node tree with positions, parsed on the first call. */
  tree(): YamlTree;
}

function parseTree(text: string): YamlTree {
  const counter = new LineCounter();
  const document = parseDocument(text, { lineCounter: counter, prettyErrors: true, uniqueKeys: true });
  return { document, counter };
}

/** The first problem of a text the fast parser refused, as `yaml` words it (with its position). */
function syntaxError(
  file: string,
  tree: YamlTree,
  refused: YamlSyntaxError,
  subject: DefinitionFile,
): DefinitionError {
  const error = tree.document.errors[0];
  const position = error === undefined
    ? { line: refused.line, col: refused.column }
    : { line: error.linePos?.[0].line ?? 0, col: error.linePos?.[0].col ?? 0 };
  // The parser's first line, without the position it repeats (the message gives it as file:line:column).
  const message = (error ?? refused).message.split("\n")[0].replace(/ at line \d+, column \d+:?$/, "");
  return new DefinitionError(file, position.line, position.col, "", `invalid YAML: ${message}`, { subject });
}

/**
 * Read a YAML text (one document; a key repeated in a map is an error).
 * @param text the YAML text
 * @param file the path or name for messages
 * @param subject the kind of file, for the advice under a message (default "definition")
 * @throws {DefinitionError} the text is not YAML: `invalid YAML: ...` at the problem's line and column
 * @example
 * ```ts
 * const yaml = readYamlText("jobs: []\n", "agent.yaml");
 * yaml.value; // { jobs: [] }
 * ```
 */
export function readYamlText(text: string, file: string, subject: DefinitionFile = "definition"): YamlText {
  let tree: YamlTree | undefined;
  const treeOnce = () => tree ??= parseTree(text);
  try {
    return { value: parseYaml(text), tree: treeOnce };
  } catch (error) {
    if (error instanceof YamlSyntaxError) throw syntaxError(file, treeOnce(), error, subject);
    throw error;
  }
}
