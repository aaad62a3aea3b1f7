/**
 * @module
 * PostgreSQL server path vs SQLite server path: the same sync (initial load, then the steady state with
 * 1% changed), sorted and shuffled, through `tapesync serve --db FILE` and through
 * `tapesync serve --db postgres://...` on loopback, each sync run in its own process (the child of
 * `http.ts`), each input through the SQLite server and then at once through the PostgreSQL one, so the
 * two runs of a ratio are seconds apart. Prints records/s of each and the ratio PostgreSQL / SQLite
 * (target: within 1.5x).
 * Needs a PostgreSQL URL (`--pg-url`, else `TAPESYNC_TEST_PG_URL`); each run uses a schema of its own,
 * dropped at the end.
 *
 * @example
 * ```sh
 * deno run -A scripts/bench/postgres.ts --records 1000000 --scopes 1000 --pg-url postgres://postgres@127.0.0.1:25432/tapesync_test
 * ```
 */
import { postgres } from "../../src/deps/postgres.ts";
import { connectPostgres } from "../../src/inventory/postgres/mod.ts";
import { hashPassword, PostgresAccountStore } from "../../src/server/mod.ts";
import { benchArgs } from "./bench_args.ts";
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

/** A running `tapesync serve` to measure against; `stop` also removes what was set up for it. */
interface BenchServer {
  url: string;
  stop(): Promise<void>;
}

/** A server on a new SQLite file with the bench account. */
async function sqliteServer(dir: string, name: string): Promise<BenchServer> {
  const db = `${dir}/${name}.db`;
  await cli(["users", "add", USER, "--role", "sync", "--db", db, "--iterations", "1000"], `${PASSWORD}\n`);
  return await startServer(db, []);
}

/** A server on a new schema of the PostgreSQL database with the bench account; `stop` drops the schema. */
async function postgresServer(pgUrl: string): Promise<BenchServer> {
  const schema = `bench_${crypto.randomUUID().replaceAll("-", "").slice(0, 12)}`;
  const admin = postgres(pgUrl, { max: 1, onnotice: () => {} });
  const drop = async () => {
    await admin.unsafe(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await admin.end({ timeout: 5 });
  };
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
    const server = await startServer(url.toString(), ["--migrate"]);
    return {
      url: server.url,
      stop: async () => {
        try {
          await server.stop();
        } finally {
          await drop();
        }
      },
    };
  } catch (error) {
    await drop();
    throw error;
  }
}

/**
 * Each input synced through the SQLite server, then at once through the PostgreSQL server, so the two
 * runs of a pair are seconds apart: this machine's speed drifts within minutes, and a ratio of runs
 * taken minutes apart moved by 0.3x.
 */
async function pairedRuns(
  dir: string,
  name: string,
  pgUrl: string,
  inputs: string[],
): Promise<{ sqlite: ChildResult; pg: ChildResult }[]> {
  const sqlite = await sqliteServer(dir, name);
  try {
    const pg = await postgresServer(pgUrl);
    try {
      const pairs: { sqlite: ChildResult; pg: ChildResult }[] = [];
      for (const input of inputs) {
        pairs.push({ sqlite: await measure(input, sqlite.url), pg: await measure(input, pg.url) });
      }
      return pairs;
    } finally {
      await pg.stop();
    }
  } finally {
    await sqlite.stop();
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
      const pairs = await pairedRuns(dir, order, options.pgUrl, [initial, steady]);
      for (const [i, name] of ["initial load", "steady state (1%)"].entries()) {
        const { sqlite, pg } = pairs[i];
        if (sqlite.volumesAdded !== pg.volumesAdded || sqlite.volumesUpdated !== pg.volumesUpdated) {
          throw new Error(`SQLite and PostgreSQL runs differ: ${JSON.stringify({ sqlite, pg })}`);
        }
        const s = {
          name: `${name}, ${order}`,
          records: sqlite.records,
          sqliteMs: sqlite.ms,
          postgresMs: pg.ms,
          ratio: pg.ms / sqlite.ms,
        };
        scenarios.push(s);
        log(
          `  ${s.name.padEnd(28)} sqlite ${(s.sqliteMs / 1000).toFixed(2).padStart(6)} s ${
            rate(s.records, s.sqliteMs)
          }   postgres ${(s.postgresMs / 1000).toFixed(2).padStart(6)} s ${rate(s.records, s.postgresMs)}` +
            `   PostgreSQL/SQLite ${s.ratio.toFixed(2)}x ${s.ratio <= 1.5 ? "within" : "OVER"} 1.5x` +
            `   (${pg.batchesApplied} batches, ${pg.scopesLoaded} scope loads)`,
        );
      }
    }
    return scenarios;
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

if (import.meta.main) {
  const { values, records, scopes } = benchArgs(
    Deno.args,
    `Usage: deno run -A scripts/bench/postgres.ts [--records N] [--scopes S] [--pg-url URL]

The same sync through tapesync serve into SQLite and into PostgreSQL; prints records/s and the ratio.

  --records N   records of the generated exports (default 100000)
  --scopes S    scopes they are spread over (default 100)
  --pg-url URL  the database (default TAPESYNC_TEST_PG_URL); a schema of its own is made and dropped`,
    { records: 100_000, scopes: 100 },
    { "pg-url": { type: "string" } },
  );
  const pgUrl = values["pg-url"] ?? Deno.env.get("TAPESYNC_TEST_PG_URL");
  if (pgUrl === undefined || pgUrl === "") {
    console.log(
      "PostgreSQL bench skipped: give --pg-url or set TAPESYNC_TEST_PG_URL (scripts/ci_services.sh)",
    );
  } else {
    await benchPostgres({ records, scopes, pgUrl });
  }
}
