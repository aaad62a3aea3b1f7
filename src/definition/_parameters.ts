/**
 * @module
 * Site parameters: works out each declared parameter's value (given, default, or missing) and replaces
 * `${name}` in every string of the definition data except the `parameters` section. `$${` stays a literal
 * `${`.
 */
import type { DataPath } from "./_yaml_positions.ts";

/** A problem found while resolving parameters, at a path of the data. */
export interface ParameterIssue {
  path: DataPath;
  message: string;
  key?: boolean;
}

const REFERENCE = /\$\$\{|\$\{([^}]*)\}/g;

const isObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === "object" && !Array.isArray(value);

/** The values of the declared parameters, or issues for missing required ones and undeclared given ones. */
function parameterValues(
  declared: Record<string, unknown>,
  given: Record<string, string>,
  issues: ParameterIssue[],
): Map<string, string | undefined> {
  const values = new Map<string, string | undefined>();
  for (const [name, spec] of Object.entries(declared)) {
    const options = isObject(spec) ? spec : {};
    const fallback = options.default;
    const value = Object.hasOwn(given, name)
      ? given[name]
      : fallback === undefined || fallback === null
      ? undefined
      : String(fallback);
    if (value === undefined && options.required === true) {
      issues.push({
        path: ["parameters", name],
        message: `parameter "${name}" is required: set it with --set ${name}=VALUE`,
        key: true,
      });
    }
    values.set(name, value);
  }
  for (const name of Object.keys(given)) {
    if (!values.has(name)) {
      const known = [...values.keys()].map((known) => `"${known}"`).join(", ");
      issues.push({
        path: ["parameters"],
        message: `parameter "${name}" is not declared: the definition declares ${known || "none"}`,
        key: true,
      });
    }
  }
  return values;
}

/** Replace references in one string; unknown or unset parameters become issues. */
function substitute(
  text: string,
  values: Map<string, string | undefined>,
  path: DataPath,
  issues: ParameterIssue[],
): string {
  if (!text.includes("${")) return text;
  return text.replace(REFERENCE, (whole, name: string | undefined) => {
    if (name === undefined) return "${";
    if (!values.has(name)) {
      issues.push({ path, message: `unknown parameter "\${${name}}": declare it under "parameters"` });
      return whole;
    }
    const value = values.get(name);
    if (value === undefined) {
      issues.push({
        path,
        message: `parameter "${name}" has no value: set it with --set ${name}=VALUE or give it a default`,
      });
      return whole;
    }
    return value;
  });
}

function walk(
  value: unknown,
  values: Map<string, string | undefined>,
  path: (string | number)[],
  issues: ParameterIssue[],
): unknown {
  if (typeof value === "string") return substitute(value, values, [...path], issues);
  if (Array.isArray(value)) return value.map((item, i) => walk(item, values, [...path, i], issues));
  if (isObject(value)) {
    const result: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) result[key] = walk(item, values, [...path, key], issues);
    return result;
  }
  return value;
}

/**
 * Resolve parameters in definition data (the YAML as plain values).
 * @param data the parsed YAML
 * @param given site values from `--set` or a site file
 * @returns the data with references replaced, and the problems found (missing issues are not substituted)
 */
export function resolveParameters(
  data: unknown,
  given: Record<string, string>,
): { data: unknown; issues: ParameterIssue[] } {
  const issues: ParameterIssue[] = [];
  if (!isObject(data)) return { data, issues };
  const declared = isObject(data.parameters) ? data.parameters : {};
  const values = parameterValues(declared, given, issues);
  const result: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(data)) {
    result[key] = key === "parameters" ? item : walk(item, values, [key], issues);
  }
  return { data: result, issues };
}
