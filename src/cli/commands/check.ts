/**
 * @module
 * `tapesync check`: validate a definition and, given an input, preview what records become, without
 * touching any inventory.
 */
import { compileDefinition, intentFields } from "../../transform/mod.ts";
import { InputRecordError, openSource } from "../../source/mod.ts";
import type { Command } from "../command.ts";
import type { CliIo } from "../cli_io.ts";
import { ExitCode } from "../exit_codes.ts";
import { openInput } from "../open_input.ts";
import { intFlag, parseFlags, setFlags } from "../parse_flags.ts";
import { readDefinition, readSiteFile } from "../read_definition.ts";
import { UsageError } from "../usage_error.ts";

const HELP =
  `Usage: tapesync check --definition FILE|builtin:NAME [--input FILE|-] [--limit N] [--set NAME=VALUE]

Validates the definition (schema, field limits, tables, date formats, parameters) and exits 2 with
file:line:column and the YAML path of the first problem. With --input it also reads the export and prints,
for the first N records, the volume and fields each becomes, or why it is skipped. Nothing is written.

  -d, --definition REF   definition file, or builtin:NAME
  -i, --input FILE       export to preview ("-" for standard input)
      --limit N          records to preview (default 20; 0 = all)
      --set NAME=VALUE   site parameter (repeatable); --site FILE for a YAML file of them
      --format text|json output format of the preview (default text)
`;

const FLAGS = {
  definition: { type: "string", short: "d" },
  input: { type: "string", short: "i" },
  limit: { type: "string" },
  set: { type: "string", multiple: true },
  site: { type: "string" },
  format: { type: "string" },
} as const;

interface PreviewRow {
  line: number;
  outcome: "volume" | "skip" | "error";
  customer?: string;
  media?: string;
  volume?: string;
  fields?: Record<string, string | null>;
  reason?: string;
}

export const command: Command = {
  name: "check",
  summary: "Validate a definition and preview records -> fields",
  help: HELP,
  async run(args, io) {
    const { flags } = parseFlags(args, FLAGS, "check");
    if (flags.definition === undefined) {
      throw new UsageError("--definition", "Cannot check: --definition is required");
    }
    const format = flags.format ?? "text";
    if (format !== "text" && format !== "json") {
      throw new UsageError("--format", `Cannot use --format "${format}": expected "text" or "json"`);
    }
    const limit = intFlag(flags.limit, "--limit") ?? 20;
    const site = flags.site ? await readSiteFile(flags.site) : {};
    const definition = await readDefinition(flags.definition, setFlags(flags.set), site);
    const compiled = compileDefinition(definition, flags.input ?? "stdin");
    if (format === "text") {
      io.out(
        `Definition "${flags.definition}" is valid: source ${definition.source.format}, fields customer, media, volume${
          compiled.fields.map((field) => `, ${field.name}${field.mode === "alert" ? " (alert)" : ""}`).join(
            "",
          )
        }\n`,
      );
    }
    if (flags.input === undefined) return ExitCode.Ok;
    const input = await openInput(definition.source, { input: flags.input }, io);
    const rows: PreviewRow[] = [];
    let errors = 0;
    try {
      let records = 0;
      outer: for await (const events of openSource(definition.source, input.stream, input.name)) {
        for (const event of events) {
          if (event.kind === "header") compiled.header(event.names, event.line);
          else if (event.kind === "skip") {
            rows.push({ line: event.line, outcome: "skip", reason: event.reason });
          } else {
            if (limit > 0 && records >= limit) break outer;
            records++;
            rows.push(preview(compiled, event.values, event.line));
            if (rows[rows.length - 1].outcome === "error") errors++;
          }
        }
      }
    } catch (error) {
      if (!(error instanceof InputRecordError)) throw error;
      rows.push({ line: error.line, outcome: "error", reason: error.message });
      errors++;
    } finally {
      await input.close();
    }
    printPreview(rows, format, io);
    return errors > 0 ? ExitCode.RecordErrors : ExitCode.Ok;
  },
};

function preview(
  compiled: ReturnType<typeof compileDefinition>,
  values: readonly string[],
  line: number,
): PreviewRow {
  try {
    const result = compiled.apply(values, line);
    if (result.kind === "skip") return { line, outcome: "skip", reason: result.reason };
    const fields = intentFields(compiled, result);
    return {
      line,
      outcome: "volume",
      customer: result.customer,
      media: result.media,
      volume: result.volume,
      fields,
    };
  } catch (error) {
    if (!(error instanceof InputRecordError)) throw error;
    return { line, outcome: "error", reason: error.message };
  }
}

function printPreview(rows: PreviewRow[], format: string, io: CliIo): void {
  if (format === "json") {
    io.out(`${JSON.stringify(rows, null, 2)}\n`);
    return;
  }
  for (const row of rows) {
    if (row.outcome === "volume") {
      const fields = Object.entries(row.fields ?? {}).map(([name, value]) => `${name}=${value ?? "(clear)"}`);
      io.out(`line ${row.line}: ${row.customer}/${row.media}/${row.volume} ${fields.join(" ")}\n`);
    } else if (row.outcome === "skip") io.out(`line ${row.line}: skipped (${row.reason})\n`);
    else io.out(`line ${row.line}: error: ${row.reason}\n`);
  }
}
