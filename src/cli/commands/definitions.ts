/**
 * @module
 * `tapesync definitions list|show NAME`: the ready definitions shipped inside the program.
 */
import { builtinDefinition, builtinNames } from "../../definition/builtin.ts";
import type { Command } from "../command.ts";
import { ExitCode } from "../exit_codes.ts";
import { UsageError } from "../usage_error.ts";

const HELP = `Usage: tapesync definitions list
       tapesync definitions show NAME

The ready definitions shipped inside the program, one per backup product export. Use one with
--definition builtin:NAME and set its site values with --set (only customer is required), or save it
with "show" and edit it:

  tapesync definitions show netbackup-vmquery > netbackup.yaml
`;

/** The `description:` line of a definition's YAML, without parsing it (listing stays fast). */
function describe(text: string): string {
  const match = /^description:\s*(.*)$/m.exec(text);
  return match ? match[1].replace(/^["']|["']$/g, "") : "";
}

export const command: Command = {
  name: "definitions",
  summary: "List or show the ready definitions shipped inside the program",
  help: HELP,
  run(args, io) {
    const [action, name, ...rest] = args;
    if (rest.length > 0) throw new UsageError(rest[0], `Cannot use argument "${rest[0]}"`);
    if (action === "list" && name === undefined) {
      const names = builtinNames();
      const width = Math.max(...names.map((n) => n.length));
      for (const each of names) io.out(`${each.padEnd(width)}  ${describe(builtinDefinition(each)!)}\n`);
      return Promise.resolve(ExitCode.Ok);
    }
    if (action === "show" && name !== undefined) {
      const text = builtinDefinition(name.replace(/^builtin:/, ""));
      if (text === undefined) {
        throw new UsageError(name, `Cannot show definition "${name}": run "tapesync definitions list"`);
      }
      io.out(text);
      return Promise.resolve(ExitCode.Ok);
    }
    throw new UsageError(action ?? "definitions", 'Cannot run "definitions": expected "list" or "show NAME"');
  },
};
