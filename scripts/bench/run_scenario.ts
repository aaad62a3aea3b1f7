/**
 * @module
 * One benchmark measurement in its own process, so peak RSS belongs to it alone: `parse` reads and
 * transforms every record without an inventory; `sync` runs the whole engine into an embedded store.
 * Prints one JSON line: { ms, peakRssMb, records, stats }.
 */
import { readDefinition } from "../../src/cli/read_definition.ts";
import { compileDefinition } from "../../src/transform/mod.ts";
import { openSource } from "../../src/source/mod.ts";
import { openSqliteInventory } from "../../src/inventory/sqlite/mod.ts";
import { syncFile } from "./sync_file.ts";

/** Peak resident set size of this process in MB (VmHWM on Linux, else the current RSS). */
function peakRssMb(): number {
  try {
    const status = Deno.readTextFileSync("/proc/self/status");
    const match = /VmHWM:\s+(\d+) kB/.exec(status);
    if (match) return Number(match[1]) / 1024;
  } catch {
    // not Linux: fall back to the current RSS
  }
  return Deno.memoryUsage().rss / 1024 / 1024;
}

const [kind, definitionPath, input, db] = Deno.args;
const definition = await readDefinition(definitionPath, {});
const started = performance.now();
let result: Record<string, unknown>;
if (kind === "parse") {
  const compiled = compileDefinition(definition, input);
  const file = await Deno.open(input);
  let records = 0;
  let volumes = 0;
  for await (const events of openSource(definition.source, file.readable, input)) {
    for (const event of events) {
      if (event.kind === "header") compiled.header(event.names, event.line);
      else if (event.kind === "record") {
        records++;
        if (compiled.apply(event.values, event.line).kind === "volume") volumes++;
      }
    }
  }
  result = { records, volumes };
} else {
  const inventory = openSqliteInventory(db);
  const stats = await syncFile(definition, input, inventory);
  await inventory.close();
  result = { records: stats.recordsRead, stats };
}
const ms = performance.now() - started;
console.log(JSON.stringify({ ms, peakRssMb: peakRssMb(), ...result }));
