/**
 * @module
 * HTTP vs embedded: the same sync (initial load, then the steady state with 1% changed) into the embedded
 * SQLite store and through `tapesync serve` on loopback, each run in its own process. Prints records/s of
 * each and the ratio HTTP / embedded (target: within 2x). Runs from `deno task bench http` or standalone.
 *
 * @example
 * ```sh
 * deno run -A scripts/bench/http.ts --records 100000 --scopes 100 --repeat 3
 * ```
 */
import { RUNTIME_V8_FLAGS } from "../build.ts";
import { benchArgs, noPositionals } from "./bench_args.ts";
import { generateExport } from "./generate.ts";

/** What to measure. */
export interface BenchHttpOptions {
  records: number;
  scopes: number;
  /** Shuffle the export (default false: sorted by scope). */
  shuffle?: boolean;
  /** Runs of each path; the best is kept, as the machine is shared (default 1). */
  repeat?: number;
  /** Where lines go (default console.log). */
  log?: (line: string) => void;
}

/** One scenario measured both ways. */
export interface BenchHttpScenario {
  name: string;
  records: number;
  embeddedMs: number;
  httpMs: number;
  /** httpMs / embeddedMs. */
  ratio: number;
}

/** What one child sync reports. */
export interface ChildResult {
  ms: number;
  records: number;
  scopesLoaded: number;
  batchesApplied: number;
  volumesAdded: number;
  volumesUpdated: number;
}

const ROOT = new URL("../../", import.meta.url).pathname;
const SELF = new URL(import.meta.url).pathname;
const DEFINITION = `${ROOT}definitions/generic-csv.yaml`;
const USER = "bench";
const PASSWORD = "bench-password-not-secret";

/** One sync in this process (the child side): embedded when `target` is a path, HTTP when a URL. */
async function childSync(input: string, target: string): Promise<ChildResult> {
  const { readDefinition } = await import("../../src/cli/read_definition.ts");
  const { syncFile } = await import("./sync_file.ts");
  const { openSqliteInventory } = await import("../../src/inventory/sqlite/mod.ts");
  const { HttpInventory } = await import("../../src/inventory/http/mod.ts");
  const definition = await readDefinition(DEFINITION, {});
  const inventory = target.startsWith("http")
    ? new HttpInventory({ url: target, user: USER, password: PASSWORD })
    : openSqliteInventory(target);
  const started = performance.now();
  await inventory.logon();
  const stats = await syncFile(definition, input, inventory);
  await inventory.close();
  return {
    ms: performance.now() - started,
    records: stats.recordsRead,
    scopesLoaded: stats.scopesLoaded,
    batchesApplied: stats.batchesApplied,
    volumesAdded: stats.volumesAdded,
    volumesUpdated: stats.volumesUpdated,
  };
}

/** One sync of `input` into `target` (a store path or a server URL), in a child process of this script. */
export async function measure(input: string, target: string): Promise<ChildResult> {
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", `--v8-flags=${RUNTIME_V8_FLAGS}`, SELF, "--child", input, target],
    cwd: ROOT,
    stdout: "piped",
    stderr: "inherit",
  }).output();
  if (!output.success) throw new Error(`bench child on ${input} -> ${target} failed (exit ${output.code})`);
  return JSON.parse(new TextDecoder().decode(output.stdout).trim().split("\n").at(-1) ?? "") as ChildResult;
}

/** Run `tapesync ARGS` (with `stdin`) as a process; throws with its stderr when it fails. */
export async function cli(args: string[], stdin = ""): Promise<void> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", `--v8-flags=${RUNTIME_V8_FLAGS}`, "--quiet", `${ROOT}main.ts`, ...args],
    cwd: ROOT,
    stdin: "piped",
    stdout: "null",
    stderr: "piped",
  }).spawn();
  const writer = child.stdin.getWriter();
  await writer.write(new TextEncoder().encode(stdin));
  await writer.close();
  const output = await child.output();
  if (!output.success) {
    throw new Error(
      `tapesync ${args[0]} failed (exit ${output.code}): ${new TextDecoder().decode(output.stderr)}`,
    );
  }
}

/** Start `tapesync serve --db DB [EXTRA]` on a free loopback port; returns its URL and a stop function. */
export async function startServer(
  db: string,
  extra: string[] = [],
): Promise<{ url: string; stop: () => Promise<void> }> {
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      `--v8-flags=${RUNTIME_V8_FLAGS}`,
      "--quiet",
      `${ROOT}main.ts`,
      "serve",
      "--db",
      db,
      "--listen",
      "127.0.0.1:0",
      ...extra,
    ],
    cwd: ROOT,
    stdin: "null",
    stdout: "piped",
    stderr: "inherit",
    env: { TAPESYNC_LOG: "quiet" },
  }).spawn();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let text = "";
  let match: RegExpExecArray | null = null;
  while (match === null) {
    const { done, value } = await reader.read();
    if (done) throw new Error("tapesync serve did not start");
    text += value;
    match = /Listening on (http:\/\/[^\s]+)/.exec(text);
  }
  const drained = (async () => {
    while (!(await reader.read()).done) { /* drain */ }
  })();
  return {
    url: match[1],
    stop: async () => {
      child.kill("SIGTERM");
      await child.status;
      await drained;
    },
  };
}

function rate(records: number, ms: number): string {
  return `${Math.round(records / (ms / 1000)).toLocaleString("en-US")} rec/s`.padStart(16);
}

/**
 * Measure the initial load and the steady state into the embedded store and through HTTP on loopback.
 * @returns one entry per scenario with both times and their ratio
 */
export async function benchHttp(options: BenchHttpOptions): Promise<BenchHttpScenario[]> {
  const log = options.log ?? ((line: string) => console.log(line));
  const dir = await Deno.makeTempDir({ prefix: "tapesync-bench-http-" });
  try {
    const order = options.shuffle ? "shuffled" : "sorted";
    log(
      `HTTP vs embedded: ${
        options.records.toLocaleString("en-US")
      } records over ${options.scopes} scopes (${order})`,
    );
    const initial = `${dir}/initial.csv`;
    const steady = `${dir}/steady.csv`;
    const shuffle = options.shuffle ?? false;
    await generateExport(initial, { records: options.records, scopes: options.scopes, shuffle, changed: 0 });
    await generateExport(steady, {
      records: options.records,
      scopes: options.scopes,
      shuffle,
      changed: 0.01,
    });

    // The machine is shared: alternate the two paths and keep each scenario's best of `repeat` runs.
    let embedded: ChildResult[] | undefined;
    let http: ChildResult[] | undefined;
    const best = (a: ChildResult[] | undefined, b: ChildResult[]) =>
      a === undefined ? b : a.map((r, i) => r.ms <= b[i].ms ? r : b[i]);
    for (let round = 0; round < (options.repeat ?? 1); round++) {
      const embeddedDb = `${dir}/embedded-${round}.db`;
      embedded = best(embedded, [await measure(initial, embeddedDb), await measure(steady, embeddedDb)]);
      const db = `${dir}/server-${round}.db`;
      await cli(
        ["users", "add", USER, "--role", "sync", "--db", db, "--iterations", "1000"],
        `${PASSWORD}\n`,
      );
      const server = await startServer(db);
      try {
        http = best(http, [await measure(initial, server.url), await measure(steady, server.url)]);
      } finally {
        await server.stop();
      }
    }
    if (embedded === undefined || http === undefined) {
      throw new RangeError("Cannot measure: repeat must be at least 1");
    }
    const names = ["initial load", "steady state (1%)"];
    const scenarios = names.map((name, i) => ({
      name,
      records: embedded[i].records,
      embeddedMs: embedded[i].ms,
      httpMs: http[i].ms,
      ratio: http[i].ms / embedded[i].ms,
    }));
    for (const [i, s] of scenarios.entries()) {
      if (
        embedded[i].volumesAdded !== http[i].volumesAdded ||
        embedded[i].volumesUpdated !== http[i].volumesUpdated
      ) {
        throw new Error(
          `HTTP and embedded runs differ in ${s.name}: ${
            JSON.stringify({ embedded: embedded[i], http: http[i] })
          }`,
        );
      }
      log(
        `  ${s.name.padEnd(20)} embedded ${(s.embeddedMs / 1000).toFixed(2).padStart(6)} s ${
          rate(s.records, s.embeddedMs)
        }` +
          `   http ${(s.httpMs / 1000).toFixed(2).padStart(6)} s ${rate(s.records, s.httpMs)}` +
          `   HTTP/embedded ${s.ratio.toFixed(2)}x ${s.ratio <= 2 ? "within" : "OVER"} 2x` +
          `   (${http[i].batchesApplied} batches, ${http[i].scopesLoaded} scope loads)`,
      );
    }
    return scenarios;
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

if (import.meta.main) {
  if (Deno.args[0] === "--child") {
    console.log(JSON.stringify(await childSync(Deno.args[1], Deno.args[2])));
  } else {
    const { values, records, scopes } = benchArgs(
      Deno.args,
      `Usage: deno run -A scripts/bench/http.ts [--records N] [--scopes S] [--shuffle] [--repeat R]

The same sync into the embedded store and through tapesync serve; prints records/s and the ratio.

  --records N   records of the generated exports (default 1000000)
  --scopes S    scopes they are spread over (default 1000)
  --shuffle     shuffle the export (default: sorted by scope)
  --repeat R    runs of each path, the best kept (default 1)`,
      { records: 1_000_000, scopes: 1000 },
      { shuffle: { type: "boolean", default: false }, repeat: { type: "string", default: "1" } },
      ({ values, positionals }) => {
        const repeat = Number(values.repeat);
        const badRepeat = Number.isInteger(repeat) && repeat >= 1
          ? undefined
          : "--repeat must be a whole number of at least 1";
        return noPositionals(positionals) ?? badRepeat;
      },
    );
    await benchHttp({ records, scopes, shuffle: values.shuffle, repeat: Number(values.repeat) });
  }
}
