/**
 * @module
 * The command line of a bench script: `node:util` parseArgs with `--help`, and a one-line error and the
 * usage (exit 2) for an unknown option or a bad `--records`/`--scopes`, instead of a stack trace.
 */
import { parseArgs, type ParseArgsConfig } from "node:util";

/** Options every sized bench takes. */
const SIZE_OPTIONS = {
  records: { type: "string" },
  scopes: { type: "string" },
  help: { type: "boolean", short: "h", default: false },
} as const;

/** The values parseArgs gives for options `O`. */
type Values<O> = {
  [K in keyof O]: O[K] extends { type: "boolean" } ? boolean
    : O[K] extends { default: string } ? string
    : string | undefined;
};

/**
 * Parse a bench script's arguments; prints the usage and exits 0 on `--help`, 2 on a mistake.
 * @param args the arguments (Deno.args)
 * @param usage the text `--help` prints
 * @param defaults `records` and `scopes` when not given
 * @param options the script's other options
 * @param check a check of the other arguments, returning a problem or undefined (default: no positional
 *   argument allowed)
 */
export function benchArgs<O extends NonNullable<ParseArgsConfig["options"]>>(
  args: string[],
  usage: string,
  defaults: { records: number; scopes: number },
  options: O,
  check: (parsed: { values: Values<O>; positionals: string[] }) => string | undefined = ({ positionals }) =>
    noPositionals(positionals),
) {
  try {
    const { values, positionals } = parseArgs({
      args,
      options: { ...options, ...SIZE_OPTIONS },
      allowPositionals: true,
    }) as unknown as {
      values: Values<O> & { help: boolean; records?: string; scopes?: string };
      positionals: string[];
    };
    if (values.help) {
      console.log(usage);
      Deno.exit(0);
    }
    const records = Number(values.records ?? defaults.records);
    const scopes = Number(values.scopes ?? defaults.scopes);
    if (!Number.isInteger(records) || !Number.isInteger(scopes) || scopes < 1 || records < scopes) {
      throw new Error(`--records and --scopes must be whole numbers with 1 <= scopes <= records`);
    }
    const problem = check({ values, positionals });
    if (problem !== undefined) throw new Error(problem);
    return { values, positionals, records, scopes };
  } catch (error) {
    console.error(`bench: ${(error as Error).message}\n\n${usage}`);
    Deno.exit(2);
  }
}

/** The problem with arguments given to a script that takes none, or undefined. */
export function noPositionals(positionals: string[]): string | undefined {
  return positionals.length > 0 ? `unexpected argument "${positionals[0]}"` : undefined;
}
