/**
 * @module
 * The CLI entry: picks the command, runs it, maps errors to the exit-code table and prints them as one
 * line (the stack only with --debug). `main.ts` at the repository root only calls `runCli`.
 */
import type { CliIo } from "./cli_io.ts";
import { ExitCode, exitCodeFor } from "./exit_codes.ts";
import { commands } from "./registry.ts";
import { UsageError } from "./usage_error.ts";
import { describeError } from "./describe_error.ts";

const VERSION_HINT = 'Run "tapesync --help" for the list of commands';

function topHelp(): string {
  const width = Math.max(...Object.keys(commands).map((name) => name.length));
  const lines = Object.entries(commands).map(([name, entry]) => `  ${name.padEnd(width)}  ${entry.summary}`);
  return [
    "tapesync: keeps a tape inventory in step with what backup servers know",
    "",
    "Usage: tapesync <command> [options]   (tapesync <command> --help for its options)",
    "",
    "Commands:",
    ...lines,
    "",
    "Exit codes: 0 ok, 1 record errors / guard refused, 2 usage or definition error,",
    "            3 inventory unreachable or logon refused, 4 changes present (--detailed-exitcode),",
    "            75 the job's lock is held by another run, 70 internal error",
    "",
  ].join("\n");
}

/**
 * Run the CLI.
 * @param args the command line after the program name
 * @param io the process surroundings
 * @returns the exit code
 */
export async function runCli(args: string[], io: CliIo): Promise<number> {
  const debug = args.includes("--debug");
  const rest = args.filter((arg) => arg !== "--debug");
  const [name, ...commandArgs] = rest;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    io.out(topHelp());
    return name === undefined ? ExitCode.Usage : ExitCode.Ok;
  }
  if (name === "--version" || name === "-V") return runCli(["version", ...commandArgs], io);
  const entry = commands[name];
  try {
    if (entry === undefined) throw new UsageError(name, `Cannot run command "${name}": no such command`);
    const command = await entry.load();
    if (commandArgs.includes("--help") || commandArgs.includes("-h")) {
      io.out(command.help.endsWith("\n") ? command.help : `${command.help}\n`);
      return ExitCode.Ok;
    }
    return await command.run(commandArgs, io);
  } catch (error) {
    const code = exitCodeFor(error);
    io.err(`${describeError(error, code === ExitCode.Internal)}\n`);
    if (error instanceof UsageError) io.err(`${VERSION_HINT}\n`);
    if (debug && error instanceof Error && error.stack) io.err(`${error.stack}\n`);
    return code;
  }
}
