/**
 * @module
 * PostgreSQL server path vs SQLite server path: the same sync (initial load, then the steady state with
 * 1% changed), sorted and shuffled, through `tapesync serve --db FILE` and through
 * `tapesync serve --db postgres://...` on loopback, each sync run in its own process (the child of
 * `http.ts`). Prints records/s of each and the ratio PostgreSQL / SQLite (target: within 1.5x).
 * Needs a PostgreSQL URL (`--pg-url`, else `TAPESYNC_TEST_PG_URL`); each run uses a schema of its own,
 * dropped at the end.
 *
 * @example
 * ```sh
 * deno run -A scripts/bench/postgres.ts --records 1000000 --scopes 1000 --pg-url postgres://postgres@127.0.0.1:25432/tapesync_test
 * ```
 */
import { parseArgs } from "node:util";
import { postgres } from "../../src/deps/postgres.ts";
import { connectPostgres } from "../../src/inventory/postgres/mod.ts";
import { hashPassword, PostgresAccountStore } from "../../src/server/mod.ts";
import { generateExport } from "./generate.ts";
import { type ChildResult, cli, measure, startServer } from "./http.ts";

/** What to measure. */
export interface BenchPostgresOptions {
  records: number;
  scopes: number;
  /** The database; each run creates and drops a schema in it. */
  pgUrl: string;
  /** Where lines go (default console.log). */
  log?: (line: string) => void;
}

/** One scenario measured on both server stores. */
export interface BenchPostgresScenario {
  name: string;
  records: number;
  sqliteMs: number;
  postgresMs: number;
  /** postgresMs / sqliteMs. */
  ratio: number;
}

const USER = "bench";
const PASSWORD = "bench-password-not-secret";

/** Initial load then steady state through one server. */
async function throughServer(db: string, extra: string[], inputs: string[]): Promise<ChildResult[]> {
  const server = await startServer(db, extra);
  try {
    const results: ChildResult[] = [];
    for (const input of inputs) results.push(await measure(input, server.url));
    return results;
  } finally {
    await server.stop();
  }
}

async function sqlitePath(dir: string, name: string, inputs: string[]): Promise<ChildResult[]> {
  const db = `${dir}/${name}.db`;
  await cli(["users", "add", USER, "--role", "sync", "--db", db, "--iterations", "1000"], `${PASSWORD}\n`);
  return await throughServer(db, [], inputs);
}

async function postgresPath(pgUrl: string, inputs: string[]): Promise<ChildResult[]> {
  const schema = `bench_${crypto.randomUUID().replaceAll("-", "").slice(0, 12)}`;
  const admin = postgres(pgUrl, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`CREATE SCHEMA ${schema}`);
    const url = new URL(pgUrl);
    url.searchParams.set("search_path", schema);
    const accounts = await PostgresAccountStore.open(connectPostgres(pgUrl, { schema }).sql);
    try {
      await accounts.add({
        name: USER,
        role: "sync",
        customers: null,
        passwordHash: await hashPassword(PASSWORD, 1000),
        createdAt: new Date().toISOString(),
      });
    } finally {
      await accounts.close();
    }
    return await throughServer(url.toString(), ["--migrate"], inputs);
  } finally {
    await admin.unsafe(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await admin.end({ timeout: 5 });
  }
}

function rate(records: number, ms: number): string {
  return `${Math.round(records / (ms / 1000)).toLocaleString("en-US")} rec/s`.padStart(16);
}

/**
 * Measure initial load and steady state, sorted and shuffled, through the SQLite and the PostgreSQL
 * server paths.
 * @returns one entry per scenario with both times and their ratio
 */
export async function benchPostgres(options: BenchPostgresOptions): Promise<BenchPostgresScenario[]> {
  const log = options.log ?? ((line: string) => console.log(line));
  const dir = await Deno.makeTempDir({ prefix: "tapesync-bench-pg-" });
  const scenarios: BenchPostgresScenario[] = [];
  try {
    log(
      `PostgreSQL vs SQLite server path: ${
        options.records.toLocaleString("en-US")
      } records over ${options.scopes} scopes, HTTP on loopback`,
    );
    for (const shuffle of [false, true]) {
      const order = shuffle ? "shuffled" : "sorted";
      const initial = `${dir}/initial-${order}.csv`;
      const steady = `${dir}/steady-${order}.csv`;
      const sizes = { records: options.records, scopes: options.scopes, shuffle };
      await generateExport(initial, { ...sizes, changed: 0 });
      await generateExport(steady, { ...sizes, changed: 0.01 });
      const sqlite = await sqlitePath(dir, order, [initial, steady]);
      const pg = await postgresPath(options.pgUrl, [initial, steady]);
      for (const [i, name] of ["initial load", "steady state (1%)"].entries()) {
        if (
          sqlite[i].volumesAdded !== pg[i].volumesAdded || sqlite[i].volumesUpdated !== pg[i].volumesUpdated
        ) {
          throw new Error(
            `SQLite and PostgreSQL runs differ: ${JSON.stringify({ sqlite: sqlite[i], pg: pg[i] })}`,
          );
        }
        const s = {
          name: `${name}, ${order}`,
          records: sqlite[i].records,
          sqliteMs: sqlite[i].ms,
          postgresMs: pg[i].ms,
          ratio: pg[i].ms / sqlite[i].ms,
        };
        scenarios.push(s);
        log(
          `  ${s.name.padEnd(28)} sqlite ${(s.sqliteMs / 1000).toFixed(2).padStart(6)} s ${
            rate(s.records, s.sqliteMs)
          }   postgres ${(s.postgresMs / 1000).toFixed(2).padStart(6)} s ${rate(s.records, s.postgresMs)}` +
            `   PostgreSQL/SQLite ${s.ratio.toFixed(2)}x ${s.ratio <= 1.5 ? "within" : "OVER"} 1.5x` +
            `   (${pg[i].batchesApplied} batches, ${pg[i].scopesLoaded} scope loads)`,
        );
      }
    }
    return scenarios;
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

if (import.meta.main) {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      records: { type: "string", default: "100000" },
      scopes: { type: "string", default: "100" },
      "pg-url": { type: "string" },
    },
  });
  const pgUrl = values["pg-url"] ?? Deno.env.get("TAPESYNC_TEST_PG_URL");
  if (pgUrl === undefined || pgUrl === "") {
    console.log(
      "PostgreSQL bench skipped: give --pg-url or set TAPESYNC_TEST_PG_URL (scripts/ci_services.sh)",
    );
  } else {
    await benchPostgres({ records: Number(values.records), scopes: Number(values.scopes), pgUrl });
  }
}
