/**
 * @module
 * Benchmark of the embedded SQLite inventory alone (no parsing, no engine): N volumes over S scopes added
 * in batches of B (batches in scope order, then shuffled), one load of every scope, and a steady state
 * done as the engine does it: load each scope, then send its 1% updates as one batch sorted by volume. Each scenario runs in
 * its own process so peak RSS is its own. Prints records/s, peak RSS and the file size.
 *
 * @example
 * ```sh
 * deno run -A scripts/bench/store.ts                                   # 1,000,000 volumes, 1,000 scopes
 * deno run -A scripts/bench/store.ts --volumes 100000 --scopes 100     # a quick run
 * ```
 */
import { parseArgs } from "node:util";
import type { ChangeBatch, ScopeKey, VolumeChange } from "../../src/inventory/mod.ts";
import { openSqliteInventory } from "../../src/inventory/sqlite/mod.ts";

interface Plan {
  volumes: number;
  scopes: number;
  batch: number;
}

interface Measurement {
  /** Volumes added, or loaded (load and steady state). */
  records: number;
  /** Volumes updated (steady state). */
  updated: number;
  /** CPU seconds, user and system. */
  cpuS: number;
  ms: number;
  peakRssMb: number;
  dbMb: number;
}

const REPOSITORIES = ["LIBR", "OFFS", "VLT2", "TRAN"];

function scopeOf(index: number): ScopeKey {
  return { customer: `C${String(Math.floor(index / 10)).padStart(3, "0")}`, media: `M${index % 10}` };
}

function volumeId(n: number): string {
  return `V${String(n).padStart(7, "0")}`;
}

/** The four fields the engine bench's generic CSV carries, for volume number `n`. */
function fieldsOf(n: number, changed: boolean): Record<string, string> {
  const day = 1 + ((n + (changed ? 7 : 0)) % 28);
  return {
    repository: REPOSITORIES[(n + (changed ? 1 : 0)) % REPOSITORIES.length],
    slot: String(n % 5000),
    moveDate: `2026-12-${String(day).padStart(2, "0")}`,
    description: `set ${n % 97}`,
  };
}

/** A deterministic permutation of 0..n-1. */
function permutation(n: number, seed = 42): number[] {
  const order = Array.from({ length: n }, (_, i) => i);
  let state = seed >>> 0;
  for (let i = n - 1; i > 0; i--) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    const j = state % (i + 1);
    [order[i], order[j]] = [order[j], order[i]];
  }
  return order;
}

/** The add batches of the initial load: [scope index, first volume number, count]. */
function addBatches(plan: Plan): [number, number, number][] {
  const perScope = Math.ceil(plan.volumes / plan.scopes);
  const batches: [number, number, number][] = [];
  for (let s = 0; s < plan.scopes; s++) {
    const first = s * perScope;
    const end = Math.min(first + perScope, plan.volumes);
    for (let start = first; start < end; start += plan.batch) {
      batches.push([s, start, Math.min(plan.batch, end - start)]);
    }
  }
  return batches;
}

function peakRssMb(): number {
  try {
    const match = Deno.readTextFileSync("/proc/self/status").match(/VmHWM:\s+(\d+) kB/);
    if (match) return Number(match[1]) / 1024;
  } catch {
    // Not Linux: fall back to the current RSS.
  }
  return Deno.memoryUsage().rss / 1024 / 1024;
}

/** CPU seconds (user + system) of this process so far; wall time on a shared machine also counts waits. */
function cpuSeconds(): number {
  try {
    const fields = Deno.readTextFileSync("/proc/self/stat").split(") ")[1].split(" ");
    // utime and stime are fields 14 and 15 of the whole line, in clock ticks of 1/100 s.
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return Number.NaN;
  }
}

function fileMb(path: string): number {
  let bytes = 0;
  for (const suffix of ["", "-wal"]) {
    try {
      bytes += Deno.statSync(path + suffix).size;
    } catch {
      // No WAL after a clean close.
    }
  }
  return bytes / 1e6;
}

/** Run one scenario in this process and return its measurement. */
async function runScenario(name: string, db: string, plan: Plan): Promise<Measurement> {
  const inventory = openSqliteInventory(db, { readOnly: name === "load" });
  const started = performance.now();
  const cpuStarted = cpuSeconds();
  let records = 0;
  let updated = 0;
  try {
    if (name === "initial-sorted" || name === "initial-shuffled") {
      const batches = addBatches(plan);
      const order = name === "initial-sorted" ? batches : permutation(batches.length).map((i) => batches[i]);
      for (const [s, first, count] of order) {
        const changes: VolumeChange[] = [];
        for (let n = first; n < first + count; n++) {
          const fields = fieldsOf(n, false);
          const change: VolumeChange = { volume: volumeId(n), op: "add", changes: {} };
          for (const field in fields) change.changes[field] = { old: null, new: fields[field] };
          changes.push(change);
        }
        const result = await inventory.applyBatch(batchOf(`add-${first}`, s, changes));
        records += result.added;
      }
    } else if (name === "load") {
      for (let s = 0; s < plan.scopes; s++) {
        for await (const rows of inventory.loadScope(scopeOf(s))) records += rows.length;
      }
    } else if (name === "steady" || name === "steady-shuffled") {
      const perScope = Math.ceil(plan.volumes / plan.scopes);
      const scopes = name === "steady"
        ? Array.from({ length: plan.scopes }, (_, i) => i)
        : permutation(plan.scopes);
      for (const s of scopes) {
        // As the engine does: load the scope, then send its changes as one batch.
        for await (const rows of inventory.loadScope(scopeOf(s))) records += rows.length;
        const changes: VolumeChange[] = [];
        for (let n = s * perScope; n < Math.min((s + 1) * perScope, plan.volumes); n += 100) {
          // The shuffled run follows the ordered one on the same file, so it changes the values back.
          const before = fieldsOf(n, name !== "steady");
          const after = fieldsOf(n, name === "steady");
          changes.push({
            volume: volumeId(n),
            op: "update",
            changes: {
              repository: { old: before.repository, new: after.repository },
              moveDate: { old: before.moveDate, new: after.moveDate },
            },
          });
        }
        const result = await inventory.applyBatch(batchOf(`${name}-${s}`, s, changes));
        if (result.conflicts.length > 0) throw new Error(`unexpected conflicts in scope ${s}`);
        updated += result.updated;
      }
    } else {
      throw new Error(`unknown scenario "${name}"`);
    }
  } finally {
    await inventory.close();
  }
  const ms = performance.now() - started;
  return { records, updated, ms, cpuS: cpuSeconds() - cpuStarted, peakRssMb: peakRssMb(), dbMb: fileMb(db) };
}

function batchOf(id: string, scope: number, changes: VolumeChange[]): ChangeBatch {
  return { id, runId: "bench", ...scopeOf(scope), changes };
}

async function child(name: string, db: string, plan: Plan): Promise<Measurement> {
  const output = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      import.meta.filename ?? new URL(import.meta.url).pathname,
      "--scenario",
      name,
      "--db",
      db,
      "--volumes",
      String(plan.volumes),
      "--scopes",
      String(plan.scopes),
      "--batch",
      String(plan.batch),
    ],
    stdout: "piped",
    stderr: "inherit",
  }).output();
  if (!output.success) throw new Error(`scenario ${name} failed (exit ${output.code})`);
  return JSON.parse(new TextDecoder().decode(output.stdout).trim().split("\n").at(-1) ?? "") as Measurement;
}

function report(name: string, m: Measurement): void {
  const rate = Math.round(m.records / (m.ms / 1000)).toLocaleString("en-US");
  const parts = [
    name.padEnd(44),
    `${m.records.toLocaleString("en-US").padStart(10)} rec`,
    `${(m.ms / 1000).toFixed(2).padStart(6)} s`,
    `${rate.padStart(8)} rec/s`,
    `cpu ${m.cpuS.toFixed(2).padStart(6)} s`,
    `peak RSS ${m.peakRssMb.toFixed(0).padStart(4)} MB`,
    `file ${m.dbMb.toFixed(0).padStart(4)} MB`,
  ];
  console.log(parts.join("  "));
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      volumes: { type: "string", default: "1000000" },
      scopes: { type: "string", default: "1000" },
      batch: { type: "string", default: "1000" },
      scenario: { type: "string" },
      db: { type: "string" },
    },
  });
  const plan: Plan = {
    volumes: Number(values.volumes),
    scopes: Number(values.scopes),
    batch: Number(values.batch),
  };
  if (values.scenario !== undefined && values.db !== undefined) {
    console.log(JSON.stringify(await runScenario(values.scenario, values.db, plan)));
    return;
  }
  const dir = await Deno.makeTempDir({ prefix: "tapesync-store-bench-" });
  try {
    console.log(
      `Store benchmark: ${
        plan.volumes.toLocaleString("en-US")
      } volumes over ${plan.scopes} scopes, batches of ${plan.batch}, 4 fields per volume`,
    );
    const sorted = await child("initial-sorted", `${dir}/sorted.db`, plan);
    report("initial load, batches in scope order", sorted);
    const shuffled = await child("initial-shuffled", `${dir}/shuffled.db`, plan);
    report("initial load, batches shuffled", shuffled);
    await Deno.remove(`${dir}/shuffled.db`);
    const load = await child("load", `${dir}/sorted.db`, plan);
    report("load every scope (read-only)", load);
    const steady = await child("steady", `${dir}/sorted.db`, plan);
    report(`steady state: load + ${steady.updated} updates, in order`, steady);
    const steadyShuffled = await child("steady-shuffled", `${dir}/sorted.db`, plan);
    report(`steady state: load + ${steadyShuffled.updated} updates, shuffled`, steadyShuffled);
    console.log(`shuffled / sorted initial load: ${(shuffled.ms / sorted.ms).toFixed(2)}x`);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

if (import.meta.main) await main();
