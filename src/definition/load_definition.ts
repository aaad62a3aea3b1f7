/**
 * @module
 * Loads a definition: YAML with positions, site parameters, the zod schema, then the checks beyond it.
 * Every problem becomes a `DefinitionError` naming file, line:column and the YAML path, before any input
 * is read.
 */
import type { ZodError } from "../deps/zod.ts";
import { checkDefinition } from "./_check_definition.ts";
import { resolveParameters } from "./_parameters.ts";
import { type DataPath, formatPath, positionOf } from "./_yaml_positions.ts";
import { DefinitionError } from "./definition_error.ts";
import { type Definition, definitionSchema, STEP_NAMES } from "./schema.ts";
import { readYamlText, type YamlTree } from "./yaml_text.ts";

/** One problem before it becomes an error. */
interface Issue {
  path: DataPath;
  message: string;
  key?: boolean;
  at?: DataPath;
  /** A zod refinement (`custom` issue), reported only when the shape is right. */
  refinement?: boolean;
}

type ZodIssue = ZodError["issues"][number];

const shown = (value: unknown): string =>
  typeof value === "string"
    ? JSON.stringify(value)
    : Array.isArray(value)
    ? "a list"
    : value === null
    ? "empty"
    : typeof value === "object"
    ? "a map"
    : String(value);

const article = (type: string): string =>
  type === "object"
    ? "a map"
    : type === "array"
    ? "a list"
    : /^[aeiou]/.test(type)
    ? `an ${type}`
    : `a ${type}`;

/** "must be 1 or more", "must have at most 4 characters" ... for a size or range issue. */
function bound(issue: ZodIssue): string {
  const { origin, inclusive } = issue as { origin?: string; inclusive?: boolean };
  const small = issue.code === "too_small";
  const limit = Number(
    small ? (issue as { minimum?: unknown }).minimum : (issue as { maximum?: unknown }).maximum,
  );
  if (origin === "number" || origin === "int" || origin === "bigint") {
    if (inclusive === false) return `must be ${small ? "above" : "below"} ${limit}`;
    return `must be ${limit} or ${small ? "more" : "less"}`;
  }
  const unit = origin === "string"
    ? (limit === 1 ? "character" : "characters")
    : limit === 1
    ? "entry"
    : "entries";
  return `must have at ${small ? "least" : "most"} ${limit} ${unit}`;
}

/** A zod issue in the message style of STYLE.md. */
function zodMessage(issue: ZodIssue): Issue {
  const path = issue.path.filter((part): part is string | number => typeof part !== "symbol");
  const input = (issue as { input?: unknown }).input;
  switch (issue.code) {
    case "unrecognized_keys": {
      const key = issue.keys[0];
      const inSteps = path.length >= 2 && path[path.length - 2] === "steps";
      const message = inSteps
        ? `unknown step "${key}": steps are ${STEP_NAMES.join(", ")}`
        : `unknown key "${key}"`;
      return { path, message, key: true, at: [...path, key] };
    }
    case "invalid_type":
      if (input === undefined) {
        const last = path[path.length - 1];
        return { path: path.slice(0, -1), message: `"${last}" is required`, key: false };
      }
      return { path, message: `must be ${article(issue.expected)}: current value is ${shown(input)}` };
    case "invalid_value":
      return {
        path,
        message: `must be ${issue.values.map((value) => shown(value)).join(" or ")}: current value is ${
          shown(input)
        }`,
      };
    case "invalid_union": {
      const union = issue as { discriminator?: string; options?: unknown[] };
      if (union.discriminator !== undefined && union.options !== undefined) {
        const choices = union.options.map((option) => shown(option)).join(", ");
        const value = input !== null && typeof input === "object"
          ? (input as Record<string, unknown>)[union.discriminator]
          : undefined;
        return value === undefined
          ? { path: path.slice(0, -1), message: `"${union.discriminator}" is required: one of ${choices}` }
          : { path, message: `must be one of ${choices}: current value is ${shown(value)}` };
      }
      return { path, message: `does not have an accepted form: current value is ${shown(input)}` };
    }
    case "too_small":
    case "too_big":
      return {
        path,
        message: /^Too (small|big)/.test(issue.message)
          ? `${bound(issue)}: current value is ${shown(input)}`
          : issue.message,
      };
    default:
      return { path, message: issue.message, refinement: issue.code === "custom" };
  }
}

/**
 * Pick the issue that comes first in the file and turn it into an error. Shape problems (unknown keys, wrong
 * types) go before refinements of the same object, which are often their consequence.
 */
function firstError(file: string, tree: YamlTree, all: Issue[]): DefinitionError {
  const shape = all.filter((issue) => !issue.refinement);
  const issues = shape.length > 0 ? shape : all;
  const located = issues.map((issue) => ({
    issue,
    ...positionOf(tree.document, tree.counter, issue.at ?? issue.path, issue.key),
  }));
  located.sort((a, b) => a.line - b.line || a.column - b.column);
  const { issue, line, column } = located[0];
  return new DefinitionError(file, line, column, formatPath(issue.path), issue.message);
}

/**
 * Load and check a definition.
 * @param text the YAML text
 * @param file the path or name for messages (`my.yaml`, `builtin:tsm-drmedia`)
 * @param params site values (`--set NAME=VALUE`, a site file); `${NAME}` in the definition is replaced
 * @returns the definition, with `origin` for later messages about it
 * @throws {DefinitionError} with file, line, column and YAML path of the first problem in the file
 * @example
 * ```ts
 * const def = loadDefinition(await Deno.readTextFile("acme.yaml"), "acme.yaml", { customer: "ACME" });
 * ```
 */
export function loadDefinition(text: string, file: string, params: Record<string, string> = {}): Definition {
  const yaml = readYamlText(text, file);
  const raw = yaml.value;
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
    throw new DefinitionError(file, 1, 1, "", "a definition must be a map with version, source and fields");
  }
  const resolved = resolveParameters(raw, params);
  if (resolved.issues.length > 0) throw firstError(file, yaml.tree(), resolved.issues);
  // jitless: one parse of a small document; compiling zod's fast path for it costs more than it saves.
  const parsed = definitionSchema.safeParse(resolved.data, { reportInput: true, jitless: true });
  if (!parsed.success) throw firstError(file, yaml.tree(), parsed.error.issues.map(zodMessage));
  const issues = checkDefinition(parsed.data);
  if (issues.length > 0) throw firstError(file, yaml.tree(), issues);
  const at = (path: string) => {
    const { document, counter } = yaml.tree();
    const parts = path.split(/[.[\]]/).filter((part) => part !== "");
    return positionOf(document, counter, parts.map((part) => (/^\d+$/.test(part) ? Number(part) : part)));
  };
  return { ...parsed.data, origin: { file, at } };
}
