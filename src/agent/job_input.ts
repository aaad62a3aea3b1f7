/**
 * @module
 * Opens a job's input: a file, the newest file matching a glob, or the standard output of a command
 * streamed as it is produced (with a timeout; a non-zero exit fails the run at the end of the stream, so
 * the engine never applies its last batch from a truncated export).
 */
import type { JobInput } from "./agent_config.ts";
import { JobInputError } from "./job_input_error.ts";

/** An open input: a path for the sync to open, or a stream with its name. */
export type OpenedJobInput =
  | { kind: "path"; path: string }
  | {
    kind: "stream";
    name: string;
    stream: ReadableStream<Uint8Array>;
    /** Resolves when the command exited 0; rejects with `JobInputError` otherwise. */
    finished: Promise<void>;
    /** Stop the command if it still runs and wait for it. */
    close(): Promise<void>;
  };

const STDERR_TAIL = 600;

function globRegExp(pattern: string): RegExp {
  let source = "";
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === "*") source += "[^/\\\\]*";
    else if (c === "?") source += "[^/\\\\]";
    else if (c === "[") {
      const end = pattern.indexOf("]", i + 2);
      if (end === -1) source += "\\[";
      else {
        const body = pattern.slice(i + 1, end).replace(/^!/, "^").replace(/\\/g, "\\\\");
        source += `[${body}]`;
        i = end;
      }
    } else source += c.replace(/[.+^${}()|\\]/g, "\\$&");
  }
  return new RegExp(`^${source}$`);
}

/**
 * The newest file (by modification time) matching a glob whose wildcards are in the file name only.
 * @param pattern e.g. `/exports/drmedia-*.csv`
 * @returns the matching path
 * @throws {JobInputError} no file matches, or the folder cannot be read
 */
export async function newestMatch(pattern: string): Promise<string> {
  const cut = Math.max(pattern.lastIndexOf("/"), pattern.lastIndexOf("\\"));
  const dir = cut === -1 ? "." : pattern.slice(0, cut) || "/";
  const name = pattern.slice(cut + 1);
  if (/[*?[]/.test(dir)) throw new JobInputError(pattern, "wildcards are allowed in the file name only");
  const match = globRegExp(name);
  let best: { path: string; mtime: number } | undefined;
  try {
    for await (const entry of Deno.readDir(dir)) {
      if (!entry.isFile || !match.test(entry.name)) continue;
      const path = cut === -1 ? entry.name : `${pattern.slice(0, cut)}/${entry.name}`;
      const mtime = (await Deno.stat(path)).mtime?.getTime() ?? 0;
      if (best === undefined || mtime > best.mtime || (mtime === best.mtime && path > best.path)) {
        best = { path, mtime };
      }
    }
  } catch (error) {
    const reason = error instanceof Deno.errors.NotFound ? "no such folder" : (error as Error).message;
    throw new JobInputError(pattern, `cannot list "${dir}": ${reason}`, undefined, { cause: error });
  }
  if (best === undefined) throw new JobInputError(pattern, "no file matches");
  return best.path;
}

function commandLine(run: string | string[]): [string, string[]] {
  if (Array.isArray(run)) return [run[0], run.slice(1)];
  return Deno.build.os === "windows" ? ["cmd.exe", ["/d", "/s", "/c", run]] : ["/bin/sh", ["-c", run]];
}

async function stderrTail(stream: ReadableStream<Uint8Array>): Promise<string> {
  let tail = "";
  const decoder = new TextDecoder();
  for await (const chunk of stream) {
    tail = (tail + decoder.decode(chunk, { stream: true })).slice(-STDERR_TAIL);
  }
  return tail.trim().replace(/\s*\n\s*/g, " | ");
}

function spawn(run: string | string[], timeoutMs: number | undefined, signal: AbortSignal): OpenedJobInput {
  const [program, args] = commandLine(run);
  const name = Array.isArray(run) ? run[0] : run.split(/\s+/)[0];
  let child: Deno.ChildProcess;
  try {
    child = new Deno.Command(program, { args, stdin: "null", stdout: "piped", stderr: "piped" }).spawn();
  } catch (error) {
    throw new JobInputError(name, `cannot start the command: ${(error as Error).message}`, undefined, {
      cause: error,
    });
  }
  let timedOut = false;
  const kill = () => {
    try {
      child.kill("SIGTERM");
    } catch {
      // already exited
    }
  };
  const timer = timeoutMs === undefined ? undefined : setTimeout(() => {
    timedOut = true;
    kill();
  }, timeoutMs);
  signal.addEventListener("abort", kill, { once: true });
  const tail = stderrTail(child.stderr);
  const finished = (async () => {
    const status = await child.status;
    clearTimeout(timer);
    signal.removeEventListener("abort", kill);
    const stderr = await tail;
    const detail = stderr ? `: ${stderr}` : "";
    if (timedOut) {
      throw new JobInputError(name, `the command ran longer than its timeout of ${timeoutMs! / 1000} s`);
    }
    if (signal.aborted) {
      throw new JobInputError(name, "the command was stopped because the run was cancelled");
    }
    if (!status.success) {
      const how = status.signal ? `was killed by ${status.signal}` : `exited with code ${status.code}`;
      throw new JobInputError(name, `the command ${how}${detail}`, status.code);
    }
  })();
  finished.catch(() => {}); // observed through the stream and by the caller
  const reader = child.stdout.getReader();
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const { done, value } = await reader.read();
      if (!done) return controller.enqueue(value);
      try {
        await finished;
        controller.close();
      } catch (error) {
        controller.error(error);
      }
    },
    async cancel() {
      kill();
      await reader.cancel().catch(() => {});
    },
  });
  return {
    kind: "stream",
    name: `command "${name}"`,
    stream,
    finished,
    async close() {
      kill();
      await reader.cancel().catch(() => {});
      await finished.catch(() => {});
    },
  };
}

/**
 * Open a job's input.
 * @param input the configured input
 * @param signal stops a running command
 * @returns a path to open, or a command's output stream
 * @throws {JobInputError} no file matches a glob, or the command cannot start
 */
export async function openJobInput(input: JobInput, signal: AbortSignal): Promise<OpenedJobInput> {
  if (input.kind === "file") return { kind: "path", path: input.path };
  if (input.kind === "glob") return { kind: "path", path: await newestMatch(input.pattern) };
  return spawn(input.run, input.timeoutMs, signal);
}
