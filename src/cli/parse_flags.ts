/**
 * @module
 * Command-line flags through `@std/cli`'s parseArgs, made strict: unknown flags, a value-taking flag
 * without its value, a value given to a switch and more arguments than the command takes are usage errors
 * that name the flag. Flags are written as Node's and POSIX tools' are: `--name value`, `--name=value`,
 * `-n value`, `-nvalue`, grouped switches `-nq`, repeated flags collected where the spec says `multiple`,
 * and everything after `--` taken as arguments.
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
  const { tokens, positionals, seen } = canonicalArgs(args, spec, command);
  const names = Object.keys(spec);
  const parsed = parseArgs(tokens, {
    string: names.filter((name) => spec[name].type === "string"),
    boolean: names.filter((name) => spec[name].type === "boolean"),
    collect: names.filter((name) => spec[name].multiple),
  }) as Record<string, unknown>;
  const flags: Record<string, unknown> = {};
  for (const name of seen) flags[name] = parsed[name];
  const extra = positionals[maxPositionals];
  if (extra !== undefined) {
    throw new UsageError(extra, `Cannot use argument "${extra}": ${command} takes only options`);
  }
  return { flags: flags as ParsedFlags<S>["flags"], positionals };
}

/**
 * Check the arguments against the spec and rewrite each flag as `--name=value` or `--name`, the one form
 * parseArgs reads the same whatever follows (it would otherwise take `-` or a word after a switch as a
 * value, and a number-like argument as a number).
 */
function canonicalArgs(args: string[], spec: FlagSpec, command: string) {
  const byShort = new Map(
    Object.entries(spec).flatMap(([name, flag]) => flag.short ? [[flag.short, name]] : []),
  );
  const tokens: string[] = [];
  const positionals: string[] = [];
  const seen = new Set<string>();
  const fail: (flag: string, problem: string) => never = (flag, problem) => {
    throw new UsageError(flag, `Cannot parse the arguments of "${command}": ${problem}`);
  };
  const label = (name: string) => spec[name].short ? `-${spec[name].short}, --${name}` : `--${name}`;
  /** The flag `name` written as `written`, its value inline (`=...` or after a short) or the next argument. */
  const take = (name: string, written: string, inline: string | undefined, i: number): number => {
    seen.add(name);
    if (spec[name].type === "boolean") {
      if (inline !== undefined) fail(written, `option "${written}" does not take a value`);
      tokens.push(`--${name}`);
      return i;
    }
    if (inline !== undefined) {
      tokens.push(`--${name}=${inline}`);
      return i;
    }
    const value = args[i + 1];
    if (value === undefined) fail(written, `option "${label(name)} <value>" needs a value`);
    if (value.length > 1 && value.startsWith("-")) {
      fail(written, `option "${label(name)} <value>" needs a value, found option "${value}"`);
    }
    tokens.push(`--${name}=${value}`);
    return i + 1;
  };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === "--") {
      positionals.push(...args.slice(i + 1));
      break;
    }
    if (arg.startsWith("--")) {
      const at = arg.indexOf("=");
      const name = at < 0 ? arg.slice(2) : arg.slice(2, at);
      if (!Object.hasOwn(spec, name)) fail(`--${name}`, `unknown option "--${name}"`);
      i = take(name, `--${name}`, at < 0 ? undefined : arg.slice(at + 1), i);
    } else if (arg.length > 1 && arg.startsWith("-")) {
      for (let j = 1; j < arg.length; j++) {
        const name = byShort.get(arg[j]);
        if (name === undefined) fail(`-${arg[j]}`, `unknown option "-${arg[j]}"`);
        if (spec[name].type === "string") {
          const rest = arg.slice(j + 1);
          i = take(name, `-${arg[j]}`, rest === "" ? undefined : rest, i);
          break;
        }
        take(name, `-${arg[j]}`, undefined, i);
      }
    } else {
      positionals.push(arg);
    }
  }
  return { tokens, positionals, seen };
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
