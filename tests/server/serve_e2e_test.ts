import assert from "node:assert/strict";
import { addUser, cliArgs, processList, startServer } from "./server_process.ts";
import { cli, comparableStats, dumpStore, GENERIC_DEFINITION, writeExport } from "./sync_fixture.ts";

const PASSWORD = "E2e-Sync-Passw0rd!";

Deno.test("tapesync serve: a sync through HTTP gives the inventory and statistics of the embedded sync", async (t) => {
  const dir = await Deno.makeTempDir({ prefix: "tapesync-e2e-" });
  const server = await (async () => {
    await addUser(`${dir}/server.db`, "agent", "sync", PASSWORD);
    return await startServer(`${dir}/server.db`);
  })();
  try {
    await writeExport(`${dir}/first.csv`, 600, 6);
    await writeExport(`${dir}/second.csv`, 600, 6, 1, 5);
    const env = { TAPESYNC_PASSWORD: PASSWORD };
    const http = ["--server", `http://agent@127.0.0.1:${server.port}`];
    const embedded = ["--db", `${dir}/embedded.db`];
    const sync = (input: string, target: string[], stats: string) =>
      cli([
        "sync",
        "--definition",
        GENERIC_DEFINITION,
        "--input",
        `${dir}/${input}`,
        "--add-volumes",
        "--quiet",
        "--stats-json",
        `${dir}/${stats}`,
        ...target,
      ], env);
    for (const input of ["first.csv", "second.csv", "second.csv"]) {
      await t.step(`${input}: same exit code and statistics both ways`, async () => {
        const viaHttp = await sync(input, http, "http.json");
        const direct = await sync(input, embedded, "embedded.json");
        assert.equal(viaHttp.code, 0, viaHttp.stderr);
        assert.equal(direct.code, 0, direct.stderr);
        assert.deepEqual(
          comparableStats(await Deno.readTextFile(`${dir}/http.json`)),
          comparableStats(await Deno.readTextFile(`${dir}/embedded.json`)),
        );
      });
    }
    await t.step("the statistics are those of the runs (not two equal failures)", async () => {
      const stats = comparableStats(await Deno.readTextFile(`${dir}/http.json`));
      assert.equal(stats.recordsRead, 600);
      assert.equal(stats.volumesUnchanged, 600);
    });
    await server.stop();
    await t.step("the stores hold the same volumes and audit rows, field for field", async () => {
      const viaHttp = await dumpStore(`${dir}/server.db`);
      const direct = await dumpStore(`${dir}/embedded.db`);
      assert.equal(viaHttp.volumes.length, 600);
      assert.equal(viaHttp.audit.length, 600 * 4 + 120 * 2);
      assert.deepEqual(viaHttp, direct);
    });
  } finally {
    await server.stop();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("tapesync serve: roles, customer restrictions and bad passwords stop a sync with exit 3 and write nothing", async (t) => {
  const dir = await Deno.makeTempDir({ prefix: "tapesync-e2e-" });
  const db = `${dir}/server.db`;
  await addUser(db, "agent", "sync", PASSWORD);
  await addUser(db, "viewer", "read", PASSWORD);
  await addUser(db, "c000-only", "sync", PASSWORD, "C000");
  const server = await startServer(db);
  try {
    await writeExport(`${dir}/two-customers.csv`, 40, 20);
    const sync = (user: string, password: string) =>
      cli([
        "sync",
        "--definition",
        GENERIC_DEFINITION,
        "--input",
        `${dir}/two-customers.csv`,
        "--add-volumes",
        "--quiet",
        "--server",
        `http://${user}@127.0.0.1:${server.port}`,
      ], { TAPESYNC_PASSWORD: password, TAPESYNC_RETRY_DEADLINE: "2" });
    const location = `http://127.0.0.1:${server.port}`;
    const cases = [
      {
        name: "a wrong password",
        user: "agent",
        password: "not-the-password",
        want:
          `Error: Cannot log on to "${location}" as "agent": Cannot log on: the user name or the password is wrong`,
      },
      {
        name: "an unknown user gets the same answer",
        user: "nobody",
        password: PASSWORD,
        want:
          `Error: Cannot log on to "${location}" as "nobody": Cannot log on: the user name or the password is wrong`,
      },
      {
        name: "a read-only account cannot sync",
        user: "viewer",
        password: PASSWORD,
        want:
          `Error: Cannot log on to "${location}" as "viewer": Cannot serve the request: the account "viewer" has the role "read" and the call needs "sync"`,
      },
      {
        name: "an account restricted to C000 cannot touch C001",
        user: "c000-only",
        password: PASSWORD,
        want:
          `Error: Cannot log on to "${location}" as "c000-only": Cannot serve the request: the account "c000-only" may not access customer "C001"`,
      },
    ];
    for (const c of cases) {
      await t.step(c.name, async () => {
        const result = await sync(c.user, c.password);
        assert.equal(result.code, 3, result.stderr);
        assert.equal(result.stderr.split("\n")[0], c.want);
        assert.equal(result.stderr.includes(c.password), false);
      });
    }
    await t.step("the restricted account wrote nothing of the other customer", async () => {
      await server.stop();
      const dump = await dumpStore(db);
      assert.equal(dump.volumes.filter((v) => v.startsWith("C001/")).length, 0);
    });
    await t.step("the server log never holds a password", () => {
      assert.ok(server.log().includes("POST /api/v1/logon 401"));
      for (const secret of [PASSWORD, "not-the-password"]) assert.equal(server.log().includes(secret), false);
    });
  } finally {
    await server.stop();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("tapesync serve: the password never shows in the process list of the processes the project starts", async () => {
  const dir = await Deno.makeTempDir({ prefix: "tapesync-e2e-" });
  const db = `${dir}/server.db`;
  await addUser(db, "agent", "sync", PASSWORD);
  const server = await startServer(db);
  try {
    await Deno.writeTextFile(`${dir}/password`, `${PASSWORD}\n`);
    await writeExport(`${dir}/export.csv`, 50, 5);
    // The sync reads its export from stdin and waits there, so its command line can be inspected.
    const child = new Deno.Command(Deno.execPath(), {
      args: cliArgs(
        "sync",
        "--definition",
        GENERIC_DEFINITION,
        "--input",
        "-",
        "--add-volumes",
        "--server",
        `http://agent@127.0.0.1:${server.port}`,
        "--password-file",
        `${dir}/password`,
      ),
      stdin: "piped",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    let list = "";
    for (let i = 0; i < 100 && !list.includes(`${child.pid} `); i++) {
      list = await processList();
      if (
        !list.split("\n").some((line) => line.trim().startsWith(`${child.pid} `) && line.includes("sync"))
      ) {
        list = "";
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
    const writer = child.stdin.getWriter();
    await writer.write(await Deno.readFile(`${dir}/export.csv`));
    await writer.close();
    const output = await child.output();
    const text = new TextDecoder().decode(output.stdout) + new TextDecoder().decode(output.stderr);
    assert.equal(output.code, 0, text);
    assert.ok(list.includes(`--password-file ${dir}/password`), "the sync process was seen in the list");
    assert.ok(list.includes(`serve --db ${db}`), "the server process was seen in the list");
    assert.equal(list.includes(PASSWORD), false);
    assert.equal(text.includes(PASSWORD), false);
    await server.stop();
    assert.equal(server.log().includes(PASSWORD), false);
    assert.equal((await dumpStore(db)).volumes.length, 50);
  } finally {
    await server.stop();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("tapesync serve: the TSM sample export synced through HTTP equals the embedded sync, and lists the same", async (t) => {
  const dir = await Deno.makeTempDir({ prefix: "tapesync-e2e-" });
  const db = `${dir}/server.db`;
  await addUser(db, "agent", "sync", PASSWORD);
  const server = await startServer(db);
  try {
    const definition = new URL("../fixtures/integration/tsm-drmedia.yaml", import.meta.url).pathname;
    const input = new URL("../../../shared/samples/exports/tsm-drmedia.csv", import.meta.url).pathname;
    const env = { TAPESYNC_PASSWORD: PASSWORD };
    const http = ["--server", `http://agent@127.0.0.1:${server.port}`];
    const embedded = ["--db", `${dir}/embedded.db`];
    const viaHttp = await cli([
      "sync",
      "-d",
      definition,
      "-i",
      input,
      "-q",
      "--stats-json",
      `${dir}/h.json`,
      ...http,
    ], env);
    const direct = await cli([
      "sync",
      "-d",
      definition,
      "-i",
      input,
      "-q",
      "--stats-json",
      `${dir}/e.json`,
      ...embedded,
    ], env);
    await t.step("same exit code and statistics", async () => {
      assert.equal(viaHttp.code, direct.code, viaHttp.stderr);
      const stats = comparableStats(await Deno.readTextFile(`${dir}/h.json`));
      assert.deepEqual(stats, comparableStats(await Deno.readTextFile(`${dir}/e.json`)));
      assert.ok((stats.volumesAdded as number) > 10, JSON.stringify(stats));
    });
    await t.step("tapesync volumes and history print the same through HTTP", async () => {
      for (const command of ["volumes", "history"]) {
        const listed = await cli([command, "--customer", "ACME", "--format", "json", ...http], env);
        const local = await cli([command, "--customer", "ACME", "--format", "json", ...embedded], env);
        assert.equal(listed.code, 0, listed.stderr);
        const strip = (text: string) =>
          (JSON.parse(text) as Record<string, unknown>[]).map((
            { updatedAt: _u, at: _a, id: _i, runId: _r, batchId: _b, ...rest },
          ) => rest);
        assert.deepEqual(strip(listed.stdout), strip(local.stdout));
        assert.ok(strip(listed.stdout).length > 10);
      }
    });
    await server.stop();
    await t.step("the stores are equal field for field", async () => {
      assert.deepEqual(await dumpStore(db), await dumpStore(`${dir}/embedded.db`));
    });
  } finally {
    await server.stop();
    await Deno.remove(dir, { recursive: true });
  }
});
