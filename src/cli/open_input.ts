/**
 * @module
 * Opens the input of a sync: a stream handed in (the agent), a file, the definition's command, or standard
 * input ("-" or none).
 */
import type { SourceSpec } from "../definition/mod.ts";
import { commandStream } from "../source/mod.ts";
import type { CliIo } from "./cli_io.ts";
import { UsageError } from "./usage_error.ts";

/** An open input: its name for messages, its bytes, and how to finish with it. */
export interface OpenInput {
  name: string;
  stream: ReadableStream<Uint8Array>;
  /** Resolves when the input ended well (a command's exit status is checked here). */
  done(): Promise<void>;
  /** Release the input (close the file). */
  close(): Promise<void>;
}

/**
 * Open the input of a run: a stream handed in, else `--input` (a file or "-"), else the definition's
 * `source.command`, else standard input.
 * @throws {UsageError} the input file cannot be opened (nothing is read or written)
 * @throws {SourceCommandError} the definition's command cannot be started
 */
export async function openInput(
  source: SourceSpec,
  options: { input?: string; inputStream?: ReadableStream<Uint8Array>; inputName?: string },
  io: CliIo,
): Promise<OpenInput> {
  const finished = () => Promise.resolve();
  if (options.inputStream !== undefined) {
    return {
      name: options.inputName ?? "input",
      stream: options.inputStream,
      done: finished,
      close: finished,
    };
  }
  if (options.input === undefined && source.command !== undefined) {
    const command = commandStream(source.command, { signal: io.signal });
    return {
      name: command.name,
      stream: command.stream,
      done: () => command.done,
      close: async () => {
        // Reading stopped early (an error upstream): stop the command too; its own failure is then moot.
        await command.stream.cancel().catch(() => {});
        await command.done.catch(() => {});
      },
    };
  }
  if (options.input === undefined || options.input === "-") {
    return { name: "stdin", stream: io.stdin, done: finished, close: finished };
  }
  const path = options.input;
  let file: Deno.FsFile;
  try {
    file = await Deno.open(path, { read: true });
  } catch (error) {
    const reason = error instanceof Deno.errors.NotFound ? "no such file" : (error as Error).message;
    throw new UsageError("--input", `Cannot open input "${path}": ${reason}`);
  }
  let closed = false;
  return {
    name: path,
    stream: file.readable,
    done: finished,
    close: () => {
      // The readable closes the file when fully read; close it here only when reading stopped early.
      if (!closed) {
        closed = true;
        try {
          file.close();
        } catch {
          // already closed by its stream
        }
      }
      return Promise.resolve();
    },
  };
}
