/**
 * @module
 * What the end-to-end tests of the server share: a generated export in the generic CSV layout, an
 * in-process `tapesync sync` with its statistics, and a dump of a store (volumes and audit rows without
 * times) to compare an HTTP run with the embedded run field for field.
 */
import type { CliIo } from "../../src/cli/cli_io.ts";
import { runCli } from "../../src/cli/main.ts";
import { readDefinition } from "../../src/cli/read_definition.ts";
import { runEngine, type SyncStats } from "../../src/engine/mod.ts";
import type { Inventory } from "../../src/inventory/mod.ts";
import { openSqliteInventory } from "../../src/inventory/sqlite/mod.ts";
import { openSource } from "../../src/source/mod.ts";
import { compileDefinition } from "../../src/transform/mod.ts";

/** The ready definition for CSVs whose header names the inventory fields. */
export const GENERIC_DEFINITION = new URL("../../definitions/generic-csv.yaml", import.meta.url).pathname;

/**
 * Write an export of `records` volumes over `scopes` scopes (customers C000.., media M0..M9).
 * @param variant changes repository and description of every `every`-th volume when non-zero
 */
export async function writeExport(
  path: string,
  records: number,
  scopes: number,
  variant = 0,
  every = 1,
): Promise<void> {
  const repositories = ["LIBR", "OFFS", "VLT2", "TRAN"];
  const lines = ["volume,customer,media,repository,slot,moveDate,description"];
  const perScope = Math.ceil(records / scopes);
  for (let i = 0; i < records; i++) {
    const scope = Math.floor(i / perScope);
    const changed = variant !== 0 && i % every === 0;
    const repository = repositories[(i + (changed ? variant : 0)) % repositories.length];
    const description = changed ? `variant ${variant}` : `set ${i % 7}`;
    const day = String(1 + (i % 28)).padStart(2, "0");
    lines.push(
      `V${String(i).padStart(6, "0")},C${String(Math.floor(scope / 10)).padStart(3, "0")},M${
        scope % 10
      },${repository},${i % 500},2026-12-${day},${description}`,
    );
  }
  await Deno.writeTextFile(path, `${lines.join("\n")}\n`);
}

/** What an in-process CLI run printed and returned. */
export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Run the CLI in this process with an environment and no terminal. */
export async function cli(args: string[], env: Record<string, string> = {}, cwd = "/"): Promise<CliRun> {
  const run = { stdout: "", stderr: "" };
  const io: CliIo = {
    stdin: new ReadableStream<Uint8Array>({ start: (c) => c.close() }),
    stdinIsTerminal: false,
    out: (text) => void (run.stdout += text),
    err: (text) => void (run.stderr += text),
    stderrIsTerminal: false,
    env: (name) => env[name],
    now: () => Date.now(),
    cwd,
    signal: new AbortController().signal,
  };
  const code = await runCli(args, io);
  return { code, ...run };
}

/** Statistics of a run without what differs between any two runs (run ID, time, mode). */
export function comparableStats(json: string): Record<string, unknown> {
  const { runId: _runId, durationMs: _durationMs, ...rest } = JSON.parse(json) as Record<string, unknown>;
  return rest;
}

/** A store's content without times: every volume, and every audit row as customer/media/volume/field/old/new. */
export interface StoreDump {
  volumes: string[];
  audit: string[];
}

/** Every volume and audit row of an inventory, sorted so two stores can be compared; closes it. */
export async function dumpInventory(inventory: Inventory): Promise<StoreDump> {
  try {
    const volumes: string[] = [];
    let after: string | undefined;
    do {
      const page = await inventory.listVolumes({ limit: 1000, after });
      for (const v of page.volumes) {
        volumes.push(
          `${v.customer}/${v.media}/${v.volume} ${JSON.stringify(Object.entries(v.fields).sort())}`,
        );
      }
      after = page.next;
    } while (after !== undefined);
    const audit: string[] = [];
    after = undefined;
    do {
      const page = await inventory.history({ limit: 1000, after });
      for (const e of page.entries) {
        audit.push(`${e.customer}/${e.media}/${e.volume} ${e.field}: ${e.old} -> ${e.new}`);
      }
      after = page.next;
    } while (after !== undefined);
    audit.sort();
    return { volumes, audit };
  } finally {
    await inventory.close();
  }
}

/** Read every volume and audit row of a database file (read-only). */
export function dumpStore(path: string): Promise<StoreDump> {
  return dumpInventory(openSqliteInventory(path, { readOnly: true }));
}

/**
 * Sync an export with the generic definition in this process through `inventory` (batches of 25, adding
 * on), logging on first and closing it after: the engine with a test-controlled inventory.
 */
export async function syncInProcess(input: string, inventory: Inventory): Promise<SyncStats> {
  const definition = await readDefinition(GENERIC_DEFINITION, {});
  const file = await Deno.open(input);
  await inventory.logon();
  try {
    return await runEngine(
      openSource(definition.source, file.readable, input),
      compileDefinition(definition, input),
      inventory,
      {
        runId: `run-${crypto.randomUUID().slice(0, 8)}`,
        dryRun: false,
        addVolumes: true,
        onBadRecord: "skip",
        batchSize: 25,
        cacheVolumes: 100_000,
        now: () => Date.now(),
      },
    );
  } finally {
    await inventory.close();
  }
}

/** `tapesync sync` arguments of the generic CSV export in `dir`. */
export function syncArgs(dir: string, input: string, stats: string, target: string[]): string[] {
  return [
    "sync",
    "--definition",
    GENERIC_DEFINITION,
    "--input",
    `${dir}/${input}`,
    "--add-volumes",
    "--batch-size",
    "50",
    "--quiet",
    "--stats-json",
    `${dir}/${stats}`,
    ...target,
  ];
}
