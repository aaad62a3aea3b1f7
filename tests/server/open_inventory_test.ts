import assert from "node:assert/strict";
import type { CliIo } from "../../src/cli/cli_io.ts";
import { openInventory, readPasswordFile } from "../../src/cli/open_inventory.ts";
import { UsageError } from "../../src/cli/usage_error.ts";
import { HttpInventory } from "../../src/inventory/http/mod.ts";
import { SqliteInventory } from "../../src/inventory/sqlite/mod.ts";

const SECRET = "Inline-Secret-42";

function io(cwd: string, env: Record<string, string> = {}): CliIo & { stderr: string } {
  const result = {
    stderr: "",
    stdin: new ReadableStream<Uint8Array>({ start: (c) => c.close() }),
    stdinIsTerminal: false,
    out: () => {},
    err: (text: string) => void (result.stderr += text),
    stderrIsTerminal: false,
    env: (name: string) => env[name],
    now: () => Date.now(),
    cwd,
    signal: new AbortController().signal,
  };
  return result;
}

Deno.test("openInventory() opens the embedded store from --db, TAPESYNC_DB, file: or the default", async (t) => {
  const dir = await Deno.makeTempDir({ prefix: "tapesync-open-" });
  try {
    const cases: {
      name: string;
      target: { db?: string; server?: string };
      env: Record<string, string>;
      want: string;
    }[] = [
      { name: "the default file in the working directory", target: {}, env: {}, want: `${dir}/tapesync.db` },
      { name: "TAPESYNC_DB", target: {}, env: { TAPESYNC_DB: `${dir}/env.db` }, want: `${dir}/env.db` },
      {
        name: "--db wins over TAPESYNC_DB",
        target: { db: "flag.db" },
        env: { TAPESYNC_DB: "env.db" },
        want: `${dir}/flag.db`,
      },
      {
        name: "file:PATH relative to the working directory",
        target: { server: "file:sub.db" },
        env: {},
        want: `${dir}/sub.db`,
      },
      {
        name: "file:///absolute",
        target: { server: `file://${dir}/abs.db` },
        env: {},
        want: `${dir}/abs.db`,
      },
    ];
    for (const c of cases) {
      await t.step(c.name, async () => {
        const inventory = await openInventory(c.target, io(dir, c.env));
        try {
          assert.ok(inventory instanceof SqliteInventory);
          assert.equal(inventory.location, c.want);
          assert.equal(inventory.readOnly, false);
        } finally {
          await inventory.close();
        }
      });
    }
    await t.step("readOnly opens the store read-only", async () => {
      const inventory = await openInventory({ readOnly: true }, io(dir));
      try {
        assert.equal(inventory.readOnly, true);
      } finally {
        await inventory.close();
      }
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("openInventory() opens the HTTP client for https:// and loopback http://", async (t) => {
  const cases = [
    {
      name: "https with a user",
      server: "https://agent@inv.example.net:8700",
      want: "https://inv.example.net:8700",
    },
    { name: "http on 127.0.0.1", server: "http://agent@127.0.0.1:8700/", want: "http://127.0.0.1:8700" },
    { name: "http on localhost", server: "http://agent@localhost:8700", want: "http://localhost:8700" },
    { name: "http on ::1", server: "http://agent@[::1]:8700", want: "http://[::1]:8700" },
  ];
  for (const c of cases) {
    await t.step(c.name, async () => {
      const inventory = await openInventory(
        { server: c.server, readOnly: true },
        io("/", { TAPESYNC_PASSWORD: "pw" }),
      );
      assert.ok(inventory instanceof HttpInventory);
      assert.equal(inventory.location, c.want);
      assert.equal(inventory.readOnly, true);
    });
  }
  await t.step("the inline password form warns without printing the password", async () => {
    const cliIo = io("/");
    const inventory = await openInventory({ server: `https://agent:${SECRET}@inv.example.net:8700` }, cliIo);
    assert.equal(inventory.location, "https://inv.example.net:8700");
    assert.match(
      cliIo.stderr,
      /^Warning: the password in --server is visible to other users of this machine/,
    );
    assert.equal(cliIo.stderr.includes(SECRET), false);
  });
});

Deno.test("openInventory() refuses a --server it cannot use with a UsageError", async (t) => {
  const cases = [
    {
      name: "plain http to another host",
      server: "http://agent@10.0.0.5:8700",
      want: /plain http is allowed on loopback only/,
    },
    { name: "no user", server: "https://inv.example.net:8700", want: /name the account/ },
    {
      name: "another scheme",
      server: "ftp://agent@inv.example.net",
      want: /expected file:PATH or https:\/\/user@host:port/,
    },
    { name: "not a URL", server: "inv.example.net:8700", want: /expected file:PATH or https/ },
    { name: "an empty file:", server: "file:", want: /name the database file/ },
    {
      name: "no password and no terminal",
      server: "https://agent@inv.example.net:8700",
      want: /no password given; set TAPESYNC_PASSWORD, use --password-file or run in a terminal/,
    },
  ];
  for (const c of cases) {
    await t.step(c.name, async () => {
      const error = await openInventory({ server: c.server }, io("/")).then(() => undefined, (e) => e);
      assert.ok(error instanceof UsageError);
      assert.match(error.message, c.want);
    });
  }
});

Deno.test("readPasswordFile() takes the first line and names the file when it cannot", async (t) => {
  const dir = await Deno.makeTempDir({ prefix: "tapesync-pw-" });
  try {
    await Deno.writeTextFile(`${dir}/pw`, "first line secret\r\nsecond\n");
    await Deno.writeTextFile(`${dir}/empty`, "\nx\n");
    await t.step("the first line without its line end", async () => {
      assert.equal(await readPasswordFile(`${dir}/pw`), "first line secret");
    });
    const cases = [
      {
        name: "a missing file",
        path: `${dir}/none`,
        want: `Cannot read the password file "${dir}/none": no such file`,
      },
      {
        name: "an empty first line",
        path: `${dir}/empty`,
        want: `Cannot use the password file "${dir}/empty": its first line is empty`,
      },
    ];
    for (const c of cases) {
      await t.step(c.name, async () => {
        const error = await readPasswordFile(c.path).then(() => undefined, (e) => e);
        assert.ok(error instanceof UsageError);
        assert.equal(error.flag, "--password-file");
        assert.equal(error.message, c.want);
      });
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
