/**
 * @module
 * A command as the source: its stdout streamed into the parser, its stderr kept (last lines), its exit
 * status checked, and a timeout after which it is killed. The stream itself fails with
 * `SourceCommandError` when the command fails, so a parser never mistakes a cut-off output for a whole one.
 */
import type { SourceSpec } from "../definition/mod.ts";
import { SourceCommandError } from "./source_command_error.ts";
import type { CommandFailure } from "./source_command_error.ts";

/** The `command` section of a source. */
export type CommandSpec = NonNullable<SourceSpec["command"]>;

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
  const running = new RunningCommand(name, child, command.timeout, options.signal);
  return { name, stream: running.stream, done: running.done };
}

/** A started command: its stdout as a stream, its stderr tail, its timeout and how it ended. */
class RunningCommand {
  readonly done: Promise<void>;
  readonly stream: ReadableStream<Uint8Array>;
  readonly #name: string;
  readonly #child: Deno.ChildProcess;
  readonly #seconds: number;
  readonly #signal: AbortSignal | undefined;
  readonly #stdout: ReadableStreamDefaultReader<Uint8Array>;
  readonly #stderrReader: ReadableStreamDefaultReader<Uint8Array>;
  readonly #stderr: string[] = [];
  readonly #stderrDone: Promise<void>;
  readonly #timer: ReturnType<typeof setTimeout>;
  #killTimer: ReturnType<typeof setTimeout> | undefined;
  #lines = 0;
  #exited = false;
  #timedOut = false;
  /** Stopped on purpose (the reader cancelled, the run was aborted): not a failure of the command. */
  #stoppedByCaller = false;

  constructor(name: string, child: Deno.ChildProcess, seconds: number, signal: AbortSignal | undefined) {
    this.#name = name;
    this.#child = child;
    this.#seconds = seconds;
    this.#signal = signal;
    this.#stdout = child.stdout.getReader();
    this.#stderrReader = child.stderr.getReader();
    this.#stderrDone = tailOf(this.#stderrReader, this.#stderr);
    this.#timer = setTimeout(() => {
      this.#timedOut = true;
      this.#stop();
    }, seconds * 1000);
    signal?.addEventListener("abort", this.#abort, { once: true });
    this.done = this.#finish();
    // The failure is also delivered through the stream: a caller that awaits only one of them is enough.
    this.done.catch(() => {});
    this.stream = new ReadableStream<Uint8Array>({
      pull: (controller) => this.#pull(controller),
      cancel: () => this.#cancel(),
    });
  }

  #stop(): void {
    if (!this.#exited) {
      kill(this.#child, "SIGTERM");
      this.#killTimer ??= setTimeout(() => kill(this.#child, "SIGKILL"), KILL_GRACE_MS);
    }
    // A grandchild may keep stdout open after the command is gone: stop waiting for it.
    this.#stdout.cancel().catch(() => {});
  }

  #abort = (): void => {
    this.#stoppedByCaller = !this.#exited;
    this.#stop();
  };

  async #finish(): Promise<void> {
    const status = await this.#child.status;
    this.#exited = true;
    clearTimeout(this.#timer);
    clearTimeout(this.#killTimer);
    this.#signal?.removeEventListener("abort", this.#abort);
    let grace: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([
      this.#stderrDone,
      new Promise<void>((resolve) => grace = setTimeout(resolve, STDERR_GRACE_MS)),
    ]);
    clearTimeout(grace);
    await this.#stderrReader.cancel().catch(() => {});
    await this.#stderrDone;
    const failure: CommandFailure | undefined = this.#timedOut
      ? { kind: "timeout", seconds: this.#seconds }
      : this.#stoppedByCaller
      ? undefined
      : status.signal !== null
      ? { kind: "signal", signal: status.signal }
      : status.code !== 0
      ? { kind: "exit", code: status.code }
      : undefined;
    if (failure !== undefined) {
      throw new SourceCommandError(this.#name, failure, this.#stderr, this.#lines + 1);
    }
  }

  async #pull(controller: ReadableStreamDefaultController<Uint8Array>): Promise<void> {
    let chunk: ReadableStreamReadResult<Uint8Array>;
    try {
      chunk = await this.#stdout.read();
    } catch {
      chunk = { done: true, value: undefined };
    }
    if (!chunk.done) {
      const bytes = chunk.value;
      for (let at = bytes.indexOf(10); at !== -1; at = bytes.indexOf(10, at + 1)) this.#lines++;
      controller.enqueue(bytes);
      return;
    }
    try {
      await this.done;
      controller.close();
    } catch (error) {
      controller.error(error);
    }
  }

  async #cancel(): Promise<void> {
    this.#stoppedByCaller = !this.#exited;
    this.#stop();
    await this.done.catch(() => {});
  }
}
