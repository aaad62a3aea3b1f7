/**
 * @module
 * `tapesync import-ttidef FILE.ttidef > my.yaml`: convert a definition of the original program to a tapesync
 * definition. The YAML goes to stdout, warnings and errors with their line numbers to stderr.
 */
import { convertTtidef } from "../../definition/ttidef/mod.ts";
import type { TtidefDiagnostic } from "../../definition/ttidef/mod.ts";
import type { CliIo } from "../cli_io.ts";
import type { Command } from "../command.ts";
import { ExitCode } from "../exit_codes.ts";
import { parseFlags } from "../parse_flags.ts";
import { UsageError } from "../usage_error.ts";

const HELP = `Usage: tapesync import-ttidef FILE.ttidef > my.yaml

Converts a .ttidef definition of the original program to a tapesync definition (YAML on standard output).
Every statement with an equivalent is translated; every other line is printed on standard error as a warning
with its line number and listed in the import notes at the end of the YAML, never dropped silently. Check the
result with: tapesync check --definition my.yaml --input EXPORT

FILE is read as UTF-8, or as windows-1252 when it is not valid UTF-8; "-" reads standard input.

Exit codes: 0 converted (even with warnings); 2 the file cannot be read, or it holds a construct that
must not be guessed at ([section] headers, "%" sequences other than "%%", unreadable lines): then no YAML is
written.
`;

async function readBytes(file: string, io: CliIo): Promise<Uint8Array> {
  if (file === "-") return new Uint8Array(await new Response(io.stdin).arrayBuffer());
  const path = file.startsWith("/") || /^[A-Za-z]:[\\/]/.test(file) ? file : `${io.cwd}/${file}`;
  try {
    return await Deno.readFile(path);
  } catch (error) {
    const why = error instanceof Deno.errors.NotFound ? "the file does not exist" : (error as Error).message;
    throw new UsageError(file, `Cannot read "${file}": ${why}`);
  }
}

/** Decode as UTF-8, else as windows-1252 (Notepad's ANSI), which every byte sequence is. */
function decode(bytes: Uint8Array): { text: string; encoding: string } {
  try {
    return { text: new TextDecoder("utf-8", { fatal: true }).decode(bytes), encoding: "utf-8" };
  } catch {
    return { text: new TextDecoder("windows-1252").decode(bytes), encoding: "windows-1252" };
  }
}

const show = (file: string, d: TtidefDiagnostic) =>
  `${d.line > 0 ? `${file}:${d.line}` : file}: ${d.severity}: ${d.message}\n`;

export const command: Command = {
  name: "import-ttidef",
  summary: "Convert a .ttidef definition of the original program to YAML",
  help: HELP,
  async run(args, io) {
    const { positionals } = parseFlags(args, {}, "import-ttidef", Infinity);
    if (positionals.length !== 1) {
      throw new UsageError(
        positionals[1] ?? "FILE",
        positionals.length === 0
          ? `Cannot import: name the .ttidef file (tapesync import-ttidef FILE.ttidef > my.yaml)`
          : `Cannot import "${positionals[1]}": import-ttidef takes one file`,
      );
    }
    const file = positionals[0];
    const { text, encoding } = decode(await readBytes(file, io));
    if (encoding !== "utf-8") io.err(`${file}: warning: not UTF-8: read as windows-1252\n`);
    const name = file === "-" ? "stdin.ttidef" : file.split(/[\\/]/).pop()!;
    const result = convertTtidef(text, name);
    for (const diagnostic of [...result.errors, ...result.warnings].toSorted((a, b) => a.line - b.line)) {
      io.err(show(file, diagnostic));
    }
    if (result.errors.length > 0) {
      io.err(
        `Cannot import "${file}": ${result.errors.length} construct(s) are not supported yet: no definition was written\n`,
      );
      return ExitCode.Usage;
    }
    io.out(result.yaml);
    if (result.warnings.length > 0) {
      io.err(
        `${file}: converted with ${result.warnings.length} warning(s): review the import notes at the end\n`,
      );
    }
    return ExitCode.Ok;
  },
};
