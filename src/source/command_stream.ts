/**
 * @module
 * A command as the source: its stdout streamed into the parser, its stderr kept (last lines), its exit
 * status checked, and a timeout after which it is killed. The stream itself fails with
 * `SourceCommandError` when the command fails, so a parser never mistakes a cut-off output for a whole one.
 */
import type { CommandSpec } from "../definition/source_schema.ts";
import { SourceCommandError } from "./source_command_error.ts";

/** Lines of stderr kept for the message. */
const STDERR_LINES = 5;
/** Longest stderr line kept, in characters. */
const STDERR_WIDTH = 200;
/** After the command exits, how long to wait for stderr to end (a grandchild may still hold it). */
const STDERR_GRACE_MS = 200;
/** After SIGTERM, how long before SIGKILL. */
const KILL_GRACE_MS = 2000;

/** A running source command. */
export interface CommandStream {
  /** The program name, for messages and as the input name (arguments are never shown). */
  name: string;
  /** The command's stdout; errors with `SourceCommandError` if the command fails or times out. */
  stream: ReadableStream<Uint8Array>;
  /**
   * Resolves when the command exited with code 0 or was stopped by the caller; rejects with
   * `SourceCommandError` otherwise.
   */
  done: Promise<void>;
}

const programName = (program: string): string => program.split(/[\\/]/).pop() || program;

function kill(child: Deno.ChildProcess, signal: Deno.Signal): void {
  try {
    child.kill(signal);
  } catch {
    // already exited
  }
}

/** Keep the last lines of a byte stream as text. */
async function tailOf(reader: ReadableStreamDefaultReader<Uint8Array>, lines: string[]): Promise<void> {
  const decoder = new TextDecoder();
  let partial = "";
  const keep = (line: string) => {
    const text = line.trimEnd();
    if (text === "") return;
    lines.push(text.length > STDERR_WIDTH ? `${text.slice(0, STDERR_WIDTH)}...` : text);
    if (lines.length > STDERR_LINES) lines.shift();
  };
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      const parts = (partial + decoder.decode(value, { stream: true })).split(/\r?\n/);
      partial = parts.pop() ?? "";
      parts.forEach(keep);
    }
  } catch {
    // cancelled after the grace period
  }
  keep(partial + decoder.decode());
}

/**
 * Start a source command and stream its stdout.
 *
 * The command runs without a shell and with stdin closed. When it runs past `timeout` seconds it gets
 * SIGTERM (SIGKILL 2 s later) and the stream fails. When `signal` aborts or the reader cancels the
 * stream, the command is killed the same way and `done` resolves (the caller chose to stop). Read
 * `stream` to the end (e.g. through `openSource`), then await `done`; either reports a failure.
 *
 * @param command the `source.command` section: `run` (program and arguments) and `timeout` (seconds)
 * @param options `signal` to stop the command early (the run was interrupted)
 * @returns the program name, its stdout and a promise of its successful end
 * @throws {SourceCommandError} the program cannot be started (not found, not executable)
 * @example
 * ```ts
 * const command = commandStream({ run: ["dsmadmc", "-dataonly=yes", "-comma", "select ..."], timeout: 300 });
 * for await (const events of openSource(spec, command.stream, command.name)) consume(events);
 * await command.done;
 * ```
 */
export function commandStream(command: CommandSpec, options: { signal?: AbortSignal } = {}): CommandStream {
  const [program, ...args] = command.run;
  const name = programName(program);
  let child: Deno.ChildProcess;
  try {
    child = new Deno.Command(program, { args, stdin: "null", stdout: "piped", stderr: "piped" }).spawn();
  } catch (error) {
    const reason = error instanceof Deno.errors.NotFound
      ? "program not found"
      : error instanceof Deno.errors.PermissionDenied
      ? "permission denied"
      : "the program could not be started";
    throw new SourceCommandError(name, { kind: "start", reason }, [], 0, { cause: error });
  }
  const stdout = child.stdout.getReader();
  const stderrReader = child.stderr.getReader();
  const stderr: string[] = [];
  const stderrDone = tailOf(stderrReader, stderr);
  let lines = 0;
  let timedOut = false;
  // Stopped on purpose (the reader cancelled, the run was aborted): not a failure of the command.
  let stoppedByCaller = false;
  let killTimer: ReturnType<typeof setTimeout> | undefined;
  let exited = false;
  const stop = () => {
    if (!exited) {
      kill(child, "SIGTERM");
      killTimer ??= setTimeout(() => kill(child, "SIGKILL"), KILL_GRACE_MS);
    }
    // A grandchild may keep stdout open after the command is gone: stop waiting for it.
    stdout.cancel().catch(() => {});
  };
  const timer = setTimeout(() => {
    timedOut = true;
    stop();
  }, command.timeout * 1000);
  const abort = () => {
    stoppedByCaller = !exited;
    stop();
  };
  options.signal?.addEventListener("abort", abort, { once: true });

  const done = (async () => {
    const status = await child.status;
    exited = true;
    clearTimeout(timer);
    clearTimeout(killTimer);
    options.signal?.removeEventListener("abort", abort);
    let grace: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([
      stderrDone,
      new Promise<void>((resolve) => grace = setTimeout(resolve, STDERR_GRACE_MS)),
    ]);
    clearTimeout(grace);
    await stderrReader.cancel().catch(() => {});
    await stderrDone;
    if (stoppedByCaller && !timedOut) return;
    if (timedOut) {
      throw new SourceCommandError(name, { kind: "timeout", seconds: command.timeout }, stderr, lines + 1);
    }
    if (status.signal !== null) {
      throw new SourceCommandError(name, { kind: "signal", signal: status.signal }, stderr, lines + 1);
    }
    if (status.code !== 0) {
      throw new SourceCommandError(name, { kind: "exit", code: status.code }, stderr, lines + 1);
    }
  })();
  // The failure is also delivered through the stream: a caller that awaits only one of them is enough.
  done.catch(() => {});

  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      let chunk: ReadableStreamReadResult<Uint8Array>;
      try {
        chunk = await stdout.read();
      } catch {
        chunk = { done: true, value: undefined };
      }
      if (!chunk.done) {
        for (let at = chunk.value.indexOf(10); at !== -1; at = chunk.value.indexOf(10, at + 1)) lines++;
        controller.enqueue(chunk.value);
        return;
      }
      try {
        await done;
        controller.close();
      } catch (error) {
        controller.error(error);
      }
    },
    async cancel() {
      stoppedByCaller = !exited;
      stop();
      await done.catch(() => {});
    },
  });
  return { name, stream, done };
}
