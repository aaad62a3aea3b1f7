/**
 * @module
 * `tapesync version`: the program's version, the Deno runtime and the build target. Imports nothing heavy,
 * so it answers in about the time Deno takes to start.
 */
import type { Command } from "../command.ts";
import { ExitCode } from "../exit_codes.ts";
import { parseFlags } from "../parse_flags.ts";

/**
 * The program version. Kept equal to "version" in deno.json (src/ must not import files outside it):
 * tests/agent/version_test.ts and scripts/build.ts check that they match.
 */
export const VERSION = "0.1.0";

const HELP = `Usage: tapesync version [--json]

Prints the tapesync version, the Deno runtime version and the build target (for bug reports and to check
which binary a backup server runs).

      --json   print {"version", "deno", "v8", "typescript", "target"} as JSON
`;

/** What `tapesync version` reports. */
export function versionInfo(): {
  version: string;
  deno: string;
  v8: string;
  typescript: string;
  target: string;
} {
  return {
    version: VERSION,
    deno: Deno.version.deno,
    v8: Deno.version.v8,
    typescript: Deno.version.typescript,
    target: Deno.build.target,
  };
}

export const command: Command = {
  name: "version",
  summary: "Print the version, the Deno version and the build target",
  help: HELP,
  run(args, io) {
    const { flags } = parseFlags(args, { json: { type: "boolean" } }, "version");
    const info = versionInfo();
    io.out(
      flags.json
        ? `${JSON.stringify(info)}\n`
        : `tapesync ${info.version}\ndeno ${info.deno} (v8 ${info.v8}, typescript ${info.typescript})\ntarget ${info.target}\n`,
    );
    return Promise.resolve(ExitCode.Ok);
  },
};
