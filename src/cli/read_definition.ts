/**
 * @module
 * Reads a definition named on the command line (a file, or `builtin:NAME` shipped inside the program) with
 * its site parameters (`--set` flags over an optional `--site` file) and loads it.
 */
import { type Definition, DefinitionError, loadDefinition, readYamlText } from "../definition/mod.ts";
import { parseYaml } from "../deps/yaml.ts";
import { UsageError } from "./usage_error.ts";

/** Read the text of a definition reference. */
async function definitionText(ref: string): Promise<string> {
  if (ref.startsWith("builtin:")) {
    const { builtinDefinition } = await import("../definition/builtin.ts");
    const text = builtinDefinition(ref.slice("builtin:".length));
    if (text === undefined) {
      throw new UsageError(
        "--definition",
        `Cannot find definition "${ref}": run "tapesync definitions list"`,
      );
    }
    return text;
  }
  try {
    return await Deno.readTextFile(ref);
  } catch (error) {
    const reason = error instanceof Deno.errors.NotFound ? "no such file" : (error as Error).message;
    throw new UsageError("--definition", `Cannot read definition "${ref}": ${reason}`);
  }
}

/**
 * Read site parameters from a YAML file of `name: value` pairs.
 * @throws {DefinitionError} the file is not YAML (with the line and column) or not a map of plain values
 */
export async function readSiteFile(path: string): Promise<Record<string, string>> {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (error) {
    const reason = error instanceof Deno.errors.NotFound ? "no such file" : (error as Error).message;
    throw new UsageError("--site", `Cannot read site file "${path}": ${reason}`);
  }
  const data = readYamlText(text, path, "site file").value;
  const wrong = (name: string, problem: string) =>
    new DefinitionError(path, 0, 0, name, problem, { subject: "site file" });
  if (data === null || typeof data !== "object" || Array.isArray(data)) {
    throw wrong("", "a site file must be a map of parameter names to values");
  }
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(data)) {
    if (typeof value === "object" && value !== null) {
      throw wrong(name, "a site parameter must be a plain value");
    }
    result[name] = String(value);
  }
  return result;
}

/** Names of the parameters a definition text declares (empty when it cannot be read as YAML). */
function declaredParameters(text: string): Set<string> {
  let data: unknown;
  try {
    data = parseYaml(text);
  } catch {
    return new Set(); // loadDefinition reports the YAML error with its position
  }
  const parameters = data !== null && typeof data === "object"
    ? (data as Record<string, unknown>).parameters
    : undefined;
  return new Set(parameters !== null && typeof parameters === "object" ? Object.keys(parameters) : []);
}

/**
 * Read and load a definition.
 * @param ref a path or `builtin:NAME`
 * @param params site parameters given for this definition (`--set`): each must be declared
 * @param siteParams parameters from a site file, which may serve several definitions: only those this
 *   definition declares are used
 * @throws {UsageError} the file cannot be read
 * @throws {DefinitionError} the definition is invalid
 */
export async function readDefinition(
  ref: string,
  params: Record<string, string>,
  siteParams: Record<string, string> = {},
): Promise<Definition> {
  const text = await definitionText(ref);
  const declared = Object.keys(siteParams).length > 0 ? declaredParameters(text) : new Set<string>();
  const fromSite = Object.fromEntries(Object.entries(siteParams).filter(([name]) => declared.has(name)));
  return loadDefinition(text, ref, { ...fromSite, ...params });
}
