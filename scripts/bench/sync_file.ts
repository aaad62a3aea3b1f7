/**
 * @module
 * One benchmark sync: a generated export through the whole engine into an inventory, with the options
 * every benchmark uses (add volumes, skip bad records, the definition's batch size and cache budget).
 */
import type { Definition } from "../../src/definition/mod.ts";
import { runEngine, type SyncStats } from "../../src/engine/mod.ts";
import type { Inventory } from "../../src/inventory/mod.ts";
import { openSource } from "../../src/source/mod.ts";
import { compileDefinition } from "../../src/transform/mod.ts";

/** Sync the export at `input` into `inventory` (not closed here). */
export async function syncFile(
  definition: Definition,
  input: string,
  inventory: Inventory,
): Promise<SyncStats> {
  const file = await Deno.open(input);
  return await runEngine(
    openSource(definition.source, file.readable, input),
    compileDefinition(definition, input),
    inventory,
    {
      runId: `bench-${Date.now()}`,
      dryRun: false,
      addVolumes: true,
      onBadRecord: "skip",
      batchSize: definition.options.batchSize,
      cacheVolumes: definition.options.cacheVolumes,
      now: () => Date.now(),
    },
  );
}
