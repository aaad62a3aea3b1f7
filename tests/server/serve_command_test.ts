import assert from "node:assert/strict";
import type { CliIo } from "../../src/cli/cli_io.ts";
import { runCli } from "../../src/cli/main.ts";

interface LiveIo extends CliIo {
  stdout: string;
  stderr: string;
  stop(): void;
}

function liveIo(env: Record<string, string> = {}): LiveIo {
  const controller = new AbortController();
  const io: LiveIo = {
    stdout: "",
    stderr: "",
    stdin: new ReadableStream<Uint8Array>({ start: (c) => c.close() }),
    stdinIsTerminal: false,
    out: (text) => void (io.stdout += text),
    err: (text) => void (io.stderr += text),
    stderrIsTerminal: false,
    env: (name) => env[name],
    now: () => Date.parse("2026-11-25T07:00:00.000Z"),
    cwd: "/",
    signal: controller.signal,
    stop: () => controller.abort(),
  };
  return io;
}

async function listening(io: LiveIo): Promise<string> {
  for (let i = 0; i < 400; i++) {
    const match = /Listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(io.stdout);
    if (match) return match[1];
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`the server did not start: ${io.stderr}`);
}

Deno.test("tapesync serve listens, logs each request, warns without accounts and stops on the signal", async (t) => {
  const dir = await Deno.makeTempDir({ prefix: "tapesync-serve-" });
  const io = liveIo();
  const running = runCli(["serve", "--db", `${dir}/inventory.db`, "--listen", "127.0.0.1:0"], io);
  try {
    const url = await listening(io);
    await t.step("it says how to add an account", () => {
      assert.equal(
        io.stderr,
        'Warning: Cannot log on: the server has no accounts yet; add one on the server with "tapesync users add NAME --role sync --db PATH"\n',
      );
    });
    await t.step("it answers and logs the request", async () => {
      const res = await fetch(`${url}/healthz?token=secret-in-query`);
      assert.deepEqual(await res.json(), { status: "ok" });
      assert.match(io.stderr, /\n2026-11-25T07:00:00\.000Z 127\.0\.0\.1 - GET \/healthz 200 [\d.]+ms\n$/);
      assert.equal(io.stderr.includes("secret-in-query"), false);
    });
    await t.step("the second server on the same address is refused with exit 2", async () => {
      const other = liveIo();
      const code = await runCli([
        "serve",
        "--db",
        `${dir}/inventory.db`,
        "--listen",
        url.slice("http://".length),
      ], other);
      assert.equal(code, 2);
      assert.match(other.stderr, /^Error: Cannot listen on "127\.0\.0\.1:\d+": /);
    });
  } finally {
    io.stop();
    assert.equal(await running, 0);
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("tapesync serve refuses a wrong command line with exit 2", async (t) => {
  const cases = [
    {
      name: "a listen address without port",
      args: ["--listen", "127.0.0.1"],
      want: 'Cannot use --listen "127.0.0.1": expected HOST:PORT',
    },
    {
      name: "a port out of range",
      args: ["--listen", "127.0.0.1:70000"],
      want: 'Cannot use --listen "127.0.0.1:70000"',
    },
    {
      name: "a certificate without key",
      args: ["--tls-cert", "cert.pem"],
      want: "Cannot serve TLS: give both --tls-cert and --tls-key",
    },
    {
      name: "a missing certificate file",
      args: ["--tls-cert", "/nonexistent/cert.pem", "--tls-key", "/nonexistent/key.pem"],
      want: 'Cannot read --tls-cert "/nonexistent/cert.pem": no such file',
    },
    { name: "a stray argument", args: ["now"], want: 'Cannot use argument "now": serve takes only options' },
  ];
  for (const c of cases) {
    await t.step(c.name, async () => {
      const io = liveIo();
      assert.equal(await runCli(["serve", "--db", "/nonexistent/inventory.db", ...c.args], io), 2);
      assert.ok(io.stderr.startsWith(`Error: ${c.want}`), io.stderr);
    });
  }
});
