/**
 * @module
 * Real `tapesync` processes for end-to-end and fault tests: a `serve` process on a free loopback port
 * whose stderr (the request log) is kept, `users add` with the password on stdin, and a look at the
 * process list.
 */
import { runCli } from "../../src/cli/main.ts";

const MAIN = new URL("../../main.ts", import.meta.url).pathname;
const REPO = new URL("../../", import.meta.url).pathname;

/** A running `tapesync serve`. */
export interface ServerProcess {
  url: string;
  port: number;
  pid: number;
  /** Everything the server wrote on stderr so far (its request log). */
  log(): string;
  /** SIGTERM and wait. */
  stop(): Promise<void>;
  /** SIGKILL and wait: no clean shutdown. */
  kill9(): Promise<void>;
}

/** Arguments of `deno run` for the CLI. */
export function cliArgs(...args: string[]): string[] {
  return ["run", "-A", "--quiet", MAIN, ...args];
}

/**
 * Start `tapesync serve --db DB --listen 127.0.0.1:PORT` and wait for its "Listening on" line.
 * @param port 0 for a free port, or a port to reuse after a kill
 */
export async function startServer(
  db: string,
  port = 0,
  env: Record<string, string> = {},
  extra: string[] = [],
): Promise<ServerProcess> {
  const child = new Deno.Command(Deno.execPath(), {
    args: cliArgs("serve", "--db", db, "--listen", `127.0.0.1:${port}`, ...extra),
    cwd: REPO,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
    // The request log is on whatever the test runner's TAPESYNC_LOG says: tests read it.
    env: { NO_COLOR: "1", TAPESYNC_LOG: "info", ...env },
  }).spawn();
  let stderr = "";
  const stderrDone = (async () => {
    for await (const chunk of child.stderr.pipeThrough(new TextDecoderStream())) stderr += chunk;
  })();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let stdout = "";
  let match: RegExpExecArray | null = null;
  while (match === null) {
    const { done, value } = await reader.read();
    if (done) {
      await child.status;
      await stderrDone;
      throw new Error(`tapesync serve did not start: ${stderr}`);
    }
    stdout += value;
    match = /Listening on (https?:\/\/127\.0\.0\.1:(\d+))/.exec(stdout);
  }
  const stdoutDone = (async () => {
    while (!(await reader.read()).done) { /* drain */ }
  })();
  const finish = async (signal: Deno.Signal) => {
    try {
      child.kill(signal);
    } catch {
      // already gone
    }
    await child.status;
    await stdoutDone;
    await stderrDone;
  };
  return {
    url: match[1],
    port: Number(match[2]),
    pid: child.pid,
    log: () => stderr,
    stop: () => finish("SIGTERM"),
    kill9: () => finish("SIGKILL"),
  };
}

/** Run the CLI to completion with text on stdin. */
export async function runTapesync(
  args: string[],
  options: { stdin?: string; env?: Record<string, string> } = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  const child = new Deno.Command(Deno.execPath(), {
    args: cliArgs(...args),
    cwd: REPO,
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1", ...options.env },
  }).spawn();
  const writer = child.stdin.getWriter();
  await writer.write(new TextEncoder().encode(options.stdin ?? ""));
  await writer.close();
  const output = await child.output();
  const decoder = new TextDecoder();
  return { code: output.code, stdout: decoder.decode(output.stdout), stderr: decoder.decode(output.stderr) };
}

/**
 * Add an account with a cheap hash (tests only) through `tapesync users add` run in this process, the
 * password on stdin as a real user would pipe it.
 */
export async function addUser(
  db: string,
  name: string,
  role: string,
  password: string,
  customers?: string,
): Promise<void> {
  const args = ["users", "add", name, "--role", role, "--db", db, "--iterations", "1000"];
  if (customers !== undefined) args.push("--customers", customers);
  const bytes = new TextEncoder().encode(`${password}\n`);
  let stderr = "";
  const code = await runCli(args, {
    stdin: new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(bytes);
        controller.close();
      },
    }),
    stdinIsTerminal: false,
    out: () => {},
    err: (text) => void (stderr += text),
    stderrIsTerminal: false,
    env: () => undefined,
    now: () => Date.now(),
    cwd: REPO,
    signal: new AbortController().signal,
  });
  if (code !== 0) throw new Error(`users add ${name} failed (${code}): ${stderr}`);
}

/** The command lines of every process on the machine, as `ps` shows them to any user. */
export async function processList(): Promise<string> {
  const output = await new Deno.Command("ps", { args: ["-eo", "pid,args"], stdout: "piped", stderr: "null" })
    .output();
  return new TextDecoder().decode(output.stdout);
}
