/**
 * @module
 * `tapesync serve` and `tapesync users` with `--db postgres://...` from the command line: exit codes and
 * messages when the database is down, holds no schema, or the flags do not fit, and that the database
 * password never appears in any output. The cases needing a database skip with the reason without one.
 */
import assert from "node:assert/strict";
import { createPgSchema, pgSkipReason, pgUrlWithSchema } from "../inventory/postgres_fixture.ts";
import { runTapesync } from "./server_process.ts";

const SECRET = "Db-Passw0rd-Never-Shown";

Deno.test("tapesync serve --db postgres://... refuses what it cannot use with the exit code and the reason", async (t) => {
  const cases = [
    {
      name: "a database that does not answer: exit 3, location without user or password",
      args: ["serve", "--db", "postgres://ops@127.0.0.1:1/tapesync"],
      env: { PGPASSWORD: SECRET },
      code: 3,
      want:
        /Cannot reach the inventory at "postgres:\/\/127\.0\.0\.1:1\/tapesync" after 1 attempt\(s\): the database server did not answer \(ECONNREFUSED\)/,
    },
    {
      name: "a password in the URL is warned about and not echoed",
      args: ["serve", "--db", `postgres://ops:${SECRET}@127.0.0.1:1/tapesync`],
      env: {} as Record<string, string>,
      code: 3,
      want: /Warning: the password in --db is visible to other users/,
    },
    {
      name: "--migrate with an SQLite file: exit 2",
      args: ["serve", "--migrate", "--db", "/nonexistent/x.db"],
      env: {} as Record<string, string>,
      code: 2,
      want: /Cannot use --migrate with an SQLite inventory: it applies to --db postgres:\/\/\.\.\./,
    },
    {
      name: "a malformed URL: exit 2",
      args: ["serve", "--db", "postgres://ops@[bad/tapesync"],
      env: {} as Record<string, string>,
      code: 2,
      want: /Cannot use the database URL: expected postgres:\/\/user@host:port\/database/,
    },
  ];
  for (const c of cases) {
    await t.step(c.name, async () => {
      const result = await runTapesync(c.args, { env: c.env });
      assert.equal(result.code, c.code, result.stderr);
      assert.match(result.stderr, c.want);
      assert.equal(`${result.stdout}${result.stderr}`.includes(SECRET), false);
    });
  }
});

Deno.test({
  name: `tapesync serve and users on an empty PostgreSQL schema ask for --migrate${
    pgSkipReason === undefined ? "" : ` (skipped: ${pgSkipReason})`
  }`,
  ignore: pgSkipReason !== undefined,
  fn: async (t) => {
    const { schema, drop } = await createPgSchema();
    const url = pgUrlWithSchema(schema);
    try {
      for (const args of [["serve", "--db", url], ["users", "list", "--db", url]]) {
        await t.step(`${args[0]}: exit 3 with the advice`, async () => {
          const result = await runTapesync(args, { env: { PGPASSWORD: SECRET } });
          assert.equal(result.code, 3, result.stderr);
          assert.match(result.stderr, /holds no tapesync inventory yet: start once with --migrate/);
          assert.equal(result.stderr.includes(SECRET), false);
        });
      }
    } finally {
      await drop();
    }
  },
});
