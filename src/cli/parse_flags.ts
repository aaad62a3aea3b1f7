/**
 * @module
 * Command-line flags through the `@std/cli` stand-in, turning every parse failure into a UsageError that
 * names the flag, and converting numbers with a clear message.
 */
import { parseArgs } from "../deps/cli.ts";
import { UsageError } from "./usage_error.ts";

/** Flag specification: name to its type, whether it repeats, and an optional short alias. */
export type FlagSpec = Record<string, { type: "string" | "boolean"; multiple?: boolean; short?: string }>;

type FlagValue<S extends FlagSpec[string]> = S["type"] extends "boolean" ? boolean | undefined
  : S["multiple"] extends true ? string[] | undefined
  : string | undefined;

/** Parsed flags and positional arguments. */
export interface ParsedFlags<S extends FlagSpec> {
  flags: { [K in keyof S]: FlagValue<S[K]> };
  positionals: string[];
}

/**
 * Parse a command's arguments strictly: unknown flags, missing values and more arguments than the command
 * takes are usage errors.
 * @param maxPositionals arguments besides options the command takes (default none; Infinity when the
 *   command checks them itself)
 * @throws {UsageError}
 */
export function parseFlags<S extends FlagSpec>(
  args: string[],
  spec: S,
  command: string,
  maxPositionals = 0,
): ParsedFlags<S> {
  let parsed;
  try {
    parsed = parseArgs({ args, options: spec, allowPositionals: true, strict: true });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const flag = /'(-[^' ]+)/.exec(message)?.[1] ?? command;
    throw new UsageError(flag, `Cannot parse the arguments of "${command}": ${message.split(". ")[0]}`);
  }
  const extra = parsed.positionals[maxPositionals];
  if (extra !== undefined) {
    throw new UsageError(extra, `Cannot use argument "${extra}": ${command} takes only options`);
  }
  return { flags: parsed.values as unknown as ParsedFlags<S>["flags"], positionals: parsed.positionals };
}

/**
 * A whole non-negative number from a flag value.
 * @throws {UsageError} the value is not a whole number in range
 */
export function intFlag(value: string | undefined, flag: string, min = 0): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(number) || number < min) {
    throw new UsageError(
      flag,
      `Cannot use "${flag}": expected a whole number of at least ${min}, found "${value}"`,
    );
  }
  return number;
}

/**
 * Parse repeated `--set name=value` flags into a map.
 * @throws {UsageError} a value without "="
 */
export function setFlags(values: string[] | undefined): Record<string, string> {
  const result: Record<string, string> = {};
  for (const item of values ?? []) {
    const at = item.indexOf("=");
    if (at <= 0) throw new UsageError("--set", `Cannot use "--set ${item}": expected NAME=VALUE`);
    result[item.slice(0, at)] = item.slice(at + 1);
  }
  return result;
}
