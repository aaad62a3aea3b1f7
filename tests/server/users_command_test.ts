import assert from "node:assert/strict";
import type { CliIo } from "../../src/cli/cli_io.ts";
import { runCli } from "../../src/cli/main.ts";
import { SqliteAccountStore, verifyPassword } from "../../src/server/mod.ts";

const PASSWORD = "Users-Test-Passw0rd";

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

async function tapesync(args: string[], stdin = ""): Promise<Run> {
  const bytes = new TextEncoder().encode(stdin);
  const run = { stdout: "", stderr: "" };
  const io: CliIo = {
    stdin: new ReadableStream<Uint8Array>({
      start(controller) {
        if (bytes.length > 0) controller.enqueue(bytes);
        controller.close();
      },
    }),
    stdinIsTerminal: false,
    out: (text) => void (run.stdout += text),
    err: (text) => void (run.stderr += text),
    stderrIsTerminal: false,
    env: () => undefined,
    now: () => Date.parse("2026-11-25T07:00:00.000Z"),
    cwd: "/",
    signal: new AbortController().signal,
  };
  const code = await runCli(args, io);
  return { code, ...run };
}

async function withDb(work: (db: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "tapesync-users-" });
  try {
    await work(`${dir}/inventory.db`);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

const cheap = ["--iterations", "1000"];

Deno.test("tapesync users adds, lists, changes and removes accounts", async (t) => {
  await withDb(async (db) => {
    const runs: Run[] = [];
    const run = async (args: string[], stdin = "") => {
      const result = await tapesync(args, stdin);
      runs.push(result);
      return result;
    };
    await t.step("add takes the password from stdin", async () => {
      const result = await run(
        ["users", "add", "agent-1", "--role", "sync", "--db", db, ...cheap],
        `${PASSWORD}\n`,
      );
      assert.deepEqual(result, { code: 0, stdout: "", stderr: 'Added the account "agent-1" (sync)\n' });
      const added = await run(
        ["users", "add", "auditor", "--role", "read", "--customers", "ACME,BETA", "--db", db, ...cheap],
        `${PASSWORD}\n`,
      );
      assert.equal(added.stderr, 'Added the account "auditor" (read, customers ACME,BETA)\n');
    });
    await t.step("list shows name, role, customers and creation time", async () => {
      const result = await run(["users", "list", "--db", db]);
      assert.equal(result.code, 0);
      assert.equal(
        result.stdout,
        [
          "NAME     ROLE  CUSTOMERS  CREATED",
          "agent-1  sync  *          2026-11-25T07:00:00.000Z",
          "auditor  read  ACME,BETA  2026-11-25T07:00:00.000Z",
          "",
        ].join("\n"),
      );
      const json = await run(["users", "list", "--format", "json", "--db", db]);
      assert.deepEqual(JSON.parse(json.stdout), [
        { name: "agent-1", role: "sync", customers: null, createdAt: "2026-11-25T07:00:00.000Z" },
        { name: "auditor", role: "read", customers: ["ACME", "BETA"], createdAt: "2026-11-25T07:00:00.000Z" },
      ]);
    });
    await t.step("the stored hash is PBKDF2 of the password", async () => {
      const store = new SqliteAccountStore(db);
      try {
        const hash = (await store.get("agent-1"))?.passwordHash ?? "";
        assert.match(hash, /^pbkdf2-sha256\$1000\$/);
        assert.equal(await verifyPassword(PASSWORD, hash), true);
      } finally {
        await store.close();
      }
    });
    await t.step("passwd replaces the password", async () => {
      const result = await run(["users", "passwd", "agent-1", "--db", db, ...cheap], "Another-Passw0rd\n");
      assert.equal(result.code, 0);
      const store = new SqliteAccountStore(db);
      try {
        const hash = (await store.get("agent-1"))?.passwordHash ?? "";
        assert.equal(await verifyPassword("Another-Passw0rd", hash), true);
        assert.equal(await verifyPassword(PASSWORD, hash), false);
      } finally {
        await store.close();
      }
    });
    await t.step("remove deletes the account", async () => {
      assert.equal((await run(["users", "remove", "auditor", "--db", db])).code, 0);
      const json = await run(["users", "list", "--format", "json", "--db", db]);
      assert.deepEqual(JSON.parse(json.stdout).map((a: { name: string }) => a.name), ["agent-1"]);
    });
    await t.step("no password ever appears in any output", () => {
      const text = runs.map((r) => r.stdout + r.stderr).join("\n");
      assert.equal(text.includes(PASSWORD), false);
      assert.equal(text.includes("Another-Passw0rd"), false);
    });
  });
});

Deno.test("tapesync users refuses wrong arguments with exit 2 and changes nothing", async (t) => {
  await withDb(async (db) => {
    await tapesync(["users", "add", "agent", "--role", "sync", "--db", db, ...cheap], `${PASSWORD}\n`);
    const cases = [
      {
        name: "an existing account",
        args: ["add", "agent", "--role", "sync"],
        stdin: PASSWORD,
        want: 'Cannot add "agent": the account exists already',
      },
      {
        name: "a bad name",
        args: ["add", "a/b", "--role", "sync"],
        stdin: PASSWORD,
        want: 'Cannot use the account name "a/b"',
      },
      {
        name: "an unknown role",
        args: ["add", "bob", "--role", "root"],
        stdin: PASSWORD,
        want: 'Cannot use --role "root"',
      },
      {
        name: "a bad customer",
        args: ["add", "bob", "--role", "read", "--customers", "AC/ME"],
        stdin: PASSWORD,
        want: 'Cannot use the customer "AC/ME"',
      },
      {
        name: "a short password",
        args: ["add", "bob", "--role", "read"],
        stdin: "short",
        want: "at least 8 characters",
      },
      {
        name: "no password",
        args: ["add", "bob", "--role", "read"],
        stdin: "",
        want: "Cannot read the password: none was given",
      },
      {
        name: "removing an unknown account",
        args: ["remove", "nobody"],
        stdin: "",
        want: 'Cannot remove "nobody": no such account',
      },
      { name: "an unknown action", args: ["rename", "agent"], stdin: "", want: 'Cannot run "users rename"' },
    ];
    for (const c of cases) {
      await t.step(c.name, async () => {
        const result = await tapesync(["users", ...c.args, "--db", db, ...cheap], `${c.stdin}\n`);
        assert.equal(result.code, 2);
        assert.ok(result.stderr.includes(c.want), result.stderr);
      });
    }
    await t.step("only the first account exists", async () => {
      const json = await tapesync(["users", "list", "--format", "json", "--db", db]);
      assert.deepEqual(JSON.parse(json.stdout).map((a: { name: string }) => a.name), ["agent"]);
    });
  });
});

Deno.test("tapesync users will not write accounts into a file that is not a tapesync inventory", async () => {
  const dir = await Deno.makeTempDir({ prefix: "tapesync-users-" });
  try {
    await Deno.writeTextFile(`${dir}/notes.db`, "not a database at all, just text that is long enough\n");
    const result = await tapesync([
      "users",
      "add",
      "agent",
      "--role",
      "sync",
      "--db",
      `${dir}/notes.db`,
      ...cheap,
    ], `${PASSWORD}\n`);
    assert.equal(result.code, 3);
    assert.match(result.stderr, /not an SQLite database/);
    assert.equal(
      await Deno.readTextFile(`${dir}/notes.db`),
      "not a database at all, just text that is long enough\n",
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
