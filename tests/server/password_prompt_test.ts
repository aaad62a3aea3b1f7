import assert from "node:assert/strict";
import { addUser, cliArgs, startServer } from "./server_process.ts";
import { dumpStore, GENERIC_DEFINITION, writeExport } from "./sync_fixture.ts";

const PASSWORD = "Tty-Passw0rd-9";
const REPO = new URL("../../", import.meta.url).pathname;

/** A tapesync process on a pseudo-terminal (util-linux `script`), typed into after each prompt. */
async function onTerminal(
  args: string[],
  answers: [prompt: string, typed: string][],
): Promise<{ code: number; screen: string }> {
  const command = [Deno.execPath(), ...cliArgs(...args)].map((arg) => `'${arg.replaceAll("'", "'\\''")}'`)
    .join(" ");
  const child = new Deno.Command("script", {
    args: ["-qec", command, "/dev/null"],
    cwd: REPO,
    stdin: "piped",
    stdout: "piped",
    stderr: "null",
    env: { NO_COLOR: "1", TAPESYNC_PASSWORD: "" },
  }).spawn();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  const writer = child.stdin.getWriter();
  let screen = "";
  for (const [prompt, typed] of answers) {
    while (!screen.includes(prompt)) {
      const { done, value } = await reader.read();
      if (done) break;
      screen += value;
    }
    await writer.write(new TextEncoder().encode(`${typed}\r`));
  }
  while (true) {
    const { done, value } = await reader.read();
    if (done) break;
    screen += value;
  }
  await writer.close().catch(() => {});
  return { code: (await child.status).code, screen };
}

async function hasScript(): Promise<boolean> {
  try {
    return (await new Deno.Command("script", { args: ["--version"], stdout: "null", stderr: "null" })
      .output()).success;
  } catch {
    return false;
  }
}

Deno.test("tapesync asks for passwords on a terminal without echoing them", async (t) => {
  if (!await hasScript()) {
    console.warn("skipped: util-linux script is not available to provide a terminal");
    return;
  }
  const dir = await Deno.makeTempDir({ prefix: "tapesync-tty-" });
  const db = `${dir}/server.db`;
  try {
    await t.step("users add asks twice and stores the account", async () => {
      const run = await onTerminal([
        "users",
        "add",
        "ttyuser",
        "--role",
        "sync",
        "--db",
        db,
        "--iterations",
        "1000",
      ], [
        ['New password for "ttyuser": ', PASSWORD],
        ["Repeat the password: ", PASSWORD],
      ]);
      assert.equal(run.code, 0, run.screen);
      assert.match(run.screen, /Added the account "ttyuser" \(sync\)/);
      assert.equal(run.screen.includes(PASSWORD), false);
    });
    await t.step("users add refuses two different entries", async () => {
      const run = await onTerminal([
        "users",
        "add",
        "other",
        "--role",
        "read",
        "--db",
        db,
        "--iterations",
        "1000",
      ], [
        ['New password for "other": ', PASSWORD],
        ["Repeat the password: ", `${PASSWORD}x`],
      ]);
      assert.equal(run.code, 2);
      assert.match(run.screen, /Cannot set the password: the two entries differ/);
    });
    await addUser(db, "agent", "sync", PASSWORD);
    const server = await startServer(db);
    try {
      await writeExport(`${dir}/export.csv`, 20, 2);
      await t.step("sync asks for the server password when none is given", async () => {
        const url = `http://agent@127.0.0.1:${server.port}`;
        const run = await onTerminal(
          [
            "sync",
            "--definition",
            GENERIC_DEFINITION,
            "--input",
            `${dir}/export.csv`,
            "--add-volumes",
            "--server",
            url,
          ],
          [[`Password for "agent" at http://127.0.0.1:${server.port}: `, PASSWORD]],
        );
        assert.equal(run.code, 0, run.screen);
        assert.equal(run.screen.includes(PASSWORD), false);
      });
    } finally {
      await server.stop();
    }
    await t.step("the sync wrote through the server", async () => {
      assert.equal((await dumpStore(db)).volumes.length, 20);
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
