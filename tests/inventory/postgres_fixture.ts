/**
 * @module
 * Where the PostgreSQL tests find their database: `TAPESYNC_TEST_PG_URL` (set by `.ci/run` from
 * `scripts/ci_services.sh`, which starts a throwaway cluster). `pgSkipReason` says why they skip when it
 * is unset or the server does not answer; `withPgSchema` gives a test an empty schema of its own.
 */
import { postgres } from "../../src/deps/postgres.ts";
import { connectPostgres } from "../../src/inventory/postgres/mod.ts";

/** The URL of the test database, or undefined. */
export const PG_URL: string | undefined = Deno.env.get("TAPESYNC_TEST_PG_URL") || undefined;

/** Why the PostgreSQL tests cannot run here, or undefined when they can. */
export const pgSkipReason: string | undefined = await probe();

async function probe(): Promise<string | undefined> {
  if (PG_URL === undefined) {
    return "TAPESYNC_TEST_PG_URL is unset (scripts/ci_services.sh starts a throwaway cluster and prints it)";
  }
  const { sql, location } = connectPostgres(PG_URL, { maxConnections: 1 });
  try {
    await sql`SELECT 1`;
    return undefined;
  } catch (error) {
    const code = error instanceof Error && "code" in error ? String(error.code) : "error";
    return `PostgreSQL at "${location}" does not answer (${code})`;
  } finally {
    await sql.end({ timeout: 1 });
  }
}

/**
 * Register one ignored test that names the reason, instead of a group that cannot run.
 * @param group what would have run
 */
export function skipPgGroup(group: string): void {
  Deno.test({ name: `${group}: skipped: ${pgSkipReason}`, ignore: true, fn: () => {} });
}

/**
 * Create an empty schema with a unique name, for one test or one server pair.
 * @returns the schema name and a function that drops it with everything in it
 */
export async function createPgSchema(): Promise<{ schema: string; drop: () => Promise<void> }> {
  const url = PG_URL;
  if (url === undefined) throw new TypeError("Cannot create a schema: TAPESYNC_TEST_PG_URL is unset");
  const schema = `t_${crypto.randomUUID().replaceAll("-", "").slice(0, 16)}`;
  const admin = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`CREATE SCHEMA ${schema}`);
  } finally {
    await admin.end({ timeout: 1 });
  }
  return {
    schema,
    drop: async () => {
      const sql = postgres(url, { max: 1, onnotice: () => {} });
      try {
        await sql.unsafe(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      } finally {
        await sql.end({ timeout: 1 });
      }
    },
  };
}

/** The test URL with `search_path` set to `schema`, for child processes that take only a URL. */
export function pgUrlWithSchema(schema: string): string {
  const url = new URL(PG_URL ?? "");
  url.searchParams.set("search_path", schema);
  return url.toString();
}
