/**
 * @module
 * `deno task bench`: throughput of the sync path on this machine, as comparable ratios.
 *
 * Generates N records over S scopes (default 1,000,000 over 1,000) in the generic CSV layout, sorted and
 * shuffled, then measures in separate processes: a parse-only pass (source + transform, no inventory), the
 * initial load (every volume added into an empty embedded store) and the steady state (the same export with
 * 1% of the records changed, against the loaded store). Prints records/s, scope loads, peak RSS, and the
 * ratios sync / parse-only (the median of three parse-only passes) and shuffled / sorted, then the cold start
 * of `tapesync version` and `tapesync agent --check`. Other parts run with --all or by name: `parsers` (CSV
 * parser choice), `sources` (text formats vs CSV), `http` (HTTP vs embedded), `postgres`.
 *
 * @example
 * ```sh
 * deno task bench                              # 1,000,000 records over 1,000 scopes, and cold start
 * deno task bench --records 100000 --scopes 100
 * deno task bench --all                        # also parsers, sources, HTTP and PostgreSQL
 * deno task bench cold http                     # only those parts
 * ```
 */
import { RUNTIME_V8_FLAGS } from "../build.ts";
import { benchArgs } from "./bench_args.ts";
import { generateExport } from "./generate.ts";

interface Measurement {
  ms: number;
  peakRssMb: number;
  records: number;
  stats?: { scopesLoaded: number; volumesAdded: number; volumesUpdated: number; volumesUnchanged: number };
}

const root = new URL("../../", import.meta.url).pathname;
const definition = `${root}definitions/generic-csv.yaml`;

async function measure(kind: "parse" | "sync", input: string, db = ""): Promise<Measurement> {
  const output = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      `--v8-flags=${RUNTIME_V8_FLAGS}`,
      `${root}scripts/bench/run_scenario.ts`,
      kind,
      definition,
      input,
      db,
    ],
    stdout: "piped",
    stderr: "inherit",
  }).output();
  if (!output.success) throw new Error(`bench scenario ${kind} on ${input} failed (exit ${output.code})`);
  const text = new TextDecoder().decode(output.stdout).trim().split("\n").at(-1) ?? "";
  return JSON.parse(text) as Measurement;
}

/**
 * Parse-only passes per order. The pass is short, so one run slowed down by the rest of the machine would
 * flatter every sync/parse ratio; the median of three does not.
 */
const PARSE_RUNS = 3;

/** The run with the median time of `runs` runs. */
async function medianOf(runs: number, run: () => Promise<Measurement>): Promise<Measurement> {
  const all: Measurement[] = [];
  for (let i = 0; i < runs; i++) all.push(await run());
  all.sort((a, b) => a.ms - b.ms);
  return all[Math.floor(runs / 2)];
}

function rate(m: Measurement): string {
  return `${Math.round(m.records / (m.ms / 1000)).toLocaleString("en-US")} rec/s`;
}

function row(name: string, m: Measurement, parse: Measurement): string {
  const loads = m.stats ? String(m.stats.scopesLoaded) : "-";
  return `${name.padEnd(28)} ${(m.ms / 1000).toFixed(2).padStart(7)} s  ${rate(m).padStart(16)}  loads ${
    loads.padStart(5)
  }  peak RSS ${m.peakRssMb.toFixed(0).padStart(4)} MB  sync/parse ${(m.ms / parse.ms).toFixed(2)}x`;
}

async function coreBench(records: number, scopes: number, dir: string): Promise<boolean> {
  console.log(
    `Sync benchmark: ${records.toLocaleString("en-US")} records over ${scopes} scopes (generic CSV)`,
  );
  const files = {
    sorted: `${dir}/sorted.csv`,
    shuffled: `${dir}/shuffled.csv`,
    sortedChanged: `${dir}/sorted-1pct.csv`,
    shuffledChanged: `${dir}/shuffled-1pct.csv`,
  };
  await generateExport(files.sorted, { records, scopes, shuffle: false, changed: 0 });
  await generateExport(files.shuffled, { records, scopes, shuffle: true, changed: 0 });
  await generateExport(files.sortedChanged, { records, scopes, shuffle: false, changed: 0.01 });
  await generateExport(files.shuffledChanged, { records, scopes, shuffle: true, changed: 0.01 });
  const results: Record<string, Measurement> = {};
  for (const order of ["sorted", "shuffled"] as const) {
    const parse = await medianOf(PARSE_RUNS, () => measure("parse", files[order]));
    const db = `${dir}/${order}.db`;
    const initial = await measure("sync", files[order], db);
    const steady = await measure(
      "sync",
      order === "sorted" ? files.sortedChanged : files.shuffledChanged,
      db,
    );
    results[`${order} parse-only`] = parse;
    results[`${order} initial load`] = initial;
    results[`${order} steady state (1%)`] = steady;
    console.log(row(`${order} parse-only`, parse, parse));
    console.log(row(`${order} initial load`, initial, parse));
    console.log(row(`${order} steady state (1%)`, steady, parse));
  }
  const ratio = (a: string, b: string) => results[a].ms / results[b].ms;
  console.log("");
  console.log(
    "Ratios (targets: sync/parse < 3x, shuffled/sorted < 1.2x, each scenario < 15 s, peak RSS < 400 MB)",
  );
  const checks: [string, number, number][] = [
    ["initial load: sync / parse-only (sorted)", ratio("sorted initial load", "sorted parse-only"), 3],
    ["steady state: sync / parse-only (sorted)", ratio("sorted steady state (1%)", "sorted parse-only"), 3],
    ["initial load: sync / parse-only (shuffled)", ratio("shuffled initial load", "shuffled parse-only"), 3],
    [
      "steady state: sync / parse-only (shuffled)",
      ratio("shuffled steady state (1%)", "shuffled parse-only"),
      3,
    ],
    ["initial load: shuffled / sorted", ratio("shuffled initial load", "sorted initial load"), 1.2],
    ["steady state: shuffled / sorted", ratio("shuffled steady state (1%)", "sorted steady state (1%)"), 1.2],
  ];
  let ok = true;
  for (const [name, value, target] of checks) {
    const pass = value <= target;
    ok &&= pass;
    console.log(`  ${name.padEnd(44)} ${value.toFixed(2)}x  ${pass ? "within" : "OVER"} ${target}x`);
  }
  const maxRss = Math.max(...Object.values(results).map((m) => m.peakRssMb));
  const maxSeconds = Math.max(...Object.values(results).map((m) => m.ms / 1000));
  console.log(`  slowest scenario ${maxSeconds.toFixed(2)} s, highest peak RSS ${maxRss.toFixed(0)} MB`);
  const shuffledLoads = results["shuffled initial load"].stats?.scopesLoaded;
  console.log(
    `  scope loads: sorted ${results["sorted initial load"].stats?.scopesLoaded}, shuffled ${shuffledLoads}`,
  );
  return ok;
}

/** Run another bench script in its own process, its output passed through. */
async function part(title: string, script: string, args: string[]): Promise<void> {
  console.log(`\n${title}`);
  const status = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", new URL(script, import.meta.url).pathname, ...args],
    stdout: "inherit",
    stderr: "inherit",
  }).output();
  if (!status.success) console.log(`(${script} failed with exit code ${status.code})`);
}

const PARTS = ["sync", "parsers", "sources", "http", "postgres", "cold"];

const USAGE = `Usage: deno task bench [--records N] [--scopes S] [--all] [--keep] [PART ...]

Throughput of the sync path and cold start, as comparable ratios (docs/performance.md).

  --records N   records of the generated exports (default 1000000)
  --scopes S    scopes they are spread over (default 1000)
  --all         also the CSV parsers, source formats, HTTP vs embedded and PostgreSQL parts
  --keep        keep the generated files (their folder is printed)
  PART          only these parts: ${PARTS.join(", ")} (default: sync and cold)`;

if (import.meta.main) {
  const { values, positionals, records, scopes } = benchArgs(
    Deno.args,
    USAGE,
    { records: 1_000_000, scopes: 1000 },
    { all: { type: "boolean", default: false }, keep: { type: "boolean", default: false } },
    ({ positionals }) => {
      const unknown = positionals.filter((part) => !PARTS.includes(part));
      return unknown.length > 0 ? `unknown part ${unknown.map((part) => `"${part}"`).join(", ")}` : undefined;
    },
  );
  const only = new Set(positionals);
  const dir = await Deno.makeTempDir({ prefix: "tapesync-bench-" });
  try {
    if (only.size === 0 || only.has("sync")) await coreBench(records, scopes, dir);
    if (values.all || only.has("parsers")) {
      await part("CSV parsers: own streaming parser vs csv-parse", "./csv_parsers.ts", []);
    }
    if (values.all || only.has("sources")) {
      await part("Sources: records/s of each format vs CSV", "./sources.ts", [
        String(Math.min(records, 500000)),
      ]);
    }
    if (values.all || only.has("http")) {
      await part("HTTP vs embedded", "./http.ts", ["--records", String(records), "--scopes", String(scopes)]);
    }
    if (values.all || only.has("postgres")) {
      await part("PostgreSQL vs SQLite server path (needs TAPESYNC_TEST_PG_URL)", "./postgres.ts", [
        "--records",
        String(records),
        "--scopes",
        String(scopes),
      ]);
    }
    if (only.size === 0 || only.has("cold")) await part("Cold start", "./cold_start.ts", []);
  } finally {
    if (values.keep) console.log(`generated files kept in ${dir}`);
    else await Deno.remove(dir, { recursive: true });
  }
}
